import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/UndefinedArgInFrom.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("UndefinedArgInFrom", () => {
  ruleCases(rule, {
    fires: [
      { name: "undeclared", dockerfile: "FROM node:22${VARIANT} AS jsbuilder\n", at: [[1, 13, 1, 23]], messages: ["FROM argument 'VARIANT' is not declared"] },
      { name: "typo of a global ARG", dockerfile: "ARG VERSION=3.20\nFROM alpine:$VERSON\n", at: [[2, 13, 2, 20]], messages: ["FROM argument 'VERSON' is not declared (did you mean VERSION?)"] },
      { name: "typo of a predefined ARG in --platform", dockerfile: "FROM --platform=$BUILDPLATFROM golang\n", at: [[1, 17, 1, 31]], messages: ["(did you mean BUILDPLATFORM?)"] },
      { name: "declared only in a stage", dockerfile: "FROM alpine\nARG TAG=1\nFROM alpine:$TAG\n", at: [[3, 13, 3, 17]] },
      { name: "declared after the first FROM", dockerfile: "FROM alpine\nARG IMAGE=debian\nFROM ${IMAGE}\n", at: [[3, 6, 3, 14]] },
      { name: "each name once per word", dockerfile: "FROM $X/$X:$Y\n", at: [[1, 6, 1, 8], [1, 12, 1, 14]] },
    ],
    silent: [
      { name: "declared", dockerfile: "ARG VARIANT=\"-alpine3.20\"\nFROM node:22${VARIANT} AS jsbuilder\n" },
      { name: "declared without a default", dockerfile: "ARG TAG\nFROM alpine:${TAG:-3.20}\n" },
      { name: "predefined ARGs", dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.22-$TARGETOS-$TARGETARCH$TARGETVARIANT AS build\nFROM alpine:$TARGETSTAGE\n" },
      { name: "no variables", dockerfile: "FROM alpine:3.20\n" },
    ],
  });
});
