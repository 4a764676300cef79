import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD016.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const DEB = "FROM debian:12\n";
describe("DD016", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "apt-get upgrade", dockerfile: `${DEB}RUN apt-get update && apt-get upgrade -y\n`, at: [[2, 31, 2, 38]], messages: ["apt-get upgrade makes the image depend on the day it is built"] },
      { name: "dist-upgrade and full-upgrade", dockerfile: `${DEB}RUN apt-get -y dist-upgrade && apt full-upgrade -y\n`, at: [[2, 16, 2, 28], [2, 36, 2, 48]] },
      { name: "apk upgrade", dockerfile: `FROM alpine:3.20\nRUN apk upgrade --no-cache\n`, at: [[2, 9, 2, 16]], messages: ["apk upgrade"] },
      { name: "dnf and yum without packages", dockerfile: `FROM fedora:40\nRUN dnf -y upgrade && yum update -y && microdnf update\n`, at: [[2, 12, 2, 19], [2, 27, 2, 33], [2, 49, 2, 55]] },
      { name: "zypper up", dockerfile: `FROM opensuse/leap:15.6\nRUN zypper -n up\n`, at: [[2, 15, 2, 17]] },
      { name: "in a heredoc behind sudo", dockerfile: `${DEB}RUN <<EOF\nsudo apt-get -y upgrade\nEOF\n`, at: [[3, 17, 3, 24]] },
    ],
    silent: [
      { name: "install", dockerfile: `${DEB}RUN apt-get update && apt-get install -y curl=7.88.*\n` },
      { name: "dnf upgrade of one package", dockerfile: `FROM fedora:40\nRUN dnf upgrade -y openssl\n` },
      { name: "apk add --upgrade of one package", dockerfile: `FROM alpine:3.20\nRUN apk add --no-cache --upgrade openssl\n` },
      { name: "apk upgrade of one package", dockerfile: `FROM alpine:3.20\nRUN apk upgrade --no-cache openssl\n` },
      { name: "zypper dup is DL3035's", dockerfile: `FROM opensuse/leap:15.6\nRUN zypper -n dup\n` },
      { name: "zypper update of a package", dockerfile: `FROM opensuse/leap:15.6\nRUN zypper -n up openssl\n` },
      { name: "apt-get update", dockerfile: `${DEB}RUN apt-get update\n` },
      { name: "pip install --upgrade", dockerfile: `FROM python:3.12\nRUN pip install --upgrade pip==24.0\n` },
      { name: "quoted", dockerfile: `${DEB}RUN echo "apt-get upgrade"\n` },
    ],
  });
});
