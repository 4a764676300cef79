import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3040.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM fedora:40\n";
describe("DL3040", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "no clean", dockerfile: `${FROM}RUN dnf install -y nginx-1.26.1\n`, at: [[2, 9, 2, 16]], messages: ["add `dnf clean all` after the last dnf install"] },
      { name: "microdnf", dockerfile: `${FROM}RUN microdnf install nginx-1.20.1\n`, at: [[2, 14, 2, 21]], messages: ["microdnf clean all"] },
      { name: "microdnf clean does not clean dnf's cache", dockerfile: `${FROM}RUN dnf install -y a-1 && microdnf clean all\n`, at: [[2, 9, 2, 16]] },
      { name: "upgrade downloads too", dockerfile: `${FROM}RUN dnf -y upgrade && dnf -y in jq-1.7\n`, at: [[2, 30, 2, 32]] },
      { name: "clean first", dockerfile: `${FROM}RUN dnf clean all && dnf5 install -y jq-1.7\n`, at: [[2, 27, 2, 34]] },
      { name: "in sh -c", dockerfile: `${FROM}RUN sh -c 'dnf install -y jq-1.7'\n`, at: [[2, 16, 2, 23]] },
      { name: "in the stage the target is built FROM", dockerfile: "FROM fedora:40 AS base\nRUN dnf install -y nginx-1.26.1\nFROM base\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]] },
      { name: "in the stage chosen by the target option", dockerfile: "FROM fedora:40 AS dev\nRUN dnf install -y nginx-1.26.1\nFROM fedora:40\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]], options: { target: "dev" } },
    ],
    silent: [
      { name: "clean all", dockerfile: `${FROM}RUN dnf install -y nginx-1.26.1 && dnf clean all\n` },
      { name: "microdnf clean all", dockerfile: `${FROM}RUN microdnf install nginx-1.20.1 && microdnf clean all\n` },
      { name: "rm of the dnf5 cache", dockerfile: `${FROM}RUN dnf5 install -y jq-1.7 && rm -rf /var/cache/libdnf5*\n` },
      { name: "rm of the dnf cache", dockerfile: `${FROM}RUN dnf install -y jq-1.7; rm -rf /var/cache/dnf/*\n` },
      { name: "cache mounts", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/dnf dnf install -y jq-1.7 && dnf5 install -y x-1\n` },
      { name: "user cache of dnf5", dockerfile: `${FROM}RUN --mount=type=cache,target=/home/u/.cache/libdnf5 dnf5 install -y jq-1.7\n` },
      { name: "tmpfs for microdnf", dockerfile: `${FROM}RUN --mount=type=tmpfs,target=/var/cache/yum microdnf install jq-1.6\n` },
      { name: "remove fills no cache", dockerfile: `${FROM}RUN dnf remove -y vim-minimal\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "dnf install nginx"\n` },
      { name: "a build stage only copied from", dockerfile: "FROM fedora:40 AS build\nRUN dnf install -y nginx-1.26.1\nFROM fedora:40\nCOPY --from=build /usr/bin/x /usr/bin/\n" },
      { name: "a stage the target does not use", dockerfile: "FROM fedora:40 AS other\nRUN dnf install -y nginx-1.26.1\nFROM fedora:40\nCMD [\"sh\"]\n" },
    ],
  });
});
