import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR021.ts";
import { runtimeCases } from "./cases.ts";

describe("DR021", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without a limit", text: "services:\n  app:\n    image: example/app:1.0\n    mem_limit: 1g\n", at: [[2, 3, 2, 6]] },
      { name: "Kubernetes with a memory limit only", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 256Mi\n", at: [[7, 13, 7, 16]] },
      { name: "docker run -m", text: "docker run -m 1g example/app:1.0\n", at: [[1, 1, 1, 11]] },
    ],
    silent: [
      { name: "compose cpus", text: "services:\n  app:\n    image: example/app:1.0\n    cpus: 0.5\n" },
      { name: "compose cpu_shares", text: "services:\n  app:\n    image: example/app:1.0\n    cpu_shares: 512\n" },
      { name: "docker run -c", text: "docker run -c 512 example/app:1.0\n" },
      { name: "Kubernetes cpu limit", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          cpu: 500m\n" },
    ],
  });
});
