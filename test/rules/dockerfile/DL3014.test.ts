import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3014.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3014", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "second command of an && chain", dockerfile: `${FROM}RUN apt-get update && apt-get install curl\n`,
        at: [[2, 31, 2, 38]], messages: ["apt-get install stops at a confirmation prompt"], fixed: `${FROM}RUN apt-get update && apt-get install -y curl\n` },
      { name: "after a line continuation", dockerfile: `${FROM}RUN apt-get update \\\n && apt-get install \\\n  curl\n`,
        at: [[3, 13, 3, 20]], fixed: `${FROM}RUN apt-get update \\\n && apt-get install -y \\\n  curl\n` },
      { name: "a single -q is not enough", dockerfile: `${FROM}RUN apt-get -q install curl\n`, at: [[2, 16, 2, 23]], fixed: `${FROM}RUN apt-get -q install -y curl\n` },
      { name: "remove prompts too", dockerfile: `${FROM}RUN apt-get remove --purge curl\n`, at: [[2, 13, 2, 19]], messages: ["apt-get remove"], fixed: `${FROM}RUN apt-get remove -y --purge curl\n` },
      { name: "inside sh -c", dockerfile: `${FROM}RUN sh -c "apt-get install curl"\n`, at: [[2, 20, 2, 27]], fixed: `${FROM}RUN sh -c "apt-get install -y curl"\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\napt-get update\napt-get install curl\nEOF\n`, at: [[4, 9, 4, 16]], fixed: `${FROM}RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["apt-get", "install", "curl"]\n`, at: [[2, 17, 2, 26]], fixed: `${FROM}RUN ["apt-get", "install", "-y", "curl"]\n` },
      { name: "-o with another option", dockerfile: `${FROM}RUN apt-get -o Dpkg::Use-Pty=0 install curl\n`, at: [[2, 32, 2, 39]], fixed: `${FROM}RUN apt-get -o Dpkg::Use-Pty=0 install -y curl\n` },
    ],
    silent: [
      { name: "-y after install", dockerfile: `${FROM}RUN apt-get install -y curl\n` },
      { name: "-y in a bundle before install", dockerfile: `${FROM}RUN apt-get -qy install curl\n` },
      { name: "--yes and --assume-yes", dockerfile: `${FROM}RUN apt-get install --yes curl && apt-get --assume-yes install wget\n` },
      { name: "-qq implies -y", dockerfile: `${FROM}RUN apt-get -qq install curl\n` },
      { name: "-q -q", dockerfile: `${FROM}RUN apt-get -q -q install curl\n` },
      { name: "-q=2", dockerfile: `${FROM}RUN apt-get -q=2 install curl\n` },
      { name: "--quiet=2", dockerfile: `${FROM}RUN apt-get --quiet=2 install curl\n` },
      { name: "Assume-Yes option", dockerfile: `${FROM}RUN apt-get -o APT::Get::Assume-Yes=true install curl\n` },
      { name: "a simulation installs nothing", dockerfile: `${FROM}RUN if apt-get install -s curl > /dev/null; then apt-get install -y --no-install-recommends curl=7.88*; fi\n` },
      { name: "update does not prompt", dockerfile: `${FROM}RUN apt-get update\n` },
      { name: "apt is DL3027's business", dockerfile: `${FROM}RUN apt install curl\n` },
      { name: "quoted words are not commands", dockerfile: `${FROM}RUN echo "apt-get install curl"\n` },
    ],
  });
});
