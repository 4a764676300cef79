import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR017.ts";
import { runtimeCases } from "./cases.ts";

const pod = (podSc: string, annotations = ""): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${annotations}spec:\n${podSc}  containers:\n    - name: app\n      image: alpine:3.20\n`;

describe("DR017", () => {
  runtimeCases(rule, {
    fires: [
      { name: "no seccomp profile", text: pod(""), at: [[7, 13, 7, 16]] },
      { name: "a pod securityContext without one", text: pod("  securityContext:\n    runAsNonRoot: true\n"), at: [[9, 13, 9, 16]] },
    ],
    silent: [
      { name: "RuntimeDefault on the pod", text: pod("  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n") },
      { name: "Localhost on the pod", text: pod("  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: profiles/app.json\n") },
      { name: "the legacy runtime/default annotation", text: pod("", "  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n") },
      { name: "Unconfined is DR016's", text: pod("  securityContext:\n    seccompProfile:\n      type: Unconfined\n") },
      { name: "compose applies Docker's default profile", text: "services:\n  app:\n    image: alpine:3.20\n" },
    ],
  });
});
