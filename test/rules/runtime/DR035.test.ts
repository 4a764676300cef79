import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR035.ts";
import { runtimeCases } from "./cases.ts";

describe("DR035", () => {
  runtimeCases(rule, {
    fires: [
      { name: "pod-level hostProcess", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n    - name: agent\n      image: example/agent:1.0\n", at: [[8, 20, 8, 24]] },
      { name: "container-level hostProcess", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: agent\n      image: example/agent:1.0\n      securityContext:\n        windowsOptions:\n          hostProcess: true\n", at: [[11, 24, 11, 28]] },
    ],
    silent: [
      { name: "hostProcess: false", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: agent\n      image: example/agent:1.0\n      securityContext:\n        windowsOptions:\n          hostProcess: false\n" },
      { name: "no windowsOptions", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: agent\n      image: example/agent:1.0\n" },
    ],
  });
});
