import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/ConsistentInstructionCasing.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("ConsistentInstructionCasing", () => {
  ruleCases(rule, {
    fires: [
      { name: "mixed-case keyword", dockerfile: "FROM alpine\nRun echo hello\n", at: [[2, 1, 2, 4]], messages: ["Command 'Run' should match the case of the command majority (uppercase)"] },
      { name: "minority lower case", dockerfile: "FROM alpine\nRUN a\nrun b\nCMD c\n", at: [[3, 1, 3, 4]] },
      { name: "majority lower case", dockerfile: "from alpine\nrun a\nRUN b\nFrom alpine\n", at: [[3, 1, 3, 4], [4, 1, 4, 5]], messages: ["(lowercase)", "Command 'From'"] },
      { name: "a tie goes to upper case", dockerfile: "FROM alpine\nrun a\n", at: [[2, 1, 2, 4]] },
      { name: "ONBUILD keyword counts", dockerfile: "FROM alpine\nonbuild RUN a\n", at: [[2, 1, 2, 8]] },
    ],
    silent: [
      { name: "all upper", dockerfile: "FROM alpine\nRUN echo hello\nENTRYPOINT [\"cat\"]\n" },
      { name: "all lower", dockerfile: "from alpine\nrun echo hello\nentrypoint [\"cat\"]\n" },
      { name: "global ARG before FROM is not counted", dockerfile: "arg V=1\nFROM alpine:$V\n" },
      { name: "the instruction inside ONBUILD is not counted", dockerfile: "FROM alpine\nONBUILD run a\n" },
    ],
  });
});
