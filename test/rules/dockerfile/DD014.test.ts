import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD014.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM docker:27-cli\n";
describe("DD014: VOLUME", () => {
  ruleCases(rule, {
    fires: [
      { name: "the Docker socket", dockerfile: `${FROM}VOLUME /var/run/docker.sock\n`, at: [[2, 8, 2, 28]], messages: ["Docker socket"] },
      { name: "JSON form, /run, unnormalised path", dockerfile: `${FROM}VOLUME ["/data", "/run//docker.sock"]\n`, at: [[2, 18, 2, 37]] },
      { name: "from an ARG", dockerfile: `${FROM}ARG SOCK=/var/run/docker.sock\nVOLUME $SOCK\n`, at: [[3, 8, 3, 13]], messages: ["VOLUME /var/run/docker.sock"] },
      { name: "the Podman socket", dockerfile: `${FROM}VOLUME /run/podman/podman.sock\n`, at: [[2, 8, 2, 31]], messages: ["Podman"] },
      { name: "ONBUILD VOLUME", dockerfile: `${FROM}ONBUILD VOLUME /var/run/docker.sock\n`, at: [[2, 16, 2, 36]] },
      { name: "in the stage the target is built FROM", dockerfile: `FROM docker:27-cli AS base\nVOLUME /var/run/docker.sock\nFROM base\nRUN true\n`, at: [[2, 8, 2, 28]] },
    ],
    silent: [
      { name: "other volumes", dockerfile: `${FROM}VOLUME /var/lib/app /var/run\n` },
      { name: "in a stage that is not the target's", dockerfile: `FROM docker:27-cli AS other\nVOLUME /var/run/docker.sock\nFROM debian:12\nRUN true\n` },
      { name: "an unset variable", dockerfile: `${FROM}VOLUME $SOCK\n` },
      { name: "a file that only looks alike", dockerfile: `${FROM}VOLUME /var/run/docker.sock.d\n` },
      { name: "a comment", dockerfile: `${FROM}# VOLUME /var/run/docker.sock\nVOLUME /data\n` },
    ],
  });
});

describe("DD014: RUN --mount", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "target", dockerfile: `${FROM}RUN --mount=type=bind,source=docker.sock,target=/var/run/docker.sock docker ps\n`, at: [[2, 5, 2, 69]], messages: ["target /var/run/docker.sock"] },
      { name: "dst alias, quoted CSV field", dockerfile: `${FROM}RUN --mount="type=bind,dst=/run/./docker.sock" docker ps\n`, at: [[2, 5, 2, 47]] },
      { name: "source", dockerfile: `${FROM}RUN --mount=type=bind,src=/var/run/docker.sock,target=/sock docker ps\n`, at: [[2, 5, 2, 60]], messages: ["source /var/run/docker.sock"] },
      { name: "a target from an ARG", dockerfile: `${FROM}ARG DIR=/var/run\nRUN --mount=type=bind,target=\${DIR}/docker.sock docker ps\n`, at: [[3, 5, 3, 48]] },
      { name: "in a build stage", dockerfile: `FROM docker:27-cli AS tools\nRUN --mount=type=bind,target=/var/run/docker.sock docker ps\nFROM scratch\n`, at: [[2, 5, 2, 50]] },
    ],
    silent: [
      { name: "cache mounts", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt apt-get update\n` },
      { name: "a file that only looks alike", dockerfile: `${FROM}RUN --mount=type=bind,target=/etc/docker.socket true\n` },
      { name: "docker run -v in a RUN command is not the build's mount", dockerfile: `${FROM}RUN echo docker run -v /var/run/docker.sock:/var/run/docker.sock x\n` },
      { name: "a path in another field", dockerfile: `${FROM}RUN --mount=type=secret,id=docker.sock,target=/run/secrets/x cat /run/secrets/x\n` },
    ],
  });
});
