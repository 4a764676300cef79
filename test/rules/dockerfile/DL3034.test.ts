import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3034.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM opensuse/leap:15.6\n";
describe("DL3034", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "zypper install", dockerfile: `${FROM}RUN zypper install httpd=2.4.58\n`, at: [[2, 5, 2, 11]], messages: ["zypper install waits for an answer"],
        fixed: `${FROM}RUN zypper -n install httpd=2.4.58\n` },
      { name: "aliases in and rm", dockerfile: `${FROM}RUN zypper in curl=8.8.0 && zypper rm vim\n`, at: [[2, 5, 2, 11], [2, 29, 2, 35]],
        fixed: `${FROM}RUN zypper -n in curl=8.8.0 && zypper -n rm vim\n` },
      { name: "-n after install means --name", dockerfile: `${FROM}RUN zypper install -n curl=8.8.0\n`, at: [[2, 5, 2, 11]], fixed: `${FROM}RUN zypper -n install -n curl=8.8.0\n` },
      { name: "patch and update", dockerfile: `${FROM}RUN zypper patch && zypper --gpg-auto-import-keys up\n`, at: [[2, 5, 2, 11], [2, 21, 2, 27]],
        fixed: `${FROM}RUN zypper -n patch && zypper -n --gpg-auto-import-keys up\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nzypper install curl=8.8.0\nEOF\n`, at: [[3, 1, 3, 7]], fixed: `${FROM}RUN <<EOF\nzypper -n install curl=8.8.0\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["zypper", "install", "curl=8.8.0"]\n`, at: [[2, 6, 2, 14]], fixed: `${FROM}RUN ["zypper", "-n", "install", "curl=8.8.0"]\n` },
    ],
    silent: [
      { name: "-n", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58\n` },
      { name: "--non-interactive", dockerfile: `${FROM}RUN zypper --non-interactive in httpd=2.4.58\n` },
      { name: "-y after the subcommand", dockerfile: `${FROM}RUN zypper install -y httpd=2.4.58 && zypper rm --no-confirm vim\n` },
      { name: "-n in a bundle of global options", dockerfile: `${FROM}RUN zypper -qn install httpd=2.4.58\n` },
      { name: "refresh and clean do not prompt", dockerfile: `${FROM}RUN zypper refresh && zypper clean -a\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "zypper install httpd"\n` },
    ],
  });
});
