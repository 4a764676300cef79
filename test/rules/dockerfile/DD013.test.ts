import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD013.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const DEB = "FROM debian:12\n";

describe("DD013 packages", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "openssh-server", dockerfile: DEB + "RUN apt-get install -y --no-install-recommends openssh-server\n", at: [[2, 48, 2, 62]], messages: ["openssh-server puts an SSH server in the image"] },
      { name: "Debian's ssh metapackage", dockerfile: DEB + "RUN apt-get install -y ssh\n", at: [[2, 24, 2, 27]] },
      { name: "Alpine's openssh", dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache openssh\n", at: [[2, 24, 2, 31]] },
      { name: "dropbear", dockerfile: "FROM alpine:3.20\nRUN apk add dropbear\n", at: [[2, 13, 2, 21]] },
      { name: "rpm openssh-server", dockerfile: "FROM rockylinux:9\nRUN dnf install -y openssh-server openssh-clients\n", at: [[2, 20, 2, 34]] },
      { name: "and EXPOSE 22, in order found", dockerfile: DEB + "RUN apt-get install -y openssh-server\nEXPOSE 22\n", at: [[2, 24, 2, 38], [3, 8, 3, 10]] },
    ],
    silent: [
      { name: "the client only", dockerfile: DEB + "RUN apt-get install -y openssh-client\n" },
      { name: "Fedora's openssh is not the server", dockerfile: "FROM fedora:40\nRUN dnf install -y openssh\n" },
      { name: "Alpine's ssh is no package name we know", dockerfile: "FROM alpine:3.20\nRUN apk add openssh-client\n" },
      { name: "only in a build stage", dockerfile: "FROM debian:12 AS build\nRUN apt-get install -y openssh-server\nFROM debian:12\nCOPY --from=build /x /x\n" },
      { name: "removed later", dockerfile: DEB + "RUN apt-get install -y openssh-server && apt-get purge -y openssh-server\n" },
      { name: "quoted", dockerfile: DEB + "RUN echo \"apt-get install -y openssh-server\"\n" },
    ],
  });
});

describe("DD013 EXPOSE", () => {
  ruleCases(rule, {
    fires: [
      { name: "EXPOSE 22", dockerfile: DEB + "EXPOSE 80 22\n", at: [[2, 11, 2, 13]], messages: ["EXPOSE 22 publishes the SSH port"] },
      { name: "22/tcp", dockerfile: DEB + "EXPOSE 22/tcp\n", at: [[2, 8, 2, 14]] },
      { name: "a range holding 22", dockerfile: DEB + "EXPOSE 20-30\n", at: [[2, 8, 2, 13]] },
      { name: "from an ARG", dockerfile: DEB + "ARG SSH_PORT=22\nEXPOSE ${SSH_PORT}\n", at: [[3, 8, 3, 19]] },
      { name: "in the stage the target is built FROM", dockerfile: "FROM debian:12 AS base\nEXPOSE 22\nFROM base\n", at: [[2, 8, 2, 10]] },
    ],
    silent: [
      { name: "other ports", dockerfile: DEB + "EXPOSE 80 443 2222 8022/tcp\n" },
      { name: "22/udp is not SSH", dockerfile: DEB + "EXPOSE 22/udp\n" },
      { name: "EXPOSE 22 in a build stage is not the image's", dockerfile: "FROM debian:12 AS build\nEXPOSE 22\nFROM debian:12\nEXPOSE 8080\n" },
      { name: "an ARG without value", dockerfile: DEB + "ARG PORT\nEXPOSE ${PORT}\n" },
      { name: "ONBUILD EXPOSE is the child's", dockerfile: DEB + "ONBUILD EXPOSE 22\n" },
    ],
  });
});
