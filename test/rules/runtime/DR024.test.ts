import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR024.ts";
import { runtimeCases } from "./cases.ts";

describe("DR024", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose PostgreSQL on every interface", text: "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n", at: [[5, 9, 5, 20]], messages: ["port 5432 (usually PostgreSQL) on host port 5432"] },
      { name: "0.0.0.0 written out, other host port", text: "services:\n  cache:\n    image: redis:7\n    ports:\n      - 0.0.0.0:16379:6379\n", at: [[5, 9, 5, 27]], messages: ["Redis"] },
      { name: "the Docker API is an error", text: "docker run -d -p 2375:2375 docker:27-dind\n", at: [[1, 18, 1, 27]], severities: ["error"] },
      { name: "a random host port is still every interface", text: "docker run -d -p 27017 mongo:7\n", at: [[1, 18, 1, 23]], messages: ["a random host port"] },
    ],
    silent: [
      { name: "bound to loopback", text: "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"127.0.0.1:5432:5432\"\n" },
      { name: "IPv6 loopback", text: "docker run -p [::1]:6379:6379 redis:7\n" },
      { name: "a web port", text: "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n" },
      { name: "expose only", text: "services:\n  db:\n    image: postgres:16\n    expose: [\"5432\"]\n" },
    ],
  });
});
