import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR009.ts";
import { runtimeCases } from "./cases.ts";

describe("DR009", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose ipc: host", text: "services:\n  app:\n    image: alpine:3.20\n    ipc: host\n", at: [[4, 10, 4, 14]] },
      { name: "Deployment hostIPC", text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      hostIPC: true\n      containers:\n        - name: a\n          image: alpine:3.20\n", at: [[8, 16, 8, 20]] },
      { name: "docker run --ipc=host", text: "docker run --ipc=host alpine:3.20\n", at: [[1, 12, 1, 22]] },
    ],
    silent: [
      { name: "compose ipc: shareable", text: "services:\n  app:\n    image: alpine:3.20\n    ipc: shareable\n" },
      { name: "docker run --ipc private", text: "docker run --ipc private alpine:3.20\n" },
    ],
  });
});
