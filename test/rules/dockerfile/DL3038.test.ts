import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3038.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM fedora:40\n";
describe("DL3038", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "dnf install", dockerfile: `${FROM}RUN dnf install nginx-1.26.1\n`, at: [[2, 9, 2, 16]], messages: ['dnf install stops at an "Is this ok [y/N]" prompt'],
        fixed: `${FROM}RUN dnf install -y nginx-1.26.1\n` },
      { name: "the in alias and dnf5", dockerfile: `${FROM}RUN dnf in jq-1.7 && dnf5 install git-2.45\n`, at: [[2, 9, 2, 11], [2, 27, 2, 34]],
        fixed: `${FROM}RUN dnf in -y jq-1.7 && dnf5 install -y git-2.45\n` },
      { name: "module install", dockerfile: `${FROM}RUN dnf module install nodejs:20\n`, at: [[2, 16, 2, 23]], messages: ["dnf module install"],
        fixed: `${FROM}RUN dnf module install -y nodejs:20\n` },
      { name: "upgrade and remove", dockerfile: `${FROM}RUN dnf upgrade curl && dnf remove vim-minimal\n`, at: [[2, 9, 2, 16], [2, 29, 2, 35]],
        fixed: `${FROM}RUN dnf upgrade -y curl && dnf remove -y vim-minimal\n` },
      { name: "behind sudo", dockerfile: `${FROM}RUN sudo dnf install jq-1.7\n`, at: [[2, 14, 2, 21]], fixed: `${FROM}RUN sudo dnf install -y jq-1.7\n` },
    ],
    silent: [
      { name: "-y", dockerfile: `${FROM}RUN dnf install -y nginx-1.26.1\n` },
      { name: "--assumeyes before the subcommand", dockerfile: `${FROM}RUN dnf --assumeyes install nginx-1.26.1\n` },
      { name: "microdnf never prompts", dockerfile: `FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install nginx-1.20.1\n` },
      { name: "clean", dockerfile: `${FROM}RUN dnf clean all\n` },
      { name: "yum is DL3030's business", dockerfile: `${FROM}RUN yum install nginx\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "dnf install nginx"\n` },
    ],
  });
});
