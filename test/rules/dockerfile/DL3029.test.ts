import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3029.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3029", () => {
  ruleCases(rule, {
    fires: [
      { name: "constant platform", dockerfile: "FROM --platform=linux/amd64 debian:12\n", at: [[1, 6, 1, 28]], messages: ['"linux/amd64"'] },
      { name: "user ARG with a constant default", dockerfile: "ARG PLATFORM=linux/arm64\nFROM --platform=$PLATFORM debian:12\n", at: [[2, 6, 2, 26]] },
      { name: "in a later stage", dockerfile: "FROM debian:12 AS a\nFROM --platform=linux/arm64 debian:12 AS b\n", at: [[2, 6, 2, 28]] },
    ],
    silent: [
      { name: "no flag", dockerfile: "FROM debian:12\n" },
      { name: "BUILDPLATFORM", dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n" },
      { name: "TARGETPLATFORM, braced and quoted", dockerfile: 'FROM --platform="${TARGETPLATFORM}" debian:12\n' },
      { name: "TARGETOS/TARGETARCH", dockerfile: "FROM --platform=$TARGETOS/$TARGETARCH debian:12\n" },
      { name: "BUILDOS/BUILDARCH", dockerfile: "FROM --platform=${BUILDOS}/${BUILDARCH} debian:12\n" },
    ],
  });
});
