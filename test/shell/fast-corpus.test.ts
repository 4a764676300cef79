// The fast path against tree-sitter-bash on every RUN script of the committed corpus of real Dockerfiles (and the
// scripts of their RUN heredocs): where the fast path reads a script, both give the same ShellScript. Real scripts
// (docker-library's `set -eux; case "$arch" in ...`) hold the compound commands and substitutions generated ones
// may miss; the share the fast path reads is asserted too, so that it cannot quietly read none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readCorpus } from "../corpus/read.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { runInstructions, runScripts } from "../../src/dockerfile/query.ts";
import { initShell } from "../../src/shell/parse.ts";
import { parseBothWays, takesFastPath } from "./both-paths.ts";

await initShell();

test("every RUN script of the real corpus the fast path reads, it reads as tree-sitter-bash does", () => {
  let scripts = 0;
  let fast = 0;
  let chars = 0;
  let fastChars = 0;
  for (const f of readCorpus()) {
    let model;
    try {
      model = parseDockerfile(f.text, { file: f.file });
    } catch {
      continue; // the corpus test reports files that do not parse
    }
    for (const run of runInstructions(model)) {
      for (const script of runScripts(run)) {
        scripts++;
        chars += script.text.text.length;
        if (!takesFastPath(script.text)) continue;
        fast++;
        fastChars += script.text.text.length;
        parseBothWays(script.text);
      }
    }
  }
  // Measured when written: 1,984 of 2,304 scripts, 70% of the script text (Windows cmd and PowerShell included).
  assert.ok(scripts > 2000 && fast > scripts * 0.8, `${fast} of ${scripts} scripts took the fast path`);
  assert.ok(fastChars > chars * 0.6, `the fast path read ${fastChars} of ${chars} characters`);
});
