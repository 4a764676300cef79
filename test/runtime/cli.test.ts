// `drydock runtime` on the command line: directories searched and compose override files attached, `.env` read,
// stdin, --merge, --profile, --input-type, formats, exit codes and input errors.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { tempTree } from "../helpers/cli.ts";
import { runMain, type MainResult } from "../helpers/main.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const ENTRY = join(import.meta.dirname, "..", "..", "src", "cli", "entry.ts");

function runtime(args: readonly string[], cwd = FIXTURES): Promise<MainResult> {
  return runMain(["runtime", ...args], { cwd });
}

function ids(stdout: string): string[] {
  return stdout.split("\n").filter((l) => /: (error|warning|info|style) DR\d{3} /.test(l)).map((l) => `${l.split(": ")[0]} ${/ (DR\d{3}) /.exec(l)?.[1]}`);
}

describe("drydock runtime", () => {
  test("a directory: compose project with its override and .env, the manifests, the script", async () => {
    const r = await runtime(["."]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(ids(r.stdout), [
      "k8s/app.yaml:30:23 DR028", "k8s/app.yaml:82:18 DR026", "k8s/app.yaml:92:19 DR006",
      "shop/compose.yaml:15:9 DR023", "shop/compose.yaml:16:9 DR023", "shop/compose.yaml:18:9 DR004",
      "shop/compose.yaml:28:25 DR028", "shop/compose.yaml:37:38 DR028", "shop/compose.yaml:56:12 DR026",
      "shop/compose.yaml:59:7 DR031", "shop/deploy.sh:5:3 DR008", "shop/deploy.sh:5:14 DR007", "shop/deploy.sh:6:6 DR005",
    ]);
    assert.match(r.stdout, /\[cis\]/);
  });

  test("a compose file named alone is read alone; --merge merges the files given, in order", async () => {
    const alone = await runtime(["shop/compose.yaml"]);
    assert.ok(ids(alone.stdout).includes("shop/compose.yaml:47:9 DR024"));
    const merged = await runtime(["--merge", "shop/compose.yaml", "shop/compose.override.yaml"]);
    assert.ok(!ids(merged.stdout).some((l) => l.endsWith("DR024")));
  });

  test("--profile restricted, JSON", async () => {
    const r = await runtime(["k8s", "--profile", "restricted", "--format", "json"]);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; line: number }[] };
    assert.deepEqual(report.findings.map((f) => `${f.line} ${f.rule}`), [
      "26 DR027", "30 DR028", "81 DR020", "81 DR021", "82 DR026", "82 DR027", "83 DR003", "83 DR013", "83 DR014", "83 DR017", "92 DR006", "112 DR027",
    ]);
  });

  test("--ignore and --failure-threshold", async () => {
    const r = await runtime(["k8s", "--ignore", "DR028", "-t", "error"]);
    assert.equal(r.code, 0, r.stdout);
  });

  test("--list-rules", async () => {
    const r = await runtime(["--list-rules"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim().split("\n").length, 35);
    assert.match(r.stdout, /^DR004 +error +cis +Do not mount the Docker socket/m);
  });

  const t = tempTree({
    "bad/compose.yaml": "services:\n  web:\n    image: [\n",
    "kinds/m.yaml": "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n",
    "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    "chart/README.md": "Nothing to run here.\n",
    "notes.txt": "just words\n",
    "cmd.txt": "docker run --privileged alpine:3.20\n",
    "empty/.keep": "",
  });
  after(t.cleanup);

  const errors: [string, string[], RegExp][] = [
    ["bad YAML", ["bad"], /^bad\/compose\.yaml:4:1: error: invalid YAML: .* \[YAML_SYNTAX\]$/m],
    ["an unknown kind", ["kinds"], /^kinds\/m\.yaml:2:7: error: unknown kind "Deploymnet" for apiVersion apps\/v1; did you mean Deployment\? \[RUNTIME_UNKNOWN_KIND\]$/m],
    ["a missing file", ["nope.yaml"], /^nope\.yaml: error: nope\.yaml: no such file or directory \[INPUT_UNREADABLE\]$/m],
    ["a file that is nothing to check", ["notes.txt"], /^notes\.txt: error: not a compose file, a Kubernetes manifest, or a text with a docker\/podman run command/m],
  ];
  for (const [name, args, pattern] of errors) {
    test(`${name}: exit 2 with the place`, async () => {
      const r = await runtime(args, t.dir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, pattern);
    });
  }

  test("a directory with nothing to check is a usage error; Helm templates are skipped", async () => {
    const r = await runtime(["empty"], t.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty: no compose file, Kubernetes manifest, script, Makefile or Markdown file/);
    const chart = await runtime(["chart"], t.dir);
    assert.equal(chart.code, 0, chart.stdout);
  });

  test("--input-type shell reads any file as a script", async () => {
    const r = await runtime(["--input-type", "shell", "cmd.txt"], t.dir);
    assert.deepEqual(ids(r.stdout), ["cmd.txt:1:12 DR001"]);
  });

  test("stdin (helm template ... | drydock runtime -), named by --stdin-filename", async () => {
    const manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n    - name: a\n      image: alpine:3.20\n";
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [ENTRY, "runtime", "-", "--stdin-filename", "rendered.yaml"], { cwd: FIXTURES, stdio: ["pipe", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (b: Buffer) => void (stdout += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout }));
      child.stdin.end(manifest);
    });
    assert.equal(r.code, 1);
    assert.deepEqual(ids(r.stdout), ["rendered.yaml:6:12 DR008"]);
  });
});
