import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3024.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3024", () => {
  ruleCases(rule, {
    fires: [
      { name: "same name twice", dockerfile: "FROM golang:1.22 AS build\nFROM node:22 AS build\n", at: [[2, 17, 2, 22]], messages: ["line 1"] },
      { name: "names differ only in case (BuildKit lowercases them)", dockerfile: "FROM golang:1.22 AS build\nFROM node:22 as Build\n", at: [[2, 17, 2, 22]] },
      { name: "three times, one unrelated", dockerfile: "FROM a:1 AS x\nFROM b:1 AS y\nFROM c:1 AS x\nFROM d:1 AS x\n", at: [[3, 13, 3, 14], [4, 13, 4, 14]] },
    ],
    silent: [
      { name: "distinct names", dockerfile: "FROM golang:1.22 AS build-go\nFROM node:22 AS build-web\n" },
      { name: "unnamed stages", dockerfile: "FROM debian:12\nFROM debian:12\n" },
      { name: "a stage named like the image of another", dockerfile: "FROM debian:12 AS debian\nFROM debian\n" },
    ],
  });
});
