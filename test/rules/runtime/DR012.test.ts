import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR012.ts";
import { runtimeCases } from "./cases.ts";

const pod = (sc: string, csc = ""): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${sc}  containers:\n    - name: app\n      image: alpine:3.20\n${csc}`;

describe("DR012", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose user: root", text: "services:\n  app:\n    image: alpine:3.20\n    user: root\n", at: [[4, 11, 4, 15]] },
      { name: "compose user: \"0:0\"", text: "services:\n  app:\n    image: alpine:3.20\n    user: \"0:0\"\n", at: [[4, 11, 4, 16]] },
      { name: "pod-level runAsUser: 0", text: pod("  securityContext:\n    runAsUser: 0\n"), at: [[7, 16, 7, 17]], messages: ["Pod/p sets runAsUser: 0"] },
      { name: "container overrides a non-root pod with 0", text: pod("  securityContext:\n    runAsUser: 1000\n", "      securityContext:\n        runAsUser: 0\n"), at: [[12, 20, 12, 21]] },
      { name: "docker run -u root", text: "docker run -u root alpine:3.20\n", at: [[1, 12, 1, 19]] },
    ],
    silent: [
      { name: "compose numeric non-root user", text: "services:\n  app:\n    image: alpine:3.20\n    user: \"10001:10001\"\n" },
      { name: "container overrides a root pod with non-root", text: pod("  securityContext:\n    runAsUser: 0\n", "      securityContext:\n        runAsUser: 1000\n") },
      { name: "a user named rootless", text: "docker run --user rootless alpine:3.20\n" },
    ],
  });
});
