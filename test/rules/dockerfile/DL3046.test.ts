import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3046.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3046", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "high -u", dockerfile: `${FROM}RUN useradd -u 123456 app\n`, at: [[2, 5, 2, 12]], messages: ["UID 123456"], fixed: `${FROM}RUN useradd -l -u 123456 app\n` },
      { name: "--uid with other options", dockerfile: `${FROM}RUN useradd --create-home --uid 1000000 --shell /bin/bash app\n`, at: [[2, 5, 2, 12]], fixed: `${FROM}RUN useradd -l --create-home --uid 1000000 --shell /bin/bash app\n` },
      { name: "bundled -ou", dockerfile: `${FROM}RUN groupadd -g 200000 g && useradd -ou 200000 -g g app\n`, at: [[2, 29, 2, 36]], fixed: `${FROM}RUN groupadd -g 200000 g && useradd -l -ou 200000 -g g app\n` },
      { name: "-u=value glued", dockerfile: `${FROM}RUN useradd -u999999 app\n`, at: [[2, 5, 2, 12]], fixed: `${FROM}RUN useradd -l -u999999 app\n` },
      { name: "behind sudo, in a heredoc", dockerfile: `${FROM}RUN <<EOF\nsudo useradd -u 100000 app\nEOF\n`, at: [[3, 6, 3, 13]], fixed: `${FROM}RUN <<EOF\nsudo useradd -l -u 100000 app\nEOF\n` },
    ],
    silent: [
      { name: "-l given", dockerfile: `${FROM}RUN useradd -l -u 123456 app\n` },
      { name: "--no-log-init given", dockerfile: `${FROM}RUN useradd --no-log-init --uid 123456 app\n` },
      { name: "bundled -lu", dockerfile: `${FROM}RUN useradd -lu 123456 app\n` },
      { name: "low UID", dockerfile: `${FROM}RUN useradd -u 10001 app\n` },
      { name: "no UID", dockerfile: `${FROM}RUN useradd app\n` },
      { name: "UID from a variable", dockerfile: `${FROM}ARG UID=123456\nRUN useradd -u "$UID" app\n` },
      { name: "a group id is not a UID", dockerfile: `${FROM}RUN useradd -g 123456 app\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "useradd -u 123456 app"\n` },
    ],
  });
});
