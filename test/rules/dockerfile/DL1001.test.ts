import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL1001.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL1001", () => {
  ruleCases(rule, {
    fires: [
      { name: "next-line hadolint pragma", dockerfile: `${FROM}# hadolint ignore=DL3003\nRUN cd /tmp\n`, at: [[2, 1, 2, 25]], messages: ['"# hadolint ignore=DL3003"'] },
      { name: "several rules", dockerfile: `${FROM}# hadolint ignore=DL3003,DL3008\nRUN cd /tmp\n`, at: [[2, 1, 2, 32]], messages: ["ignore=DL3003,DL3008"] },
      { name: "global drydock pragma with a reason", dockerfile: `# drydock global ignore = DL3008, DL3009 # reviewed\n${FROM}`, at: [[1, 1, 1, 52]], messages: ['"# drydock global ignore=DL3008,DL3009"'] },
      { name: "stage pragma", dockerfile: `# hadolint stage ignore=DL3059\n${FROM}RUN a\nRUN b\n`, at: [[1, 1, 1, 31]] },
      { name: "pragma on a continuation line", dockerfile: `${FROM}RUN apt-get update \\\n# hadolint ignore=DL3009\n  && apt-get install -y curl\n`, at: [[3, 1, 3, 25]] },
    ],
    silent: [
      { name: "ordinary comments", dockerfile: `# build the app\n${FROM}# hadolint is run in CI\nRUN make\n` },
      { name: "malformed pragma suppresses nothing", dockerfile: `${FROM}# hadolint ignore DL3003\nRUN cd /tmp\n` },
      { name: "BuildKit check directive", dockerfile: `# check=skip=JSONArgsRecommended\n${FROM}CMD app\n` },
      { name: "pragma text inside a RUN heredoc is not a comment", dockerfile: `${FROM}RUN <<EOF\n# hadolint ignore=DL3003\ncd /tmp\nEOF\n` },
      { name: "the words in a string", dockerfile: `${FROM}RUN echo "# hadolint ignore=DL3003"\n` },
    ],
  });
});
