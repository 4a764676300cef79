import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/MultipleInstructionsDisallowed.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("MultipleInstructionsDisallowed", () => {
  ruleCases(rule, {
    fires: [
      { name: "two ENTRYPOINTs: the ignored first one", dockerfile: "FROM alpine\nENTRYPOINT [\"echo\", \"a\"]\nENTRYPOINT [\"echo\", \"b\"]\n", at: [[2, 1, 2, 11]], messages: ["Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used"] },
      { name: "three CMDs", dockerfile: "FROM alpine\nCMD a\nCMD b\nCMD c\n", at: [[2, 1, 2, 4], [3, 1, 3, 4]] },
      { name: "HEALTHCHECK NONE then CMD, names the later keyword as written", dockerfile: "FROM alpine\nHEALTHCHECK NONE\nhealthcheck CMD true\n", at: [[2, 1, 2, 12]], messages: ["Multiple healthcheck instructions"] },
      { name: "in a later stage", dockerfile: "FROM alpine AS a\nCMD x\nFROM alpine\nCMD a\nCMD b\n", at: [[4, 1, 4, 4]] },
    ],
    silent: [
      { name: "one of each", dockerfile: "FROM alpine\nENTRYPOINT [\"a\"]\nCMD [\"b\"]\nHEALTHCHECK CMD c\n" },
      { name: "HEALTHCHECK's CMD is not a CMD", dockerfile: "FROM python:3.12-alpine\nHEALTHCHECK CMD [\"wget\", \"x\"]\nCMD [\"python\"]\n" },
      { name: "one per stage", dockerfile: "FROM alpine AS a\nCMD a\nFROM a\nCMD b\n" },
      { name: "ONBUILD CMD is for child images", dockerfile: "FROM alpine\nONBUILD CMD a\nCMD b\n" },
    ],
  });
});
