import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/ReservedStageName.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("ReservedStageName", () => {
  ruleCases(rule, {
    fires: [
      { name: "scratch", dockerfile: "FROM alpine AS scratch\n", at: [[1, 16, 1, 23]], messages: ['Stage name should not use the same name as reserved stage "scratch"'] },
      { name: "context", dockerfile: "FROM alpine AS context\n", at: [[1, 16, 1, 23]], messages: ['"context"'] },
      { name: "compared in lower case", dockerfile: "FROM alpine AS Scratch\n", at: [[1, 16, 1, 23]], messages: ['"scratch"'] },
      { name: "lower-case keywords", dockerfile: "from alpine as context\nfrom alpine as scratch\n", at: [[1, 16, 1, 23], [2, 16, 2, 23]] },
    ],
    silent: [
      { name: "ordinary name", dockerfile: "FROM alpine AS builder\n" },
      { name: "FROM scratch is fine", dockerfile: "FROM scratch AS base\n" },
      { name: "a name containing the word", dockerfile: "FROM alpine AS scratch-build\n" },
    ],
  });
});
