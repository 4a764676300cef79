import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR018.ts";
import { runtimeCases } from "./cases.ts";

describe("DR018", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose apparmor=unconfined", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - apparmor=unconfined\n", at: [[5, 9, 5, 28]] },
      {
        name: "appArmorProfile Unconfined on the container",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: alpine:3.20\n      securityContext:\n        appArmorProfile:\n          type: Unconfined\n",
        at: [[11, 17, 11, 27]],
      },
      {
        name: "the legacy container annotation, for that container only",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: unconfined\nspec:\n  containers:\n    - name: a\n      image: alpine:3.20\n    - name: b\n      image: alpine:3.20\n",
        at: [[6, 55, 6, 65]],
        messages: ["Pod/p runs without AppArmor"],
      },
      { name: "docker run --security-opt apparmor:unconfined", text: "docker run --security-opt apparmor:unconfined alpine:3.20\n", at: [[1, 12, 1, 46]] },
    ],
    silent: [
      { name: "a named profile", text: "docker run --security-opt apparmor=my-profile alpine:3.20\n" },
      { name: "runtime/default annotation", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: runtime/default\nspec:\n  containers:\n    - name: a\n      image: alpine:3.20\n" },
    ],
  });
});
