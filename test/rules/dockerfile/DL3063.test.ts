import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3063.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3063", () => {
  ruleCases(rule, {
    fires: [
      { name: "scratch", dockerfile: "FROM alpine:3.20 AS scratch\n", at: [[1, 21, 1, 28]], messages: ["the empty base image"] },
      { name: "context", dockerfile: "FROM alpine:3.20 AS context\n", at: [[1, 21, 1, 28]], messages: ["the build context"] },
      { name: "any case (BuildKit lowercases stage names)", dockerfile: "FROM alpine:3.20 as Scratch\n", at: [[1, 21, 1, 28]] },
    ],
    silent: [
      { name: "ordinary name", dockerfile: "FROM alpine:3.20 AS base\n" },
      { name: "FROM scratch itself", dockerfile: "FROM scratch\n" },
      { name: "names that contain the words", dockerfile: "FROM alpine:3.20 AS scratch-base\nFROM alpine:3.20 AS build-context\n" },
    ],
  });
});
