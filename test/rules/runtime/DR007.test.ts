import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR007.ts";
import { runtimeCases } from "./cases.ts";

describe("DR007", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose network_mode: host", text: "services:\n  app:\n    image: alpine:3.20\n    network_mode: host\n", at: [[4, 19, 4, 23]] },
      {
        name: "hostNetwork on the pod: reported once for two containers",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: a\n      image: alpine:3.20\n    - name: b\n      image: alpine:3.20\n",
        at: [[6, 16, 6, 20]],
        messages: ["Pod/p uses the host's network"],
      },
      { name: "docker run --net=host", text: "docker run --net=host alpine:3.20\n", at: [[1, 12, 1, 22]] },
      { name: "podman run --network host", text: "podman run --network host alpine:3.20\n", at: [[1, 12, 1, 26]] },
    ],
    silent: [
      { name: "compose network_mode: service:db", text: "services:\n  app:\n    image: alpine:3.20\n    network_mode: service:db\n" },
      { name: "docker run --network mynet", text: "docker run --network mynet alpine:3.20\n" },
      { name: "hostNetwork: false", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: false\n  containers:\n    - name: a\n      image: alpine:3.20\n" },
    ],
  });
});
