import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/InvalidDefaultArgInFrom.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("InvalidDefaultArgInFrom", () => {
  ruleCases(rule, {
    fires: [
      { name: "empty tag", dockerfile: "ARG TAG\nFROM busybox:${TAG}\n", at: [[2, 6, 2, 20]], messages: ["Default value for ARG busybox:${TAG} results in empty or invalid base image name"] },
      { name: "empty image", dockerfile: "ARG IMAGE\nFROM $IMAGE AS base\n", at: [[2, 6, 2, 12]] },
      { name: "upper-case default", dockerfile: "ARG IMG=Alpine\nFROM $IMG\n", at: [[2, 6, 2, 10]] },
      { name: "bad digest", dockerfile: "ARG D=sha256:abc\nFROM ubuntu@$D\n", at: [[2, 6, 2, 15]] },
      { name: "undeclared variable", dockerfile: "FROM alpine:$NOPE\n", at: [[1, 6, 1, 18]] },
    ],
    silent: [
      { name: "default value", dockerfile: "ARG TAG=latest\nFROM busybox:${TAG}\n" },
      { name: "empty suffix keeps it valid", dockerfile: "ARG VARIANT\nFROM busybox:stable${VARIANT}\n" },
      { name: "default in the expansion", dockerfile: "ARG TAG\nFROM alpine:${TAG:-3.14}\n" },
      { name: "registry, port, digest", dockerfile: "ARG REG=localhost:5000\nFROM $REG/team/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n" },
      { name: "stage reference", dockerfile: "FROM alpine AS base\nFROM base\n" },
      { name: "predefined ARG", dockerfile: "FROM alpine-$TARGETARCH\n" },
    ],
  });
});
