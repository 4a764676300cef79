import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3061.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3061", () => {
  ruleCases(rule, {
    fires: [
      { name: "LABEL before FROM", dockerfile: 'LABEL org.opencontainers.image.title="app"\nFROM debian:12\n', at: [[1, 1, 1, 6]], messages: ["LABEL comes before the first FROM"] },
      { name: "after an ARG", dockerfile: "ARG V=12\nRUN echo hi\nFROM debian:$V\n", at: [[2, 1, 2, 4]] },
      { name: "each one, and with no FROM at all", dockerfile: "# a comment\nENV A=1\nWORKDIR /app\n", at: [[2, 1, 2, 4], [3, 1, 3, 8]] },
    ],
    silent: [
      { name: "FROM first", dockerfile: "FROM debian:12\nRUN echo hi\n" },
      { name: "directives, comments and ARGs first", dockerfile: "# syntax=docker/dockerfile:1\n# the base\nARG V=12\nARG W\nFROM debian:$V\nLABEL a=b\n" },
      { name: "only ARGs", dockerfile: "ARG A=1\nARG B\n" },
    ],
  });
});
