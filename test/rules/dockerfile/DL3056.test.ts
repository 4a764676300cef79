import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3056.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "semver", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3056", () => {
  ruleCases(rule, {
    fires: [
      { name: "v prefix", dockerfile: label("v1.2.3"), at: [at("v1.2.3")], options: SCHEMA },
      { name: "two parts", dockerfile: label("1.2"), at: [at("1.2")], options: SCHEMA },
      { name: "leading zero", dockerfile: label("1.02.3"), at: [at("1.02.3")], options: SCHEMA },
      { name: "leading zero in a numeric prerelease", dockerfile: label("1.2.3-01"), at: [at("1.2.3-01")], options: SCHEMA },
      { name: "empty prerelease part", dockerfile: label("1.2.3-rc..1"), at: [at("1.2.3-rc..1")], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("1.2.3") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"1.2.3"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "plain", dockerfile: label("0.1.0"), options: SCHEMA },
      { name: "prerelease and build", dockerfile: label("2.0.0-rc.1+build.5"), options: SCHEMA },
      { name: "alphanumeric prerelease with leading zero", dockerfile: label("1.0.0-0a"), options: SCHEMA },
      { name: "build with leading zeros", dockerfile: label("1.0.0+001"), options: SCHEMA },
    ],
  });
});
