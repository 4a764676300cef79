import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR002.ts";
import { runtimeCases } from "./cases.ts";

describe("DR002", () => {
  runtimeCases(rule, {
    fires: [
      {
        name: "compose NET_ADMIN (warning) and SYS_ADMIN (error)",
        text: "services:\n  vpn:\n    image: example/vpn:1.4\n    cap_add:\n      - NET_ADMIN\n      - CAP_SYS_ADMIN\n",
        at: [[5, 9, 5, 18], [6, 9, 6, 22]],
        messages: ["NET_ADMIN", "SYS_ADMIN"],
        severities: ["warning", "error"],
      },
      {
        name: "Kubernetes ALL",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      securityContext:\n        capabilities:\n          add: [\"ALL\"]\n",
        at: [[11, 17, 11, 22]],
        messages: ["adds ALL capabilities"],
        severities: ["error"],
      },
      {
        name: "Kubernetes NET_RAW (not in the baseline's list)",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      securityContext:\n        capabilities:\n          add: [NET_RAW]\n",
        at: [[11, 17, 11, 24]],
      },
      { name: "docker run, repeated and comma-separated", text: "docker run --cap-add=SYS_PTRACE --cap-add net_admin,SYS_TIME alpine:3.20\n", at: [[1, 12, 1, 32], [1, 33, 1, 61], [1, 33, 1, 61]] },
    ],
    silent: [
      { name: "compose default capabilities", text: "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [CHOWN, SETUID, SETGID, NET_BIND_SERVICE]\n" },
      { name: "compose NET_RAW is a default there", text: "services:\n  ping:\n    image: alpine:3.20\n    cap_add: [NET_RAW]\n" },
      { name: "--cap-drop is not an addition", text: "docker run --cap-drop SYS_ADMIN alpine:3.20\n" },
    ],
  });
});
