// shareShellTrees: a script text tree-sitter-bash has read once is not parsed again inside the same job, and what a
// kept tree gives for another copy of the text (at other offsets, in another file) is exactly what a fresh parse gives.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Parser } from "web-tree-sitter";
import { readCorpus } from "../corpus/read.ts";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { runInstructions } from "../../src/dockerfile/query.ts";
import { lintDockerfiles } from "../../src/lint.ts";
import { initShell, parseShell, shareShellTrees, type ShellScript } from "../../src/shell/parse.ts";
import { wordOrigin } from "../../src/shell/word.ts";

await initShell();

// Compound commands, substitutions, a heredoc, a syntax error: all go to tree-sitter-bash (not the fast path).
const SCRIPTS = [
  'set -eux; arch="$(dpkg --print-architecture)"; f() { echo "$1"; }; for ((i = 0; i < 2; i++)); do f "$arch" | tr a b >&2; done',
  "if [[ -f /etc/os-release ]]; then . /etc/os-release && { echo \"${#ID}\"; }; fi; (cd /tmp && sh -c 'ls <<< x')",
  "cat <<EOF | sh\necho $(id -u) `date`\nEOF\n",
  "echo $( ; if then",
];

/** A script placed in its own Dockerfile after `prefix`, so each copy has other offsets, lines and columns. */
function placed(script: string, prefix: string): MappedText {
  const source = new LineIndex(`${prefix}RUN ${script}\n`);
  const start = prefix.length + 4;
  return MappedText.contiguous(source, start, start + script.length);
}

/** Counts the times the wasm parser runs from now until restore(). */
function countParses(): { count: () => number; restore: () => void } {
  const original = Parser.prototype.parse;
  let parses = 0;
  Parser.prototype.parse = function (this: Parser, ...args: Parameters<Parser["parse"]>) {
    parses++;
    return original.apply(this, args);
  };
  return { count: () => parses, restore: () => void (Parser.prototype.parse = original) };
}

/** Runs fn counting the times the wasm parser runs. */
function counted<T>(fn: () => T): { value: T; parses: number } {
  const counter = countParses();
  try {
    const value = fn();
    return { value, parses: counter.count() };
  } finally {
    counter.restore();
  }
}

/** Word origins are private to words and so left out of deep equality: compared apart. */
function origins(script: ShellScript): string[] {
  return script.commands.flatMap((c) => [c.name, ...c.args, ...c.assignments].map((w) => {
    const o = wordOrigin(w);
    return o === undefined ? "none" : `${o.start}-${o.end}@${o.text.sourceOffset(o.start)}`;
  }));
}

describe("shareShellTrees", () => {
  test("parses each text once and gives every copy what a fresh parse gives", () => {
    const prefixes = ["FROM a\n", "FROM debian:12\nARG X=1\n\n# comment\n", "FROM b AS c\nWORKDIR /w\n"];
    const parseAll = (): ShellScript[] => SCRIPTS.flatMap((s) => prefixes.map((p) => parseShell(placed(s, p), { fastPath: false })));
    const fresh = counted(parseAll);
    const shared = counted(() => shareShellTrees(parseAll));
    // Nested scripts (`sh -c '...'`, `| sh` reading a heredoc) are texts of their own: one parse per distinct text.
    assert.ok(fresh.parses > SCRIPTS.length * prefixes.length);
    assert.equal(shared.parses * prefixes.length, fresh.parses);
    assert.deepStrictEqual(shared.value, fresh.value);
    assert.deepStrictEqual(shared.value.map(origins), fresh.value.map(origins));
    // The copies really are at other places: the same command starts on other lines.
    const lines = shared.value.slice(0, prefixes.length).map((script) => script.commands[0]?.span.start.line);
    assert.deepStrictEqual(lines, [2, 5, 3]);
  });

  test("keeps nothing after the job: the next job parses again", () => {
    const script = placed(SCRIPTS[0] ?? "", "FROM a\n");
    const first = counted(() => shareShellTrees(() => parseShell(script, { fastPath: false })));
    const second = counted(() => shareShellTrees(() => parseShell(script, { fastPath: false })));
    const outside = counted(() => [parseShell(script, { fastPath: false }), parseShell(script, { fastPath: false })]);
    assert.deepEqual([first.parses, second.parses, outside.parses], [1, 1, 2]);
  });

  test("a job inside a job shares the outer one's trees", () => {
    const script = placed(SCRIPTS[1] ?? "", "FROM a\n");
    const once = counted(() => parseShell(script, { fastPath: false }));
    const { parses } = counted(() => shareShellTrees(() => {
      parseShell(script, { fastPath: false });
      return shareShellTrees(() => parseShell(script, { fastPath: false }));
    }));
    assert.equal(once.parses, 2, "the script and its `sh -c` script (a here-string: not the fast path's)");
    assert.equal(parses, once.parses);
  });

  test("lint parses a RUN script shared by several files once, with each file's own locations", async () => {
    const script = SCRIPTS[0] ?? "";
    const inputs = [
      { file: "a/Dockerfile", text: `FROM debian:12\nRUN ${script}\n` },
      { file: "b/Dockerfile", text: `FROM debian:12\nUSER 1000\n\nRUN ${script}\n` },
    ];
    // lintDockerfiles is async: count around the whole call.
    const counter = countParses();
    let value;
    try {
      value = await lintDockerfiles({ inputs, shellcheck: "off" });
    } finally {
      counter.restore();
    }
    assert.equal(counter.count(), 1);
    const alone = await Promise.all(inputs.map((i) => lintDockerfiles({ inputs: [i], shellcheck: "off" })));
    assert.deepStrictEqual(value.report.findings, alone.flatMap((o) => o.report.findings));
    assert.ok(value.report.findings.some((f) => f.location.kind === "text" && f.location.file === "b/Dockerfile" && f.location.start.line === 4));
  });

  test("the real corpus: every RUN script parsed with shared trees equals its fresh parse", () => {
    const runs = readCorpus().flatMap((f) => {
      try {
        return runInstructions(parseDockerfile(f.text, { file: f.file })).flatMap((r) => (r.command?.form === "shell" ? [r.command.script] : []));
      } catch {
        return [];
      }
    });
    const fresh = runs.map((t) => parseShell(t, { fastPath: false }));
    const shared = counted(() => shareShellTrees(() => runs.map((t) => parseShell(t, { fastPath: false }))));
    assert.ok(shared.parses < runs.length, `${shared.parses} parses for ${runs.length} scripts: nothing was shared`);
    assert.deepStrictEqual(shared.value, fresh);
    assert.deepStrictEqual(shared.value.map(origins), fresh.map(origins));
  });
});
