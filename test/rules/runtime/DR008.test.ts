import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR008.ts";
import { runtimeCases } from "./cases.ts";

describe("DR008", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose pid: host", text: "services:\n  app:\n    image: alpine:3.20\n    pid: \"host\"\n", at: [[4, 10, 4, 16]] },
      { name: "CronJob hostPID", text: "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostPID: true\n          containers:\n            - name: a\n              image: alpine:3.20\n", at: [[10, 20, 10, 24]], messages: ["CronJob/c shares"] },
      { name: "docker run --pid host", text: "docker run --pid host alpine:3.20 ps\n", at: [[1, 12, 1, 22]] },
    ],
    silent: [
      { name: "compose pid: service:db", text: "services:\n  app:\n    image: alpine:3.20\n    pid: service:db\n" },
      { name: "docker run --pid=container:x", text: "docker run --pid=container:x alpine:3.20\n" },
    ],
  });
});
