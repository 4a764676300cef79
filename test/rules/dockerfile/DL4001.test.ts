import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4001.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL4001", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "in two RUNs", dockerfile: `${FROM}RUN curl -fsSLO https://example.com/a\nRUN wget -q https://example.com/b\n`, at: [[3, 5, 3, 9]], messages: ["also runs curl (line 2)"] },
      { name: "in one RUN", dockerfile: `${FROM}RUN wget -q https://example.com/a && curl -fsSLO https://example.com/b\n`, at: [[2, 38, 2, 42]], messages: ["also runs wget"] },
      { name: "every use after both are seen", dockerfile: `${FROM}RUN curl -O https://a\nRUN wget https://b\nRUN curl -O https://c\n`, at: [[3, 5, 3, 9], [4, 5, 4, 9]] },
      { name: "behind sudo, in a heredoc", dockerfile: `${FROM}RUN curl -O https://a\nRUN <<EOF\nsudo wget https://b\nEOF\n`, at: [[4, 6, 4, 10]] },
    ],
    silent: [
      { name: "only curl", dockerfile: `${FROM}RUN curl -O https://a\nRUN curl -O https://b\n` },
      { name: "one per stage", dockerfile: `${FROM}RUN curl -O https://a\nFROM debian:12\nRUN wget https://b\n` },
      { name: "installing the other package", dockerfile: `${FROM}RUN apt-get install -y curl wget && curl -O https://a\n` },
      { name: "looking it up", dockerfile: `${FROM}RUN command -v wget || curl -O https://a\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "wget or curl" && curl -O https://a\n` },
      { name: "ONBUILD RUN is another build", dockerfile: `${FROM}RUN curl -O https://a\nONBUILD RUN wget https://b\n` },
    ],
  });
});
