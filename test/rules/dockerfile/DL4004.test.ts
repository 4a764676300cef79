import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4004.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL4004", () => {
  ruleCases(rule, {
    fires: [
      { name: "two ENTRYPOINTs", dockerfile: `${FROM}ENTRYPOINT ["tini", "--"]\nENTRYPOINT ["/entrypoint.sh"]\n`, at: [[3, 1, 3, 11]], messages: ["ENTRYPOINT on line 2 does nothing"] },
      { name: "three, any case", dockerfile: `${FROM}ENTRYPOINT a\nentrypoint b\nEntrypoint c\n`, at: [[3, 1, 3, 11], [4, 1, 4, 11]] },
      { name: "in the second stage", dockerfile: `${FROM}ENTRYPOINT a\nFROM debian:12\nENTRYPOINT b\nENTRYPOINT c\n`, at: [[5, 1, 5, 11]] },
    ],
    silent: [
      { name: "one per stage", dockerfile: `${FROM}ENTRYPOINT a\nFROM debian:12\nENTRYPOINT b\n` },
      { name: "overriding the base stage", dockerfile: `FROM debian:12 AS base\nENTRYPOINT ["a"]\nFROM base\nENTRYPOINT ["b"]\n` },
      { name: "ONBUILD ENTRYPOINT is the child's", dockerfile: `${FROM}ENTRYPOINT a\nONBUILD ENTRYPOINT b\n` },
    ],
  });
});
