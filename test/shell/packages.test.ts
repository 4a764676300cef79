import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RunInstruction } from "../../src/dockerfile/ast.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { commandsOf, runInstructions } from "../../src/dockerfile/query.ts";
import { buildStageGraph, type StageGraph } from "../../src/dockerfile/stages.ts";
import { initShell } from "../../src/shell/parse.ts";
import {
  actionOf, discardedPaths, environmentValue, isPinned, lastUncleaned, normalizePath, packageArgs, packageCommands,
  parsePackageSpec, pathCovers, pathEndsWith, removedPaths, runMounts, type PackageCommand, type PackageManager,
} from "../../src/shell/packages.ts";

await initShell();

function lastRun(dockerfile: string): { run: RunInstruction; stages: StageGraph } {
  const model = parseDockerfile(dockerfile, { file: "Dockerfile" });
  const run = [...runInstructions(model)].pop();
  assert.ok(run, "a RUN");
  return { run, stages: buildStageGraph(model) };
}

function commands(script: string): PackageCommand[] {
  return packageCommands(lastRun(`FROM scratch\nRUN ${script}\n`).run);
}

function only(script: string): PackageCommand {
  const found = commands(script);
  assert.equal(found.length, 1, `one package command in ${script}`);
  return found[0] as PackageCommand;
}

describe("packageCommands", () => {
  test("tool, subcommand, flags before and after it, operands", () => {
    const pc = only("apt-get -o Dpkg::Use-Pty=0 -qy install --no-install-recommends -t bookworm-backports curl vim");
    assert.equal(pc.manager, "apt-get");
    assert.equal(pc.action, "install");
    assert.deepEqual(pc.flags.map((f) => [f.name, f.value, f.global]), [
      ["o", "Dpkg::Use-Pty=0", true], ["q", null, true], ["y", null, true], ["no-install-recommends", null, false],
      ["t", "bookworm-backports", false],
    ]);
    assert.deepEqual(pc.operands.map((w) => w.value), ["curl", "vim"]);
  });

  test("-q=2 as apt writes it is one flag with a value", () => {
    assert.deepEqual(only("apt-get -q=2 install x").flags.map((f) => [f.name, f.value]), [["q", "2"]]);
  });

  test("wrappers, python -m pip, versioned pip names, nested sh -c, heredocs", () => {
    assert.deepEqual(commands("sudo -E env A=1 apt-get update && python3.12 -m pip install x && pip3.11 install y").map((pc) => [pc.manager, pc.action]),
      [["apt-get", "update"], ["pip", "install"], ["pip", "install"]]);
    assert.deepEqual(commands(`sh -c "apk add --no-cache git"`).map((pc) => pc.manager), ["apk"]);
    assert.deepEqual(packageCommands(lastRun("FROM scratch\nRUN <<EOF\nset -e\ndnf5 install -y x\nEOF\n").run).map((pc) => pc.manager), ["dnf"]);
  });

  test("exec form is an invocation without a shell", () => {
    const pc = only(`["npm", "install", "-g", "typescript"]`);
    assert.equal(pc.exec, true);
    assert.deepEqual(pc.operands.map((w) => w.value), ["typescript"]);
  });

  test("not package managers: pipx, pipenv, apt-cache, python scripts, quoted text", () => {
    assert.deepEqual(commands(`pipx install x && pipenv install && apt-cache show x && python setup.py install && echo "apt-get install x"`), []);
  });

  test("go's single-dash long options take values", () => {
    const pc = only(`go install -ldflags "-s -w" -tags netgo -trimpath example.com/x@v1`);
    assert.deepEqual(pc.flags.map((f) => f.name), ["ldflags", "tags", "trimpath"]);
    assert.deepEqual(pc.operands.map((w) => w.value), ["example.com/x@v1"]);
  });

  test("nested subcommands", () => {
    assert.equal(actionOf(only(`yum -y group install "Development Tools"`))?.name, "group install");
    assert.equal(actionOf(only("dnf module install nodejs:20"))?.word.value, "install");
    assert.equal(actionOf(only("yarn cache clean"))?.name, "cache clean");
    assert.equal(actionOf(only("yarn"))?.name, undefined);
  });
});

describe("parsePackageSpec", () => {
  const cases: [PackageManager, string, string, string, string | undefined][] = [
    ["apt-get", "curl", "name", "curl", undefined],
    ["apt-get", "curl=7.88.*", "name", "curl", "=7.88.*"],
    ["apt-get", "vim/bookworm-backports", "name", "vim", "/bookworm-backports"],
    ["apt-get", "./x.deb", "file", "./x.deb", undefined],
    ["apk", "gcc~13", "name", "gcc", "~13"],
    ["apk", "py3-pip@edge", "name", "py3-pip@edge", undefined],
    ["pip", "requests[socks]>=2", "name", "requests[socks]", ">=2"],
    ["pip", "flask", "name", "flask", undefined],
    ["pip", "git+https://github.com/a/b@v1#egg=b", "vcs", "git+https://github.com/a/b@v1#egg=b", "@v1"],
    ["pip", "git+ssh://git@github.com/a/b", "vcs", "git+ssh://git@github.com/a/b", undefined],
    ["pip", "app-1.0-py3-none-any.whl", "file", "app-1.0-py3-none-any.whl", undefined],
    ["npm", "@types/node", "name", "@types/node", undefined],
    ["npm", "@scope/x@1.2.3", "name", "@scope/x", "@1.2.3"],
    ["npm", "user/repo#abc", "vcs", "user/repo", "#abc"],
    ["npm", "x.tgz", "file", "x.tgz", undefined],
    ["gem", "bundler:2.5", "name", "bundler", ":2.5"],
    ["yum", "httpd-tools-2.4.6-99.el7", "name", "httpd-tools", "-2.4.6-99.el7"],
    ["yum", "python3-devel", "name", "python3-devel", undefined],
    ["dnf", "@core", "group", "@core", undefined],
    ["zypper", "git>=2.45", "name", "git", ">=2.45"],
    ["go", "example.com/x@latest", "name", "example.com/x", "@latest"],
    ["go", "main.go", "path", "main.go", undefined],
    ["cargo", "ripgrep@14.1.0", "name", "ripgrep", "@14.1.0"],
  ];
  for (const [manager, value, kind, name, version] of cases) {
    test(`${manager} ${value}`, () => assert.deepEqual(parsePackageSpec(manager, value), { kind, name, version }));
  }

  test("isPinned: names and VCS URLs need a version; files, paths, URLs and groups are pinned", () => {
    assert.equal(isPinned(parsePackageSpec("pip", "git+https://github.com/a/b")), false);
    assert.equal(isPinned(parsePackageSpec("npm", "./dir")), true);
    assert.equal(isPinned(parsePackageSpec("dnf", "@core")), true);
  });
});

describe("packageArgs", () => {
  test("ARG and ENV values expand; unset variables and substitutions are unknown", () => {
    const { run, stages } = lastRun(`FROM debian:12\nARG V=1.2\nENV P=vim\nARG UNSET\nRUN apt-get install -y curl=$V "$P" x=$UNSET $(cat list) y=\${NOPE}\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    assert.deepEqual(packageArgs(pc, stages).map((a) => a.value), ["curl=1.2", "vim", undefined, undefined, undefined]);
  });

  test("an unquoted expansion splits into fields, each a package on the variable's word", () => {
    const { run, stages } = lastRun(`FROM debian:12\nENV DEPS autoconf \t dpkg-dev=1.2  file\nRUN apt-get install -y $DEPS curl\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    const args = packageArgs(pc, stages);
    assert.deepEqual(args.map((a) => [a.value, a.spec?.name, a.word.text]), [
      ["autoconf", "autoconf", "$DEPS"], ["dpkg-dev=1.2", "dpkg-dev", "$DEPS"], ["file", "file", "$DEPS"], ["curl", "curl", "curl"],
    ]);
  });

  test("quoted expansions and literal text do not split; fields join the text around them", () => {
    const { run, stages } = lastRun(`FROM alpine:3.20\nARG L="a b"\nARG E=""\nRUN apk add "$L" x\${L}y 'c d'"$L" $E "" \${L:-z} z\\ w\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    assert.deepEqual(packageArgs(pc, stages).map((a) => a.value), ["a b", "xa", "by", "c da b", "", "a", "b", "z w"]);
  });

  test("options in an expanded variable are not packages, nor the values they take", () => {
    const { run, stages } = lastRun(`FROM debian:12\nARG OPTS="-y -o Dpkg::Options::=--force-confold --no-install-recommends -qt bookworm curl"\nRUN apt-get install $OPTS\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    assert.deepEqual(packageArgs(pc, stages).map((a) => a.value), ["curl"]);
  });

  test("a field split from a word with an unknown part leaves the whole word unknown", () => {
    const { run, stages } = lastRun(`FROM debian:12\nARG L="a b"\nARG UNSET\nRUN apt-get install $L$UNSET "$L$(x)" $1\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    assert.deepEqual(packageArgs(pc, stages).map((a) => a.value), [undefined, undefined, undefined]);
  });

  test("exec-form words are literal", () => {
    const { run, stages } = lastRun(`FROM debian:12\nARG V=1\nRUN ["apt-get", "install", "x=$V"]\n`);
    const pc = packageCommands(run)[0];
    assert.ok(pc);
    assert.deepEqual(packageArgs(pc, stages).map((a) => a.value), ["x=$V"]);
  });
});

describe("mounts and removals", () => {
  test("runMounts reads CSV fields, target aliases, expanded values", () => {
    const { run, stages } = lastRun(`FROM debian:12\nARG D=/var/lib/apt\nRUN --mount=type=cache,target=$D,sharing=locked --mount="type=tmpfs","dst=/tmp//x/" --mount=type=secret,id=t true\n`);
    assert.deepEqual(runMounts(run, stages).map((m) => [m.type, m.target]), [["cache", "/var/lib/apt"], ["tmpfs", "/tmp/x"], ["secret", undefined]]);
    assert.deepEqual(discardedPaths(run, stages), ["/var/lib/apt", "/tmp/x"]);
  });

  test("paths", () => {
    assert.equal(normalizePath("/a//b/./c/../d/"), "/a/b/d");
    assert.equal(pathCovers("/var/lib/apt", "/var/lib/apt/lists"), true);
    assert.equal(pathCovers("/var/lib/ap", "/var/lib/apt/lists"), false);
    assert.equal(pathCovers("/", "/var"), false);
    assert.equal(pathEndsWith("/root/.cache/pip", [".cache", "pip"]), true);
    assert.equal(pathEndsWith("/root/.cache/pip-tools", [".cache", "pip"]), false);
  });

  test("removedPaths: rm operands with trailing globs dropped; not rm → undefined", () => {
    const { run } = lastRun(`FROM debian:12\nRUN rm -rf -- /var/lib/apt/lists/* /var/cache/libdnf5* "$X" /tmp/*.log && ls /x\n`);
    const [rm, ls] = commandsOf(run);
    assert.ok(rm && ls);
    assert.deepEqual(removedPaths(rm), ["/var/lib/apt/lists", "/var/cache/libdnf5"]);
    assert.equal(removedPaths(ls), undefined);
  });

  test("lastUncleaned: the last filling command without a clean after it", () => {
    const { run } = lastRun(`FROM fedora:40\nRUN dnf install -y a-1 && dnf clean all && dnf install -y b-1 && rm -rf /tmp/x\n`);
    const fills = (pc: PackageCommand): boolean => pc.action === "install";
    const cleans = (pc: PackageCommand): boolean => pc.action === "clean";
    assert.equal(lastUncleaned(run, fills, cleans, (p) => p === "/var/cache/dnf")?.operands.at(-1)?.value, "b-1");
    assert.equal(lastUncleaned(run, fills, cleans, (p) => p === "/tmp/x"), undefined);
  });
});

describe("environmentValue", () => {
  test("a command prefix, then an export before the command, then ARG/ENV", () => {
    const { run, stages } = lastRun(`FROM python:3.12\nENV A=env\nRUN export B=exported && A=prefix pip install x && pip install y && export C=late\n`);
    const [first, second] = packageCommands(run);
    assert.ok(first && second);
    assert.equal(environmentValue(first, stages, "A"), "prefix");
    assert.equal(environmentValue(second, stages, "A"), "env");
    assert.equal(environmentValue(second, stages, "B"), "exported");
    assert.equal(environmentValue(second, stages, "C"), undefined);
  });
});
