import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/FromAsCasing.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("FromAsCasing", () => {
  ruleCases(rule, {
    fires: [
      { name: "FROM ... as", dockerfile: "FROM debian:12 as builder\n", at: [[1, 16, 1, 18]], messages: ["'as' and 'FROM' keywords' casing do not match"] },
      { name: "from ... AS", dockerfile: "from debian:12 AS builder\n", at: [[1, 16, 1, 18]], messages: ["'AS' and 'from' keywords' casing do not match"] },
      { name: "mixed-case As", dockerfile: "FROM debian:12 As builder\n", at: [[1, 16, 1, 18]] },
      { name: "with --platform", dockerfile: "FROM --platform=linux/arm64 debian:12 as b\n", at: [[1, 39, 1, 41]] },
    ],
    silent: [
      { name: "both upper", dockerfile: "FROM debian:12 AS builder\n" },
      { name: "both lower", dockerfile: "from debian:12 as builder\n" },
      { name: "mixed-case FROM is another check's", dockerfile: "From debian:12 as builder\n" },
      { name: "no AS", dockerfile: "FROM debian:12\n" },
    ],
  });
});
