import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR015.ts";
import { runtimeCases } from "./cases.ts";

describe("DR015", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without read_only", text: "services:\n  web:\n    image: nginx:1.27\n", at: [[2, 3, 2, 6]] },
      { name: "compose read_only: false", text: "services:\n  web:\n    image: nginx:1.27\n    read_only: false\n", at: [[4, 16, 4, 21]] },
      { name: "Kubernetes without securityContext", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - image: nginx:1.27\n      name: web\n", at: [[8, 13, 8, 16]] },
      { name: "docker run", text: "docker run --rm nginx:1.27\n", at: [[1, 1, 1, 11]] },
    ],
    silent: [
      { name: "compose read_only: true", text: "services:\n  web:\n    image: nginx:1.27\n    read_only: true\n" },
      { name: "docker run --read-only", text: "docker run --read-only nginx:1.27\n" },
      { name: "Kubernetes readOnlyRootFilesystem: true", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        readOnlyRootFilesystem: true\n" },
    ],
  });
});
