import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3004.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3004", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "sudo first", dockerfile: `${FROM}RUN sudo apt-get update\n`, at: [[2, 5, 2, 9]] },
      { name: "after &&, on a continuation line", dockerfile: `${FROM}RUN apt-get update \\\n && sudo make install\n`, at: [[3, 5, 3, 9]] },
      { name: "inside sh -c", dockerfile: `${FROM}RUN sh -c 'sudo chown app /srv'\n`, at: [[2, 12, 2, 16]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nset -e\nsudo make install\nEOF\n`, at: [[4, 1, 4, 5]] },
      { name: "in a pipeline and a subshell", dockerfile: `${FROM}RUN (cd /x && sudo make) | tee log\n`, at: [[2, 15, 2, 19]] },
    ],
    silent: [
      { name: "quoted", dockerfile: `${FROM}RUN echo "sudo make install"\n` },
      { name: "an argument, not a command", dockerfile: `${FROM}RUN apt-get install -y sudo\n` },
      { name: "exec form runs no shell", dockerfile: `${FROM}RUN ["echo", "sudo"]\n` },
      { name: "python heredoc", dockerfile: `${FROM}RUN <<EOF\n#!/usr/bin/env python3\nsudo = 1\nEOF\n` },
      { name: "a comment", dockerfile: `${FROM}RUN make # no sudo needed\n` },
    ],
  });
});
