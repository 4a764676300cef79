import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR011.ts";
import { runtimeCases } from "./cases.ts";

describe("DR011", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose userns_mode: host", text: "services:\n  app:\n    image: alpine:3.20\n    userns_mode: host\n", at: [[4, 18, 4, 22]] },
      { name: "docker run --userns=host", text: "docker run --userns=host alpine:3.20\n", at: [[1, 12, 1, 25]] },
    ],
    silent: [
      { name: "podman --userns keep-id", text: "podman run --userns keep-id alpine:3.20\n" },
      { name: "compose without userns_mode", text: "services:\n  app:\n    image: alpine:3.20\n" },
    ],
  });
});
