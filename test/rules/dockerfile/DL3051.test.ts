import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3051.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const SCHEMA: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { version: "text", source: "url" }, strictLabels: false } };

describe("DL3051", () => {
  ruleCases(rule, {
    fires: [
      { name: "empty quotes", dockerfile: 'FROM debian:12\nLABEL version=""\n', at: [[2, 7, 2, 14]], messages: ["Label `version` is empty"], options: SCHEMA },
      { name: "nothing after =", dockerfile: "FROM debian:12\nLABEL source=\n", at: [[2, 7, 2, 13]], options: SCHEMA },
      { name: "ARG with an empty default", dockerfile: 'FROM debian:12\nARG V=""\nLABEL version=$V\n', at: [[3, 7, 3, 14]], options: SCHEMA },
      { name: "single quotes", dockerfile: "FROM debian:12\nLABEL version=''\n", at: [[2, 7, 2, 14]], options: SCHEMA },
    ],
    silent: [
      { name: "a value", dockerfile: "FROM debian:12\nLABEL version=1.0\n", options: SCHEMA },
      { name: "not in the schema", dockerfile: 'FROM debian:12\nLABEL other=""\n', options: SCHEMA },
      { name: "no schema", dockerfile: 'FROM debian:12\nLABEL version=""\n' },
      { name: "ARG without a value: unknown, not empty", dockerfile: "FROM debian:12\nARG V\nLABEL version=$V\n", options: SCHEMA },
      { name: "whitespace is a value", dockerfile: 'FROM debian:12\nLABEL version=" "\n', options: SCHEMA },
    ],
  });
});
