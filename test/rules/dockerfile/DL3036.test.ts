import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3036.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM opensuse/leap:15.6\n";
describe("DL3036", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "no clean", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58\n`, at: [[2, 15, 2, 22]], messages: ["add `zypper clean` after the last zypper install"] },
      { name: "clean before the install", dockerfile: `${FROM}RUN zypper clean && zypper -n in httpd=2.4.58\n`, at: [[2, 31, 2, 33]] },
      { name: "patch downloads too", dockerfile: `${FROM}RUN zypper -n patch\n`, at: [[2, 15, 2, 20]] },
      { name: "clean in a later RUN", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58\nRUN zypper clean\n`, at: [[2, 15, 2, 22]] },
      { name: "in the stage the target is built FROM", dockerfile: "FROM opensuse/leap:15.6 AS base\nRUN zypper -n install httpd=2.4.58\nFROM base\nCMD [\"sh\"]\n", at: [[2, 15, 2, 22]] },
      { name: "in the stage chosen by the target option", dockerfile: "FROM opensuse/leap:15.6 AS dev\nRUN zypper -n install httpd=2.4.58\nFROM opensuse/leap:15.6\nCMD [\"sh\"]\n", at: [[2, 15, 2, 22]], options: { target: "dev" } },
    ],
    silent: [
      { name: "clean after", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58 && zypper clean\n` },
      { name: "cc -a after", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58 && zypper cc -a\n` },
      { name: "global options before clean", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58 && zypper -n clean --all\n` },
      { name: "rm -rf of the cache", dockerfile: `${FROM}RUN zypper -n install httpd=2.4.58 && rm -rf /var/cache/zypp/*\n` },
      { name: "cache mount", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/zypp zypper -n install httpd=2.4.58\n` },
      { name: "refresh only", dockerfile: `${FROM}RUN zypper -n refresh\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "zypper install httpd"\n` },
      { name: "a build stage only copied from", dockerfile: "FROM opensuse/leap:15.6 AS build\nRUN zypper -n install httpd=2.4.58\nFROM opensuse/leap:15.6\nCOPY --from=build /usr/bin/x /usr/bin/\n" },
      { name: "a stage the target does not use", dockerfile: "FROM opensuse/leap:15.6 AS other\nRUN zypper -n install httpd=2.4.58\nFROM opensuse/leap:15.6\nCMD [\"sh\"]\n" },
    ],
  });
});
