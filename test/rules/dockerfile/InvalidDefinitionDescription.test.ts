import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/InvalidDefinitionDescription.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("InvalidDefinitionDescription", () => {
  ruleCases(rule, {
    fires: [
      { name: "FROM with a non-descriptive comment", dockerfile: "# a non-descriptive comment\nFROM scratch AS base\n", at: [[1, 1, 1, 28]], messages: ["Comment for FROM should follow the format: `# base <description>`"] },
      { name: "ARG", dockerfile: "FROM scratch\n# another comment\nARG VERSION=1\n", at: [[2, 1, 2, 18]], messages: ["Comment for ARG should follow the format: `# VERSION <description>`"] },
      { name: "ARG with several names", dockerfile: "# foo bar\nARG A B\nFROM scratch\n", at: [[1, 1, 1, 10]], messages: ["`# <arg_key> <description>`"] },
      { name: "the last of several comment lines", dockerfile: "# base is a stage\n# more text\nFROM scratch AS base\n", at: [[2, 1, 2, 12]] },
      { name: "a blank line does not end the comment block (as in BuildKit)", dockerfile: "# a comment\n\nFROM scratch AS base\n", at: [[1, 1, 1, 12]] },
      { name: "stage name in lower case", dockerfile: "# Build the app\nFROM scratch AS Build\n", at: [[1, 1, 1, 16]], messages: ["`# build <description>`"] },
      { name: "after a parser directive", dockerfile: "# syntax=docker/dockerfile:1\n# the image\nFROM scratch AS base\n", at: [[2, 1, 2, 12]] },
    ],
    silent: [
      { name: "descriptions", dockerfile: "# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This is the version number.\nARG VERSION=1\n" },
      { name: "no comment", dockerfile: "FROM scratch AS base\nARG VERSION=1\n" },
      { name: "unnamed stage", dockerfile: "# just a comment\nFROM scratch\n" },
      { name: "an empty comment line ends the block", dockerfile: "# a comment\n#\nFROM scratch AS base\n" },
      { name: "one of several ARG names", dockerfile: "FROM scratch\n# B the second\nARG A B\n" },
      { name: "other instructions", dockerfile: "FROM scratch\n# copy things\nCOPY a /a\n" },
    ],
  });
});
