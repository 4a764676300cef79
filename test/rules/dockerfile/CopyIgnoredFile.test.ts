import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/CopyIgnoredFile.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const ignoring = (text: string): RunOptions => ({ buildContext: { dockerignore: { file: ".dockerignore", text } } });
const GIT_TMP = ignoring(".git\ntmp\n**/node_modules\n");

describe("CopyIgnoredFile", () => {
  ruleCases(rule, {
    fires: [
      { name: "file in an ignored directory", dockerfile: "FROM scratch\nCOPY .git/config /config\n", at: [[2, 6, 2, 17]], messages: ['Attempting to Copy file ".git/config" that is excluded by .dockerignore'], options: GIT_TMP },
      { name: "ADD, path cleaned", dockerfile: "FROM scratch\nADD ./tmp/../tmp/x /x\n", at: [[2, 5, 2, 19]], messages: ['Attempting to Add file "tmp/x"'], options: GIT_TMP },
      { name: "several sources", dockerfile: "FROM scratch\nCOPY src tmp .git /dst/\n", at: [[2, 10, 2, 13], [2, 14, 2, 18]], options: GIT_TMP },
      { name: "exec form", dockerfile: "FROM scratch\nCOPY [\"web/node_modules/x\", \"/x\"]\n", at: [[2, 7, 2, 27]], options: GIT_TMP },
      { name: "expanded source", dockerfile: "FROM scratch\nARG D=tmp\nCOPY $D/f /x\n", at: [[3, 6, 3, 10]], messages: ['"tmp/f"'], options: GIT_TMP },
      { name: "the Docker docs' example", dockerfile: "FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt\n", at: [[2, 6, 2, 26]], options: ignoring("*/tmp/*\ntmp/*\n") },
      { name: "everything ignored, even .", dockerfile: "FROM scratch\nCOPY . /app\n", at: [[2, 6, 2, 7]], messages: ['file "."'], options: ignoring("*\n") },
    ],
    silent: [
      { name: "no build context (stdin)", dockerfile: "FROM scratch\nCOPY .git /x\n" },
      { name: "no .dockerignore", dockerfile: "FROM scratch\nCOPY .git/ /x\n", options: { buildContext: { dockerignore: undefined } } },
      { name: "not ignored", dockerfile: "FROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt\n", options: GIT_TMP },
      { name: "exceptions turn the check off", dockerfile: "FROM scratch\nCOPY .git /x\n", options: ignoring(".git\n!.git/HEAD\n") },
      { name: "COPY --from reads a stage", dockerfile: "FROM scratch AS b\nFROM scratch\nCOPY --from=b .git /x\n", options: GIT_TMP },
      { name: "ADD of a URL", dockerfile: "FROM scratch\nADD https://example.com/tmp /x\n", options: GIT_TMP },
      { name: ". is the context root", dockerfile: "FROM scratch\nCOPY . /app\n", options: GIT_TMP },
      { name: "heredoc source", dockerfile: "FROM scratch\nCOPY <<tmp /x\nhi\ntmp\n", options: GIT_TMP },
      { name: "a malformed pattern fails the build, not this check", dockerfile: "FROM scratch\nCOPY tmp /x\n", options: ignoring("tmp\n[\n") },
      { name: "unknown variable on an image", dockerfile: "FROM alpine\nCOPY $SRC/x /x\n", options: ignoring("x\n") },
      { name: "destination is not a source", dockerfile: "FROM scratch\nCOPY src /tmp\n", options: GIT_TMP },
    ],
  });
});
