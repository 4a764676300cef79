import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/FromPlatformFlagConstDisallowed.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("FromPlatformFlagConstDisallowed", () => {
  ruleCases(rule, {
    fires: [
      { name: "constant platform", dockerfile: "FROM --platform=linux/amd64 alpine AS base\n", at: [[1, 17, 1, 28]], messages: ['FROM --platform flag should not use constant value "linux/amd64"'] },
      { name: "no stage name", dockerfile: "FROM --platform=linux/arm64/v8 alpine\n", at: [[1, 17, 1, 31]] },
      { name: "OS only (architecture of the builder)", dockerfile: "FROM --platform=linux alpine AS x\n", at: [[1, 17, 1, 22]] },
      { name: "architecture only", dockerfile: "FROM --platform=arm64 alpine AS y\n", at: [[1, 17, 1, 22]] },
      { name: "quoted", dockerfile: "FROM --platform=\"linux/amd64\" alpine\n", at: [[1, 17, 1, 30]], messages: ['"linux/amd64"'] },
    ],
    silent: [
      { name: "stage named after the architecture", dockerfile: "FROM --platform=linux/arm64 alpine AS build_arm64\n" },
      { name: "stage named after the OS", dockerfile: "FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver AS windows-tools\n" },
      { name: "normalized architecture in the name", dockerfile: "FROM --platform=linux/x86_64 alpine AS tools-amd64\n" },
      { name: "a variable", dockerfile: "FROM --platform=$BUILDPLATFORM alpine AS base\n" },
      { name: "an undefined variable is still not a constant", dockerfile: "FROM --platform=${PLATFORM:-linux/amd64} alpine\n" },
      { name: "not a platform", dockerfile: "FROM --platform=bogus alpine\n" },
    ],
  });
});
