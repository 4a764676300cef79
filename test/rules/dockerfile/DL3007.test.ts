import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3007.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3007", () => {
  ruleCases(rule, {
    fires: [
      { name: "latest", dockerfile: "FROM debian:latest\n", at: [[1, 6, 1, 19]], messages: ['"debian"'] },
      { name: "latest through an ARG", dockerfile: "ARG TAG=latest\nFROM node:$TAG AS app\n", at: [[2, 6, 2, 15]] },
      { name: "registry and latest", dockerfile: "FROM registry.example:5000/x/y:latest\n", at: [[1, 6, 1, 38]] },
    ],
    silent: [
      { name: "pinned tag", dockerfile: "FROM debian:12.5\n" },
      { name: "latest pinned by digest", dockerfile: "FROM debian:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000\n" },
      { name: "tag merely containing latest", dockerfile: "FROM app:latest-2024\n" },
      { name: "no tag is DL3006's business", dockerfile: "FROM debian\n" },
    ],
  });
});
