import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD010.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const DEB = "FROM debian:12\n";
const ALPINE = "FROM alpine:3.20\n";

describe("DD010", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      {
        name: "compiler and make from apt-get, one finding each",
        dockerfile: DEB + "RUN apt-get update && apt-get install -y --no-install-recommends gcc make ca-certificates\n",
        at: [[2, 66, 2, 69], [2, 70, 2, 74]], messages: ["gcc (a C compiler)", "make (a build tool)"],
      },
      { name: "build-base from apk", dockerfile: ALPINE + "RUN apk add --no-cache build-base\n", at: [[2, 24, 2, 34]], messages: ["build-base"] },
      {
        name: "dnf with a version and a -devel package",
        dockerfile: "FROM fedora:40\nRUN dnf install -y gcc-c++-14.1.1 python3-devel.x86_64\n",
        at: [[2, 20, 2, 34], [2, 35, 2, 55]], messages: ["gcc-c++", "python3-devel (development headers)"],
      },
      {
        name: "installed in the stage the target is built FROM",
        dockerfile: "FROM debian:12 AS base\nRUN apt-get install -y git\nFROM base\nCMD [\"app\"]\n",
        at: [[2, 24, 2, 27]], messages: ["git (a version control client)"],
      },
      {
        name: "only the purged package is gone",
        dockerfile: DEB + "RUN apt-get install -y gcc make && make && apt-get purge -y gcc\n",
        at: [[2, 28, 2, 32]], messages: ["make"],
      },
      {
        name: "a removal in a build stage does not reach the image",
        dockerfile: "FROM debian:12 AS build\nRUN apt-get install -y cmake && apt-get purge -y cmake\nFROM debian:12\nRUN apt-get install -y cmake\n",
        at: [[4, 24, 4, 29]],
      },
      {
        name: "a removal before the install does not count",
        dockerfile: ALPINE + "RUN apk del go\nRUN apk add go\n",
        at: [[3, 13, 3, 15]], messages: ["go (the Go toolchain)"],
      },
      {
        name: "versions, architectures and releases are stripped",
        dockerfile: DEB + "RUN apt-get install -y gcc-12=12.2.0-14 libssl-dev:amd64 rustc/bookworm-backports\n",
        at: [[2, 24, 2, 40], [2, 41, 2, 57], [2, 58, 2, 82]], messages: ["gcc-12 (a compiler)", "libssl-dev", "rustc"],
      },
      { name: "behind sudo", dockerfile: DEB + "RUN sudo -E apt-get install -y golang-go\n", at: [[2, 32, 2, 41]] },
      { name: "inside sh -c", dockerfile: DEB + "RUN sh -c 'apt-get install -y autoconf'\n", at: [[2, 31, 2, 39]] },
      { name: "in a heredoc", dockerfile: DEB + "RUN <<EOF\napt-get update\napt-get install -y g++\nEOF\n", at: [[4, 20, 4, 23]] },
      {
        name: "curl only used by RUN",
        dockerfile: DEB + "RUN apt-get install -y curl && curl -fsSL https://example.com/install.sh | sh\nCMD [\"app\"]\n",
        at: [[2, 24, 2, 28]], messages: ["curl is installed in the final image but no CMD, ENTRYPOINT or HEALTHCHECK uses it"],
      },
      {
        name: "the healthcheck uses wget, not curl",
        dockerfile: ALPINE + "RUN apk add curl wget\nHEALTHCHECK CMD wget -q -O- http://localhost:8080/health || exit 1\n",
        at: [[2, 13, 2, 17]], messages: ["curl"],
      },
      {
        name: "apt-mark manual keeps a package the autoremove would take",
        dockerfile: DEB + "RUN apt-get install -y gcc && apt-mark auto gcc && apt-mark manual gcc && apt-get autoremove -y\n",
        at: [[2, 24, 2, 27]],
      },
      {
        name: "the target option picks a stage with a toolchain",
        dockerfile: "FROM debian:12 AS dev\nRUN apt-get install -y clang\nFROM debian:12\nRUN true\n",
        at: [[2, 24, 2, 29]], options: { target: "dev" },
      },
      {
        name: "dnf group install of the development tools",
        dockerfile: "FROM fedora:40\nRUN dnf group install -y \"Development Tools\"\n",
        at: [[2, 26, 2, 45]],
      },
    ],
    silent: [
      {
        name: "toolchain only in a build stage that is copied from",
        dockerfile: "FROM debian:12 AS build\nRUN apt-get install -y gcc make\nRUN make\nFROM debian:12\nCOPY --from=build /app /app\n",
      },
      { name: "apk virtual group deleted", dockerfile: ALPINE + "RUN apk add --no-cache --virtual .build-deps gcc musl-dev make \\\n && make && apk del --no-cache .build-deps\n" },
      { name: "apk -t group deleted in a later RUN", dockerfile: ALPINE + "RUN apk add -t .deps build-base\nRUN make\nRUN apk del .deps\n" },
      {
        name: "the official images' apt-mark idiom",
        dockerfile: DEB + "RUN savedAptMark=\"$(apt-mark showmanual)\" \\\n && apt-get install -y gcc libffi-dev \\\n && apt-mark auto '.*' > /dev/null \\\n && apt-mark manual $savedAptMark \\\n && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\n",
      },
      { name: "purged in a later RUN", dockerfile: DEB + "RUN apt-get install -y gcc\nRUN make && apt-get purge -y gcc\n" },
      { name: "installed in the base stage, removed in the target", dockerfile: "FROM debian:12 AS base\nRUN apt-get install -y git\nFROM base\nRUN apt-get remove -y git\n" },
      { name: "dnf remove with a glob", dockerfile: "FROM fedora:40\nRUN dnf install -y openssl-devel zlib-devel && dnf remove -y '*-devel'\n" },
      { name: "curl used by the shell-form HEALTHCHECK", dockerfile: DEB + "RUN apt-get install -y curl\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n" },
      { name: "wget used by the exec-form CMD", dockerfile: ALPINE + "RUN apk add wget\nCMD [\"/usr/bin/wget\", \"-qO-\", \"http://example.com\"]\n" },
      { name: "curl in an exec-form sh -c ENTRYPOINT", dockerfile: ALPINE + "RUN apk add curl\nENTRYPOINT [\"sh\", \"-c\", \"curl -fsS $URL && exec app\"]\n" },
      { name: "curl used by the base stage's CMD", dockerfile: "FROM alpine:3.20 AS base\nCMD curl -fsS http://example.com\nFROM base\nRUN apk add curl\n" },
      { name: "runtime libraries and look-alike names", dockerfile: DEB + "RUN apt-get install -y libssl3 ca-certificates udev libdevmapper1.02.1 gccgo-doc-not-a-compiler\n" },
      { name: "package names in quoted text and comments", dockerfile: DEB + "RUN echo \"apt-get install -y gcc\" # apt-get install -y make\n" },
      { name: "exec form: the package is an argument of echo", dockerfile: DEB + "RUN [\"echo\", \"apt-get install -y gcc\"]\n" },
      { name: "packages in a variable are unknown", dockerfile: DEB + "ARG BUILD_DEPS=\"gcc make\"\nRUN apt-get install -y $BUILD_DEPS\n" },
      { name: "apt-get source or download is no install", dockerfile: DEB + "RUN apt-get download gcc && apt-get source make\n" },
      { name: "a stage the target does not use", dockerfile: "FROM debian:12 AS tools\nRUN apt-get install -y gcc\nFROM debian:12\nRUN true\n" },
      { name: "installed from a local .deb file", dockerfile: DEB + "COPY gcc.deb /tmp/\nRUN apt-get install -y /tmp/gcc.deb ./make.deb\n" },
    ],
  });
});
