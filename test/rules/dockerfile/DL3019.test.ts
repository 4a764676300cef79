import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3019.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM alpine:3.20\n";
describe("DL3019", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "apk add", dockerfile: `${FROM}RUN apk add curl=8.9.1-r0\n`, at: [[2, 9, 2, 12]], messages: ["add --no-cache"], fixed: `${FROM}RUN apk add --no-cache curl=8.9.1-r0\n` },
      { name: "after apk update, with rm -rf", dockerfile: `${FROM}RUN apk update && apk add --update git && rm -rf /var/cache/apk/*\n`, at: [[2, 23, 2, 26]],
        fixed: `${FROM}RUN apk update && apk add --no-cache --update git && rm -rf /var/cache/apk/*\n` },
      { name: "a cache mount elsewhere", dockerfile: `${FROM}RUN --mount=type=cache,target=/root/.cache apk add git\n`, at: [[2, 48, 2, 51]],
        fixed: `${FROM}RUN --mount=type=cache,target=/root/.cache apk add --no-cache git\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\napk add git\nEOF\n`, at: [[3, 5, 3, 8]], fixed: `${FROM}RUN <<EOF\napk add --no-cache git\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["apk", "add", "git"]\n`, at: [[2, 13, 2, 18]], fixed: `${FROM}RUN ["apk", "add", "--no-cache", "git"]\n` },
      { name: "in the stage the target is built FROM", dockerfile: "FROM alpine:3.20 AS base\nRUN apk add curl=8.9.1-r0\nFROM base\nCMD [\"sh\"]\n", at: [[2, 9, 2, 12]], fixed: "FROM alpine:3.20 AS base\nRUN apk add --no-cache curl=8.9.1-r0\nFROM base\nCMD [\"sh\"]\n" },
      { name: "in the stage chosen by the target option", dockerfile: "FROM alpine:3.20 AS dev\nRUN apk add curl=8.9.1-r0\nFROM alpine:3.20\nCMD [\"sh\"]\n", at: [[2, 9, 2, 12]], options: { target: "dev" }, fixed: "FROM alpine:3.20 AS dev\nRUN apk add --no-cache curl=8.9.1-r0\nFROM alpine:3.20\nCMD [\"sh\"]\n" },
    ],
    silent: [
      { name: "--no-cache after add", dockerfile: `${FROM}RUN apk add --no-cache git\n` },
      { name: "--no-cache before add", dockerfile: `${FROM}RUN apk --no-cache add git\n` },
      { name: "cache mount on /var/cache/apk", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apk apk add git\n` },
      { name: "cache mount on /etc/apk/cache", dockerfile: `${FROM}RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git\n` },
      { name: "tmpfs on /var/cache", dockerfile: `${FROM}RUN --mount=type=tmpfs,target=/var/cache apk add git\n` },
      { name: "--no-network downloads nothing", dockerfile: `${FROM}RUN apk add --no-network --virtual .rundeps $deps\n` },
      { name: "apk del", dockerfile: `${FROM}RUN apk del git\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "apk add git"\n` },
      // tonistiigi/xx src/ld: the cache of a stage whose files are only copied from never ships.
      { name: "a build stage only copied from", dockerfile: "FROM alpine:3.22 AS aports\nRUN apk add git\nWORKDIR /work\nFROM scratch AS patches-binutils\nCOPY --from=aports /work/aports/main/binutils/*.patch /\n" },
      { name: "a stage the target does not use", dockerfile: "FROM alpine:3.20 AS other\nRUN apk add curl=8.9.1-r0\nFROM alpine:3.20\nCMD [\"sh\"]\n" },
    ],
  });
});
