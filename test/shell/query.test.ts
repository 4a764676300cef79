import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Span } from "../../src/core/finding.ts";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import { parseBothWays } from "./both-paths.ts";
import { initShell, type ShellCommand, type ShellScript } from "../../src/shell/parse.ts";
import {
  allCommands, commandName, commandsNamed, countFlags, flagValues, hasFlag, isWithin, pipefailInEffect,
  pipefailSetting, positionalArgs, shellInvocation, subcommand, unwrap, unwrapOnce,
} from "../../src/shell/query.ts";

await initShell();

function run(script: string, options: { pipefail?: boolean } = {}): ShellScript {
  const source = new LineIndex(`RUN ${script}\n`);
  return parseBothWays(MappedText.contiguous(source, 4, 4 + script.length), options);
}

function first(script: string): ShellCommand {
  const cmd = run(script).commands[0];
  assert.ok(cmd, `no command in ${script}`);
  return cmd;
}

function at(span: Span): [number, number, number, number] {
  return [span.start.line, span.start.column, span.end.line, span.end.column];
}

const values = (words: readonly { value: string | undefined; text: string }[]): string[] => words.map((w) => w.value ?? `<${w.text}>`);

describe("flags", () => {
  test("hasFlag: bundled short flags, long flags, --flag=value", () => {
    assert.equal(hasFlag(first("apt-get -yq install curl"), "y"), true);
    assert.equal(hasFlag(first("apt-get -qy install curl"), ["y", "yes", "assume-yes"]), true);
    assert.equal(hasFlag(first("apt-get install --assume-yes curl"), ["y", "yes", "assume-yes"]), true);
    assert.equal(hasFlag(first("apt-get install --yes=true curl"), "yes"), true);
    assert.equal(hasFlag(first(`apt-get install "-y" curl`), "y"), true);
    assert.equal(hasFlag(first("apt-get install curl"), ["y", "yes"]), false);
    assert.equal(hasFlag(first("apt-get install --yesterday curl"), "yes"), false);
    assert.equal(hasFlag(first("apt-get install --no-install-recommends curl"), "n"), false, "a long flag is no bundle");
  });

  test("hasFlag: nothing after -- is a flag; - alone is an argument", () => {
    assert.equal(hasFlag(first("pip install -- -y"), "y"), false);
    assert.equal(hasFlag(first("tar xf - -C /opt"), "C"), true);
    assert.deepEqual(values(positionalArgs(first("tar xf - -C /opt"), { flagsWithValue: ["C"] })), ["xf", "-"]);
  });

  test("a value-taking flag hides its value: `-o Foo=yes` is no -y", () => {
    const cmd = first("apt-get -oDebug::pkgProblemResolver=yes -o APT::Get::Assume-Yes=false install x");
    assert.equal(hasFlag(cmd, "y"), false);
    assert.equal(hasFlag(cmd, "e"), false);
    assert.equal(countFlags(cmd, "o"), 2);
    // Without the apt-get table the bundle is read letter by letter.
    assert.equal(hasFlag(cmd, "y", { flagsWithValue: [] }), true);
  });

  test("countFlags counts each letter of a bundle and each repetition", () => {
    assert.equal(countFlags(first("apt-get -qq install x"), ["q", "quiet"]), 2);
    assert.equal(countFlags(first("apt-get -q --quiet -yq install x"), ["q", "quiet"]), 3);
    assert.equal(countFlags(first("apt-get install x"), "q"), 0);
  });

  test("flagValues: every way of writing a value, in order", () => {
    const cmd = first(`apt-get -q=2 -o A=1 -oB=2 --option C=3 --option=D=4 --option="$X" install x`);
    assert.deepEqual(flagValues(cmd, "q"), ["2"]);
    assert.deepEqual(flagValues(cmd, ["o", "option"]), ["A=1", "B=2", "C=3", "D=4", undefined]);
    assert.deepEqual(flagValues(first("pip install -i"), "i"), [undefined], "a missing value");
    assert.deepEqual(flagValues(first("curl -fsSLo /tmp/x https://a"), "o"), ["/tmp/x"]);
  });

  test("flagValues treats the asked flag as value-taking even for unknown commands", () => {
    assert.deepEqual(flagValues(first("mytool --level 3 -vL4 run"), ["L", "level"]), ["3", "4"]);
  });
});

describe("positional arguments and subcommands", () => {
  test("apt-get: packages after flags and flag values", () => {
    const cmd = first("apt-get -y -o Dpkg::Options::=--force-confold install --no-install-recommends curl=7.88 ca-certificates");
    assert.equal(subcommand(cmd)?.value, "install");
    assert.deepEqual(values(positionalArgs(cmd)), ["install", "curl=7.88", "ca-certificates"]);
  });

  test("pip: requirement files are flag values, not packages", () => {
    const cmd = first("pip install --no-cache-dir -r requirements.txt --index-url https://x/simple flask==3.0 -c c.txt");
    assert.deepEqual(values(positionalArgs(cmd)), ["install", "flask==3.0"]);
    assert.deepEqual(flagValues(cmd, ["r", "requirement"]), ["requirements.txt"]);
  });

  test("explicit flagsWithValue replaces the table", () => {
    const cmd = first("tool -x a b");
    assert.deepEqual(values(positionalArgs(cmd)), ["a", "b"]);
    assert.deepEqual(values(positionalArgs(cmd, { flagsWithValue: ["x"] })), ["b"]);
  });

  test("arguments after -- are positional even when they look like flags", () => {
    assert.deepEqual(values(positionalArgs(first("npm install -g -- -weird pkg"))), ["install", "-weird", "pkg"]);
  });

  test("no subcommand", () => {
    assert.equal(subcommand(first("apt-get -y")), undefined);
  });
});

describe("names, wrappers and nesting", () => {
  test("commandName is the basename of a static name", () => {
    assert.equal(commandName(first("/usr/bin/apt-get update")), "apt-get");
    assert.equal(commandName(first("./configure")), "configure");
    assert.equal(commandName(first(`"$PIP" install x`)), undefined);
  });

  test("unwrap sees through sudo, env, nice, time and command", () => {
    const cmd = first("sudo -E -u root env DEBIAN_FRONTEND=noninteractive nice -n 10 time -p command apt-get install -y x");
    const inner = unwrap(cmd);
    assert.equal(inner.name.text, "apt-get");
    assert.deepEqual(values(inner.args), ["install", "-y", "x"]);
    assert.deepEqual(inner.assignments.map((a) => [a.name, a.assigned.value]), [["DEBIAN_FRONTEND", "noninteractive"]]);
    assert.deepEqual(at(inner.assignments[0]?.assigned.span ?? inner.span), [1, 41, 1, 55]);
    assert.deepEqual(at(inner.span), [1, 83, 1, 103]);
    assert.deepEqual(at(inner.name.span), [1, 83, 1, 90]);
    assert.equal(inner.wrapper?.name.text, "command");
    assert.equal(unwrapOnce(cmd)?.name.text, "env");
  });

  test("wrappers with operands and python -m", () => {
    assert.deepEqual(values([unwrap(first("timeout -s KILL 30 curl -fsSL x")).name]), ["curl"]);
    assert.deepEqual(values([unwrap(first("gosu app npm ci")).name]), ["npm"]);
    const pip = unwrap(first("python3 -u -m pip install --no-cache-dir flask"));
    assert.equal(pip.name.text, "pip");
    assert.deepEqual(values(pip.args), ["install", "--no-cache-dir", "flask"]);
    assert.equal(unwrap(first("python3 -mpip install x")).name.value, "pip");
  });

  test("no unwrapping when the wrapper runs nothing or is not static", () => {
    for (const text of ["command -v curl", "sudo -l", "python3 setup.py install", "python3 -c 'import x'", "sudo -u $U", "env", "sudo $CMD x"]) {
      assert.equal(unwrapOnce(first(text)), undefined, text);
    }
    const plain = first("apt-get update");
    assert.equal(unwrap(plain), plain);
  });

  test("commandsNamed finds commands behind wrappers and in sh -c scripts", () => {
    const s = run(`sudo apt-get update && /usr/bin/apt-get install -y x; sh -c "apt-get purge y"; echo "apt-get install z"`);
    assert.deepEqual(commandsNamed(s, "apt-get").map((c) => c.args[0]?.value), ["update", "install", "purge"]);
    assert.deepEqual(commandsNamed(s, "apt-get", { wrappers: false }).map((c) => c.args[0]?.value), ["install", "purge"]);
    assert.deepEqual(commandsNamed(s, "apt-get", { nested: false }).map((c) => c.args[0]?.value), ["update", "install"]);
    assert.deepEqual(commandsNamed(s, "sudo").map((c) => c.name.text), ["sudo"]);
    assert.deepEqual(commandsNamed(s, ["sh", "echo"]).map((c) => c.name.text), ["sh", "echo"]);
    assert.deepEqual(allCommands(s).map((c) => c.name.text), ["sudo", "/usr/bin/apt-get", "sh", "apt-get", "echo"]);
  });

  test("cd anywhere, and where it is", () => {
    const s = run("cd /app && (cd sub && make) && for d in a b; do cd $d; done; X=$(cd /tmp && pwd)");
    const cds = commandsNamed(s, "cd");
    assert.equal(cds.length, 4);
    assert.deepEqual(cds.map((c) => [isWithin(c, "subshell"), isWithin(c, "loop"), c.inSubstitution]), [
      [false, false, false], [true, false, false], [false, true, false], [false, false, true],
    ]);
  });

  test("shellInvocation: the -c script and pipefail", () => {
    const cases: [string, string | undefined, boolean][] = [
      ["sh -c 'a | b'", "a | b", false],
      ["bash -ec 'a'", "a", false],
      ["bash -euxo pipefail -c 'a'", "a", true],
      ["/bin/bash -o pipefail -c 'a'", "a", true],
      ["bash -c -- 'a'", "a", false],
      ["sudo -u app bash -lc 'a'", "a", false],
      ["sh install.sh", undefined, false],
      ["sh -s -- -y", undefined, false],
      ["python -c 'a'", undefined, false],
    ];
    for (const [text, script, pipefail] of cases) {
      const inv = shellInvocation(first(text));
      assert.equal(inv?.script.value, script, text);
      if (inv !== undefined) assert.equal(inv.pipefail, pipefail, text);
    }
  });
});

describe("pipefail", () => {
  function pipefailOfLastPipeline(script: string, initially?: boolean): boolean {
    const s = run(script);
    const p = s.pipelines[s.pipelines.length - 1];
    assert.ok(p, `no pipeline in ${script}`);
    return pipefailInEffect(s, p, initially === undefined ? {} : { initially });
  }

  test("set -o pipefail in any spelling before the pipeline", () => {
    for (const text of [
      "set -o pipefail && curl x | sh",
      "set -eo pipefail; curl x | sh",
      "set -euxo pipefail\ncurl x | sh",
      "set -e -o errexit -o pipefail; curl x | sh",
      "set -Eeuo pipefail && if true; then curl x | sh; fi",
    ]) {
      assert.equal(pipefailOfLastPipeline(text), true, text);
    }
  });

  test("not in effect: after the pipeline, switched off, in a subshell or substitution, or never", () => {
    for (const text of [
      "curl x | sh; set -o pipefail",
      "set -o pipefail; set +o pipefail; curl x | sh",
      "(set -o pipefail); curl x | sh",
      "X=$(set -o pipefail); curl x | sh",
      "f() { set -o pipefail; }; curl x | sh",
      "set -e; curl x | sh",
      "echo set -o pipefail; curl x | sh",
      "set -- -o pipefail; curl x | sh",
    ]) {
      assert.equal(pipefailOfLastPipeline(text), false, text);
    }
  });

  test("a set in the same subshell as the pipeline counts", () => {
    assert.equal(pipefailOfLastPipeline("(set -o pipefail; curl x | sh)"), true);
  });

  test("the starting state: SHELL with -o pipefail, or bash -o pipefail -c", () => {
    assert.equal(pipefailOfLastPipeline("curl x | sh", true), true);
    assert.equal(pipefailOfLastPipeline("set +o pipefail; curl x | sh", true), false);
    const s = run("curl x | sh", { pipefail: true });
    assert.equal(pipefailInEffect(s, s.pipelines[0] ?? assert.fail()), true);
    const nested = run("bash -o pipefail -c 'curl x | sh'").commands[0]?.nested;
    assert.ok(nested);
    assert.equal(pipefailInEffect(nested, nested.pipelines[0] ?? assert.fail()), true);
  });

  test("pipefailSetting reads one set command", () => {
    assert.equal(pipefailSetting(first("set -o pipefail")), true);
    assert.equal(pipefailSetting(first("set +o pipefail")), false);
    assert.equal(pipefailSetting(first("set -oo errexit pipefail")), true);
    assert.equal(pipefailSetting(first("set -e")), undefined);
    assert.equal(pipefailSetting(first("echo -o pipefail")), undefined);
  });
});
