import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR029.ts";
import { runtimeCases } from "./cases.ts";

describe("DR029", () => {
  runtimeCases(rule, {
    fires: [
      { name: "restart: always", text: "services:\n  api:\n    image: example/api:3.2\n    restart: always\n", at: [[4, 14, 4, 20]] },
      { name: "unless-stopped with the healthcheck disabled", text: "services:\n  api:\n    image: example/api:3.2\n    restart: unless-stopped\n    healthcheck:\n      disable: true\n", at: [[4, 14, 4, 28]], messages: ["healthcheck is disabled"] },
      { name: "deploy.restart_policy any", text: "services:\n  api:\n    image: example/api:3.2\n    deploy:\n      restart_policy:\n        condition: any\n", at: [[6, 20, 6, 23]] },
      { name: "docker run --restart always", text: "docker run -d --restart always example/api:3.2\n", at: [[1, 15, 1, 31]] },
    ],
    silent: [
      { name: "a healthcheck", text: "services:\n  api:\n    image: example/api:3.2\n    restart: always\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n" },
      { name: "on-failure", text: "services:\n  api:\n    image: example/api:3.2\n    restart: on-failure:5\n" },
      { name: "docker run --health-cmd", text: "docker run --restart=always --health-cmd 'curl -f localhost' example/api:3.2\n" },
    ],
  });
});
