import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR032.ts";
import { runtimeCases } from "./cases.ts";

describe("DR032", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose systempaths=unconfined", text: "services:\n  nested:\n    image: example/buildkit:0.15\n    security_opt:\n      - systempaths=unconfined\n", at: [[5, 9, 5, 31]] },
      { name: "procMount: Unmasked", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: build\n      image: example/buildkit:0.15\n      securityContext:\n        procMount: Unmasked\n", at: [[10, 20, 10, 28]], messages: ["procMount: Unmasked"] },
      { name: "podman unmask=ALL", text: "podman run --security-opt unmask=ALL example/buildkit:0.15\n", at: [[1, 12, 1, 37]] },
    ],
    silent: [
      { name: "procMount: Default", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: build\n      image: example/buildkit:0.15\n      securityContext:\n        procMount: Default\n" },
      { name: "no option", text: "docker run example/buildkit:0.15\n" },
    ],
  });
});
