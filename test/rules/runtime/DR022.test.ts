import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR022.ts";
import { runtimeCases } from "./cases.ts";

describe("DR022", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without pids_limit", text: "services:\n  app:\n    image: example/app:1.0\n", at: [[2, 3, 2, 6]] },
      { name: "compose pids_limit: -1", text: "services:\n  app:\n    image: example/app:1.0\n    pids_limit: -1\n", at: [[4, 17, 4, 19]], messages: ["-1 means unlimited"] },
      { name: "docker run --pids-limit=0", text: "docker run --pids-limit=0 example/app:1.0\n", at: [[1, 12, 1, 26]] },
    ],
    silent: [
      { name: "compose pids_limit", text: "services:\n  app:\n    image: example/app:1.0\n    pids_limit: 100\n" },
      { name: "compose deploy limits pids", text: "services:\n  app:\n    image: example/app:1.0\n    deploy:\n      resources:\n        limits:\n          pids: 100\n" },
      { name: "Kubernetes: set on the kubelet", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n" },
    ],
  });
});
