import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR033.ts";
import { runtimeCases } from "./cases.ts";

describe("DR033", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose long syntax rshared", text: "services:\n  csi:\n    image: example/csi:1.0\n    volumes:\n      - type: bind\n        source: /var/lib/csi\n        target: /csi\n        bind:\n          propagation: rshared\n", at: [[9, 24, 9, 31]] },
      { name: "compose short syntax :shared", text: "services:\n  csi:\n    image: example/csi:1.0\n    volumes:\n      - /mnt:/mnt:rw,shared\n", at: [[5, 9, 5, 28]] },
      {
        name: "Kubernetes Bidirectional",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: csi\n      image: example/csi:1.0\n      volumeMounts:\n        - name: plugins\n          mountPath: /var/lib/kubelet/plugins\n          mountPropagation: Bidirectional\n  volumes:\n    - name: plugins\n      emptyDir: {}\n",
        at: [[12, 29, 12, 42]],
      },
      { name: "docker run --mount bind-propagation=rshared", text: "docker run --mount type=bind,source=/mnt,target=/mnt,bind-propagation=rshared example/csi:1.0\n", at: [[1, 12, 1, 78]] },
    ],
    silent: [
      { name: "rslave", text: "docker run -v /mnt:/mnt:rslave example/csi:1.0\n" },
      { name: "HostToContainer", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: csi\n      image: example/csi:1.0\n      volumeMounts:\n        - name: plugins\n          mountPath: /plugins\n          mountPropagation: HostToContainer\n  volumes:\n    - name: plugins\n      emptyDir: {}\n" },
    ],
  });
});
