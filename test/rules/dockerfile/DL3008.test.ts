import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3008.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3008", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "exec form running sh -c, escapes mapped", dockerfile: 'FROM debian:12\nRUN ["/bin/sh", "-c", "apt-get update && apt-get install -y --no-install-recommends \\"curl\\" && rm -rf /var/lib/apt/lists/*"]\n', at: [[2, 85, 2, 92]] },
      { name: "one unpinned package", dockerfile: `${FROM}RUN apt-get install -y curl\n`, at: [[2, 24, 2, 28]], messages: ['"curl" gets whatever version the archive has on build day; use curl=<version>'] },
      { name: "each unpinned package, pinned ones not", dockerfile: `${FROM}RUN apt-get update && apt-get install -y curl=7.88* wget \\\n  git\n`,
        at: [[2, 53, 2, 57], [3, 3, 3, 6]], messages: ['"wget"', '"git"'] },
      { name: "-t value is not a package", dockerfile: `${FROM}RUN apt-get install -t bookworm-backports -y vim\n`, at: [[2, 46, 2, 49]] },
      { name: "behind sudo and env", dockerfile: `${FROM}RUN sudo env DEBIAN_FRONTEND=noninteractive apt-get -y install jq\n`, at: [[2, 64, 2, 66]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nset -e\napt-get install -y curl\nEOF\n`, at: [[4, 20, 4, 24]] },
      { name: "inside sh -c", dockerfile: `${FROM}RUN sh -c 'apt-get install -y curl'\n`, at: [[2, 31, 2, 35]] },
      { name: "quoted package", dockerfile: `${FROM}RUN apt-get install -y "curl"\n`, at: [[2, 24, 2, 30]] },
      { name: "exec form runs apt-get too", dockerfile: `${FROM}RUN ["apt-get", "install", "-y", "curl"]\n`, at: [[2, 34, 2, 40]] },
      { name: "a variable that expands to a bare name", dockerfile: `${FROM}ARG PKG=curl\nRUN apt-get install -y $PKG\n`, at: [[3, 24, 3, 28]], messages: ['"curl"'] },
      { name: "an ENV of the base stage", dockerfile: `FROM debian:12 AS base\nENV TOOL=git\nFROM base\nRUN apt-get install -y "\${TOOL}"\n`, at: [[4, 24, 4, 33]] },
      // docker-library/php 8.2/trixie/fpm: an unquoted variable holding several packages is split as the shell does.
      { name: "each package of an unquoted variable, on the variable", dockerfile: "FROM debian:trixie-slim\nENV PHPIZE_DEPS \\\n\t\tautoconf \\\n\t\tdpkg-dev \\\n\t\tfile=1:5.46*\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y --no-install-recommends \\\n\t\t$PHPIZE_DEPS \\\n\t\tca-certificates=20250419 \\\n\t; \\\n\tapt-get dist-clean\n",
        at: [[9, 3, 9, 15], [9, 3, 9, 15]], messages: ['"autoconf" gets', '"dpkg-dev" gets'] },
      { name: "a quoted variable stays one word", dockerfile: `${FROM}ENV PKGS="curl wget"\nRUN apt-get install -y "$PKGS"\n`, at: [[3, 24, 3, 31]], messages: ['"curl wget"'] },
      { name: "under a cache mount", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n`, at: [[2, 65, 2, 69]] },
    ],
    silent: [
      { name: "every package of an unquoted variable pinned", dockerfile: `${FROM}ENV DEPS="curl=7.88.* \\\n  wget=1.21.*"\nRUN apt-get install -y $DEPS\n` },
      { name: "options in an unquoted variable are not packages", dockerfile: `${FROM}ARG APT_OPTS="--no-install-recommends -o Dpkg::Options::=--force-confnew -y"\nRUN apt-get install $APT_OPTS curl=7.88.*\n` },
      { name: "pinned", dockerfile: `${FROM}RUN apt-get install -y curl=7.88.1-10+deb12u5\n` },
      { name: "wildcard pin", dockerfile: `${FROM}RUN apt-get install -y curl=7.88.*\n` },
      { name: "release pin and .deb files", dockerfile: `${FROM}RUN apt-get install -y vim/bookworm-backports ./local.deb /tmp/x.deb\n` },
      { name: "ARG with a version", dockerfile: `${FROM}ARG V=7.88.1-10\nRUN apt-get install -y curl=$V\n` },
      { name: "unset variable is unknown", dockerfile: `${FROM}RUN apt-get install -y curl$SUFFIX\n` },
      { name: "ARG without a value is unknown", dockerfile: `${FROM}ARG PKG\nRUN apt-get install -y "$PKG"\n` },
      { name: "command substitution is unknown", dockerfile: `${FROM}RUN apt-get install -y $(cat /pkgs)\n` },
      { name: "no packages", dockerfile: `${FROM}RUN apt-get update && apt-get install -y\n` },
      { name: "apt-get remove", dockerfile: `${FROM}RUN apt-get remove -y curl\n` },
      { name: "quoted command", dockerfile: `${FROM}RUN echo "apt-get install curl"\n` },
      { name: "a comment", dockerfile: `${FROM}RUN true # apt-get install curl\n` },
      { name: "a simulation installs nothing", dockerfile: `${FROM}RUN if apt-get install -s curl > /dev/null; then apt-get install -y --no-install-recommends curl=7.88*; fi\n` },
      { name: "-o value", dockerfile: `${FROM}RUN apt-get install -o Dpkg::Options::=--force-confold -y curl=1.0\n` },
      { name: "python heredoc", dockerfile: `${FROM}RUN <<EOF\n#!/usr/bin/env python3\nprint("apt-get install curl")\nEOF\n` },
    ],
  });
});
