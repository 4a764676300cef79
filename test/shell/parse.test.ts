import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { Span } from "../../src/core/finding.ts";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import { parseBothWays } from "./both-paths.ts";
import { initShell, parseShell, type ShellCommand, type ShellScript } from "../../src/shell/parse.ts";

await initShell();

/** Parses `script` as the shell of `RUN <script>` in a one-instruction Dockerfile (columns start at 5). */
function run(script: string, options: { pipefail?: boolean } = {}): ShellScript {
  const source = new LineIndex(`RUN ${script}\n`);
  return parseBothWays(MappedText.contiguous(source, 4, 4 + script.length), options);
}

/** [line, column, endLine, endColumn] as rule tests write them. */
function at(span: Span): [number, number, number, number] {
  return [span.start.line, span.start.column, span.end.line, span.end.column];
}

function names(s: ShellScript): string[] {
  return s.commands.map((c) => c.name.text);
}

function summary(c: ShellCommand): string {
  return [c.name.value ?? `<${c.name.text}>`, ...c.args.map((a) => a.value ?? `<${a.text}>`)].join(" ");
}

/** A MappedText the way the Dockerfile parser builds a RUN line: continuations (`\` newline) cut out. */
function joinedRun(dockerfile: string): MappedText {
  const source = new LineIndex(dockerfile);
  const start = dockerfile.indexOf("RUN ") + 4;
  const end = dockerfile.indexOf("\n", dockerfile.lastIndexOf("\\\n") + 2);
  let text = "";
  const offsets: number[] = [];
  for (let i = start; i < end; i++) {
    if (dockerfile[i] === "\\" && dockerfile[i + 1] === "\n") {
      i++;
      continue;
    }
    text += dockerfile[i];
    offsets.push(i);
  }
  return new MappedText(text, Int32Array.from(offsets), source, end);
}

describe("initShell", () => {
  test("is idempotent: later calls share the loaded parser", async () => {
    const a = initShell();
    const b = initShell();
    assert.equal(a, b);
    await a;
    assert.deepEqual(names(run("true")), ["true"]);
  });
});

describe("commands of a RUN", () => {
  test("an apt-get chain: names, argument values, connectors and exact spans", () => {
    const s = run("apt-get update && apt-get install -y --no-install-recommends curl=7.88.1 && rm -rf /var/lib/apt/lists/*");
    assert.equal(s.hasErrors, false);
    assert.deepEqual(s.commands.map(summary), [
      "apt-get update",
      "apt-get install -y --no-install-recommends curl=7.88.1",
      "rm -rf /var/lib/apt/lists/*",
    ]);
    assert.deepEqual(s.commands.map((c) => c.connector), [undefined, "&&", "&&"]);
    const [, install] = s.commands;
    assert.ok(install);
    assert.deepEqual(at(install.name.span), [1, 23, 1, 30]);
    assert.deepEqual(at(install.span), [1, 23, 1, 77]);
    assert.deepEqual(install.args.map((a) => at(a.span)), [[1, 31, 1, 38], [1, 39, 1, 41], [1, 42, 1, 65], [1, 66, 1, 77]]);
    assert.equal(install.span.start.offset, 22);
  });

  test("every connector kind", () => {
    const s = run("a; b & c || d | e |& f\ng");
    assert.deepEqual(names(s), ["a", "b", "c", "d", "e", "f", "g"]);
    assert.deepEqual(s.commands.map((c) => c.connector), [undefined, ";", "&", "||", "|", "|&", "\n"]);
  });

  test("words inside quotes are not commands", () => {
    const s = run(`echo "apt-get install curl" 'pip install x' && printf '%s' "sudo rm -rf /"`);
    assert.deepEqual(names(s), ["echo", "printf"]);
    assert.deepEqual(s.commands.map(summary), ["echo apt-get install curl pip install x", "printf %s sudo rm -rf /"]);
  });

  test("comments are not commands", () => {
    const s = run("apt-get update # && apt-get install x\nmake");
    assert.deepEqual(s.commands.map(summary), ["apt-get update", "make"]);
  });

  test("prefix assignments: name, assigned word and span", () => {
    const s = run(`DEBIAN_FRONTEND=noninteractive TZ="Europe/Paris" EMPTY= apt-get install -y tzdata`);
    const [cmd] = s.commands;
    assert.ok(cmd);
    assert.equal(cmd.name.text, "apt-get");
    assert.deepEqual(cmd.assignments.map((a) => [a.name, a.assigned.text, a.assigned.value]), [
      ["DEBIAN_FRONTEND", "noninteractive", "noninteractive"],
      ["TZ", `"Europe/Paris"`, "Europe/Paris"],
      ["EMPTY", "", ""],
    ]);
    const tz = cmd.assignments[1];
    assert.ok(tz);
    assert.deepEqual(at(tz.span), [1, 36, 1, 53]);
    assert.deepEqual(at(tz.assigned.span), [1, 39, 1, 53]);
    assert.deepEqual(at(cmd.span), [1, 5, 1, 86]);
  });

  test("export, local and unset are commands named by the keyword", () => {
    const s = run("export PATH=/opt/bin:$PATH A=1 B; unset C");
    assert.deepEqual(names(s), ["export", "unset"]);
    const [exp] = s.commands;
    assert.ok(exp);
    assert.deepEqual(exp.args.map((a) => [a.text, a.value]), [["PATH=/opt/bin:$PATH", undefined], ["A=1", "A=1"], ["B", "B"]]);
  });

  test("a name that is not static has no value", () => {
    const [cmd] = run(`"$PIP" install x`).commands;
    assert.ok(cmd);
    assert.equal(cmd.name.text, `"$PIP"`);
    assert.equal(cmd.name.value, undefined);
  });
});

describe("compound structures", () => {
  test("if / elif / else with conditions marked", () => {
    const s = run("if [ -f /a ] && grep -q x /a; then b; elif c; then d; else e; fi");
    assert.deepEqual(names(s), ["grep", "b", "c", "d", "e"]);
    const kinds = s.commands.map((c) => c.within.map((w) => w.kind).join(","));
    assert.deepEqual(kinds, ["if,condition", "if", "if,condition", "if", "if"]);
    const ifContext = s.commands[0]?.within[0];
    assert.ok(ifContext);
    assert.deepEqual(at(ifContext.span), [1, 5, 1, 69]);
    assert.equal(s.commands[4]?.within[0], ifContext, "one context object per structure");
  });

  test("loops, case, functions, groups and subshells", () => {
    const s = run(
      "for p in a b; do pip install $p; done; while read l; do echo $l; done < f; until ok; do sleep 1; done; " +
        'case "$ARCH" in amd64) curl -o x y ;; *) wget z ;; esac; f() { cd /tmp; }; { make; }; (cd src && make install)',
    );
    assert.deepEqual(names(s), ["pip", "read", "echo", "ok", "sleep", "curl", "wget", "cd", "make", "cd", "make"]);
    const kinds = s.commands.map((c) => c.within.map((w) => w.kind).join(","));
    assert.deepEqual(kinds, [
      "loop", "loop,condition", "loop", "loop,condition", "loop", "case", "case", "function,group", "group", "subshell", "subshell",
    ]);
    const read = s.commands[1];
    assert.ok(read);
    assert.deepEqual(read.redirects, [], "the loop's redirect is not read's");
  });

  test("command substitutions, backticks and process substitutions, flagged as substitutions", () => {
    const s = run('V=$(curl -s https://x | jq -r .v) && echo "v=`uname -m`" > "$(mktemp)" && diff <(ls a) b');
    assert.deepEqual(names(s), ["curl", "jq", "echo", "uname", "mktemp", "diff", "ls"]);
    assert.deepEqual(s.commands.map((c) => c.inSubstitution), [true, true, false, true, true, false, true]);
    assert.deepEqual(s.commands.map((c) => c.within.map((w) => w.kind).join(",")), [
      "substitution", "substitution", "", "substitution", "substitution", "", "process-substitution",
    ]);
    assert.equal(s.commands[2]?.connector, "&&");
    assert.equal(s.commands[0]?.connector, undefined, "first of the substitution's list");
    assert.deepEqual(s.commands[1]?.pipeline, { index: 1, length: 2, id: 0 });
    assert.equal(s.commands[2]?.args[0]?.value, undefined);
  });

  test("a pipeline inside a substitution does not make the outer command a stage", () => {
    const s = run("tar xf $(ls *.tar | head -1) -C /opt");
    assert.deepEqual(names(s), ["tar", "ls", "head"]);
    assert.equal(s.commands[0]?.pipeline, undefined);
    assert.equal(s.pipelines.length, 1);
  });
});

describe("pipelines", () => {
  test("curl | bash: stages, operators, span", () => {
    const s = run("curl -fsSL https://get.example.sh | sudo bash -s -- --yes");
    const [p] = s.pipelines;
    assert.ok(p);
    assert.deepEqual(p.stages.map((st) => st.commands.map((c) => c.name.text)), [["curl"], ["sudo"]]);
    assert.deepEqual(p.operators, ["|"]);
    assert.deepEqual(at(p.span), [1, 5, 1, 62]);
    assert.deepEqual(s.commands.map((c) => c.pipeline), [{ index: 0, length: 2, id: 0 }, { index: 1, length: 2, id: 0 }]);
  });

  // tree-sitter-bash nests `a | b | c && d` as `a | (b | c && d)`; bash runs `(a | b | c) && d`.
  test("three or more stages followed by && and ||: one pipeline, then the list", () => {
    const s = run("curl -fsSL https://x.example | tar -xz | sort && echo ok || echo failed");
    assert.equal(s.pipelines.length, 1);
    const [p] = s.pipelines;
    assert.ok(p);
    assert.deepEqual(p.stages.map((st) => st.commands.map((c) => c.name.text)), [["curl"], ["tar"], ["sort"]]);
    assert.deepEqual(p.operators, ["|", "|"]);
    assert.deepEqual(at(p.span), [1, 5, 1, 50]);
    assert.deepEqual(s.commands.map((c) => [c.name.text, c.connector ?? "", c.pipeline?.index ?? -1, c.pipeline?.length ?? 0]), [
      ["curl", "", 0, 3], ["tar", "|", 1, 3], ["sort", "|", 2, 3], ["echo", "&&", -1, 0], ["echo", "||", -1, 0],
    ]);
  });

  test("four stages, a negated first stage, and a list inside a loop", () => {
    const s = run("for f in a; do ! a | b | c | d && e; done");
    assert.deepEqual(s.pipelines[0]?.stages.map((st) => st.commands.map((c) => c.name.text)), [["a"], ["b"], ["c"], ["d"]]);
    assert.equal(s.pipelines[0]?.negated, true);
    assert.deepEqual(s.commands.map((c) => [c.name.text, c.connector ?? "", c.pipeline?.length ?? 0]), [
      ["a", "", 4], ["b", "|", 4], ["c", "|", 4], ["d", "|", 4], ["e", "&&", 0],
    ]);
  });

  test("a negated pipeline and a compound stage", () => {
    const s = run("! grep -q x f | cat; (cd /src && ./configure) |& tee log >/dev/null");
    assert.equal(s.pipelines.length, 2);
    assert.equal(s.pipelines[0]?.negated, true);
    assert.equal(s.commands[0]?.negated, true);
    assert.equal(s.commands[1]?.negated, false);
    const second = s.pipelines[1];
    assert.ok(second);
    assert.equal(second.negated, false);
    assert.deepEqual(second.operators, ["|&"]);
    assert.deepEqual(second.stages.map((st) => st.commands.map((c) => c.name.text)), [["cd", "./configure"], ["tee"]]);
    const tee = s.commands.find((c) => c.name.text === "tee");
    assert.ok(tee);
    assert.deepEqual(tee.redirects.map((r) => [r.op, r.target?.text]), [[">", "/dev/null"]], "a trailing redirect belongs to the last stage");
    assert.deepEqual(at(tee.span), [1, 54, 1, 72]);
  });

  test("a single command is no pipeline", () => {
    const s = run("apt-get update");
    assert.deepEqual(s.pipelines, []);
    assert.equal(s.commands[0]?.pipeline, undefined);
  });
});

describe("redirects and heredocs", () => {
  test("operators, descriptors and targets", () => {
    const [cmd] = run("make 2>&1 >>build.log </dev/null &>/dev/null 3<&-").commands;
    assert.ok(cmd);
    assert.deepEqual(cmd.args, []);
    assert.deepEqual(cmd.redirects.map((r) => [r.op, r.descriptor, r.target?.value]), [
      [">&", 2, "1"], [">>", undefined, "build.log"], ["<", undefined, "/dev/null"], ["&>", undefined, "/dev/null"],
      ["<&-", 3, undefined],
    ]);
    const [read] = run("read -r v <<< 'input'").commands;
    assert.deepEqual(read?.redirects.map((r) => [r.op, r.target?.value]), [["<<<", "input"]]);
  });

  test("words after a redirect target are arguments, as bash reads them", () => {
    const [cmd] = run("echo a > out b c").commands;
    assert.ok(cmd);
    assert.deepEqual(cmd.args.map((a) => a.text), ["a", "b", "c"]);
    assert.deepEqual(cmd.redirects.map((r) => r.target?.text), ["out"]);
  });

  test("a heredoc: its body is not commands; its redirect is the command's", () => {
    const s = run("cat <<EOF > /etc/apt/sources.list\ndeb http://x bookworm main\napt-get install evil\nEOF\napt-get update");
    assert.deepEqual(names(s), ["cat", "apt-get"]);
    const [cat, update] = s.commands;
    assert.ok(cat && update);
    assert.deepEqual(cat.redirects.map((r) => [r.op, r.target?.value]), [["<<", "EOF"], [">", "/etc/apt/sources.list"]]);
    const heredoc = cat.redirects[0]?.heredoc;
    assert.ok(heredoc);
    assert.deepEqual({ ...heredoc, bodySpan: at(heredoc.bodySpan) }, {
      delimiter: "EOF", expands: true, stripsTabs: false, body: "deb http://x bookworm main\napt-get install evil\n",
      bodySpan: [2, 1, 4, 1],
    });
    assert.deepEqual(at(cat.span), [1, 5, 1, 38]);
    assert.deepEqual(at(update.span), [5, 1, 5, 15]);
    assert.equal(update.connector, "\n");
  });

  test("a quoted delimiter: the body is literal, so `$(...)` in it runs nothing", () => {
    const literal = run("cat <<'EOF' > /x.sh\n$(whoami)\nEOF");
    assert.deepEqual(names(literal), ["cat"]);
    assert.equal(literal.commands[0]?.redirects[0]?.heredoc?.expands, false);
    const expanding = run("cat <<EOF > /x\nuser: $(whoami)\nEOF");
    assert.deepEqual(names(expanding), ["cat", "whoami"]);
    assert.equal(expanding.commands[1]?.inSubstitution, true);
  });

  test("<<- keeps the body lines as written and says tabs are stripped", () => {
    const s = run("cat <<-EOF > /x\n\tline $(id -u)\n\tEOF");
    assert.deepEqual(names(s), ["cat", "id"]);
    const heredoc = s.commands[0]?.redirects[0]?.heredoc;
    assert.ok(heredoc);
    assert.deepEqual([heredoc.body, heredoc.stripsTabs, at(heredoc.bodySpan)], ["\tline $(id -u)\n", true, [2, 1, 3, 1]]);
  });

  test("the rest of a heredoc's line: a pipe and a list continue after the body is read", () => {
    const s = run("cat <<EOF | sh -e | tee log && echo done\napt-get install x\nEOF\nls");
    assert.deepEqual(s.commands.map(summary), ["cat", "sh -e", "tee log", "echo done", "ls"]);
    assert.deepEqual(s.commands.map((c) => c.connector), [undefined, "|", "|", "&&", "\n"]);
    const [p] = s.pipelines;
    assert.ok(p);
    assert.deepEqual(p.stages.map((st) => st.commands.map((c) => c.name.text)), [["cat"], ["sh"], ["tee"]]);
    assert.deepEqual(at(p.span), [1, 5, 1, 32]);
    assert.deepEqual(s.commands[0]?.redirects.map((r) => r.op), ["<<"]);
  });

  test("a heredoc followed by && alone", () => {
    const s = run("cat <<EOF >/f && chmod +x /f\n#!/bin/sh\nEOF");
    assert.deepEqual(s.commands.map(summary), ["cat", "chmod +x /f"]);
    assert.deepEqual(s.commands.map((c) => c.connector), [undefined, "&&"]);
  });
});

/** What bash makes of each word: its argv after quote removal (globbing off). */
function bashWords(words: readonly string[]): string[] {
  const script = `set -f; printf '%s\\0' ${words.join(" ")}`;
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

describe("word values", () => {
  const words = [
    "plain", "'single $x quoted'", `"double \\"escaped\\" \\$HOME \\\\ \\a"`, `a\\ b`, `"it's"`, `'a'"b"c`,
    `$'tab\\there\\x41\\101\\u00e9\\n'`, `$'it\\'s'`, `--opt="a b"`, `"$"`, "a$", `"a\\\nb"`, "\\*", `""`, "''", "ÿ-é-😀",
    `"x\\y"`, "pkg=1.0-1+deb12u1", `\\ lead`, `"a"\\*`, `'q'\\ x`, `end\\ `, `\\ `, `$"translated"`,
  ];

  test("quote removal matches bash", () => {
    const s = run(`printf ${words.join(" ")}`);
    const [cmd] = s.commands;
    assert.ok(cmd);
    assert.equal(s.hasErrors, false);
    assert.deepEqual(cmd.args.map((a) => a.text), words);
    assert.deepEqual(cmd.args.map((a) => a.value), bashWords(words));
  });

  test("expansions and substitutions leave the value undefined", () => {
    const [cmd] = run('echo $A "${B}" "x$(c)" `d` $((1+2)) "$@" a$1').commands;
    assert.ok(cmd);
    assert.deepEqual(cmd.args.map((a) => a.value), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  test("quote removal matches bash on generated words", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9_.=:+\/-]{1,6}$/),
      fc.stringMatching(/^[a-z $"\\é]{0,6}$/).map((t) => `'${t}'`),
      fc.stringMatching(/^[a-z '\\$`"é]{0,6}$/).map((t) => `"${t.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`),
      fc.stringMatching(/^[a-z*?'" ]$/).map((c) => `\\${c}`),
      fc.stringMatching(/^[a-z]{0,3}$/).map((t) => `$'${t}\\n\\t\\x41'`),
    );
    const wordArb = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
    const generated = fc.sample(wordArb, { numRuns: 300, seed: 42 });
    const s = run(`printf ${generated.join(" ")}`);
    assert.equal(s.hasErrors, false);
    assert.deepEqual(s.commands[0]?.args.map((a) => a.value), bashWords(generated));
  });
});

describe("spans in Dockerfile coordinates", () => {
  test("through line continuations (a MappedText with gaps)", () => {
    const dockerfile = "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      curl=7.88.1 \\\n && rm -rf /var/lib/apt/lists/*\n";
    const text = joinedRun(dockerfile);
    assert.equal(text.text, "apt-get update  && apt-get install -y       curl=7.88.1  && rm -rf /var/lib/apt/lists/*");
    const s = parseBothWays(text);
    const [update, install, rm] = s.commands;
    assert.ok(update && install && rm);
    assert.deepEqual(at(update.span), [2, 5, 2, 19]);
    assert.deepEqual(at(install.name.span), [3, 5, 3, 12]);
    assert.deepEqual(at(install.span), [3, 5, 4, 18], "a command across a continuation ends on the next line");
    assert.deepEqual(install.args.map((a) => at(a.span)), [[3, 13, 3, 20], [3, 21, 3, 23], [4, 7, 4, 18]]);
    assert.deepEqual(at(rm.span), [5, 5, 5, 32]);
    assert.equal(install.args[2]?.span.start.offset, dockerfile.indexOf("curl="));
  });

  test("non-ASCII text: indices are UTF-16, columns count UTF-16 code units", () => {
    const s = run(`echo "héllo 😀 wörld" && apt-get install -y ça`);
    const [echo, install] = s.commands;
    assert.ok(echo && install);
    assert.equal(echo.args[0]?.value, "héllo 😀 wörld");
    assert.deepEqual(at(echo.args[0]?.span ?? echo.span), [1, 10, 1, 26]);
    assert.deepEqual(at(install.name.span), [1, 30, 1, 37]);
    assert.deepEqual(install.args.map((a) => [a.text, at(a.span)]), [["install", [1, 38, 1, 45]], ["-y", [1, 46, 1, 48]], ["ça", [1, 49, 1, 51]]]);
  });
});

describe("sh -c scripts", () => {
  test("a single-quoted script is parsed with spans in the Dockerfile", () => {
    const s = run("sh -c 'apt-get update && apt-get install -y curl'");
    const [sh] = s.commands;
    assert.ok(sh?.nested);
    assert.deepEqual(sh.nested.commands.map(summary), ["apt-get update", "apt-get install -y curl"]);
    const install = sh.nested.commands[1];
    assert.ok(install);
    assert.deepEqual(at(install.name.span), [1, 30, 1, 37]);
    assert.deepEqual(at(install.args[2]?.span ?? install.span), [1, 49, 1, 53]);
    assert.equal(install.connector, "&&");
  });

  test("a double-quoted script with escapes maps every character back", () => {
    const s = run(`sudo -E bash -ec "pip install \\"requests==2.31\\" && echo \\$HOME | tee /log"`);
    const [sudo] = s.commands;
    assert.ok(sudo?.nested);
    assert.deepEqual(sudo.nested.commands.map(summary), ["pip install requests==2.31", "echo <$HOME>", "tee /log"]);
    const pip = sudo.nested.commands[0];
    assert.ok(pip);
    assert.equal(pip.args[1]?.text, `"requests==2.31"`);
    // `\"requests==2.31\"` in the Dockerfile: the word runs from the quote after the first backslash to the last quote.
    assert.deepEqual(at(pip.args[1]?.span ?? pip.span), [1, 36, 1, 53]);
    const echo = sudo.nested.commands[1];
    assert.deepEqual(at(echo?.args[0]?.span ?? sudo.span), [1, 63, 1, 68]);
    assert.equal(sudo.nested.pipelines.length, 1);
  });

  test("nesting across a line continuation", () => {
    const dockerfile = "FROM alpine\nRUN sh -c 'apk add --no-cache \\\n    curl'\n";
    const s = parseBothWays(joinedRun(dockerfile));
    const apk = s.commands[0]?.nested?.commands[0];
    assert.ok(apk);
    assert.deepEqual(apk.args.map((a) => [a.value, at(a.span)]), [["add", [2, 16, 2, 19]], ["--no-cache", [2, 20, 2, 30]], ["curl", [3, 5, 3, 9]]]);
  });

  test("bash -o pipefail -c starts the nested script with pipefail", () => {
    const s = run("bash -o pipefail -c 'curl x | sh'");
    assert.equal(s.pipefail, false);
    assert.equal(s.commands[0]?.nested?.pipefail, true);
  });

  test("no nested script for a dynamic string, a script file or stdin", () => {
    for (const text of [`sh -c "$CMD"`, "sh ./install.sh", "bash -s -- -y", "sh -c", "echo -c 'a b'"]) {
      assert.equal(run(text).commands[0]?.nested, undefined, text);
    }
  });

  test("nested twice", () => {
    const s = run(`sh -c "bash -c 'apt-get install -y x'"`);
    const inner = s.commands[0]?.nested?.commands[0]?.nested?.commands[0];
    assert.ok(inner);
    assert.equal(summary(inner), "apt-get install -y x");
    assert.deepEqual(at(inner.name.span), [1, 21, 1, 28]);
  });
});

describe("bad shell", () => {
  test("a syntax error is reported, not thrown; what parsed is still there", () => {
    const s = run("apt-get install x && ( make ");
    assert.equal(s.hasErrors, true);
    assert.ok(s.errors.length > 0);
    assert.ok(names(s).includes("apt-get"));
  });

  test("deep nesting is cut and reported instead of overflowing the stack; long chains are fine", () => {
    const deep = run(`echo ${"$(echo ".repeat(3000)}x${")".repeat(3000)}`);
    assert.equal(deep.hasErrors, true);
    assert.ok(deep.commands.length > 100 && deep.commands.length < 3001);
    const chain = run(Array.from({ length: 5000 }, (_, i) => `step${i}`).join(" && "));
    assert.equal(chain.hasErrors, false);
    assert.equal(chain.commands.length, 5000);
    assert.deepEqual(chain.commands.slice(0, 3).map((c) => [c.name.text, c.connector]), [["step0", undefined], ["step1", "&&"], ["step2", "&&"]]);
  });

  test("parser options: pipefail from the Dockerfile SHELL", () => {
    assert.equal(run("a | b", { pipefail: true }).pipefail, true);
    assert.equal(run("a | b").pipefail, false);
  });

  test("arbitrary input never throws; commands are in source order with spans inside the script", () => {
    const token = fc.constantFrom(
      "a", "apt-get", "-y", "'q'", '"d $x"', "$(", ")", "`", "|", "&&", "||", ";", "&", "\n", "<<EOF\n", "EOF", "{", "}",
      "(", "if", "then", "fi", "for", "do", "done", "case", "esac", "sh -c", ">", "2>&1", "\\", "é", "😀", "$'x", "#",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const script = tokens.join(" ");
        const s = run(script);
        let last = -1;
        for (const c of s.commands) {
          assert.ok(c.span.start.offset >= last);
          last = c.span.start.offset;
          assert.ok(c.span.start.offset >= 4 && c.span.end.offset <= 4 + script.length + 1);
          assert.ok(c.span.start.offset <= c.span.end.offset);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("cost", () => {
  test("a typical five-line apt-get RUN parses well under 0.2 ms", () => {
    const dockerfile =
      "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      ca-certificates=20230311 \\\n      curl=7.88.1-10+deb12u5 \\\n && rm -rf /var/lib/apt/lists/*\n";
    const text = joinedRun(dockerfile);
    for (let i = 0; i < 300; i++) parseShell(text);
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) parseShell(text);
    const perRun = (performance.now() - t0) / n;
    // Typically ~0.04 ms; the bound leaves room for slow CI machines without hiding a regression of 5x.
    assert.ok(perRun < 0.2, `parseShell took ${perRun.toFixed(3)} ms per RUN`);
  });
});
