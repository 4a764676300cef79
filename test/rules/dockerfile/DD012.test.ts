import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD012.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const DEB = "FROM debian:12\n";

describe("DD012", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "apt-get install sudo", dockerfile: DEB + "RUN apt-get update && apt-get install -y sudo curl\n", at: [[2, 42, 2, 46]], messages: ["sudo is installed in the final image"] },
      { name: "apk add sudo", dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache sudo\n", at: [[2, 24, 2, 28]] },
      { name: "doas on Alpine", dockerfile: "FROM alpine:3.20\nRUN apk add doas\n", at: [[2, 13, 2, 17]], messages: ["doas"] },
      { name: "yum install with a version", dockerfile: "FROM rockylinux:9\nRUN yum install -y sudo-1.9.5p2\n", at: [[2, 20, 2, 32]] },
      { name: "dnf install", dockerfile: "FROM fedora:40\nRUN dnf -y install sudo\n", at: [[2, 20, 2, 24]] },
      { name: "zypper", dockerfile: "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install sudo\n", at: [[2, 38, 2, 42]] },
      { name: "in the stage the target is built FROM", dockerfile: "FROM debian:12 AS base\nRUN apt-get install -y sudo\nFROM base\nUSER app\n", at: [[2, 24, 2, 28]] },
      { name: "in a heredoc", dockerfile: DEB + "RUN <<EOF\napt-get install -y sudo\nEOF\n", at: [[3, 20, 3, 24]] },
      { name: "with a version pin", dockerfile: DEB + "RUN apt-get install -y sudo=1.9.13p3-1+deb12u1\n", at: [[2, 24, 2, 47]] },
    ],
    silent: [
      { name: "only in a build stage", dockerfile: "FROM debian:12 AS build\nRUN apt-get install -y sudo\nFROM debian:12\nCOPY --from=build /out /out\n" },
      { name: "removed later in the image", dockerfile: DEB + "RUN apt-get install -y sudo\nRUN apt-get purge -y sudo\n" },
      { name: "gosu instead", dockerfile: DEB + "RUN apt-get install -y gosu\n" },
      { name: "using sudo is DL3004's business", dockerfile: DEB + "RUN sudo apt-get install -y curl\n" },
      { name: "quoted and commented", dockerfile: DEB + "RUN echo 'apt-get install -y sudo' # apt-get install sudo\n" },
      { name: "exec form argument", dockerfile: DEB + "RUN [\"echo\", \"install\", \"sudo\"]\n" },
      { name: "packages from a variable", dockerfile: DEB + "ARG PKGS=sudo\nRUN apt-get install -y $PKGS\n" },
      { name: "a package whose name starts with sudo", dockerfile: DEB + "RUN apt-get install -y sudoku\n" },
    ],
  });
});
