import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DuplicateStageName.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DuplicateStageName", () => {
  ruleCases(rule, {
    fires: [
      { name: "same name twice", dockerfile: "FROM debian:12 AS builder\nFROM golang:1.22 AS builder\n", at: [[2, 21, 2, 28]], messages: ['Duplicate stage name "builder", stage names should be unique'] },
      { name: "compared in lower case", dockerfile: "FROM alpine AS a\nFROM alpine AS A\n", at: [[2, 16, 2, 17]], messages: ['"a"'] },
      { name: "every repeat", dockerfile: "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS a\nFROM alpine AS a\n", at: [[3, 16, 3, 17], [4, 16, 4, 17]] },
    ],
    silent: [
      { name: "unique names", dockerfile: "FROM debian:12 AS deb-builder\nFROM golang:1.22 AS go-builder\n" },
      { name: "unnamed stages", dockerfile: "FROM alpine\nFROM alpine\n" },
      { name: "stage name equal to an image", dockerfile: "FROM alpine AS alpine\nFROM alpine\n" },
    ],
  });
});
