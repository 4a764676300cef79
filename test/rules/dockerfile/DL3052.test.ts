import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3052.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "url", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3052", () => {
  ruleCases(rule, {
    fires: [
      { name: "no scheme", dockerfile: label("example.com/x"), at: [at("example.com/x")], options: SCHEMA },
      { name: "a space", dockerfile: label("\"https://example.com/a b\""), at: [at("\"https://example.com/a b\"")], options: SCHEMA },
      { name: "bad percent-encoding", dockerfile: label("https://example.com/%zz"), at: [at("https://example.com/%zz")], options: SCHEMA },
      { name: "bad IPv6 literal", dockerfile: label("http://[::1::2]/"), at: [at("http://[::1::2]/")], options: SCHEMA },
      { name: "port not a number", dockerfile: label("http://host:80a/"), at: [at("http://host:80a/")], options: SCHEMA },
      { name: "ARG default", dockerfile: `${FROM}ARG U=ftp//x\nLABEL l=$U\n`, at: [[3, 9, 3, 11]], messages: ["Label `l` is not a valid URL: \"ftp//x\""], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("https://example.com") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"https://example.com"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "with port, query, fragment", dockerfile: label("https://user@example.com:8443/p/a%20th?q=1&r#frag"), options: SCHEMA },
      { name: "IPv6 host", dockerfile: label("http://[2001:db8::1]:80/"), options: SCHEMA },
      { name: "mailto", dockerfile: label("mailto:jane@example.com"), options: SCHEMA },
      { name: "urn", dockerfile: label("urn:isbn:0451450523"), options: SCHEMA },
      { name: "quoted", dockerfile: label('"https://example.com/x"'), options: SCHEMA },
    ],
  });
});
