import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR031.ts";
import { runtimeCases } from "./cases.ts";

describe("DR031", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose list form", text: "services:\n  es:\n    image: elasticsearch:8.15.0\n    sysctls:\n      - kernel.msgmax=65536\n", at: [[5, 9, 5, 22]] },
      { name: "compose mapping form", text: "services:\n  es:\n    image: elasticsearch:8.15.0\n    sysctls:\n      net.core.somaxconn: 1024\n", at: [[5, 7, 5, 25]] },
      { name: "pod sysctls", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    sysctls:\n      - name: vm.max_map_count\n        value: \"262144\"\n  containers:\n    - name: app\n      image: example/app:1.0\n", at: [[8, 15, 8, 31]], messages: ["Pod/p sets sysctl vm.max_map_count"] },
      { name: "docker run --sysctl", text: "docker run --sysctl net.ipv4.ip_forward=1 example/router:1.0\n", at: [[1, 21, 1, 42]] },
    ],
    silent: [
      { name: "the safe set", text: "services:\n  app:\n    image: example/app:1.0\n    sysctls:\n      net.ipv4.ip_unprivileged_port_start: 0\n      net.ipv4.ping_group_range: \"0 2147483647\"\n" },
      { name: "docker run safe sysctl", text: "docker run --sysctl kernel.shm_rmid_forced=1 example/app:1.0\n" },
    ],
  });
});
