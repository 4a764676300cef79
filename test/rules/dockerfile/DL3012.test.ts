import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3012.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const CHECK = "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n";
describe("DL3012", () => {
  ruleCases(rule, {
    fires: [
      { name: "two in a stage", dockerfile: `${FROM}${CHECK}${CHECK}`, at: [[3, 1, 3, 12]], messages: ["line 2"] },
      { name: "HEALTHCHECK NONE counts, any case", dockerfile: `${FROM}${CHECK}RUN x\nhealthcheck NONE\n`, at: [[4, 1, 4, 12]] },
      { name: "three: each after the first", dockerfile: `${FROM}${CHECK}${CHECK}${CHECK}`, at: [[3, 1, 3, 12], [4, 1, 4, 12]], messages: ["line 2", "line 3"] },
      { name: "in the second stage", dockerfile: `${FROM}${CHECK}FROM debian:12\n${CHECK}${CHECK}`, at: [[5, 1, 5, 12]] },
    ],
    silent: [
      { name: "one per stage", dockerfile: `${FROM}${CHECK}FROM debian:12\n${CHECK}` },
      { name: "overriding the base stage's", dockerfile: `FROM debian:12 AS base\n${CHECK}FROM base\nHEALTHCHECK NONE\n` },
      { name: "ONBUILD HEALTHCHECK is for the child image", dockerfile: `${FROM}${CHECK}ONBUILD ${CHECK}` },
    ],
  });
});
