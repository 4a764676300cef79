import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3006.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3006", () => {
  ruleCases(rule, {
    fires: [
      { name: "no tag", dockerfile: "FROM debian\n", at: [[1, 6, 1, 12]], messages: ['"debian" has no tag'] },
      { name: "registry with a port, no tag", dockerfile: "FROM localhost:5000/team/app\n", at: [[1, 6, 1, 29]] },
      { name: "ARG default without a tag", dockerfile: "ARG BASE=ubuntu\nFROM ${BASE}\n", at: [[2, 6, 2, 13]], messages: ['"ubuntu"'] },
      { name: "second stage untagged", dockerfile: "FROM golang:1.22 AS build\nFROM alpine AS run\n", at: [[2, 6, 2, 12]] },
    ],
    silent: [
      { name: "tagged", dockerfile: "FROM debian:12\n" },
      { name: "digest", dockerfile: "FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000\n" },
      { name: "tag from an ARG", dockerfile: "ARG V=12\nFROM debian:${V}\n" },
      { name: "ARG without default", dockerfile: "ARG IMAGE\nFROM $IMAGE\n" },
      { name: "scratch", dockerfile: "FROM scratch\n" },
      { name: "earlier stage", dockerfile: "FROM debian:12 AS base\nFROM base\n" },
      { name: "earlier stage named in another case", dockerfile: "FROM debian:12 AS Base\nFROM base\n" },
      { name: "registry port and tag", dockerfile: "FROM localhost:5000/app:1.0\n" },
    ],
  });
});
