import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3030.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM centos:7\n";
describe("DL3030", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "yum install", dockerfile: `${FROM}RUN yum install httpd-2.4.6\n`, at: [[2, 9, 2, 16]], messages: ['yum install stops at an "Is this ok [y/N]" prompt'],
        fixed: `${FROM}RUN yum install -y httpd-2.4.6\n` },
      { name: "groupinstall and localinstall", dockerfile: `${FROM}RUN yum groupinstall "Development Tools" && yum localinstall /tmp/a.rpm\n`, at: [[2, 9, 2, 21], [2, 49, 2, 61]],
        fixed: `${FROM}RUN yum groupinstall -y "Development Tools" && yum localinstall -y /tmp/a.rpm\n` },
      { name: "group install: the fix goes after install", dockerfile: `${FROM}RUN yum group install "Development Tools"\n`, at: [[2, 15, 2, 22]], messages: ["yum group install"],
        fixed: `${FROM}RUN yum group install -y "Development Tools"\n` },
      { name: "remove prompts too", dockerfile: `${FROM}RUN yum remove httpd\n`, at: [[2, 9, 2, 15]], fixed: `${FROM}RUN yum remove -y httpd\n` },
      { name: "options before the subcommand", dockerfile: `${FROM}RUN yum --enablerepo=epel --setopt tsflags=nodocs install jq-1.6\n`, at: [[2, 51, 2, 58]],
        fixed: `${FROM}RUN yum --enablerepo=epel --setopt tsflags=nodocs install -y jq-1.6\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nyum install jq-1.6\nEOF\n`, at: [[3, 5, 3, 12]], fixed: `${FROM}RUN <<EOF\nyum install -y jq-1.6\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["yum", "install", "jq-1.6"]\n`, at: [[2, 13, 2, 22]], fixed: `${FROM}RUN ["yum", "install", "-y", "jq-1.6"]\n` },
    ],
    silent: [
      { name: "-y", dockerfile: `${FROM}RUN yum install -y httpd-2.4.6\n` },
      { name: "-y before the subcommand, bundled", dockerfile: `${FROM}RUN yum -qy install httpd-2.4.6\n` },
      { name: "--assumeyes", dockerfile: `${FROM}RUN yum --assumeyes groupinstall "Development Tools"\n` },
      { name: "clean and makecache do not prompt", dockerfile: `${FROM}RUN yum clean all && yum makecache\n` },
      { name: "dnf is DL3038's business", dockerfile: `${FROM}RUN dnf install httpd\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "yum install httpd"\n` },
    ],
  });
});
