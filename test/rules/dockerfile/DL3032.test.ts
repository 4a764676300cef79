import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3032.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM centos:7\n";
describe("DL3032", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "no clean", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6\n`, at: [[2, 9, 2, 16]], messages: ["add `yum clean all` after the last yum install"] },
      { name: "clean before the install", dockerfile: `${FROM}RUN yum clean all && yum install -y httpd-2.4.6\n`, at: [[2, 26, 2, 33]] },
      { name: "clean of something else", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 && yum clean packages\n`, at: [[2, 9, 2, 16]] },
      { name: "clean in a later RUN", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6\nRUN yum clean all\n`, at: [[2, 9, 2, 16]] },
      { name: "the last install counts", dockerfile: `${FROM}RUN yum install -y a-1 && yum clean all && yum update -y\n`, at: [[2, 48, 2, 54]], messages: ["after the last yum update"] },
      { name: "group install", dockerfile: `${FROM}RUN yum -y group install "Development Tools"\n`, at: [[2, 18, 2, 25]] },
      { name: "a cache mount elsewhere", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt yum install -y jq-1.6\n`, at: [[2, 50, 2, 57]] },
      { name: "in the stage the target is built FROM", dockerfile: "FROM centos:7 AS base\nRUN yum install -y httpd-2.4.6\nFROM base\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]] },
      { name: "in the stage chosen by the target option", dockerfile: "FROM centos:7 AS dev\nRUN yum install -y httpd-2.4.6\nFROM centos:7\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]], options: { target: "dev" } },
    ],
    silent: [
      { name: "clean all after", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 && yum clean all\n` },
      { name: "rm -rf of the cache", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum\n` },
      { name: "rm -rf of its contents", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum/*\n` },
      { name: "dnf clean all where yum is dnf", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 && dnf clean all\n` },
      { name: "cache mount", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n` },
      { name: "tmpfs on /var/cache/dnf", dockerfile: `${FROM}RUN --mount=type=tmpfs,target=/var/cache/dnf yum install -y httpd-2.4.6\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nyum install -y httpd-2.4.6\nyum clean all\nEOF\n` },
      { name: "remove fills no cache", dockerfile: `${FROM}RUN yum remove -y httpd\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "yum install -y httpd"\n` },
      { name: "a build stage only copied from", dockerfile: "FROM centos:7 AS build\nRUN yum install -y httpd-2.4.6\nFROM centos:7\nCOPY --from=build /usr/bin/x /usr/bin/\n" },
      { name: "a stage the target does not use", dockerfile: "FROM centos:7 AS other\nRUN yum install -y httpd-2.4.6\nFROM centos:7\nCMD [\"sh\"]\n" },
    ],
  });
});
