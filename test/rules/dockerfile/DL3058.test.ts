import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3058.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "email", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3058", () => {
  ruleCases(rule, {
    fires: [
      { name: "display name", dockerfile: label("\"Jane Doe <jane@example.com>\""), at: [at("\"Jane Doe <jane@example.com>\"")], options: SCHEMA },
      { name: "no at sign", dockerfile: label("jane.example.com"), at: [at("jane.example.com")], options: SCHEMA },
      { name: "two at signs", dockerfile: label("a@b@example.com"), at: [at("a@b@example.com")], options: SCHEMA },
      { name: "dot at the start", dockerfile: label(".jane@example.com"), at: [at(".jane@example.com")], options: SCHEMA },
      { name: "double dot", dockerfile: label("jane..doe@example.com"), at: [at("jane..doe@example.com")], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("jane@example.com") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"jane@example.com"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "plus and dots", dockerfile: label("jane.doe+ci@mail.example.com"), options: SCHEMA },
      { name: "quoted local part", dockerfile: label(String.raw`"\"jane doe\"@example.com"`), options: SCHEMA },
      { name: "domain literal", dockerfile: label("jane@[192.0.2.1]"), options: SCHEMA },
      { name: "single-label domain", dockerfile: label("root@localhost"), options: SCHEMA },
    ],
  });
});
