import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR026.ts";
import { runtimeCases } from "./cases.ts";

describe("DR026", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose without a tag", text: "services:\n  cache:\n    image: redis\n", at: [[3, 12, 3, 17]], messages: ["without a tag"] },
      { name: "a registry with a port, :latest", text: "services:\n  app:\n    image: registry.example.com:5000/team/app:latest\n", at: [[3, 12, 3, 53]], messages: [":latest is whatever"] },
      { name: "a registry with a port, no tag", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: localhost:5000/app\n", at: [[8, 14, 8, 32]] },
      { name: "docker run, image after flags", text: "docker run -d --name web -p 8080:80 nginx\n", at: [[1, 37, 1, 42]] },
      { name: "an image from .env interpolation", text: "services:\n  app:\n    image: ${IMAGE:-nginx:latest}\n", at: [[3, 12, 3, 34]] },
    ],
    silent: [
      { name: "a version tag", text: "services:\n  cache:\n    image: redis:7.4\n" },
      { name: "a digest", text: "docker run nginx@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb\n" },
      { name: "compose build names its result", text: "services:\n  app:\n    build: .\n    image: myapp\n" },
      { name: "an unset variable", text: "services:\n  app:\n    image: ${IMAGE}\n" },
      { name: "a documentation placeholder", text: "docker run -d %%IMAGE%%\n" },
      { name: "a dynamic image", text: "docker run -d \"$IMAGE\"\n" },
    ],
  });
});
