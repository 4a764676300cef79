import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/NoEmptyContinuation.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("NoEmptyContinuation", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "empty line in a RUN", dockerfile: "FROM alpine\nRUN apk add \\\n\n    curl\n", at: [[3, 1, 3, 1]], messages: ["Empty continuation line"] },
      { name: "one finding per instruction, at the first empty line", dockerfile: "FROM alpine\nRUN apk add \\\n\n    curl \\\n  \n    git\n", at: [[3, 1, 3, 1]] },
      { name: "whitespace-only line", dockerfile: "FROM alpine\nRUN a \\\n   \n  b\n", at: [[3, 1, 3, 1]] },
      { name: "EXPOSE", dockerfile: "FROM alpine\nRUN true\nEXPOSE \\\n\n80\n", at: [[4, 1, 4, 1]] },
    ],
    silent: [
      { name: "comment line instead", dockerfile: "FROM alpine\nEXPOSE \\\n# Port\n80\n" },
      { name: "no empty line", dockerfile: "FROM alpine\nRUN apk add \\\n    curl\n" },
      { name: "blank line between instructions", dockerfile: "FROM alpine\n\nRUN true\n" },
      { name: "empty line in a heredoc", dockerfile: "FROM alpine\nRUN <<EOF\necho a\n\necho b\nEOF\n" },
    ],
  });
});
