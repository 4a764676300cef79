import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/JSONArgsRecommended.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("JSONArgsRecommended", () => {
  ruleCases(rule, {
    fires: [
      { name: "ENTRYPOINT shell form", dockerfile: "FROM alpine:3.20\nENTRYPOINT my-program start\n", at: [[2, 12, 2, 28]], messages: ["for ENTRYPOINT"] },
      { name: "CMD in the second stage", dockerfile: "FROM alpine:3.20 AS a\nSHELL [\"/bin/ash\", \"-c\"]\nFROM alpine:3.20\nCMD run\n", at: [[4, 5, 4, 8]] },
      { name: "CMD before SHELL", dockerfile: "FROM alpine:3.20\nCMD run\nSHELL [\"/bin/ash\", \"-c\"]\n", at: [[2, 5, 2, 8]] },
    ],
    silent: [
      { name: "exec form", dockerfile: "FROM alpine:3.20\nENTRYPOINT [\"my-program\", \"start\"]\n" },
      { name: "SHELL set in the stage", dockerfile: "FROM alpine:3.20\nSHELL [\"/bin/ash\", \"-c\"]\nCMD run\n" },
      { name: "SHELL inherited from the base stage", dockerfile: "FROM alpine:3.20 AS base\nSHELL [\"/bin/ash\", \"-c\"]\nFROM base\nCMD run\n" },
    ],
  });
});
