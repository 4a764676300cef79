import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/RedundantTargetPlatform.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("RedundantTargetPlatform", () => {
  ruleCases(rule, {
    fires: [
      { name: "$TARGETPLATFORM", dockerfile: "FROM --platform=$TARGETPLATFORM alpine AS builder\n", at: [[1, 17, 1, 32]], messages: ["Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"] },
      { name: "braces", dockerfile: "FROM --platform=${TARGETPLATFORM} alpine\n", at: [[1, 17, 1, 34]], messages: ["predefined ${TARGETPLATFORM} in FROM"] },
      { name: "quoted, with a default", dockerfile: "FROM --platform=\"${TARGETPLATFORM:-linux/arm64}\" alpine\n", at: [[1, 17, 1, 49]] },
      { name: "second stage", dockerfile: "FROM alpine AS a\nfrom --platform=$TARGETPLATFORM alpine\n", at: [[2, 17, 2, 32]] },
    ],
    silent: [
      { name: "BUILDPLATFORM", dockerfile: "FROM --platform=$BUILDPLATFORM alpine\n" },
      { name: "no --platform", dockerfile: "FROM alpine\n" },
      { name: "another variable too", dockerfile: "FROM --platform=${TARGETPLATFORM}$X alpine\n" },
      { name: "built from parts", dockerfile: "FROM --platform=$TARGETOS/$TARGETARCH alpine\n" },
      { name: "constant", dockerfile: "FROM --platform=linux/amd64 alpine\n" },
    ],
  });
});
