import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CopyInstruction, EnvInstruction, RunInstruction } from "../../src/dockerfile/ast.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { fileHeredocBodies, wordText } from "../../src/secrets/dockerfile.ts";
import { initShell } from "../../src/shell/parse.ts";

await initShell();

describe("fileHeredocBodies", () => {
  test("COPY heredocs and RUN heredocs that are files, not the RUN's own script; nested ones of a heredoc script", () => {
    const text = [
      "FROM debian:12",
      "COPY <<EOF /etc/app.conf",
      "a=1",
      "EOF",
      "RUN cat <<EOF > /etc/x",
      "b=2",
      "EOF",
      "RUN <<EOF",
      "cat <<EOT > /etc/y",
      "c=3",
      "EOT",
      "EOF",
      "",
    ].join("\n");
    const model = parseDockerfile(text);
    const [, copy, catRun, scriptRun] = model.instructions as [unknown, CopyInstruction, RunInstruction, RunInstruction];
    const bodies = (inst: CopyInstruction | RunInstruction): string[] => fileHeredocBodies(inst, model).map((b) => b.text);
    assert.deepEqual(bodies(copy), ["a=1\n"]);
    assert.deepEqual(bodies(catRun), ["b=2\n"]);
    assert.deepEqual(bodies(scriptRun), ["c=3\n"], "the script is not a file; the heredoc inside it is");
    const nested = fileHeredocBodies(scriptRun, model)[0];
    const span = nested?.span(0, 3);
    assert.deepEqual([span?.start.line, span?.start.column, span?.end.column], [10, 1, 4], "mapped to the Dockerfile");
  });
});

describe("wordText", () => {
  test("exact mapping when the value is the source text or the text inside its quotes", () => {
    const model = parseDockerfile('FROM x\nENV A=plain B="quoted" C="line \\\n cont"\nRUN ["echo", "json\\u0041"]\n');
    const env = model.instructions[1] as EnvInstruction;
    const [a, b, c] = env.pairs.map((p) => wordText(model, p.value));
    assert.equal(a?.text, "plain");
    assert.equal(b?.text, '"quoted"', "ENV keeps its quotes in the value");
    assert.equal(c, undefined, "a line continuation breaks the mapping");
    const run = model.instructions[2] as RunInstruction;
    const args = run.command?.form === "exec" ? run.command.args : [];
    assert.equal(wordText(model, args[0] ?? { value: "", span: env.span })?.text, "echo");
    assert.equal(wordText(model, args[1] ?? { value: "", span: env.span }), undefined, "a JSON escape breaks the mapping");
  });
});
