// The library entry over realistic inputs written for these tests: a multi-service compose project (an anchor,
// extends from another file, an override file, .env), a Kubernetes deployment (several kinds in one stream) and a
// deploy script give exactly the expected findings; the policy (ignores, pragmas, severities, thresholds, profiles)
// and every report format work as for `drydock lint`.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { emptyConfig, parseConfig } from "../../src/core/config.ts";
import type { Finding } from "../../src/core/finding.ts";
import { formats, renderReport, type FormatName } from "../../src/report/index.ts";
import { analyzeRuntime, detect, type RuntimeInput, type RuntimeRequest } from "../../src/runtime/analyze.ts";
import { parseDotEnv } from "../../src/runtime/interpolate.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const read = (file: string): string => readFileSync(join(FIXTURES, file), "utf8");

const shop: RuntimeInput = {
  file: "shop/compose.yaml",
  text: read("shop/compose.yaml"),
  overrides: [{ file: "shop/compose.override.yaml", text: read("shop/compose.override.yaml") }],
  env: parseDotEnv(read("shop/.env")),
};
const k8s: RuntimeInput = { file: "k8s/app.yaml", text: read("k8s/app.yaml") };
const script: RuntimeInput = { file: "shop/deploy.sh", text: read("shop/deploy.sh") };
const readFile = (file: string): string | undefined => (file === "shop/common.yaml" ? read(file) : undefined);

function lines(findings: readonly Finding[]): string[] {
  return findings.map((f) => (f.location.kind === "text" ? `${f.location.file}:${f.location.start.line}:${f.location.start.column} ${f.ruleId}` : f.ruleId));
}

async function run(request: Partial<RuntimeRequest> = {}) {
  return analyzeRuntime({ inputs: [shop, k8s, script], readFile, ...request });
}

const BASELINE = [
  "k8s/app.yaml:30:23 DR028", // the init container's literal DB_PASSWORD
  "k8s/app.yaml:82:18 DR026", // fluent-bit:latest
  "k8s/app.yaml:92:19 DR006", // hostPath /var/log
  "shop/compose.yaml:15:9 DR023", // proxy on 80
  "shop/compose.yaml:16:9 DR023", // proxy on 443
  "shop/compose.yaml:18:9 DR004", // the Docker socket, read-only or not
  "shop/compose.yaml:28:25 DR028", // PAYMENT_API_KEY
  "shop/compose.yaml:37:38 DR028", // the password in DATABASE_URL
  "shop/compose.yaml:56:12 DR026", // redis without a tag
  "shop/compose.yaml:59:7 DR031", // net.core.somaxconn
  "shop/deploy.sh:5:3 DR008", // --pid=host
  "shop/deploy.sh:5:14 DR007", // --net=host
  "shop/deploy.sh:6:6 DR005", // / read-only
];

const RESTRICTED_ONLY = [
  "k8s/app.yaml:26:18 DR027",
  "k8s/app.yaml:81:17 DR020", "k8s/app.yaml:81:17 DR021",
  "k8s/app.yaml:82:18 DR027",
  "k8s/app.yaml:83:11 DR003", "k8s/app.yaml:83:11 DR013", "k8s/app.yaml:83:11 DR014", "k8s/app.yaml:83:11 DR017",
  "k8s/app.yaml:112:22 DR027",
  "shop/compose.yaml:11:3 DR013", "shop/compose.yaml:11:3 DR020", "shop/compose.yaml:11:3 DR021", "shop/compose.yaml:11:3 DR022",
  "shop/compose.yaml:13:12 DR027",
  "shop/compose.yaml:19:14 DR029",
  "shop/compose.yaml:21:3 DR021",
  "shop/compose.yaml:25:12 DR027",
  "shop/compose.yaml:31:3 DR022",
  "shop/compose.yaml:33:12 DR027",
  ...["DR003", "DR013", "DR014", "DR015", "DR020", "DR021", "DR022"].map((id) => `shop/compose.yaml:42:3 ${id}`),
  "shop/compose.yaml:43:12 DR027",
  ...["DR003", "DR013", "DR014", "DR015", "DR020", "DR021", "DR022"].map((id) => `shop/compose.yaml:55:3 ${id}`),
  "shop/compose.yaml:56:12 DR027",
  ...["DR003", "DR013", "DR014", "DR015", "DR020", "DR021", "DR022"].map((id) => `shop/deploy.sh:4:1 ${id}`),
  "shop/deploy.sh:7:3 DR027",
];

function sortLines(xs: string[]): string[] {
  const key = (s: string): [string, number, number, string] => {
    const m = /^(.*):(\d+):(\d+) (\S+)$/.exec(s);
    return [m?.[1] ?? "", Number(m?.[2]), Number(m?.[3]), m?.[4] ?? ""];
  };
  return [...xs].sort((a, b) => {
    const [fa, la, ca, ra] = key(a);
    const [fb, lb, cb, rb] = key(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb || (ra < rb ? -1 : ra > rb ? 1 : 0);
  });
}

describe("the shop project, the deployment and the deploy script", () => {
  test("baseline: exactly the configured dangers", async () => {
    const out = await run();
    assert.deepEqual(out.report.errors, []);
    assert.deepEqual(lines(out.report.findings), BASELINE);
    assert.equal(out.exitCode, 1);
    assert.deepEqual(out.report.inputs, ["shop/compose.yaml", "shop/common.yaml", "shop/compose.override.yaml", "k8s/app.yaml", "shop/deploy.sh"]);
  });

  test("restricted: the baseline plus the missing hardening", async () => {
    const out = await run({ profile: "restricted" });
    assert.deepEqual(lines(out.report.findings), sortLines([...BASELINE, ...RESTRICTED_ONLY]));
  });

  test("without its override file, PostgreSQL is published on every interface", async () => {
    const { overrides: _, ...alone } = shop;
    const out = await analyzeRuntime({ inputs: [alone], readFile });
    assert.ok(lines(out.report.findings).includes("shop/compose.yaml:47:9 DR024"));
  });

  test("messages name the service or container and what to do", async () => {
    const out = await run();
    const byRule = new Map(out.report.findings.map((f) => [f.ruleId, f.message]));
    assert.match(byRule.get("DR004") ?? "", /^service "proxy" mounts the Docker socket \/var\/run\/docker\.sock/);
    assert.match(byRule.get("DR006") ?? "", /^DaemonSet\/log-agent has hostPath volume "varlog"/);
    assert.doesNotMatch(out.report.findings.map((f) => f.message).join("\n"), /S3cretPassw0rd9x|Jq8vT3mZx9LwR2pK7nYc/, "no secret in any message");
  });
});

describe("the policy is drydock lint's", () => {
  test("config ignore by CIS alias, severity override, opt-in of a restricted check by PSS alias", async () => {
    const config = parseConfig("ignore: [cis:5.32]\nseverity:\n  DR026: error\nenable: [pss:restricted/seccomp]\n", "drydock.yaml");
    const out = await run({ config });
    const got = lines(out.report.findings);
    assert.ok(!got.some((l) => l.endsWith("DR004")));
    assert.ok(got.includes("k8s/app.yaml:83:11 DR017"), "enabled outside its profile");
    assert.deepEqual(out.report.findings.filter((f) => f.ruleId === "DR026").map((f) => f.severity), ["error", "error"]);
  });

  test("CLI ignores, thresholds and no-fail decide the exit code", async () => {
    const cli = { ignore: ["DR028", "DR004", "DR007", "DR008"], severityOverride: {}, failureThreshold: "error" as const };
    assert.equal((await run({ cli })).exitCode, 0, "no error left");
    assert.equal((await run({ cli: { ...cli, failureThreshold: "warning" } })).exitCode, 1);
    assert.equal((await run({ cli: { ignore: [], severityOverride: {}, noFail: true } })).exitCode, 0);
  });

  test("pragmas: a comment above a service covers it, global covers the file; disableIgnorePragma turns them off", async () => {
    const text = "services:\n  # drydock ignore=DR026,DR031\n  cache:\n    image: redis\n    sysctls:\n      net.core.somaxconn: 1024\n  other:\n    image: redis\n";
    const input = { file: "compose.yaml", text };
    const out = await analyzeRuntime({ inputs: [input] });
    assert.deepEqual(lines(out.report.findings), ["compose.yaml:8:12 DR026"]);
    const global = await analyzeRuntime({ inputs: [{ file: "compose.yaml", text: `# drydock global ignore=DR026\n${text}` }] });
    assert.deepEqual(lines(global.report.findings), []);
    const off = await analyzeRuntime({ inputs: [input], config: { ...emptyConfig(), disableIgnorePragma: true } });
    assert.equal(off.report.findings.length, 3);
  });

  test("an input error makes the exit code 2 and is reported beside the findings", async () => {
    const out = await analyzeRuntime({ inputs: [{ file: "bad.yaml", text: "services:\n  web: [\n" }, script] });
    assert.equal(out.exitCode, 2);
    assert.deepEqual(out.report.errors.map((e) => [e.file, e.line, e.code]), [["bad.yaml", 3, "YAML_SYNTAX"]]);
    assert.ok(out.report.findings.length > 0);
  });

  for (const name of Object.keys(formats) as FormatName[]) {
    test(`the ${name} format renders runtime findings with their places`, async () => {
      const out = await run();
      const text = renderReport(name, out.report, { color: false });
      assert.match(text, /DR004/);
      assert.match(text, /shop\/compose\.yaml/);
      if (name === "json") {
        const json = JSON.parse(text) as { findings: { rule: string; line: number; column: number; aliases: string[] }[] };
        const socket = json.findings.find((f) => f.rule === "DR004");
        assert.deepEqual([socket?.line, socket?.column, socket?.aliases], [18, 9, ["cis:5.32"]]);
      }
      if (name === "sarif") {
        const sarif = JSON.parse(text) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
        assert.ok(sarif.runs[0]?.tool.driver.rules.some((r) => r.id === "DR004"));
      }
    });
  }
});

describe("input detection", () => {
  const cases: [string, string, string][] = [
    ["compose.yaml", "services: {}\n", "compose"],
    ["docker-compose.prod.yml", "version: '3'\n", "compose"],
    ["stack.yml", "services:\n  a:\n    image: x\n", "compose"],
    ["deploy.yaml", "apiVersion: v1\nkind: Pod\n", "kubernetes"],
    ["<stdin>", "---\napiVersion: apps/v1\nkind: Deployment\n", "kubernetes"],
    [".github/workflows/ci.yml", "on: push\njobs: {}\n", "yaml"],
    ["Makefile", "all:\n\ttrue\n", "makefile"],
    ["README.md", "# x\n", "markdown"],
    ["run", "#!/bin/bash\ndocker run x\n", "shell"],
    ["<stdin>", "docker run --privileged x\n", "shell"],
  ];
  for (const [file, text, type] of cases) {
    test(`${file}: ${type}`, () => assert.equal(detect({ file, text }).type, type));
  }

  test("text that is neither, named explicitly: RUNTIME_UNRECOGNIZED", async () => {
    const out = await analyzeRuntime({ inputs: [{ file: "notes.txt", text: "hello: world\n", explicit: true }] });
    assert.deepEqual(out.report.errors.map((e) => e.code), ["RUNTIME_UNRECOGNIZED"]);
    assert.equal(out.exitCode, 2);
  });

  test("an unknown Kubernetes kind: an error at its line, the other documents checked", async () => {
    const out = await analyzeRuntime({ inputs: [{ file: "m.yaml", text: "apiVersion: apps/v1\nkind: Deploymnet\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x\n" }] });
    assert.deepEqual(out.report.errors.map((e) => [e.line, e.code]), [[2, "RUNTIME_UNKNOWN_KIND"]]);
    assert.deepEqual(lines(out.report.findings), ["m.yaml:10:14 DR026"]);
  });
});
