import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3065.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3065", () => {
  ruleCases(rule, {
    fires: [
      { name: "$TARGETPLATFORM", dockerfile: "FROM --platform=$TARGETPLATFORM debian:12\n", at: [[1, 6, 1, 32]], messages: ["$TARGETPLATFORM is redundant"] },
      { name: "braced and quoted", dockerfile: 'FROM --platform="${TARGETPLATFORM}" debian:12 AS app\n', at: [[1, 6, 1, 36]] },
    ],
    silent: [
      { name: "BUILDPLATFORM", dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n" },
      { name: "a constant (DL3029's)", dockerfile: "FROM --platform=linux/amd64 debian:12\n" },
      { name: "TARGETPLATFORM as part of a value", dockerfile: "FROM --platform=${TARGETPLATFORM}/v2 debian:12\n" },
      { name: "no flag", dockerfile: "FROM debian:12\n" },
    ],
  });
});
