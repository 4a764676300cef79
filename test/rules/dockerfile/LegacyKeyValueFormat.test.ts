import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/LegacyKeyValueFormat.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("LegacyKeyValueFormat", () => {
  ruleCases(rule, {
    fires: [
      { name: "ENV key value", dockerfile: "FROM alpine\nENV DEPS curl git\n", at: [[2, 5, 2, 18]], messages: ['"ENV key=value" should be used instead of legacy "ENV key value" format'] },
      { name: "LABEL key value", dockerfile: "FROM alpine\nLABEL maintainer jane\n", at: [[2, 7, 2, 22]], messages: ['"LABEL key=value"'] },
      { name: "keyword as written", dockerfile: "from alpine\nenv A b\n", at: [[2, 5, 2, 8]], messages: ['"env key=value" should be used instead of legacy "env key value" format'] },
      { name: "multi-line legacy value", dockerfile: "FROM alpine\nENV DEPS \\\n    curl \\\n    git\n", at: [[2, 5, 4, 8]] },
    ],
    silent: [
      { name: "key=value", dockerfile: "FROM alpine\nENV DEPS=\"curl git\" A=1\nLABEL a=b\n" },
      { name: "ARG with two names declares two ARGs", dockerfile: "FROM alpine\nARG foo bar\n" },
      { name: "ONBUILD ENV runs in child images", dockerfile: "FROM alpine\nONBUILD ENV A b\n" },
    ],
  });
});
