import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR016.ts";
import { runtimeCases } from "./cases.ts";

describe("DR016", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose seccomp:unconfined", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - seccomp:unconfined\n", at: [[5, 9, 5, 27]] },
      {
        name: "the legacy pod annotation",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\nspec:\n  containers:\n    - name: app\n      image: alpine:3.20\n",
        at: [[6, 47, 6, 57]],
      },
      {
        name: "container seccompProfile Unconfined over a RuntimeDefault pod",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: app\n      image: alpine:3.20\n      securityContext:\n        seccompProfile:\n          type: Unconfined\n",
        at: [[14, 17, 14, 27]],
      },
      { name: "docker run --security-opt=seccomp=unconfined", text: "docker run --security-opt=seccomp=unconfined alpine:3.20\n", at: [[1, 12, 1, 45]] },
    ],
    silent: [
      { name: "a custom profile file", text: "docker run --security-opt seccomp=./app.json alpine:3.20\n" },
      { name: "RuntimeDefault", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: app\n      image: alpine:3.20\n" },
    ],
  });
});
