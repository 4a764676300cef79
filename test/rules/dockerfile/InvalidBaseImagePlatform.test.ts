import { describe } from "node:test";
import { DEFAULT_RULE_OPTIONS, type BaseImagePlatforms } from "../../../src/core/rule.ts";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/InvalidBaseImagePlatform.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

// What `lint --resolve-images` looked up (the registry side is tested in test/cli/lint-images.test.ts).
const PUBLISHED: Readonly<Record<string, readonly string[]>> = {
  "reg.example/amd64-only:1.0": ["linux/amd64"],
  "reg.example/arm64-only:1.0": ["linux/arm64/v8"],
  "reg.example/multi:1.0": ["linux/amd64", "linux/arm64/v8"],
  "reg.example/server:1.0": ["linux/amd64", "linux/s390x"],
  "reg.example/armv6:1.0": ["linux/arm/v6"],
  "reg.example/win:1.0": ["windows/amd64"],
  "reg.example/no-platforms:1.0": [],
};

function resolved(target = "linux/amd64", build = "linux/amd64", extra: RunOptions = {}): RunOptions {
  const imagePlatforms: BaseImagePlatforms = { target, build, platformsOf: (ref) => PUBLISHED[ref] };
  return { ...extra, ruleOptions: { ...DEFAULT_RULE_OPTIONS, imagePlatforms } };
}

const message = (image: string, actual: string, expected: string): string =>
  `Base image ${image} was pulled with platform "${actual}", expected "${expected}" for current build`;

describe("InvalidBaseImagePlatform", () => {
  ruleCases(rule, {
    fires: [
      {
        name: "FROM --platform=linux/arm64 of an amd64-only image",
        dockerfile: "FROM --platform=linux/arm64 reg.example/amd64-only:1.0\n",
        options: resolved(),
        at: [[1, 29, 1, 55]],
        messages: [message("reg.example/amd64-only:1.0", "linux/amd64", "linux/arm64")],
      },
      {
        name: "no --platform: the build's target platform",
        dockerfile: "FROM reg.example/amd64-only:1.0 AS app\n",
        options: resolved("linux/arm64"),
        at: [[1, 6, 1, 32]],
        messages: [message("reg.example/amd64-only:1.0", "linux/amd64", "linux/arm64")],
      },
      {
        name: "the reference comes from a global ARG",
        dockerfile: "ARG BASE=reg.example/amd64-only:1.0\nFROM --platform=linux/arm64 ${BASE}\n",
        options: resolved(),
        at: [[2, 29, 2, 36]],
        messages: [message("reg.example/amd64-only:1.0", "linux/amd64", "linux/arm64")],
      },
      {
        name: "a --build-arg sets the reference",
        dockerfile: "ARG BASE=reg.example/multi:1.0\nFROM $BASE\n",
        options: resolved("linux/arm64", "linux/amd64", { buildArgs: { BASE: "reg.example/amd64-only:1.0" } }),
        at: [[2, 6, 2, 11]],
        messages: [message("reg.example/amd64-only:1.0", "linux/amd64", "linux/arm64")],
      },
      {
        name: "--platform=$BUILDPLATFORM is the host's",
        dockerfile: "FROM --platform=$BUILDPLATFORM reg.example/arm64-only:1.0 AS tools\nFROM scratch\nCOPY --from=tools /x /x\n",
        options: resolved("linux/arm64", "linux/amd64"),
        at: [[1, 32, 1, 58]],
        messages: [message("reg.example/arm64-only:1.0", "linux/arm64", "linux/amd64")],
      },
      {
        name: "--platform=${TARGETOS}/${TARGETARCH} is the target's",
        dockerfile: "FROM --platform=${TARGETOS}/${TARGETARCH} reg.example/amd64-only:1.0\n",
        options: resolved("linux/arm64"),
        at: [[1, 43, 1, 69]],
        messages: [message("reg.example/amd64-only:1.0", "linux/amd64", "linux/arm64")],
      },
      {
        name: "an index without the platform names what it has",
        dockerfile: "FROM --platform=linux/arm64 reg.example/server:1.0\n",
        options: resolved(),
        at: [[1, 29, 1, 51]],
        messages: ['Base image reg.example/server:1.0 is published for "linux/amd64", "linux/s390x", expected "linux/arm64" for current build'],
      },
      {
        name: "another operating system",
        dockerfile: "FROM reg.example/win:1.0\n",
        options: resolved(),
        at: [[1, 6, 1, 25]],
        messages: [message("reg.example/win:1.0", "windows/amd64", "linux/amd64")],
      },
      {
        name: "every stage that reaches the target",
        dockerfile: "FROM --platform=linux/arm64 reg.example/amd64-only:1.0 AS a\nFROM reg.example/arm64-only:1.0\nCOPY --from=a /x /x\n",
        options: resolved(),
        at: [[1, 29, 1, 55], [2, 6, 2, 32]],
      },
    ],
    silent: [
      { name: "offline: no image metadata", dockerfile: "FROM --platform=linux/arm64 reg.example/amd64-only:1.0\n" },
      { name: "the platform is published", dockerfile: "FROM --platform=linux/amd64 reg.example/amd64-only:1.0\n", options: resolved() },
      { name: "arm64 is arm64/v8", dockerfile: "FROM --platform=linux/arm64 reg.example/multi:1.0\n", options: resolved() },
      { name: "aarch64 is arm64", dockerfile: "FROM --platform=linux/aarch64 reg.example/arm64-only:1.0\n", options: resolved() },
      { name: "variants are not compared (as BuildKit)", dockerfile: "FROM reg.example/armv6:1.0\n", options: resolved("linux/arm/v7") },
      { name: "the target platform is published", dockerfile: "FROM reg.example/arm64-only:1.0\n", options: resolved("linux/arm64") },
      { name: "$TARGETPLATFORM is the target's", dockerfile: "FROM --platform=$TARGETPLATFORM reg.example/arm64-only:1.0\n", options: resolved("linux/arm64", "linux/amd64") },
      { name: "an image that was not looked up", dockerfile: "FROM --platform=linux/arm64 reg.example/unknown:1.0\n", options: resolved() },
      { name: "an image whose index names no platform", dockerfile: "FROM --platform=linux/arm64 reg.example/no-platforms:1.0\n", options: resolved() },
      { name: "an unset ARG in the reference", dockerfile: "ARG BASE\nFROM --platform=linux/arm64 ${BASE:-reg.example/amd64-only:1.0}$TAG\n", options: resolved() },
      { name: "an unset ARG in --platform", dockerfile: "FROM --platform=$PLATFORM reg.example/amd64-only:1.0\n", options: resolved() },
      { name: "an invalid --platform", dockerfile: "FROM --platform=linux//arm64 reg.example/amd64-only:1.0\n", options: resolved() },
      {
        name: "a stage that does not reach the target",
        dockerfile: "FROM --platform=linux/arm64 reg.example/amd64-only:1.0 AS unused\nFROM reg.example/amd64-only:1.0\n",
        options: resolved(),
      },
      {
        name: "a stage outside the chosen --target",
        dockerfile: "FROM reg.example/amd64-only:1.0 AS ok\nFROM --platform=linux/arm64 reg.example/amd64-only:1.0 AS other\n",
        options: resolved("linux/amd64", "linux/amd64", { target: "ok" }),
      },
      {
        name: "stages built FROM a stage and scratch",
        dockerfile: "FROM --platform=linux/arm64 reg.example/arm64-only:1.0 AS base\nFROM --platform=linux/arm64 base\nFROM scratch\nCOPY --from=1 /x /x\n",
        options: resolved(),
      },
    ],
  });
});
