import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR034.ts";
import { runtimeCases } from "./cases.ts";

const pod = (volumes: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n  volumes:\n${volumes}`;

describe("DR034", () => {
  runtimeCases(rule, {
    fires: [
      { name: "nfs", text: pod("    - name: shared\n      nfs:\n        server: nfs.example.com\n        path: /exports\n"), at: [[11, 7, 11, 10]], messages: ['volume "shared" of type nfs'] },
      { name: "gitRepo", text: pod("    - name: src\n      gitRepo:\n        repository: https://example.com/r.git\n"), at: [[11, 7, 11, 14]] },
    ],
    silent: [
      { name: "the allowed types", text: pod("    - name: a\n      configMap: {name: a}\n    - name: b\n      secret: {secretName: b}\n    - name: c\n      emptyDir: {}\n    - name: d\n      persistentVolumeClaim: {claimName: d}\n    - name: e\n      projected: {sources: []}\n") },
      { name: "hostPath is DR006's", text: pod("    - name: h\n      hostPath: {path: /srv}\n") },
    ],
  });
});
