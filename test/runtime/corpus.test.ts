// Every runtime check over the corpus of real compose files, Kubernetes manifests, scripts and docs
// (test/runtime-corpus/): read as `drydock runtime test/runtime-corpus` reads it, nothing may crash, every valid YAML
// file must parse (PyYAML, when installed, is the oracle for which files are valid), every finding must point inside
// its file, and hand-checked findings must be there. The per-check counts are printed as test diagnostics.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gatherRuntimeInputs, readReferencedFile } from "../../src/cli/runtime.ts";
import type { Finding, Position } from "../../src/core/finding.ts";
import { isDrydockError } from "../../src/core/errors.ts";
import { runtimeRules } from "../../src/rules/runtime/index.ts";
import { analyzeRuntime, type RuntimeOutcome } from "../../src/runtime/analyze.ts";
import { parseYamlDocuments } from "../../src/runtime/yaml.ts";

const ROOT = join(import.meta.dirname, "../..");
const CORPUS = "test/runtime-corpus";

/** Files that do not parse, and why: real files that are not valid YAML. */
const EXPECTED_ERRORS: ReadonlyMap<string, string> = new Map([
  ["GoogleCloudPlatform__kubernetes-engine-samples/files/ai-ml/gke-model-armor/configuring-the-gateway/llm-httproute.yaml", "YAML_SYNTAX"],
]);

/** Findings checked by hand against the files: true positives that must stay found. */
const SAMPLED: readonly string[] = [
  "docker__awesome-compose/files/portainer/compose.yaml:9:10 DR004", // /var/run/docker.sock
  "traefik__traefik/files/docs/content/user-guides/docker-compose/basic-example/docker-compose.yml:16:10 DR004",
  "prometheus-operator__kube-prometheus/files/manifests/nodeExporter-daemonset.yaml:101:16 DR008", // hostPID: true
  "prometheus-operator__kube-prometheus/files/manifests/nodeExporter-daemonset.yaml:117:17 DR005", // / read-only
  "open-telemetry__opentelemetry-demo/files/compose.profiling.yaml:16:17 DR001", // the eBPF profiler, privileged
  "moby__buildkit/files/docs/rootless.md:71:3 DR016", // --security-opt seccomp=unconfined in a docs block
  "moby__buildkit/files/docs/rootless.md:73:3 DR032", // systempaths=unconfined
  "docker__awesome-compose/files/wireguard/compose.yaml:7:9 DR002", // cap_add: NET_ADMIN
  "docker__awesome-compose/files/flask-redis/compose.yaml:5:9 DR024", // Redis on every interface
  "jaegertracing__jaeger/files/docker-compose/opensearch/v2/docker-compose.yml:13:43 DR028", // a literal admin password
  "kubernetes__examples/files/_archived/javaweb-tomcat-sidecar/javaweb.yaml:22:21 DR025", // hostPort
];

const corpusDir = join(ROOT, CORPUS);
const started = performance.now();
const repos = readdirSync(corpusDir).filter((d) => statSync(join(corpusDir, d)).isDirectory()).sort();
const gathered = await gatherRuntimeInputs(repos.map((r) => `${r}/files`), { cwd: corpusDir, stdinFilename: "<stdin>" });
const readFile = (file: string): string | undefined => readReferencedFile(file, corpusDir);
const restricted = await analyzeRuntime({ inputs: gathered.inputs, readFile, profile: "restricted" });
const elapsed = performance.now() - started;
// Checks are independent of each other, so the baseline findings are the restricted run's findings of baseline checks.
const baselineIds = new Set(runtimeRules.filter((r) => r.profile === "baseline").map((r) => r.id));
const baseline = { ...restricted, report: { ...restricted.report, findings: restricted.report.findings.filter((f) => baselineIds.has(f.ruleId)) } };

function where(f: Finding): string {
  return f.location.kind === "text" ? `${f.location.file}:${f.location.start.line}:${f.location.start.column} ${f.ruleId}` : f.ruleId;
}

function counts(outcome: RuntimeOutcome): string {
  const by = new Map<string, number>();
  for (const f of outcome.report.findings) by.set(f.ruleId, (by.get(f.ruleId) ?? 0) + 1);
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, n]) => `${id}=${n}`).join(" ");
}

function positionProblem(p: Position, text: string, starts: readonly number[]): string | undefined {
  const lineStart = starts[p.line - 1];
  if (lineStart === undefined) return `line ${p.line} is not in 1..${starts.length}`;
  const next = starts[p.line];
  const lineLength = (next === undefined ? text.length : next - 1) - lineStart;
  if (p.column < 1 || p.column > lineLength + 1) return `column ${p.column} is not in 1..${lineLength + 1} on line ${p.line}`;
  if (p.offset !== lineStart + p.column - 1) return `offset ${p.offset} is not line ${p.line} column ${p.column}`;
  return undefined;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

describe("the runtime corpus", () => {
  test("several hundred real inputs from permissively licensed repositories, within 3 MB, each with its licence", (t) => {
    const files = walk(corpusDir);
    const inputs = files.filter((f) => f.includes("/files/") && !f.endsWith("/.env"));
    assert.ok(inputs.length >= 400, `${inputs.length} inputs`);
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    assert.ok(bytes <= 3_000_000, `${bytes} bytes`);
    for (const repo of readdirSync(corpusDir).filter((d) => statSync(join(corpusDir, d)).isDirectory())) {
      const names = readdirSync(join(corpusDir, repo));
      assert.ok(names.includes("SOURCE.md") && names.some((n) => /^(LICENSE|COPYING)/.test(n)), `${repo} has SOURCE.md and its licence`);
    }
    t.diagnostic(`${inputs.length} files, ${bytes} bytes; ${gathered.inputs.length} inputs read (compose projects with their overrides), ${baseline.workloads.length} workloads, in ${Math.round(elapsed)} ms`);
  });

  test("no crash, and only the expected input errors", () => {
    assert.deepEqual(gathered.errors, []);
    const got = new Map(restricted.report.errors.map((e) => [relative(".", e.file), e.code]));
    assert.deepEqual([...got], [...EXPECTED_ERRORS].map(([f, c]) => [f, c]), restricted.report.errors.map((e) => `${e.file}:${e.line} ${e.code} ${e.message}`).join("\n"));
  });

  test("compose services, Kubernetes containers and run lines are all found", (t) => {
    const kinds = new Map<string, number>();
    for (const w of baseline.workloads) kinds.set(w.kind, (kinds.get(w.kind) ?? 0) + 1);
    t.diagnostic(`workloads: ${[...kinds].map(([k, n]) => `${k}=${n}`).join(" ")}`);
    assert.ok((kinds.get("compose") ?? 0) >= 350, `compose services: ${kinds.get("compose")}`);
    assert.ok((kinds.get("kubernetes") ?? 0) >= 150, `Kubernetes containers: ${kinds.get("kubernetes")}`);
    assert.ok((kinds.get("docker-run") ?? 0) >= 200, `docker run lines: ${kinds.get("docker-run")}`);
  });

  test("every finding points at a real place of its file", () => {
    const problems: string[] = [];
    for (const f of restricted.report.findings) {
      if (f.location.kind !== "text") {
        problems.push(`${where(f)}: not a text location`);
        continue;
      }
      const text = readFileSync(join(corpusDir, f.location.file), "utf8");
      const starts = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      const problem = positionProblem(f.location.start, text, starts) ?? positionProblem(f.location.end, text, starts);
      if (problem !== undefined) problems.push(`${where(f)}: ${problem}`);
      else if (f.location.end.offset < f.location.start.offset) problems.push(`${where(f)}: ends before it starts`);
    }
    assert.deepEqual(problems, []);
  });

  test("hand-checked findings are found", (t) => {
    const found = new Set(baseline.report.findings.map(where));
    assert.deepEqual(SAMPLED.filter((s) => !found.has(s)), []);
    t.diagnostic(`baseline: ${baseline.report.findings.length} findings: ${counts(baseline)}`);
    t.diagnostic(`restricted: ${restricted.report.findings.length} findings: ${counts(restricted)}`);
  });

  test("valid YAML parses, invalid YAML does not (PyYAML as the oracle)", (t) => {
    const yamlFiles = walk(corpusDir).filter((f) => /\.ya?ml$/.test(f));
    let invalid: string[];
    try {
      // libyaml's loader when PyYAML has it (it is the same parser, in C), composing nodes only: custom tags such as
      // compose's !override need no constructor.
      const script = "import sys, json, yaml\nL = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\nbad = []\nfor f in sys.stdin.read().split('\\n'):\n    if not f: continue\n    try:\n        list(yaml.compose_all(open(f, encoding='utf-8'), Loader=L))\n    except yaml.YAMLError:\n        bad.append(f)\nprint(json.dumps(bad))\n";
      invalid = JSON.parse(execFileSync("python3", ["-c", script], { input: yamlFiles.join("\n"), encoding: "utf8" })) as string[];
    } catch {
      t.skip("python3 with PyYAML is not installed (apt-get install python3-yaml)");
      return;
    }
    const ours: string[] = [];
    for (const f of yamlFiles) {
      try {
        parseYamlDocuments(readFileSync(f, "utf8"), f);
      } catch (e) {
        if (!isDrydockError(e) || e.code !== "YAML_SYNTAX") throw e;
        ours.push(f);
      }
    }
    assert.deepEqual(ours.sort(), invalid.sort());
    t.diagnostic(`${yamlFiles.length} YAML files, ${invalid.length} invalid by both`);
  });

  test("fast: the whole corpus in a few seconds", () => {
    assert.ok(elapsed < 10_000, `${Math.round(elapsed)} ms`);
  });
});
