import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR010.ts";
import { runtimeCases } from "./cases.ts";

describe("DR010", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose uts: host", text: "services:\n  app:\n    image: alpine:3.20\n    uts: host\n", at: [[4, 10, 4, 14]] },
      { name: "docker run --uts host", text: "docker run --uts host alpine:3.20\n", at: [[1, 12, 1, 22]] },
    ],
    silent: [
      { name: "compose hostname", text: "services:\n  app:\n    image: alpine:3.20\n    hostname: app\n" },
      { name: "docker run without --uts", text: "docker run -h app alpine:3.20\n" },
    ],
  });
});
