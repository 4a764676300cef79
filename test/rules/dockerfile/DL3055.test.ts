import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3055.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "hash", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3055", () => {
  ruleCases(rule, {
    fires: [
      { name: "a tag", dockerfile: label("v1.2.3"), at: [at("v1.2.3")], options: SCHEMA },
      { name: "upper-case hex", dockerfile: label("4F2C0A9"), at: [at("4F2C0A9")], options: SCHEMA },
      { name: "8 digits", dockerfile: label("4f2c0a91"), at: [at("4f2c0a91")], options: SCHEMA },
      { name: "non-hex", dockerfile: label("4f2c0ag"), at: [at("4f2c0ag")], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("4f2c0a9") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"4f2c0a9"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "short hash", dockerfile: label("4f2c0a9"), options: SCHEMA },
      { name: "full SHA-1", dockerfile: label("4f2c0a91e7b3d5c6a8f9e0b1c2d3e4f5a6b7c8d9"), options: SCHEMA },
    ],
  });
});
