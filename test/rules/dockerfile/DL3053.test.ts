import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3053.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "rfc3339", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3053", () => {
  ruleCases(rule, {
    fires: [
      { name: "a date only", dockerfile: label("2024-05-01"), at: [at("2024-05-01")], options: SCHEMA },
      { name: "no time zone", dockerfile: label("2024-05-01T12:30:00"), at: [at("2024-05-01T12:30:00")], options: SCHEMA },
      { name: "no seconds", dockerfile: label("2024-05-01T12:30Z"), at: [at("2024-05-01T12:30Z")], options: SCHEMA },
      { name: "February 30", dockerfile: label("2024-02-30T00:00:00Z"), at: [at("2024-02-30T00:00:00Z")], options: SCHEMA },
      { name: "hour 24", dockerfile: label("2024-05-01T24:00:00Z"), at: [at("2024-05-01T24:00:00Z")], options: SCHEMA },
      { name: "offset without colon", dockerfile: label("2024-05-01T12:30:00+0200"), at: [at("2024-05-01T12:30:00+0200")], options: SCHEMA },
      { name: "space separator", dockerfile: label("\"2024-05-01 12:30:00Z\""), at: [at("\"2024-05-01 12:30:00Z\"")], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("2024-05-01T12:30:00Z") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"2024-05-01T12:30:00Z"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "fraction and offset", dockerfile: label("2024-05-01T12:30:00.123456-07:00"), options: SCHEMA },
      { name: "leap day", dockerfile: label("2024-02-29T00:00:00Z"), options: SCHEMA },
      { name: "leap second", dockerfile: label("2016-12-31T23:59:60Z"), options: SCHEMA },
      { name: "lower-case t and z", dockerfile: label("2024-05-01t12:30:00z"), options: SCHEMA },
    ],
  });
});
