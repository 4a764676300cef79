import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempTree } from "../helpers/cli.ts";

const ROOT = join(import.meta.dirname, "../..");
const BAD = "FROM node:latest\nWORKDIR app\nCMD npm start\n";

/** The rule ids of a JSON report, keeping only those named (other rules may fire on the same text). */
function rulesIn(stdout: string, only: readonly string[]): string[] {
  return (JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule).filter((r) => only.includes(r));
}

describe("drydock lint: examples", () => {
  test("the README tour: findings with exact positions, exit 1", async () => {
    const r = await runCli(["lint", "examples/"], { cwd: ROOT });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^examples\/webapp\/Dockerfile:2:6: warning DL3007 /m);
    assert.match(r.stdout, /^examples\/webapp\/Dockerfile:4:9: error DL3000 /m);
    const hardened = r.stdout.split("\n").filter((l) => l.startsWith("examples/hardened/"));
    assert.deepEqual(hardened.map((l) => l.split(" ")[2]), ["DD002", "DD002"], "the hardened example only lacks digests");
    assert.doesNotMatch(r.stdout, /\x1b\[/, "no colour when stdout is not a terminal");
  });

  test("a clean Dockerfile exits 0", async () => {
    const r = await runCli(["lint", "examples/hardened/Dockerfile", "--ignore", "DD002"], { cwd: ROOT });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe("drydock lint: inputs", () => {
  const t = tempTree({
    "Dockerfile": BAD,
    "svc/Containerfile": "FROM alpine\n",
    "svc/api.Dockerfile": "FROM alpine:3.20\nMAINTAINER x\n",
    "svc/Dockerfile.prod": "FROM alpine:3.20\nWORKDIR rel\n",
    "svc/Dockerfile.dockerignore": "node_modules\n",
    "node_modules/pkg/Dockerfile": "FROM alpine\n",
    "notes.txt": "FROM alpine\n",
    "binary/Dockerfile": Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0x61, 0x0a, 0x00, 0xff, 0xfe]),
    "heredoc/Dockerfile": "FROM alpine:3.20\nRUN <<EOF\necho never closed\n",
    "json/Dockerfile": 'FROM alpine:3.20\nCMD ["echo", "no closing quote]\n',
    "empty/Dockerfile": "# only a comment\n",
  });
  symlinkSync(t.dir, join(t.dir, "svc", "loop"));
  after(t.cleanup);

  test("directories are searched by naming convention, skipping node_modules and symlink loops", async () => {
    const r = await runCli(["lint", "svc", "--format", "json"], { cwd: t.dir });
    const files = new Set((JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file));
    assert.deepEqual([...files].sort(), ["svc/Containerfile", "svc/Dockerfile.prod", "svc/api.Dockerfile"]);
  });

  test("stdin with - and a display name", async () => {
    const r = await runCli(["lint", "-", "--stdin-filename", "from-stdin.Dockerfile"], { cwd: t.dir, stdin: BAD });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^from-stdin\.Dockerfile:2:9: error DL3000/m);
  });

  const inputErrors: [string, string, RegExp][] = [
    ["binary file", "binary/Dockerfile", /binary\/Dockerfile:2:1: error: binary data/],
    ["unterminated heredoc", "heredoc/Dockerfile", /heredoc\/Dockerfile:2:1: error: unterminated heredoc/],
    ["invalid exec-form JSON", "json/Dockerfile", /json\/Dockerfile:2:5: error: looks like an exec-form/],
    ["a file with no instructions", "empty/Dockerfile", /empty\/Dockerfile:2:1: error: file with no instructions/],
    ["a missing file", "nope/Dockerfile", /nope\/Dockerfile: error: nope\/Dockerfile: no such file or directory/],
  ];
  for (const [name, file, pattern] of inputErrors) {
    test(`${name}: a clear error with file:line:col, exit 2`, async () => {
      const r = await runCli(["lint", file], { cwd: t.dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, pattern);
      assert.equal(r.stderr, "");
    });
  }

  test("a 10 MB single line: exit 2, no crash", async () => {
    const big = tempTree({ Dockerfile: `FROM a\nRUN ${"x".repeat(10 * 1024 * 1024)}\n` });
    try {
      const r = await runCli(["lint", "Dockerfile", "--format", "json"], { cwd: big.dir });
      assert.equal(r.code, 2);
      const out = JSON.parse(r.stdout) as { errors: { line: number; code: string }[] };
      assert.deepEqual(out.errors.map((e) => [e.line, e.code]), [[2, "INPUT_TOO_LARGE"]]);
    } finally {
      big.cleanup();
    }
  });

  test("other files are still linted next to one that fails", async () => {
    const r = await runCli(["lint", "binary/Dockerfile", "Dockerfile"], { cwd: t.dir });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^Dockerfile:2:9: error DL3000/m);
  });
});

describe("drydock lint: policy from the command line, config and pragmas", () => {
  test("--ignore by id and by alias", async () => {
    const watched = ["DL3000", "DL3007", "DL3025", "JSONArgsRecommended"];
    const all = await runCli(["lint", "-", "--format", "json"], { stdin: BAD });
    // JSONArgsRecommended says what DL3025 says at the same place: one finding is shown.
    assert.deepEqual(rulesIn(all.stdout, watched).sort(), ["DL3000", "DL3007", "DL3025"]);
    const r = await runCli(["lint", "-", "--ignore", "DL3007", "--ignore", "hadolint:DL3025", "--format", "json"], { stdin: BAD });
    assert.deepEqual(rulesIn(r.stdout, watched), ["DL3000", "JSONArgsRecommended"]);
    const both = await runCli(["lint", "-", "--ignore", "DL3025", "--ignore", "buildkit:JSONArgsRecommended", "--format", "json"], { stdin: BAD });
    assert.deepEqual(rulesIn(both.stdout, watched), ["DL3007", "DL3000"]);
  });

  test("--severity-override and --failure-threshold decide the exit code", async () => {
    // Only DL3007 (a warning) and drydock's own digest/user rules fire; those are switched off here.
    const input = "FROM node:latest\nUSER 1000\n";
    const base = ["--ignore", "DD002"];
    const lint = (args: string[]) => runCli(["lint", "-", ...base, ...args], { stdin: input });
    assert.equal((await lint([])).code, 1);
    assert.equal((await lint(["--failure-threshold", "error"])).code, 0);
    assert.equal((await lint(["--failure-threshold", "error", "--severity-override", "DL3007=error"])).code, 1);
    assert.equal((await lint(["--severity-override", "DL3007=off"])).code, 0);
    assert.equal((await lint(["--no-fail"])).code, 0);
  });

  test(".hadolint.yaml in the working directory is read as is", async () => {
    const t = tempTree({ ".hadolint.yaml": "ignored:\n  - DL3007\nfailure-threshold: error\n", Dockerfile: "FROM node:latest\nMAINTAINER x\n" });
    try {
      const r = await runCli(["lint", "Dockerfile", "--format", "json"], { cwd: t.dir });
      assert.deepEqual(rulesIn(r.stdout, ["DL3007", "DL4000"]), ["DL4000"]);
      assert.equal(r.code, 1);
    } finally {
      t.cleanup();
    }
  });

  // hadolint ships DL1001 switched off and turns it on when an override gives it a level.
  test("an override that gives an opt-in rule a level turns it on (.hadolint.yaml, drydock.yaml, --severity-override)", async () => {
    const dockerfile = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n";
    const t = tempTree({ ".hadolint.yaml": "override:\n  error:\n    - DL1001\n", Dockerfile: dockerfile, "b/drydock.yaml": "severity:\n  DL3057: info\n", "b/Dockerfile": dockerfile });
    try {
      const hadolintStyle = await runCli(["lint", "Dockerfile", "--format", "json"], { cwd: t.dir });
      assert.deepEqual(rulesIn(hadolintStyle.stdout, ["DL1001", "DL3057"]), ["DL1001"]);
      const drydockStyle = await runCli(["lint", "Dockerfile", "--format", "json"], { cwd: join(t.dir, "b") });
      assert.deepEqual(rulesIn(drydockStyle.stdout, ["DL1001", "DL3057"]), ["DL3057"]);
      const cli = await runCli(["lint", "Dockerfile", "--format", "json", "--severity-override", "DL3057=warning", "--severity-override", "DL1001=off"], { cwd: t.dir });
      assert.deepEqual(rulesIn(cli.stdout, ["DL1001", "DL3057"]), ["DL3057"]);
    } finally {
      t.cleanup();
    }
  });

  test("a broken config file: exit 2 with file:line:col", async () => {
    const t = tempTree({ "drydock.yaml": "ignore:\n  - DL3007\nfailureThreshold: sometimes\n", Dockerfile: "FROM a:1\n" });
    try {
      const r = await runCli(["lint", "Dockerfile"], { cwd: t.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /drydock\.yaml:3:\d+: .*failureThreshold/);
    } finally {
      t.cleanup();
    }
  });

  test("hadolint and BuildKit pragmas", async () => {
    const text = "# check=skip=JSONArgsRecommended\nFROM node:20\n# hadolint ignore=DL3000\nWORKDIR app\nWORKDIR rel\nCMD npm start\n";
    const r = await runCli(["lint", "-", "--format", "json"], { stdin: text });
    const found = (JSON.parse(r.stdout) as { findings: { rule: string; line: number }[] }).findings
      .filter((f) => ["DL3000", "DL3025", "JSONArgsRecommended"].includes(f.rule)).map((f) => [f.rule, f.line]);
    assert.deepEqual(found, [["DL3000", 5], ["DL3025", 6]]);
  });

  test("usage errors exit 2", async () => {
    assert.equal((await runCli(["lint", "--format", "yaml", "-"], { stdin: BAD })).code, 2);
    assert.equal((await runCli(["lint", "--no-such-flag"])).code, 2);
    assert.equal((await runCli(["lint", "-", "--severity-override", "DL3007"], { stdin: BAD })).code, 2);
    assert.equal((await runCli(["frobnicate"])).code, 2);
  });
});

describe("drydock lint: output", () => {
  test("JSON follows the documented contract", async () => {
    const r = await runCli(["lint", "-", "--stdin-filename", "Dockerfile", "--format", "json", "--ignore", "DD001", "--ignore", "DD002", "--ignore", "WorkdirRelativePath"], { stdin: "FROM debian:12\nWORKDIR app\n" });
    assert.deepEqual(JSON.parse(r.stdout), {
      version: 1,
      findings: [{
        rule: "DL3000", aliases: ["hadolint:DL3000"], severity: "error", message: 'Use absolute WORKDIR: "app" is relative',
        file: "Dockerfile", line: 2, column: 9, endLine: 2, endColumn: 12, source: "hadolint",
      }],
      errors: [],
    });
  });

  test("SARIF carries the same finding with rule metadata", async () => {
    const r = await runCli(["lint", "-", "--stdin-filename", "Dockerfile", "--format", "sarif", "--ignore", "DD001", "--ignore", "DD002", "--ignore", "WorkdirRelativePath"], { stdin: "FROM debian:12\nWORKDIR app\n" });
    const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    assert.equal(log.version, "2.1.0");
    const run = log.runs[0]!;
    const result = run.results[0]!;
    assert.equal(result.ruleId, "DL3000");
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, "DL3000");
    assert.deepEqual(result.locations[0]?.physicalLocation.region.startLine, 2);
    assert.deepEqual(result.locations[0]?.physicalLocation.region.startColumn, 9);
  });

  test("--color always colours, NO_COLOR does not stop an explicit request", async () => {
    const r = await runCli(["lint", "-", "--color", "always"], { stdin: BAD, env: { NO_COLOR: "1" } });
    assert.match(r.stdout, /\x1b\[/);
  });

  test("--output writes the whole report and nothing else", async () => {
    const t = tempTree({ Dockerfile: BAD });
    try {
      const r = await runCli(["lint", "Dockerfile", "--format", "json", "--output", "report.json"], { cwd: t.dir });
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.equal((JSON.parse(readFileSync(join(t.dir, "report.json"), "utf8")) as { version: number }).version, 1);
      assert.deepEqual(readdirSync(t.dir).sort(), ["Dockerfile", "report.json"], "no temporary file left behind");
    } finally {
      t.cleanup();
    }
  });

  test("--output into a missing directory: exit 2, nothing written", async () => {
    const t = tempTree({ Dockerfile: BAD });
    try {
      const r = await runCli(["lint", "Dockerfile", "--output", "no/such/dir/report.txt"], { cwd: t.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot write/);
      assert.equal(existsSync(join(t.dir, "no")), false);
    } finally {
      t.cleanup();
    }
  });
});

describe("drydock parse and rules", () => {
  test("parse --dump prints BuildKit's dump", async () => {
    const r = await runCli(["parse", "--dump", "-"], { stdin: "FROM a AS b\nRUN --mount=type=cache,target=/x make\n" });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '(from "a" "AS" "b")\n(run ["--mount=type=cache,target=/x"] "make")\n');
  });

  test("parse --json prints the tree with positions", async () => {
    const r = await runCli(["parse", "--json", "-"], { stdin: "FROM a\n" });
    const tree = JSON.parse(r.stdout) as { instructions: { kind: string; keywordSpan: { start: { line: number } } }[] };
    assert.equal(tree.instructions[0]?.kind, "from");
    assert.equal(tree.instructions[0]?.keywordSpan.start.line, 1);
  });

  test("parse of a broken file: exit 2 with file:line:col", async () => {
    const r = await runCli(["parse", "-"], { stdin: "FROM a\nENV PATH\n" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /<stdin>:2:1: ENV must have two arguments \[DOCKERFILE_SYNTAX\]/);
  });

  test("rules lists every rule; rules ID shows its docs; by alias too", async () => {
    const list = await runCli(["rules"]);
    assert.match(list.stdout, /^DL3000 +error +hadolint +Use absolute WORKDIR$/m);
    assert.match(list.stdout, /^DI001 +warning +dockle /m, "image checks are listed");
    assert.match(list.stdout, /^DR001 +error +cis /m, "runtime checks are listed");
    assert.match((await runCli(["rules", "dockle:CIS-DI-0001"])).stdout, /^# DI001: /);
    const one = await runCli(["rules", "buildkit:MaintainerDeprecated"]);
    assert.match(one.stdout, /^# DL4000: MAINTAINER is deprecated/);
    assert.equal((await runCli(["rules", "DL9999"])).code, 2);
  });
});

describe("drydock lint: build arguments", () => {
  test("BUILDKIT_DOCKERFILE_CHECK replaces the file's check directive", async () => {
    const text = "# check=skip=JSONArgsRecommended\nFROM node:20\nCMD npm start\n";
    const rules = async (args: string[]) =>
      (JSON.parse((await runCli(["lint", "-", "--format", "json", ...args], { stdin: text })).stdout) as { findings: { rule: string; severity: string }[] })
        .findings.filter((f) => ["DL3025", "JSONArgsRecommended"].includes(f.rule)).map((f) => `${f.rule}:${f.severity}`);
    assert.deepEqual(await rules(["--ignore", "DL3025"]), []);
    assert.deepEqual(await rules(["--ignore", "DL3025", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK=error=true"]), ["JSONArgsRecommended:error"]);
  });

  test("--build-arg gives ARGs their values", async () => {
    const text = "ARG BASE=debian:12\nFROM ${BASE}\n";
    const r = await runCli(["lint", "-", "--format", "json", "--build-arg", "BASE=debian"], { stdin: text });
    assert.deepEqual(rulesIn(r.stdout, ["DL3006", "DL3007"]), ["DL3006"]);
    const defaults = await runCli(["lint", "-", "--format", "json"], { stdin: text });
    assert.deepEqual(rulesIn(defaults.stdout, ["DL3006", "DL3007"]), []);
  });
});
