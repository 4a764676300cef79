import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3015.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3015", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "install without the flag", dockerfile: `${FROM}RUN apt-get update && apt-get install -y curl\n`, at: [[2, 31, 2, 38]],
        messages: ["add --no-install-recommends"], fixed: `${FROM}RUN apt-get update && apt-get install --no-install-recommends -y curl\n` },
      { name: "flags before install", dockerfile: `${FROM}RUN apt-get -y install curl\n`, at: [[2, 16, 2, 23]], fixed: `${FROM}RUN apt-get -y install --no-install-recommends curl\n` },
      { name: "Install-Recommends=true is not false", dockerfile: `${FROM}RUN apt-get -o APT::Install-Recommends=true install -y curl\n`, at: [[2, 45, 2, 52]],
        fixed: `${FROM}RUN apt-get -o APT::Install-Recommends=true install --no-install-recommends -y curl\n` },
      { name: "behind sudo in a heredoc", dockerfile: `${FROM}RUN <<EOF\nsudo apt-get install -y curl\nEOF\n`, at: [[3, 14, 3, 21]], fixed: `${FROM}RUN <<EOF\nsudo apt-get install --no-install-recommends -y curl\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["apt-get", "install", "-y", "curl"]\n`, at: [[2, 17, 2, 26]], fixed: `${FROM}RUN ["apt-get", "install", "--no-install-recommends", "-y", "curl"]\n` },
      { name: "two installs", dockerfile: `${FROM}RUN apt-get install -y a; apt-get install -y b\n`, at: [[2, 13, 2, 20], [2, 35, 2, 42]],
        fixed: `${FROM}RUN apt-get install --no-install-recommends -y a; apt-get install --no-install-recommends -y b\n` },
    ],
    silent: [
      { name: "with the flag", dockerfile: `${FROM}RUN apt-get install -y --no-install-recommends curl\n` },
      { name: "flag at the end", dockerfile: `${FROM}RUN apt-get install -y curl --no-install-recommends\n` },
      { name: "config option", dockerfile: `${FROM}RUN apt-get -o APT::Install-Recommends=false install -y curl\n` },
      { name: "config option attached, 0", dockerfile: `${FROM}RUN apt-get install -y -oAPT::Install-Recommends=0 curl\n` },
      { name: "a simulation installs nothing", dockerfile: `${FROM}RUN if apt-get install -s curl > /dev/null; then apt-get install -y --no-install-recommends curl=7.88*; fi\n` },
      { name: "remove installs nothing", dockerfile: `${FROM}RUN apt-get remove -y curl\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "apt-get install curl"\n` },
    ],
  });
});
