// Kubernetes manifests into workloads: every pod-bearing kind, pod-level settings inherited by containers, Lists,
// and clear errors for unknown kinds and malformed pod specs (other documents are still read).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { kubernetesWorkloads } from "../../src/runtime/kubernetes.ts";
import { parseYamlDocuments } from "../../src/runtime/yaml.ts";

function read(text: string) {
  return kubernetesWorkloads(parseYamlDocuments(text, "m.yaml"));
}

const container = "containers:\n  - name: app\n    image: example/app:1.0\n";
function indent(text: string, n: number): string {
  return text.split("\n").map((l) => (l === "" ? l : " ".repeat(n) + l)).join("\n");
}

describe("kubernetesWorkloads", () => {
  test("every pod-bearing kind, at its pod spec", () => {
    const docs = [
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n${indent(container, 2)}`,
      ...["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].map((k) => `apiVersion: apps/v1\nkind: ${k}\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n${indent(container, 6)}`),
      `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n${indent(container, 6)}`,
      `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n${indent(container, 6)}`,
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indent(container, 10)}`,
      `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: a\ntemplate:\n  spec:\n${indent(container, 4)}`,
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: 80}]\n",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  containers: 3\n",
    ];
    const r = read(docs.join("---\n"));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.workloads.map((w) => w.name), [
      "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "PodTemplate",
    ].map((k) => `container "app" of ${k}/a`));
  });

  test("a List (kubectl get -o yaml), init and ephemeral containers", () => {
    const r = read(`apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      ephemeralContainers:\n        - name: debug\n          image: busybox:1.36\n${indent(container, 6)}`);
    assert.deepEqual(r.workloads.map((w) => w.name), ['container "app" of Pod/p', 'init container "init" of Pod/p', 'ephemeral container "debug" of Pod/p']);
  });

  test("pod securityContext is inherited, the container's own value wins; the owner says which", () => {
    const r = read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: x:1\n      securityContext:\n        runAsUser: 0\n        seccompProfile:\n          type: Unconfined\n");
    const [a, b] = r.workloads;
    assert.deepEqual([a?.runAsUser?.value, a?.runAsUser?.owner, a?.security.seccomp?.value], [1000, "Pod/p", "RuntimeDefault"]);
    assert.deepEqual([b?.runAsUser?.value, b?.runAsUser?.owner, b?.security.seccomp?.value], [0, 'container "b" of Pod/p', "Unconfined"]);
    assert.equal(b?.runAsNonRoot?.value, true);
    assert.equal(b?.securityContextAt?.start.line, 16);
  });

  test("a container without an image is a fragment (a kustomize patch)", () => {
    const r = read("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {limits: {cpu: 1}}\n");
    assert.equal(r.workloads[0]?.fragment, true);
  });

  test("a Deployment with no pod spec (a patch) gives no workload and no error", () => {
    const r = read("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 3\n");
    assert.deepEqual([r.workloads, r.errors], [[], []]);
  });

  test("an unknown kind in a core group: RUNTIME_UNKNOWN_KIND at the kind, with a suggestion; other documents still read", () => {
    const r = read(`apiVersion: apps/v1\nkind: deployment\nmetadata:\n  name: d\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${indent(container, 2)}`);
    assert.equal(r.workloads.length, 1);
    assert.equal(r.errors.length, 1);
    const e = r.errors[0];
    assert.equal(e?.code, "RUNTIME_UNKNOWN_KIND");
    assert.match(e?.message ?? "", /unknown kind "deployment" for apiVersion apps\/v1; did you mean Deployment\?/);
    assert.deepEqual(e?.location?.kind === "text" ? [e.location.start.line, e.location.start.column] : [], [2, 7]);
  });

  test("malformed pod specs: RUNTIME_INVALID where they are", () => {
    const notList = read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: app\n");
    assert.equal(notList.errors[0]?.code, "RUNTIME_INVALID");
    assert.equal(notList.errors[0]?.location?.kind === "text" ? notList.errors[0].location.start.line : 0, 6);
    const notMap = read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - app\n");
    assert.match(notMap.errors[0]?.message ?? "", /each of containers must be a mapping/);
  });
});
