import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR005.ts";
import { runtimeCases } from "./cases.ts";

describe("DR005", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose /etc writable", text: "services:\n  agent:\n    image: example/agent:2.0\n    volumes:\n      - /etc:/host/etc\n", at: [[5, 9, 5, 13]], severities: ["error"] },
      { name: "compose / read-only, written with a trailing slash", text: "services:\n  agent:\n    image: example/agent:2.0\n    volumes:\n      - /:/rootfs:ro\n", at: [[5, 9, 5, 10]], severities: ["warning"], messages: ["root filesystem read-only"] },
      {
        name: "Kubernetes hostPath /proc, readOnly mount",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: agent\n      image: example/agent:2.0\n      volumeMounts:\n        - name: proc\n          mountPath: /host/proc\n          readOnly: true\n  volumes:\n    - name: proc\n      hostPath:\n        path: /proc/\n",
        at: [[16, 15, 16, 21]],
        severities: ["warning"],
      },
      { name: "docker run -v /sys", text: "docker run -v /sys:/sys example/agent:2.0\n", at: [[1, 15, 1, 19]] },
    ],
    silent: [
      { name: "a single file under /etc", text: "services:\n  agent:\n    image: example/agent:2.0\n    volumes:\n      - /etc/localtime:/etc/localtime:ro\n" },
      { name: "relative paths", text: "services:\n  agent:\n    image: example/agent:2.0\n    volumes:\n      - ./etc:/etc/app\n" },
      { name: "the container side only", text: "docker run -v data:/etc example/agent:2.0\n" },
    ],
  });
});
