import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4003.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL4003", () => {
  ruleCases(rule, {
    fires: [
      { name: "two CMDs", dockerfile: `${FROM}CMD ["nginx"]\nCMD ["nginx", "-g", "daemon off;"]\n`, at: [[3, 1, 3, 4]], messages: ["CMD on line 2 does nothing"] },
      { name: "shell and exec form, any case", dockerfile: `${FROM}CMD nginx\nRUN x\ncmd ["nginx"]\n`, at: [[4, 1, 4, 4]] },
      { name: "three CMDs", dockerfile: `${FROM}CMD a\nCMD b\nCMD c\n`, at: [[3, 1, 3, 4], [4, 1, 4, 4]], messages: ["line 2", "line 3"] },
      { name: "in the second stage", dockerfile: `${FROM}CMD a\nFROM debian:12\nCMD b\nCMD c\n`, at: [[5, 1, 5, 4]] },
    ],
    silent: [
      { name: "one per stage", dockerfile: `${FROM}CMD a\nFROM debian:12\nCMD b\n` },
      { name: "overriding the base stage", dockerfile: `FROM debian:12 AS base\nCMD ["bash"]\nFROM base\nCMD ["nginx"]\n` },
      { name: "ONBUILD CMD is the child's", dockerfile: `${FROM}CMD a\nONBUILD CMD b\n` },
      { name: "CMD and ENTRYPOINT", dockerfile: `${FROM}ENTRYPOINT ["tini", "--"]\nCMD ["nginx"]\n` },
    ],
  });
});
