import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3002.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3002", () => {
  ruleCases(rule, {
    fires: [
      { name: "last USER root", dockerfile: "FROM debian:12\nUSER root\n", at: [[2, 6, 2, 10]], messages: ['"root"'] },
      { name: "uid 0 with a group", dockerfile: "FROM debian:12\nUSER 0:0\n", at: [[2, 6, 2, 9]] },
      { name: "only the last USER counts", dockerfile: "FROM debian:12\nUSER app\nRUN x\nUSER root\n", at: [[4, 6, 4, 10]] },
      { name: "root through an ARG", dockerfile: "FROM debian:12\nARG RUNAS=root\nUSER ${RUNAS}\n", at: [[3, 6, 3, 14]] },
      { name: "inherited from the stage the target is built FROM", dockerfile: "FROM debian:12 AS base\nUSER root\nFROM base\nRUN x\n", at: [[2, 6, 2, 10]] },
      { name: "target option picks the stage", dockerfile: "FROM debian:12 AS dev\nUSER root\nFROM debian:12\nUSER app\n", at: [[2, 6, 2, 10]], options: { target: "dev" } },
    ],
    silent: [
      { name: "non-root last USER", dockerfile: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n" },
      { name: "root only in a build stage", dockerfile: "FROM golang:1.22 AS build\nUSER root\nRUN go build\nFROM debian:12\nUSER app\nCOPY --from=build /out /out\n" },
      { name: "no USER at all (another rule's business)", dockerfile: "FROM debian:12\nRUN x\n" },
      { name: "target stage overrides its base", dockerfile: "FROM debian:12 AS base\nUSER root\nFROM base\nUSER app\n" },
      { name: "a user named like root", dockerfile: "FROM debian:12\nUSER rootless\n" },
    ],
  });
});
