// A heredoc written before the command name (`RUN <<EOT bash`, as in the Dockerfile reference), through the
// Dockerfile parser and the queries rules use: the command is the one named after the heredoc, the body is not
// commands of the script, and a shell that reads the body runs it as its script (`nested`).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { Span } from "../../src/core/finding.ts";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import type { RunInstruction } from "../../src/dockerfile/ast.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { commandsOf, runInstructions, runScripts } from "../../src/dockerfile/query.ts";
import { initShell, type ShellCommand } from "../../src/shell/parse.ts";
import { parseBothWays } from "./both-paths.ts";

await initShell();

function runs(dockerfile: string): RunInstruction[] {
  return [...runInstructions(parseDockerfile(dockerfile, { file: "Dockerfile" }))];
}

function onlyRun(dockerfile: string): RunInstruction {
  const [run, ...more] = runs(dockerfile);
  assert.ok(run !== undefined && more.length === 0);
  return run;
}

function at(span: Span): [number, number, number, number] {
  return [span.start.line, span.start.column, span.end.line, span.end.column];
}

function summary(c: ShellCommand): string {
  return [c.name.value ?? c.name.text, ...c.args.map((a) => a.value ?? a.text)].join(" ");
}

describe("RUN <<EOT cmd args", () => {
  test("<<EOT bash: one command, bash, with the heredoc; its body is bash's script", () => {
    const run = onlyRun("FROM debian:12\nRUN <<EOT bash\nset -e\necho hi\nEOT\n");
    const [script, ...more] = runScripts(run);
    assert.ok(script !== undefined && more.length === 0);
    assert.equal(script.hasErrors, false);
    assert.equal(script.text.text, "<<EOT bash\nset -e\necho hi\nEOT", "the script as written, not re-ordered");
    const [bash, ...others] = script.commands;
    assert.ok(bash !== undefined);
    assert.deepEqual(others, [], "body lines are not commands of the RUN's script");
    assert.equal(summary(bash), "bash");
    assert.deepEqual(at(bash.name.span), [2, 11, 2, 15]);
    assert.deepEqual(at(bash.span), [2, 5, 2, 15], "from the heredoc operator to the name");
    const [redirect] = bash.redirects;
    assert.ok(redirect?.heredoc);
    assert.deepEqual([redirect.op, redirect.target?.text, at(redirect.span)], ["<<", "EOT", [2, 5, 2, 10]]);
    assert.deepEqual({ ...redirect.heredoc, bodySpan: at(redirect.heredoc.bodySpan) }, {
      delimiter: "EOT", expands: true, stripsTabs: false, body: "set -e\necho hi\n", bodySpan: [3, 1, 5, 1],
    });
    assert.deepEqual(bash.nested?.commands.map(summary), ["set -e", "echo hi"]);
    assert.deepEqual(commandsOf(run).map((c) => [summary(c), at(c.span)]), [
      ["bash", [2, 5, 2, 15]], ["set -e", [3, 1, 3, 7]], ["echo hi", [4, 1, 4, 8]],
    ]);
  });

  test("<<-EOT bash -o pipefail with a pipe in the tab-indented body; the next RUN is separate", () => {
    const [first, second] = runs("FROM debian:12\nRUN <<-EOT bash -o pipefail\n\tset -eu\n\tcurl -fsSL https://x | sh\n\tEOT\nRUN echo after\n");
    assert.ok(first && second);
    const [bash] = runScripts(first)[0]?.commands ?? [];
    assert.ok(bash);
    assert.deepEqual([summary(bash), at(bash.span)], ["bash -o pipefail", [2, 5, 2, 28]]);
    assert.equal(bash.redirects[0]?.heredoc?.stripsTabs, true);
    const body = bash.nested;
    assert.ok(body);
    assert.equal(body.pipefail, true, "bash -o pipefail runs the body with pipefail");
    assert.deepEqual(body.commands.map((c) => [summary(c), at(c.span), c.pipeline?.index]), [
      ["set -eu", [3, 2, 3, 9], undefined], ["curl -fsSL https://x", [4, 2, 4, 22], 0], ["sh", [4, 25, 4, 27], 1],
    ]);
    assert.deepEqual(commandsOf(second).map(summary), ["echo after"]);
  });

  test("<<EOT cat > file && chmod: redirects in source order, the list goes on, the body is data", () => {
    const run = onlyRun("FROM debian:12\nRUN <<EOT cat > /etc/conf && chmod 600 /etc/conf\napt-get install x\nEOT\n");
    const commands = commandsOf(run);
    assert.deepEqual(commands.map((c) => [summary(c), c.connector, at(c.span)]), [
      ["cat", undefined, [2, 5, 2, 26]], ["chmod 600 /etc/conf", "&&", [2, 30, 2, 49]],
    ]);
    assert.deepEqual(commands[0]?.redirects.map((r) => [r.op, r.target?.text]), [["<<", "EOT"], [">", "/etc/conf"]]);
    assert.equal(commands[0]?.nested, undefined, "cat is no shell");
  });

  test("<<EOT python3: a body for another interpreter is not shell", () => {
    const run = onlyRun("FROM python:3.12\nRUN <<EOT python3\nimport os\nprint(os.getcwd())\nEOT\n");
    assert.deepEqual(commandsOf(run).map(summary), ["python3"]);
  });

  test("a pipe after the command: the heredoc belongs to the first stage", () => {
    const run = onlyRun("FROM debian:12\nRUN <<EOT sh -s -- --yes | tee /log\necho x\nEOT\n");
    const [sh, tee] = runScripts(run)[0]?.commands ?? [];
    assert.ok(sh && tee);
    assert.deepEqual([summary(sh), summary(tee)], ["sh -s -- --yes", "tee /log"]);
    assert.deepEqual(sh.nested?.commands.map(summary), ["echo x"], "sh -s reads its script from the heredoc");
    const [pipeline] = runScripts(run)[0]?.pipelines ?? [];
    assert.deepEqual(pipeline && [at(pipeline.span), pipeline.stages.map((st) => at(st.span))], [[2, 5, 2, 36], [[2, 5, 2, 25], [2, 28, 2, 36]]]);
  });

  test("a lone RUN <<EOF still runs its body as the script", () => {
    const run = onlyRun("FROM debian:12\nRUN <<EOF\napt-get update\nEOF\n");
    assert.deepEqual(commandsOf(run).map((c) => [summary(c), at(c.span)]), [["apt-get update", [3, 1, 3, 15]]]);
  });
});

describe("shells reading a heredoc written after the name", () => {
  function script(text: string) {
    return parseBothWays(MappedText.contiguous(new LineIndex(text), 0, text.length));
  }

  test("bash <<EOF and sudo sh -s <<'EOF' run the body; a script file or -c does not", () => {
    assert.deepEqual(script("bash <<EOF\napt-get install -y x\nEOF").commands[0]?.nested?.commands.map(summary), ["apt-get install -y x"]);
    assert.deepEqual(script("sudo sh -s <<'EOF'\nmake\nEOF").commands[0]?.nested?.commands.map(summary), ["make"]);
    for (const text of ["bash setup.sh <<EOF\nanswer\nEOF", "cat <<EOF\nls\nEOF", "bash <<EOF < /dev/null\nls\nEOF"]) {
      assert.equal(script(text).commands[0]?.nested, undefined, text);
    }
    assert.deepEqual(script("bash -c 'id' <<EOF\nls\nEOF").commands[0]?.nested?.commands.map(summary), ["id"]);
  });
});

describe("a leading heredoc reads as the same heredoc written after the command", () => {
  /** What a script does, without positions: names, arguments, connectors, redirects, heredoc bodies, nested. */
  function shape(text: string): unknown {
    const describeScript = (s: ReturnType<typeof parseBothWays>): unknown => s.commands.map((c) => ({
      words: summary(c),
      connector: c.connector,
      pipeline: c.pipeline,
      redirects: c.redirects.map((r) => [r.op, r.descriptor, r.target?.value, r.heredoc?.body]).sort(),
      nested: c.nested === undefined ? undefined : describeScript(c.nested),
    }));
    const s = parseBothWays(MappedText.contiguous(new LineIndex(text), 0, text.length));
    assert.equal(s.hasErrors, false, text);
    return describeScript(s);
  }

  test("on generated first lines and bodies", () => {
    const word = fc.constantFrom("-e", "-x", "install", "'a b'", '"$HOME"', "x=1", "--", "-o", "pipefail", "/tmp/f");
    const redirect = fc.constantFrom(">/dev/null", "2>&1", "> /tmp/log", ">>out");
    const name = fc.constantFrom("bash", "sh", "cat", "tee", "sudo bash", "python3", "env A=1 sh");
    // Not `; ls` or `&`: tree-sitter-bash reads neither after a heredoc on its line, in either order.
    const tail = fc.constantFrom("", " | sh", " && echo done", " || true", " | tee /log && echo ok");
    const body = fc.array(fc.constantFrom("set -eux", "apt-get install -y curl", "echo $A | sh", "# note", "cd /x && make"), { maxLength: 3 });
    fc.assert(
      fc.property(name, fc.array(fc.oneof(word, redirect), { maxLength: 3 }), tail, fc.constantFrom("<<", "<<-"), body, (n, args, rest, op, lines) => {
        const command = [n, ...args].join(" ");
        const bodyText = lines.map((l) => `${l}\n`).join("");
        const leading = `${op}EOT ${command}${rest}\n${bodyText}EOT\necho next`;
        // tree-sitter-bash needs the blank after the delimiter (`<<EOT;` would be a delimiter `EOT;`).
        const trailing = `${command} ${op}EOT ${rest}\n${bodyText}EOT\necho next`;
        assert.deepEqual(shape(leading), shape(trailing), leading);
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});
