import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3035.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM opensuse/tumbleweed\n";
describe("DL3035", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "dist-upgrade", dockerfile: `${FROM}RUN zypper -n dist-upgrade\n`, at: [[2, 15, 2, 27]], messages: ["Do not use zypper dist-upgrade"] },
      { name: "dup with options", dockerfile: `${FROM}RUN zypper --non-interactive dup --no-recommends && zypper clean\n`, at: [[2, 30, 2, 33]], messages: ["zypper dup"] },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nzypper -n dup\nEOF\n`, at: [[3, 11, 3, 14]] },
    ],
    silent: [
      { name: "install", dockerfile: `${FROM}RUN zypper -n install curl=8.8.0\n` },
      { name: "update is DD016's", dockerfile: `${FROM}RUN zypper -n up\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "zypper dup"\n` },
      { name: "an argument", dockerfile: `${FROM}RUN zypper -n install dup\n` },
    ],
  });
});
