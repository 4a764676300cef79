import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR014.ts";
import { runtimeCases } from "./cases.ts";

const pod = (sc: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: alpine:3.20\n${sc}`;

describe("DR014", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without no-new-privileges", text: "services:\n  app:\n    image: alpine:3.20\n", at: [[2, 3, 2, 6]] },
      { name: "compose no-new-privileges:false", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt: [\"no-new-privileges:false\"]\n", at: [[4, 20, 4, 45]] },
      { name: "Kubernetes, missing, in an existing securityContext", text: pod("      securityContext:\n        runAsNonRoot: true\n"), at: [[9, 7, 9, 22]] },
      { name: "Kubernetes allowPrivilegeEscalation: true", text: pod("      securityContext:\n        allowPrivilegeEscalation: true\n"), at: [[10, 35, 10, 39]] },
      { name: "docker run", text: "docker run alpine:3.20 id\n", at: [[1, 1, 1, 11]] },
    ],
    silent: [
      { name: "compose no-new-privileges=true", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - no-new-privileges=true\n" },
      { name: "Kubernetes allowPrivilegeEscalation: false", text: pod("      securityContext:\n        allowPrivilegeEscalation: false\n") },
      { name: "docker run --security-opt no-new-privileges:true", text: "docker run --security-opt no-new-privileges:true alpine:3.20\n" },
    ],
  });
});
