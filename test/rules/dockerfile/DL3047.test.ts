import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3047.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3047", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "plain wget", dockerfile: `${FROM}RUN wget https://example.com/big.tar.gz\n`, at: [[2, 5, 2, 9]] },
      { name: "-O only", dockerfile: `${FROM}RUN wget -O /tmp/x https://example.com/x\n`, at: [[2, 5, 2, 9]] },
      { name: "after &&, behind sudo", dockerfile: `${FROM}RUN apt-get update && sudo wget https://example.com/x\n`, at: [[2, 28, 2, 32]] },
      { name: "-n and -v apart are not -nv", dockerfile: `${FROM}RUN wget -v https://example.com/x\n`, at: [[2, 5, 2, 9]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nwget https://example.com/x\nEOF\n`, at: [[3, 1, 3, 5]] },
    ],
    silent: [
      { name: "--progress", dockerfile: `${FROM}RUN wget --progress=dot:giga https://example.com/x\n` },
      { name: "-q", dockerfile: `${FROM}RUN wget -q https://example.com/x\n` },
      { name: "bundled -qO-", dockerfile: `${FROM}RUN wget -qO- https://example.com/x | tar -xz\n` },
      { name: "--quiet", dockerfile: `${FROM}RUN wget --quiet https://example.com/x\n` },
      { name: "-nv", dockerfile: `${FROM}RUN wget -nv https://example.com/x\n` },
      { name: "--no-verbose", dockerfile: `${FROM}RUN wget --no-verbose https://example.com/x\n` },
      { name: "log to a file", dockerfile: `${FROM}RUN wget -o /tmp/wget.log https://example.com/x\n` },
      { name: "append to a file", dockerfile: `${FROM}RUN wget --append-output=/tmp/wget.log https://example.com/x\n` },
      { name: "installing wget", dockerfile: `${FROM}RUN apt-get install -y wget\n` },
    ],
  });
});
