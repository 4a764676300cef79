import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR020.ts";
import { runtimeCases } from "./cases.ts";

describe("DR020", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without a limit", text: "services:\n  app:\n    image: example/app:1.0\n", at: [[2, 3, 2, 6]] },
      { name: "Kubernetes with requests only", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources:\n        requests:\n          memory: 64Mi\n", at: [[7, 13, 7, 16]] },
      { name: "docker run", text: "docker run --cpus 1 example/app:1.0\n", at: [[1, 1, 1, 11]] },
    ],
    silent: [
      { name: "compose mem_limit", text: "services:\n  app:\n    image: example/app:1.0\n    mem_limit: 512m\n" },
      { name: "compose deploy limits", text: "services:\n  app:\n    image: example/app:1.0\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n" },
      { name: "Kubernetes limits", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 128Mi\n" },
      { name: "docker run --memory=1g", text: "docker run --memory=1g example/app:1.0\n" },
    ],
  });
});
