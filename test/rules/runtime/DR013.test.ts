import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR013.ts";
import { runtimeCases } from "./cases.ts";

const deployment = (podSc: string, containerSc = ""): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n${podSc}      containers:\n        - name: api\n          image: example/api:3.2\n${containerSc}`;

describe("DR013", () => {
  runtimeCases(rule, {
    fires: [
      { name: "no runAsNonRoot anywhere: at the container", text: deployment(""), at: [[9, 17, 9, 20]] },
      { name: "runAsNonRoot: false on the pod", text: deployment("      securityContext:\n        runAsNonRoot: false\n"), at: [[9, 23, 9, 28]], messages: ["Deployment/api sets runAsNonRoot: false"] },
      { name: "the container overrides with false", text: deployment("      securityContext:\n        runAsNonRoot: true\n", "          securityContext:\n            runAsNonRoot: false\n"), at: [[14, 27, 14, 32]] },
      { name: "compose without user", text: "services:\n  api:\n    image: example/api:3.2\n", at: [[2, 3, 2, 6]] },
      { name: "docker run without -u", text: "sudo docker run -d example/api:3.2\n", at: [[1, 6, 1, 16]] },
    ],
    silent: [
      { name: "runAsNonRoot on the pod covers its containers", text: deployment("      securityContext:\n        runAsNonRoot: true\n") },
      { name: "compose user set", text: "services:\n  api:\n    image: example/api:3.2\n    user: node\n" },
      { name: "compose user from a variable", text: "services:\n  api:\n    image: example/api:3.2\n    user: ${UID}:${GID}\n" },
      { name: "docker run with options hidden in a variable", text: "docker run $RUN_OPTS example/api:3.2\n" },
    ],
  });
});
