import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3041.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM fedora:40\n";
describe("DL3041", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "unversioned", dockerfile: `${FROM}RUN dnf install -y nginx && dnf clean all\n`, at: [[2, 20, 2, 25]], messages: ['"nginx" gets the newest build on build day; use nginx-<version>'] },
      { name: "microdnf and dnf5", dockerfile: `${FROM}RUN microdnf install jq && dnf5 install -y git-2.45 tar\n`, at: [[2, 22, 2, 24], [2, 53, 2, 56]] },
      { name: "the in alias", dockerfile: `${FROM}RUN dnf in -y python3-pip\n`, at: [[2, 15, 2, 26]] },
      { name: "module without a stream", dockerfile: `${FROM}RUN dnf module install -y nodejs\n`, at: [[2, 27, 2, 33]], messages: ["use nodejs:<stream>"] },
    ],
    silent: [
      { name: "versions", dockerfile: `${FROM}RUN dnf install -y nginx-1.26.1 python3-pip-23.2.1-1.fc40\n` },
      { name: "ENV version", dockerfile: `${FROM}ENV NGINX=1.26.1\nRUN dnf install -y nginx-$NGINX\n` },
      { name: "module stream", dockerfile: `${FROM}RUN dnf module install -y nodejs:20\n` },
      { name: "groups", dockerfile: `${FROM}RUN dnf group install -y "C Development Tools and Libraries" && dnf install -y @core\n` },
      { name: "rpm file", dockerfile: `${FROM}RUN dnf install -y ./app-1.0-1.x86_64.rpm\n` },
      { name: "upgrade", dockerfile: `${FROM}RUN dnf upgrade -y curl\n` },
      { name: "yum is DL3033's business", dockerfile: `${FROM}RUN yum install -y nginx\n` },
    ],
  });
});
