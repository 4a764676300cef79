import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3064.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DL3064", () => {
  ruleCases(rule, {
    fires: [
      { name: "well-known ARG", dockerfile: `${FROM}ARG NPM_TOKEN\n`, at: [[2, 5, 2, 14]], messages: ["well-known credential variable"] },
      { name: "well-known ENV, any case", dockerfile: `${FROM}ENV github_token=abc\n`, at: [[2, 5, 2, 17]] },
      { name: "suspicious part", dockerfile: `${FROM}ARG DB_PASSWORD=changeme\n`, at: [[2, 5, 2, 16]], messages: ['contains "password"'] },
      // devcontainers/images: hadolint's list has "username", so parity reports a login name too (documented).
      { name: "USERNAME, as hadolint does", dockerfile: "FROM mcr.microsoft.com/devcontainers/base:bookworm\nARG USERNAME=vscode\n", at: [[2, 5, 2, 13]], messages: ['"USERNAME" contains "username"'] },
      { name: "second of several ENV pairs", dockerfile: `${FROM}ENV APP=1 SIGNING_SECRET=x\n`, at: [[2, 11, 2, 25]] },
      { name: "second ARG declaration", dockerfile: `${FROM}ARG A=1 API_KEY\n`, at: [[2, 9, 2, 16]] },
      { name: "global ARG and ONBUILD ENV", dockerfile: `ARG PRIVATE_KEY\n${FROM}ONBUILD ENV AUTH_TOKEN=x\n`, at: [[1, 5, 1, 16], [3, 13, 3, 23]] },
    ],
    silent: [
      { name: "ordinary names", dockerfile: `${FROM}ARG NODE_VERSION=22\nENV NODE_ENV=production PATH=/app/bin:$PATH\n` },
      { name: "secret mounted, not passed", dockerfile: `${FROM}RUN --mount=type=secret,id=npm_token npm ci\n` },
      { name: "the word in a value", dockerfile: `${FROM}ENV HINT=password\n` },
    ],
  });
});
