import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR019.ts";
import { runtimeCases } from "./cases.ts";

describe("DR019", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose label:disable", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt: [\"label:disable\"]\n", at: [[4, 20, 4, 35]], messages: ["turns SELinux separation off"] },
      { name: "compose label=type:spc_t", text: "services:\n  app:\n    image: alpine:3.20\n    security_opt:\n      - label=type:spc_t\n", at: [[5, 9, 5, 25]], messages: ["SELinux type spc_t"] },
      {
        name: "pod seLinuxOptions user and role",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seLinuxOptions:\n      user: system_u\n      role: system_r\n      level: s0:c1,c2\n  containers:\n    - name: app\n      image: alpine:3.20\n",
        at: [[8, 13, 8, 21], [9, 13, 9, 21]],
      },
      { name: "podman --security-opt label=disable", text: "podman run --security-opt label=disable alpine:3.20\n", at: [[1, 12, 1, 40]] },
    ],
    silent: [
      { name: "a level only", text: "docker run --security-opt label=level:s0:c100,c200 alpine:3.20\n" },
      { name: "container_t", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: alpine:3.20\n      securityContext:\n        seLinuxOptions:\n          type: container_t\n" },
    ],
  });
});
