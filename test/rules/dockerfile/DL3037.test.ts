import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3037.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM opensuse/leap:15.6\n";
describe("DL3037", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "unversioned", dockerfile: `${FROM}RUN zypper -n install curl\n`, at: [[2, 23, 2, 27]], messages: ['"curl" gets the newest build on build day; use curl=<version>'] },
      { name: "only the unversioned", dockerfile: `${FROM}RUN zypper -n in curl=8.8.0 git 'vim>=9'\n`, at: [[2, 29, 2, 32]] },
      { name: "repository option value", dockerfile: `${FROM}RUN zypper -n install -r repo-oss --from repo-update httpd\n`, at: [[2, 54, 2, 59]] },
      { name: "type package", dockerfile: `${FROM}RUN zypper -n install -t package httpd\n`, at: [[2, 34, 2, 39]] },
      { name: "variable holding a bare name", dockerfile: `${FROM}ENV PKG=httpd\nRUN zypper -n install $PKG\n`, at: [[3, 23, 3, 27]] },
    ],
    silent: [
      { name: "=", dockerfile: `${FROM}RUN zypper -n install curl=8.8.0\n` },
      { name: "ranges", dockerfile: `${FROM}RUN zypper -n install 'git>=2.45' "vim<10" "a>1" "b<=2"\n` },
      { name: "rpm files", dockerfile: `${FROM}RUN zypper -n install /tmp/app-1.0.rpm https://example.com/x.rpm\n` },
      { name: "patterns", dockerfile: `${FROM}RUN zypper -n install -t pattern devel_basis\n` },
      { name: "ARG version", dockerfile: `${FROM}ARG V=8.8.0\nRUN zypper -n install curl=\${V}\n` },
      { name: "remove", dockerfile: `${FROM}RUN zypper -n rm curl\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "zypper install curl"\n` },
    ],
  });
});
