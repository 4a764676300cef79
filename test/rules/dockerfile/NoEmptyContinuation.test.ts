import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/NoEmptyContinuation.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("NoEmptyContinuation", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "empty line in a RUN", dockerfile: "FROM alpine\nRUN apk add \\\n\n    curl\n", at: [[2, 13, 2, 14]], messages: ["Empty continuation line"] },
      { name: "one finding per instruction, at the first empty line", dockerfile: "FROM alpine\nRUN apk add \\\n\n    curl \\\n  \n    git\n", at: [[2, 13, 2, 14]] },
      { name: "whitespace-only line", dockerfile: "FROM alpine\nRUN a \\\n   \n  b\n", at: [[2, 7, 2, 8]] },
      { name: "EXPOSE", dockerfile: "FROM alpine\nRUN true\nEXPOSE \\\n\n80\n", at: [[3, 8, 3, 9]] },
      { name: "trailing blanks after the escape, CRLF", dockerfile: "FROM alpine\r\nRUN a \\  \r\n\r\n  b\r\n", at: [[2, 7, 2, 8]] },
      { name: "a comment line between the escape and the empty line", dockerfile: "FROM alpine\nRUN a \\\n  # note \\\n\n  b\n", at: [[2, 7, 2, 8]] },
      { name: "backtick escape", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n\n  b\n", at: [[3, 12, 3, 13]] },
    ],
    silent: [
      { name: "comment line instead", dockerfile: "FROM alpine\nEXPOSE \\\n# Port\n80\n" },
      { name: "no empty line", dockerfile: "FROM alpine\nRUN apk add \\\n    curl\n" },
      { name: "blank line between instructions", dockerfile: "FROM alpine\n\nRUN true\n" },
      { name: "empty line in a heredoc", dockerfile: "FROM alpine\nRUN <<EOF\necho a\n\necho b\nEOF\n" },
    ],
  });
});
