// The fast path (src/shell/fast.ts) against tree-sitter-bash: on generated scripts of the subset the fast path
// reads, on near-misses it must leave to tree-sitter-bash, and on the RUN scripts of generated Dockerfiles, both
// paths must give the same ShellScript (deep equality, word origins included; see both-paths.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { generateCorpus } from "../../bench/corpus.ts";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { runInstructions, runScripts } from "../../src/dockerfile/query.ts";
import { initShell, parseShell } from "../../src/shell/parse.ts";
import { parseBothWays, takesFastPath } from "./both-paths.ts";
import { mutatedScript, nearMissScript, simpleScript, typicalScript } from "./generated-scripts.ts";

await initShell();

/** The script as the shell of `RUN <script>`, so that offsets and columns are not trivially 0-based. */
function runText(script: string): MappedText {
  const source = new LineIndex(`FROM x\nRUN ${script}\n`);
  return MappedText.contiguous(source, 11, 11 + script.length);
}

/** Checks the property on `runs` scripts; returns the share that took the fast path. */
function sameBothWays(scripts: fc.Arbitrary<string>, runs: number, seed: number): number {
  let fast = 0;
  fc.assert(
    fc.property(scripts, (text) => {
      const mapped = runText(text);
      if (takesFastPath(mapped)) fast++;
      parseBothWays(mapped);
    }),
    { numRuns: runs, seed },
  );
  return fast / runs;
}

describe("the fast path gives what tree-sitter-bash gives", () => {
  test("on typical RUN scripts, nearly all of which it reads itself", () => {
    const share = sameBothWays(typicalScript, 150, 1);
    assert.ok(share > 0.95, `only ${share} took the fast path`);
  });

  test("on scripts of its subset: every quoting, expansion, operator and redirect it reads", () => {
    // Some still fall back: where tree-sitter-bash reads a word or a pipeline oddly, the fast path declines.
    const share = sameBothWays(simpleScript, 1200, 2);
    assert.ok(share > 0.1, `only ${share} took the fast path`);
  });

  test("on near-misses (substitutions, keywords, heredocs, odd redirects, stray operators)", () => {
    sameBothWays(nearMissScript, 800, 3);
  });

  test("on scripts with characters inserted or deleted anywhere", () => {
    sameBothWays(mutatedScript, 600, 4);
  });

  test("on every RUN script of generated Dockerfiles (continuations, heredoc bodies, CRLF)", () => {
    let scripts = 0;
    let fast = 0;
    for (const f of generateCorpus(120, 11)) {
      for (const run of runInstructions(parseDockerfile(f.text, { file: f.file }))) {
        for (const script of runScripts(run)) {
          scripts++;
          if (takesFastPath(script.text)) fast++;
          parseBothWays(script.text);
        }
      }
    }
    assert.ok(scripts > 200 && fast > scripts * 0.9, `${fast} of ${scripts} scripts took the fast path`);
  });
});

describe("what the fast path reads and what it leaves", () => {
  const fast = [
    "apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*",
    "DEBIAN_FRONTEND=noninteractive TZ=\"Europe/Paris\" EMPTY= apt-get install -y tzdata",
    "curl -fsSL https://x | sh -s -- -y; echo \"${HOME:-/root}\" >> /log 2>&1 &",
    "set -eux\napt-get update\n# a comment\npip install 'a[b]' \"c==1\" d\\ e\n",
    "make 2>/dev/null >build.log </dev/null &>/dev/null; echo $? >&2",
    "sh -c 'apt-get update && apt-get install -y curl'",
    "set -eux\r\napt-get update\r\n",
    "export PATH=/opt/bin:$PATH DEBIAN_FRONTEND=noninteractive && unset A B",
    "echo $(id -u)",
    "savedAptMark=\"$(apt-mark showmanual)\"; echo \"deb [arch=$(dpkg --print-architecture)] https://x/$(lsb_release -cs) main\" | tee /x",
    "a $(b | c; d && e) f$(g \"$(h)\")i && j=$(k\n  l # c\n)",
    "(cd /src && make)", "{ make; } > /log 2>&1", "if true; then a; fi", "for p in a \"b c\" $(ls); do x \"$p\"; done",
    "! grep x", "[ -f x ] && y", "a | b | c", "echo $(case x in a) b;; esac)",
    "set -eux; dpkgArch=\"$(dpkg --print-architecture)\"; case \"${dpkgArch##*-}\" in\n  'amd64' | x86_64) arch=x64 ;;\n  *) echo >&2 \"unsupported: $dpkgArch\"; exit 1 ;;\nesac",
    "if [ \"$(id -u)\" != 0 ] && [ -n \"$A\" -a ! -d /x ]; then\n  a\nelif b; then c; else d; fi; while read -r l; do echo \"$l\"; done < /etc/x",
    "{ echo a; echo b; } | tee /f && find / -xdev -type f -perm /4000 -exec chmod u-s {} \\; && test \"$a\" != b",
  ];
  const fallback = [
    "echo `id -u`", "echo $( )", "echo $((1 + 2))", "echo $(a", "echo \" $(id)\"", "echo \"$A $(id)\"", "echo \\ $(id)",
    "cat <<EOF\nx\nEOF", "read x <<< 'y'", "diff <(ls a) b", "X=1 export A", "a=(1 2)", "echo {a,b}", "echo $'x\\n'",
    "a 0<f", "_=x cmd", "echo ${#A}", "echo $1", "f() { a; }", "! { a; }", "[[ $a =~ x ]]", "[ a b ]", "[ -f ]",
    "case x in (a) b;; esac", "case x in a) b;& esac", "for ((i=0; i<3; i++)); do a; done", "for x; do a; done",
    "a | b | c\nd && e", "a | b >f | c", "if a; then b; fi x", "{a; }", "if a then b; fi", "while a; do b; done >(c)",
    "echo >&2 x\\ y", "a | b >f $(c | d)",
  ];
  for (const text of fast) {
    test(`reads ${JSON.stringify(text)}`, () => {
      assert.equal(takesFastPath(runText(text)), true);
      parseBothWays(runText(text));
    });
  }
  for (const text of fallback) {
    test(`leaves ${JSON.stringify(text)} to tree-sitter-bash`, () => {
      assert.equal(takesFastPath(runText(text)), false);
      parseBothWays(runText(text));
    });
  }

  test("fastPath: false is followed into sh -c scripts", () => {
    const text = runText("sh -c 'a && b'");
    const s = parseShell(text, { fastPath: false });
    assert.deepEqual(s.commands[0]?.nested?.commands.map((c) => c.name.text), ["a", "b"]);
    assert.deepStrictEqual(s, parseShell(text));
  });
});
