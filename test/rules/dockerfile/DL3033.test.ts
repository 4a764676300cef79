import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3033.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM centos:7\n";
describe("DL3033", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "unversioned", dockerfile: `${FROM}RUN yum install -y httpd && yum clean all\n`, at: [[2, 20, 2, 25]], messages: ['"httpd" gets the newest build on build day; use httpd-<version>'] },
      { name: "a dash is not a version", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 python3-devel gcc-c++\n`, at: [[2, 32, 2, 45], [2, 46, 2, 53]] },
      { name: "module without a stream", dockerfile: `${FROM}RUN yum module install -y nodejs:18 ruby\n`, at: [[2, 37, 2, 41]], messages: ['"ruby" gets the default stream; use ruby:<stream>'] },
      { name: "option values are not packages", dockerfile: `${FROM}RUN yum --enablerepo epel install -y --setopt tsflags=nodocs jq\n`, at: [[2, 62, 2, 64]] },
      { name: "a variable holding a bare name", dockerfile: `${FROM}ARG PKG=httpd\nRUN yum install -y \${PKG}\n`, at: [[3, 20, 3, 26]] },
    ],
    silent: [
      { name: "versions", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6 httpd-tools-2.4.6-99.el7.centos.1 gcc-c++-4.8.5\n` },
      { name: "epoch and wildcard", dockerfile: `${FROM}RUN yum install -y nginx-1:1.20.1 kernel-3.10*\n` },
      { name: "rpm files and URLs", dockerfile: `${FROM}RUN yum install -y /tmp/pkg.rpm https://example.com/epel-release-latest-7.noarch.rpm\n` },
      { name: "groups", dockerfile: `${FROM}RUN yum install -y @development && yum group install -y "Development Tools" && yum groupinstall -y base\n` },
      { name: "module streams", dockerfile: `${FROM}RUN yum module install -y nodejs:18/minimal\n` },
      { name: "ARG version", dockerfile: `${FROM}ARG V=2.4.6\nRUN yum install -y httpd-\${V}\n` },
      { name: "unknown variable", dockerfile: `${FROM}RUN yum install -y httpd-$HTTPD_VERSION $EXTRA\n` },
      { name: "remove", dockerfile: `${FROM}RUN yum remove -y httpd\n` },
      { name: "dnf is DL3041's business", dockerfile: `${FROM}RUN dnf install -y httpd\n` },
    ],
  });
});
