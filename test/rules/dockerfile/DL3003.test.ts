import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3003.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3003", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "cd first", dockerfile: `${FROM}RUN cd /usr/src/app && make\n`, at: [[2, 5, 2, 7]], messages: ["`cd /usr/src/app`"] },
      { name: "after && on a continuation line", dockerfile: `${FROM}RUN git clone https://x/y.git \\\n && cd y && make\n`, at: [[3, 5, 3, 7]] },
      { name: "in a subshell", dockerfile: `${FROM}RUN (cd /x && make)\n`, at: [[2, 6, 2, 8]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nset -e\ncd /tmp\nmake\nEOF\n`, at: [[4, 1, 4, 3]] },
      { name: "two of them", dockerfile: `${FROM}RUN cd a && make && cd ../b && make\n`, at: [[2, 5, 2, 7], [2, 21, 2, 23]] },
      { name: "cd without an argument", dockerfile: `${FROM}RUN cd; ls\n`, at: [[2, 5, 2, 7]], messages: ["`cd`"] },
    ],
    silent: [
      { name: "WORKDIR", dockerfile: `${FROM}WORKDIR /usr/src/app\nRUN make\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "cd /tmp"\n` },
      { name: "a comment", dockerfile: `${FROM}RUN make # cd not needed\n` },
      { name: "an argument", dockerfile: `${FROM}RUN apt-get install -y cdrkit && make -C /x\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["cd", "/tmp"]\n` },
    ],
  });
});
