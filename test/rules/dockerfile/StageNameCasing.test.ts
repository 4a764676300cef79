import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/StageNameCasing.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("StageNameCasing", () => {
  ruleCases(rule, {
    fires: [
      { name: "mixed case", dockerfile: "FROM alpine AS BuilderBase\n", at: [[1, 16, 1, 27]], messages: ["Stage name 'BuilderBase' should be lowercase"] },
      { name: "upper case, lower-case keywords", dockerfile: "from alpine as BUILD\n", at: [[1, 16, 1, 21]] },
      { name: "second stage", dockerfile: "FROM alpine AS a\nFROM alpine AS B\n", at: [[2, 16, 2, 17]] },
      { name: "after --platform", dockerfile: "FROM --platform=$BUILDPLATFORM golang AS Build\n", at: [[1, 42, 1, 47]] },
    ],
    silent: [
      { name: "lower case", dockerfile: "FROM alpine AS builder-base\n" },
      { name: "digits and separators", dockerfile: "FROM alpine AS build_1.2-x\n" },
      { name: "no stage name", dockerfile: "FROM Alpine\n" },
      { name: "upper-case image", dockerfile: "FROM Alpine AS build\n" },
    ],
  });
});
