import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3054.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { l: "spdx", other: "text" }, strictLabels: false } };
const FROM = "FROM debian:12\n";
const label = (value: string): string => `${FROM}LABEL l=${value}\n`;
// The value starts at column 9 of line 2.
const at = (value: string): [number, number, number, number] => [2, 9, 2, 9 + value.length];

describe("DL3054", () => {
  ruleCases(rule, {
    fires: [
      { name: "a license name", dockerfile: label("\"Apache License 2.0\""), at: [at("\"Apache License 2.0\"")], options: SCHEMA },
      { name: "unknown id", dockerfile: label("MIT-2"), at: [at("MIT-2")], options: SCHEMA },
      { name: "dangling operator", dockerfile: label("\"MIT OR\""), at: [at("\"MIT OR\"")], options: SCHEMA },
      { name: "unclosed parenthesis", dockerfile: label("\"(MIT OR Apache-2.0\""), at: [at("\"(MIT OR Apache-2.0\"")], options: SCHEMA },
      { name: "unknown exception", dockerfile: label("\"GPL-2.0-only WITH foo\""), at: [at("\"GPL-2.0-only WITH foo\"")], options: SCHEMA },
      { name: "mixed-case operator", dockerfile: label("\"MIT Or Apache-2.0\""), at: [at("\"MIT Or Apache-2.0\"")], options: SCHEMA },
      { name: "comma list", dockerfile: label("\"MIT, Apache-2.0\""), at: [at("\"MIT, Apache-2.0\"")], options: SCHEMA },
    ],
    silent: [
      { name: "no schema", dockerfile: label("MIT") },
      { name: "a label of another type", dockerfile: `${FROM}LABEL other=${"MIT"}\n`, options: SCHEMA },
      { name: "empty (DL3051's finding)", dockerfile: label('""'), options: SCHEMA },
      { name: "from an ARG without a value", dockerfile: `${FROM}ARG V\nLABEL l=$V\n`, options: SCHEMA },
      { name: "an id", dockerfile: label("Apache-2.0"), options: SCHEMA },
      { name: "any case", dockerfile: label("apache-2.0"), options: SCHEMA },
      { name: "an expression", dockerfile: label("\"Apache-2.0 OR MIT\""), options: SCHEMA },
      { name: "WITH and parentheses", dockerfile: label("\"(GPL-2.0-or-later WITH Classpath-exception-2.0) AND BSD-3-Clause\""), options: SCHEMA },
      { name: "or-later plus", dockerfile: label("LGPL-2.1+"), options: SCHEMA },
      { name: "deprecated id", dockerfile: label("GPL-2.0"), options: SCHEMA },
      { name: "LicenseRef", dockerfile: label("LicenseRef-Proprietary"), options: SCHEMA },
      { name: "lower-case operators", dockerfile: label("\"mit or apache-2.0\""), options: SCHEMA },
    ],
  });
});
