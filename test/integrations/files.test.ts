// The CI and editor integration files: the GitHub Action, the GitLab CI template and the pre-commit hooks. Each
// parses, has the fields its system requires, and its commands are run here against the real CLI (through a
// `drydock` shim on PATH), so a misspelt flag or a broken script fails this test, not a user's pipeline.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { parse } from "yaml";
import { isDockerfileName } from "../../src/cli/io.ts";
import type { SarifLog } from "../../src/report/sarif.ts";
import { runCli } from "../helpers/cli.ts";
import { xmllint } from "../report/tools.ts";

const ROOT = join(import.meta.dirname, "../..");
const ENTRY = join(ROOT, "src/cli/entry.ts");
const SHOP = join(ROOT, "examples/shop");

const work = mkdtempSync(join(tmpdir(), "drydock-integrations-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A directory holding a `drydock` executable that runs the CLI from source, as the installed bin would. */
const shimDir = join(work, "bin");
mkdirSync(shimDir);
writeFileSync(join(shimDir, "drydock"), `#!/bin/sh\nexec "${process.execPath}" "${ENTRY}" "$@"\n`, { mode: 0o755 });

/** The environment a CI runner would give: the shim first on PATH, no colour, no vulnerability database. */
function ciEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: [shimDir, join(process.execPath, ".."), process.env["PATH"] ?? ""].join(delimiter),
    NO_COLOR: "1",
    DRYDOCK_DB: join(work, "no-such.db"),
    ...extra,
  };
}

interface ShellRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CI script as the runner would; `args` become "$@". Async, so the scenarios of a describe run side by side. */
function runShell(shell: "bash" | "sh", script: string, cwd: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<ShellRun> {
  // GitHub runs `bash --noprofile --norc -eo pipefail`; GitLab runs its script lines with errexit.
  const flags = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [...flags, "-c", script, shell, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** A copy of examples/shop to run in, so reports are not written into the repository. */
function shopCopy(name: string): string {
  const dir = join(work, name);
  cpSync(SHOP, dir, { recursive: true });
  return dir;
}

const helpCache = new Map<string, Promise<string>>();
/** `drydock COMMAND --help`, asked once per command (tests run side by side share the answer). */
function helpOf(command: string): Promise<string> {
  const cached = helpCache.get(command);
  if (cached !== undefined) return cached;
  const help = runCli([command, "--help"]).then((r) => {
    assert.equal(r.code, 0, `drydock ${command} --help: ${r.stderr}`);
    return r.stdout;
  });
  helpCache.set(command, help);
  return help;
}

/** Long flags (--name) written in a script; single-dash tokens there are shell test operators. */
function longFlags(script: string): string[] {
  return [...new Set([...script.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))];
}

async function assertFlagsExist(command: string, flags: readonly string[]): Promise<void> {
  const help = await helpOf(command);
  for (const flag of flags) {
    assert.match(help, new RegExp(`(^|[\\s,])${flag}(?=[\\s,=<]|$)`, "m"), `drydock ${command} has no ${flag}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function record(v: unknown, what: string): Record<string, unknown> {
  assert.ok(isRecord(v), `${what} is a mapping`);
  return v;
}

function string(v: unknown, what: string): string {
  assert.equal(typeof v, "string", `${what} is a string`);
  return v as string;
}

function readYaml(file: string): unknown {
  return parse(readFileSync(join(ROOT, file), "utf8"), { prettyErrors: true, uniqueKeys: true });
}

function githubOutputs(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, "utf8").split("\n").filter((l) => l.includes("=")).map((l) => {
    const i = l.indexOf("=");
    return [l.slice(0, i), l.slice(i + 1)];
  }));
}

describe("action.yml (GitHub composite action)", { concurrency: true }, () => {
  const action = record(readYaml("action.yml"), "action.yml");
  const inputs = record(action["inputs"], "inputs");
  const outputs = record(action["outputs"], "outputs");
  const runs = record(action["runs"], "runs");
  const steps = runs["steps"];
  assert.ok(Array.isArray(steps));
  const checkStep = record(steps.find((s) => isRecord(s) && s["id"] === "check"), "the step with id check");
  const checkScript = string(checkStep["run"], "the check step's run");
  const text = readFileSync(join(ROOT, "action.yml"), "utf8");

  test("has a name, a description, inputs and outputs with descriptions, runs.using composite", () => {
    string(action["name"], "name");
    string(action["description"], "description");
    assert.equal(runs["using"], "composite");
    for (const [name, input] of Object.entries(inputs)) {
      assert.match(name, /^[a-z][a-z-]*$/);
      string(record(input, `input ${name}`)["description"], `input ${name}'s description`);
    }
    for (const [name, output] of Object.entries(outputs)) {
      string(record(output, `output ${name}`)["description"], `output ${name}'s description`);
      string(record(output, `output ${name}`)["value"], `output ${name}'s value`);  // composite outputs need a value
    }
    for (const name of ["path", "format", "failure-threshold", "baseline"]) assert.ok(name in inputs, `input ${name}`);
  });

  test("every step either runs a script with a shell or uses a pinned action; SARIF goes to upload-sarif", () => {
    for (const s of steps) {
      const step = record(s, "step");
      if (step["uses"] !== undefined) {
        assert.match(string(step["uses"], "uses"), /^[\w.-]+\/[\w./-]+@v\d+$/);
        assert.equal(step["run"], undefined);
      } else {
        string(step["run"], "run");
        assert.equal(step["shell"], "bash", "a composite action's run step must name its shell");
      }
    }
    const upload = steps.map((s) => record(s, "step")).find((s) => String(s["uses"]).startsWith("github/codeql-action/upload-sarif@"));
    assert.ok(upload !== undefined, "a step uploads SARIF");
    assert.ok("sarif_file" in record(upload["with"], "upload-sarif with"));
  });

  test("every expression names an input or step output that exists", () => {
    for (const m of text.matchAll(/\binputs\.([\w-]+)/g)) assert.ok(m[1] !== undefined && m[1] in inputs, `inputs.${m[1]}`);
    const ids = new Set(steps.map((s) => record(s, "step")["id"]).filter((id) => id !== undefined));
    for (const m of text.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      assert.ok(ids.has(m[1] ?? ""), `steps.${m[1]}`);
      assert.match(checkScript, new RegExp(`"${m[2]}=`), `the step writes ${m[2]} to GITHUB_OUTPUT`);
    }
  });

  test("the check step's flags are drydock check's flags", async () => {
    const flags = longFlags(checkScript);
    for (const flag of ["--failure-threshold", "--baseline", "--no-baseline", "--no-fail"]) assert.ok(flags.includes(flag), flag);
    await assertFlagsExist("check", flags);
  });

  /** Runs the check step as the runner would: inputs (defaults, then `with`) through the step's env mapping. */
  async function runCheckStep(withInputs: Record<string, string>): Promise<{ status: number | null; stderr: string; outputs: Record<string, string>; dir: string }> {
    const values: Record<string, string> = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = String(record(input, name)["default"] ?? "");
    Object.assign(values, withInputs);
    const env: Record<string, string> = {};
    for (const [key, expr] of Object.entries(record(checkStep["env"], "check step env"))) {
      const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(string(expr, key));
      assert.ok(m?.[1] !== undefined, `${key} comes straight from an input`);
      env[key] = values[m[1]] ?? "";
    }
    const dir = shopCopy(`action-${Object.keys(withInputs).join("-")}-${Math.random().toString(36).slice(2)}`);
    const outputFile = join(dir, "github-output");
    writeFileSync(outputFile, "");
    const run = await runShell("bash", checkScript, dir, ciEnv({ ...env, GITHUB_OUTPUT: outputFile }));
    return { status: run.status, stderr: run.stderr, outputs: githubOutputs(outputFile), dir };
  }

  test("the check step with its defaults writes a SARIF report of the findings and records exit code 1", async () => {
    const r = await runCheckStep({});
    assert.equal(r.status, 0, `the step itself succeeds so the upload can run: ${r.stderr}`);
    assert.equal(r.outputs["exit-code"], "1", r.stderr);
    assert.equal(r.outputs["report"], "drydock.sarif");
    const log = JSON.parse(readFileSync(join(r.dir, "drydock.sarif"), "utf8")) as SarifLog;
    assert.equal(log.version, "2.1.0");
    const rules = new Set(log.runs[0].results.map((res) => res.ruleId));
    for (const id of ["DR001", "DR004", "DL3020", "DL3008"]) assert.ok(rules.has(id), `${id} in ${[...rules].join(" ")}`);
    assert.match(r.stderr, /^area +targets +error/m, "the summary table is in the log");
  });

  test("failure-threshold, baseline none, another format: the flags are accepted; findings still fail", async () => {
    const r = await runCheckStep({ "failure-threshold": "error", baseline: "none", format: "json", output: "report.json" });
    assert.equal(r.outputs["exit-code"], "1", r.stderr);
    const report = JSON.parse(readFileSync(join(r.dir, "report.json"), "utf8")) as { findings: unknown[] };
    assert.ok(report.findings.length > 0);
  });

  test("fail-on-findings false: the findings are reported and the exit code is 0", async () => {
    const r = await runCheckStep({ "fail-on-findings": "false" });
    assert.equal(r.outputs["exit-code"], "0", r.stderr);
    const log = JSON.parse(readFileSync(join(r.dir, "drydock.sarif"), "utf8")) as SarifLog;
    assert.ok(log.runs[0].results.length > 0);
  });

  test("a baseline written by drydock check suppresses every finding through the baseline input", async () => {
    const dir = shopCopy("action-baseline-source");
    const written = await runCli(["check", "--baseline", "write", "--baseline-file", join(work, "accepted.json")], {
      cwd: dir, env: { DRYDOCK_DB: join(work, "no-such.db") },
    });
    assert.equal(written.code, 0, written.stderr);
    const r = await runCheckStep({ baseline: join(work, "accepted.json") });
    assert.equal(r.outputs["exit-code"], "0", r.stderr);
  });
});

describe("ci/gitlab/drydock.gitlab-ci.yml (GitLab CI template)", { concurrency: true }, () => {
  const template = record(readYaml("ci/gitlab/drydock.gitlab-ci.yml"), "template");
  const job = record(template["drydock"], "job drydock");
  const script = job["script"];
  assert.ok(Array.isArray(script) && script.every((line) => typeof line === "string"), "script is a list of strings");
  const scriptText = script.join("\n");
  const variables = record(job["variables"], "variables");

  test("the job has an image, a script, and Code Quality, JUnit and SARIF artifacts kept on failure", () => {
    string(job["image"], "image");
    const artifacts = record(job["artifacts"], "artifacts");
    assert.equal(artifacts["when"], "always", "reports are kept when findings fail the job");
    const reports = record(artifacts["reports"], "artifacts.reports");
    const codequality = string(reports["codequality"], "reports.codequality");
    const junit = string(reports["junit"], "reports.junit");
    const paths = artifacts["paths"];
    assert.ok(Array.isArray(paths));
    for (const file of [codequality, junit, "drydock.sarif"]) {
      assert.ok(paths.includes(file), `artifacts.paths has ${file}`);
      assert.ok(scriptText.includes(`--output ${file}`), `the script writes ${file}`);
    }
    for (const [name, value] of Object.entries(variables)) {
      assert.match(name, /^DRYDOCK_[A-Z_]+$/);
      assert.equal(typeof value, "string", `${name} is a string (GitLab variables are strings)`);
    }
  });

  test("the script's flags are drydock check's flags", async () => {
    assert.match(scriptText, /\bdrydock "\$@"/);
    assert.match(scriptText, /set -- check /);
    await assertFlagsExist("check", longFlags(scriptText));
  });

  async function runJob(overrides: Record<string, string>): Promise<ShellRun & { dir: string }> {
    const dir = shopCopy(`gitlab-${Object.keys(overrides).join("-")}-${Math.random().toString(36).slice(2)}`);
    const env = Object.fromEntries(Object.entries({ ...variables, ...overrides }).map(([k, v]) => [k, String(v)]));
    return { ...(await runShell("sh", scriptText, dir, ciEnv(env))), dir };
  }

  test("the script run by sh writes all three reports and fails on findings", async () => {
    const r = await runJob({});
    assert.equal(r.status, 1, r.stderr);
    const issues = JSON.parse(readFileSync(join(r.dir, "gl-code-quality-report.json"), "utf8")) as {
      check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } };
    }[];
    assert.ok(issues.some((i) => i.check_name === "DR001" && i.location.path === "compose.yaml" && i.location.lines.begin === 26));
    for (const i of issues) {
      assert.match(i.fingerprint, /^[0-9a-f]{64}$/);
      assert.ok(["info", "minor", "major", "critical", "blocker"].includes(i.severity));
    }
    const sarif = JSON.parse(readFileSync(join(r.dir, "drydock.sarif"), "utf8")) as SarifLog;
    assert.equal(sarif.runs[0].results.length, issues.length);
    const junit = readFileSync(join(r.dir, "drydock-junit.xml"), "utf8");
    assert.equal(xmllint(["--noout"], junit).status, 0, "the JUnit report is well-formed XML");
  });

  test("DRYDOCK_ARGS=--no-fail passes with the reports written; threshold and baseline variables are accepted", async () => {
    const r = await runJob({ DRYDOCK_FAILURE_THRESHOLD: "error", DRYDOCK_BASELINE: "none", DRYDOCK_ARGS: "--no-fail --no-scan --profile restricted" });
    assert.equal(r.status, 0, r.stderr);
    const issues = JSON.parse(readFileSync(join(r.dir, "gl-code-quality-report.json"), "utf8")) as unknown[];
    assert.ok(issues.length > 10, "the restricted profile adds the missing-hardening findings");
  });
});

describe(".pre-commit-hooks.yaml", { concurrency: true }, () => {
  const hooks = readYaml(".pre-commit-hooks.yaml");
  assert.ok(Array.isArray(hooks));
  const byId = new Map(hooks.map((h) => {
    const hook = record(h, "hook");
    return [string(hook["id"], "id"), hook];
  }));
  // Tags of pre-commit's file classifier (identify) that these hooks may use.
  const KNOWN_TYPES = new Set(["file", "text", "yaml", "dockerfile", "shell"]);

  test("each hook has id, name, entry and language node; ids are unique; filters are valid", () => {
    assert.equal(byId.size, hooks.length, "unique ids");
    assert.deepEqual([...byId.keys()].sort(), ["drydock-check", "drydock-lint", "drydock-runtime"]);
    for (const [id, hook] of byId) {
      string(hook["name"], `${id} name`);
      assert.match(string(hook["entry"], `${id} entry`), /^drydock [a-z]+$/);
      assert.equal(hook["language"], "node");
      for (const key of ["files", "exclude"]) if (hook[key] !== undefined) new RegExp(string(hook[key], `${id} ${key}`));
      const types = hook["types"] ?? [];
      assert.ok(Array.isArray(types) && types.every((t) => KNOWN_TYPES.has(String(t))), `${id} types`);
      if (id !== "drydock-check") assert.ok(hook["files"] !== undefined, `${id} selects files`);
    }
    assert.equal(byId.get("drydock-check")?.["pass_filenames"], false, "check reads the whole project, not file names");
  });

  test("each entry is a real drydock command", async () => {
    for (const hook of byId.values()) {
      const command = string(hook["entry"], "entry").split(" ")[1] ?? "";
      await helpOf(command);
    }
  });

  function selects(id: string, path: string): boolean {
    const hook = byId.get(id);
    assert.ok(hook !== undefined);
    const exclude = hook["exclude"];
    return new RegExp(string(hook["files"], "files")).test(path) && !(typeof exclude === "string" && new RegExp(exclude).test(path));
  }

  test("drydock-lint selects exactly the file names drydock lint treats as Dockerfiles", () => {
    const names = ["Dockerfile", "Containerfile", "dockerfile", "Dockerfile.prod", "Dockerfile.", "api.Dockerfile",
      "api.containerfile", ".Dockerfile", "Dockerfile.dockerignore", "api.Dockerfile.dockerignore", ".dockerignore",
      "Dockerfiles", "MyDockerfile", "compose.yaml", "Containerfile.dev", "README.md"];
    for (const name of names) {
      for (const path of [name, `services/api/${name}`]) {
        assert.equal(selects("drydock-lint", path), isDockerfileName(basename(path)), path);
      }
    }
  });

  test("drydock-runtime selects compose files and manifests, not other YAML", () => {
    for (const path of ["compose.yaml", "docker-compose.yml", "deploy/compose.prod.yaml", "k8s/api.yaml", "infra/kubernetes/ns/web.yml"]) {
      assert.ok(selects("drydock-runtime", path), path);
    }
    for (const path of [".github/workflows/ci.yml", ".gitlab-ci.yml", "drydock.yaml", "k8s/README.md", "config/app.yaml", "my-compose.json"]) {
      assert.ok(!selects("drydock-runtime", path), path);
    }
  });

  test("on the example project, each hook's entry runs on the files it selects without an input error", async () => {
    const files = listFiles(join(ROOT, "examples")).map((f) => relative(ROOT, f));
    for (const id of ["drydock-lint", "drydock-runtime"]) {
      const selected = files.filter((f) => selects(id, f));
      assert.ok(selected.length >= 2, `${id} selects ${selected.join(" ")}`);
      const entry = string(byId.get(id)?.["entry"], "entry");
      const run = await runShell("sh", `${entry} "$@"`, ROOT, ciEnv({}), selected);
      assert.equal(run.status, 1, `${id}: findings, not an input error (exit 2): ${run.stderr}`);
    }
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
