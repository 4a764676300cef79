// compose and Kubernetes hardening fixes: exact text (indentation, list style, comments kept), then the restricted
// checks run again on it — the findings are gone and nothing new appears.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixRuntimeFile, type FixRequest } from "../../src/fix/apply.ts";
import { analyzeRuntime } from "../../src/runtime/analyze.ts";

async function ruleCounts(file: string, text: string): Promise<Map<string, number>> {
  const { report } = await analyzeRuntime({ inputs: [{ file, text, explicit: true }], profile: "restricted" });
  assert.deepEqual(report.errors, [], "the text must read");
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

async function fixes(file: string, text: string, expected: string, fixed: readonly string[], request: FixRequest = {}): Promise<void> {
  const result = await fixRuntimeFile({ file, text }, request);
  assert.equal(result.after, expected);
  const before = await ruleCounts(file, text);
  const after = await ruleCounts(file, result.after);
  for (const id of fixed) assert.equal(after.get(id), undefined, `${id} must be gone`);
  for (const [id, n] of after) assert.ok(n <= (before.get(id) ?? 0), `the fix added a ${id} finding`);
  assert.deepEqual(result.withheld, []);
}

test("compose: keys added after the service's last line, comments and a flow list kept", async () => {
  const text = [
    "services:",
    "  web:",
    "    image: nginx:1.27 # pinned by renovate",
    "    ports:",
    "      - \"8080:80\"",
    "    # end of web",
    "  db:",
    "    image: postgres:16",
    "    cap_drop: [NET_RAW]",
    "    read_only: false",
    "",
  ].join("\n");
  const expected = [
    "services:",
    "  web:",
    "    image: nginx:1.27 # pinned by renovate",
    "    ports:",
    "      - \"8080:80\"",
    "    cap_drop:",
    "      - ALL",
    "    security_opt:",
    "      - no-new-privileges:true",
    "    read_only: true",
    "    # end of web",
    "  db:",
    "    image: postgres:16",
    "    cap_drop: [NET_RAW, ALL]",
    "    read_only: false",
    "    security_opt:",
    "      - no-new-privileges:true",
    "",
  ].join("\n");
  // db's read_only: false is somebody's choice: DR015 stays for it.
  await fixes("compose.yaml", text, expected, ["DR003", "DR014"]);
});

test("compose: four-space indentation, lists at the key's column, an existing security_opt list extended; --add-user", async () => {
  const text = "services:\n    app:\n        build: .\n        security_opt:\n        - label:type:svirt_apache_t\n";
  const expected = "services:\n    app:\n        build: .\n        security_opt:\n        - label:type:svirt_apache_t\n        - no-new-privileges:true\n"
    + "        cap_drop:\n        - ALL\n        user: \"65532:65532\"\n        read_only: true\n";
  await fixes("docker-compose.yml", text, expected, ["DR003", "DR013", "DR014", "DR015"], { addUser: "65532:65532" });
});

test("kubernetes: a securityContext created or completed, in the file's style", async () => {
  const text = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: web   # main",
    "        image: nginx:1.27",
    "      - name: side",
    "        image: busybox:1.36",
    "        securityContext:",
    "          runAsUser: 1000",
    "          capabilities:",
    "            add: [NET_BIND_SERVICE]",
    "",
  ].join("\n");
  const expected = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: web   # main",
    "        image: nginx:1.27",
    "        securityContext:",
    "          capabilities:",
    "            drop:",
    "            - ALL",
    "          runAsNonRoot: true",
    "          allowPrivilegeEscalation: false",
    "          readOnlyRootFilesystem: true",
    "      - name: side",
    "        image: busybox:1.36",
    "        securityContext:",
    "          runAsUser: 1000",
    "          capabilities:",
    "            add: [NET_BIND_SERVICE]",
    "            drop:",
    "            - ALL",
    "          runAsNonRoot: true",
    "          allowPrivilegeEscalation: false",
    "          readOnlyRootFilesystem: true",
    "",
  ].join("\n");
  await fixes("deploy.yaml", text, expected, ["DR003", "DR013", "DR014", "DR015"]);
});

test("kubernetes: a pod-level runAsNonRoot counts; --rule restricts; several documents", async () => {
  const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: alpine:3.20\n`;
  const text = `${pod("a")}---\n${pod("b")}`;
  const fixedPod = (name: string): string => `${pod(name)}      securityContext:\n        readOnlyRootFilesystem: true\n`;
  await fixes("pods.yaml", text, `${fixedPod("a")}---\n${fixedPod("b")}`, ["DR015"], { rules: ["DR015"] });
});

test("other YAML and broken YAML are left alone", async () => {
  const ci = await fixRuntimeFile({ file: "ci.yaml", text: "jobs:\n  build:\n    steps: [make]\n" });
  assert.equal(ci.after, ci.before);
  assert.equal(ci.applied.length, 0);
  const broken = await fixRuntimeFile({ file: "compose.yaml", text: "services:\n  web: [\n" });
  assert.equal(broken.after, broken.before);
  assert.equal(broken.errors[0]?.code, "YAML_SYNTAX");
});
