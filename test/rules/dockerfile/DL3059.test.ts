import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3059.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3059", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "two short RUNs", dockerfile: `${FROM}RUN apt-get update\nRUN apt-get install -y curl\n`, at: [[3, 1, 3, 4]], messages: ["line 2"] },
      { name: "comments and blank lines between", dockerfile: `${FROM}RUN a\n\n# then b\nRUN b\n`, at: [[5, 1, 5, 4]] },
      { name: "three short RUNs", dockerfile: `${FROM}RUN a\nRUN b\nRUN c\n`, at: [[3, 1, 3, 4], [4, 1, 4, 4]] },
      { name: "two commands each", dockerfile: `${FROM}RUN a && b\nRUN c; d\n`, at: [[3, 1, 3, 4]] },
      { name: "same mount flags", dockerfile: `${FROM}RUN --mount=type=cache,target=/root/.cache a\nRUN --mount=type=cache,target=/root/.cache b\n`, at: [[3, 1, 3, 4]] },
      { name: "exec form counts as one command", dockerfile: `${FROM}RUN ["a"]\nRUN b\n`, at: [[3, 1, 3, 4]] },
    ],
    silent: [
      { name: "another instruction between", dockerfile: `${FROM}RUN a\nENV X=1\nRUN b\n` },
      { name: "a chain of three commands", dockerfile: `${FROM}RUN a && b && c\nRUN d\n` },
      { name: "followed by a chain of three", dockerfile: `${FROM}RUN a\nRUN b && c && d\n` },
      { name: "different flags", dockerfile: `${FROM}RUN --mount=type=cache,target=/var/cache/apt a\nRUN b\n` },
      { name: "different network flags", dockerfile: `${FROM}RUN --network=none a\nRUN --network=host b\n` },
      { name: "different stages", dockerfile: `${FROM}RUN a\nFROM debian:12\nRUN b\n` },
      { name: "RUN then ONBUILD RUN", dockerfile: `${FROM}RUN a\nONBUILD RUN b\n` },
      { name: "a heredoc with more commands", dockerfile: `${FROM}RUN a\nRUN <<EOF\nb\nc\nd\nEOF\n` },
    ],
  });
});
