import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR025.ts";
import { runtimeCases } from "./cases.ts";

const pod = (ports: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n${ports}`;

describe("DR025", () => {
  runtimeCases(rule, {
    fires: [
      { name: "hostPort", text: pod("        - containerPort: 80\n          hostPort: 8080\n"), at: [[11, 21, 11, 25]], messages: ["opens hostPort 8080"] },
      { name: "hostPort as a string", text: pod("        - containerPort: 53\n          hostPort: \"53\"\n          protocol: UDP\n"), at: [[11, 21, 11, 25]] },
    ],
    silent: [
      { name: "containerPort only", text: pod("        - containerPort: 80\n") },
      { name: "hostPort: 0 means none", text: pod("        - containerPort: 80\n          hostPort: 0\n") },
      { name: "compose ports are DR023/DR024's", text: "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n" },
    ],
  });
});
