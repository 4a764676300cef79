import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR027.ts";
import { runtimeCases } from "./cases.ts";

describe("DR027", () => {
  runtimeCases(rule, {
    fires: [
      { name: "a tag", text: "services:\n  db:\n    image: postgres:16.4\n", at: [[3, 12, 3, 25]], messages: ["postgres@sha256:..."] },
      { name: "docker run", text: "docker run alpine:3.20 true\n", at: [[1, 12, 1, 23]] },
    ],
    silent: [
      { name: "tag and digest", text: "services:\n  db:\n    image: postgres:16.4@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb\n" },
      { name: "a build", text: "services:\n  app:\n    build:\n      context: .\n" },
    ],
  });
});
