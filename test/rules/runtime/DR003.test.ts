import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR003.ts";
import { runtimeCases } from "./cases.ts";

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n";

describe("DR003", () => {
  runtimeCases(rule, {
    fires: [
      { name: "a Kubernetes container without securityContext: at its name", text: POD, at: [[7, 13, 7, 16]] },
      { name: "inside an existing securityContext", text: `${POD}      securityContext:\n        runAsNonRoot: true\n`, at: [[9, 7, 9, 22]] },
      { name: "dropping something else: at the drop list", text: `${POD}      securityContext:\n        capabilities:\n          drop: [NET_RAW]\n`, at: [[11, 18, 11, 25]] },
      { name: "adding back a default other than NET_BIND_SERVICE", text: "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [CHOWN]\n", at: [[5, 15, 5, 20]], messages: ["adds CHOWN"] },
      { name: "compose service: at its name", text: "services:\n  web:\n    image: nginx:1.27\n", at: [[2, 3, 2, 6]] },
      { name: "docker run", text: "docker run nginx:1.27\n", at: [[1, 1, 1, 11]] },
    ],
    silent: [
      { name: "drop ALL, add NET_BIND_SERVICE", text: `${POD}      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [NET_BIND_SERVICE]\n` },
      { name: "--cap-drop=ALL", text: "docker run --cap-drop=ALL nginx:1.27\n" },
      { name: "a compose override without image or build (a fragment)", text: "services:\n  web:\n    environment:\n      A: b\n" },
      { name: "a kustomize patch without image", text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits:\n              cpu: 1\n" },
    ],
  });
});
