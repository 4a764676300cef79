import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3009.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const INSTALL = "apt-get install -y curl=7.88*";
describe("DL3009", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "update without cleanup", dockerfile: `${FROM}RUN apt-get update && ${INSTALL}\n`, at: [[2, 13, 2, 19]], messages: ["apt-get update leaves the package lists in the image"] },
      { name: "rm before the update does not count", dockerfile: `${FROM}RUN rm -rf /var/lib/apt/lists/* && apt-get update && ${INSTALL}\n`, at: [[2, 44, 2, 50]] },
      { name: "the last of two updates", dockerfile: `${FROM}RUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get update\n`, at: [[2, 62, 2, 68]] },
      { name: "cleanup in a later RUN is too late", dockerfile: `${FROM}RUN apt-get update && ${INSTALL}\nRUN rm -rf /var/lib/apt/lists/*\n`, at: [[2, 13, 2, 19]] },
      { name: "apt update", dockerfile: `${FROM}RUN apt update\n`, at: [[2, 9, 2, 15]], messages: ["apt update"] },
      { name: "a cache mount of /var/cache/apt does not hold the lists", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt apt-get update && ${INSTALL}\n`, at: [[2, 54, 2, 60]] },
      { name: "a bind mount keeps nothing out", dockerfile: `${FROM}RUN --mount=type=bind,target=/var/lib/apt/lists apt-get update\n`, at: [[2, 57, 2, 63]] },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\napt-get update\n${INSTALL}\nEOF\n`, at: [[3, 9, 3, 15]] },
      { name: "in the stage the target is built FROM", dockerfile: `${FROM.trimEnd()} AS base\nRUN apt-get update\nFROM base\nUSER app\n`, at: [[2, 13, 2, 19]] },
      { name: "dist-clean before the update does not count", dockerfile: `${FROM}RUN apt-get dist-clean && apt-get update\n`, at: [[2, 35, 2, 41]] },
      { name: "apt-get clean keeps the lists", dockerfile: `${FROM}RUN apt-get update && ${INSTALL} && apt-get clean\n`, at: [[2, 13, 2, 19]] },
      { name: "target option selects the stage", dockerfile: `FROM debian:12 AS dev\nRUN apt-get update\nFROM debian:12\nRUN true\n`, at: [[2, 13, 2, 19]], options: { target: "dev" } },
    ],
    silent: [
      { name: "rm -rf after", dockerfile: `${FROM}RUN apt-get update && ${INSTALL} && rm -rf /var/lib/apt/lists/*\n` },
      { name: "rm of the directory itself", dockerfile: `${FROM}RUN apt-get update && ${INSTALL}; rm -r /var/lib/apt/lists\n` },
      { name: "rm with other paths, on a continuation line", dockerfile: `${FROM}RUN apt-get update \\\n && ${INSTALL} \\\n && rm -rf /tmp/* /var/lib/apt/lists/*\n` },
      { name: "cache mount on the lists", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && ${INSTALL}\n` },
      { name: "cache mounts on /var/lib/apt and /var/cache/apt", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && ${INSTALL}\n` },
      { name: "tmpfs mount, dst spelling", dockerfile: `${FROM}RUN --mount=type=tmpfs,dst=/var/lib/apt/lists/ apt-get update\n` },
      { name: "mount target from an ARG", dockerfile: `${FROM}ARG LISTS=/var/lib/apt/lists\nRUN --mount=type=cache,target=\${LISTS} apt-get update\n` },
      { name: "a build stage only copied from", dockerfile: `FROM debian:12 AS build\nRUN apt-get update && ${INSTALL}\nFROM debian:12\nCOPY --from=build /usr/bin/curl /usr/bin/\n` },
      { name: "a stage the target does not use", dockerfile: `FROM debian:12 AS other\nRUN apt-get update\nFROM debian:12\nRUN true\n` },
      // docker-library/php 8.2/trixie/fpm: apt ≥ 2.7 deletes the lists with dist-clean.
      { name: "apt-get dist-clean after", dockerfile: "FROM debian:trixie-slim\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y --no-install-recommends ca-certificates curl; \\\n\tapt-get dist-clean\n" },
      { name: "apt dist-clean after", dockerfile: `${FROM}RUN apt update && apt dist-clean\n` },
      // microsoft/vscode-dev-containers build/patch: the cleanup inside `sudo bash -c "..."`.
      { name: "rm inside sudo bash -c", dockerfile: `${FROM}RUN sudo apt-get update && sudo bash -c "apt-get upgrade -yq \\\n  && apt-get clean -y \\\n  && rm -rf /var/lib/apt/lists/*"\n` },
      { name: "install without update", dockerfile: `${FROM}RUN ${INSTALL}\n` },
      { name: "apt-cache is not apt-get", dockerfile: `${FROM}RUN apt-cache update\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "apt-get update"\n` },
    ],
  });
});
