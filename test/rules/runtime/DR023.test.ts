import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR023.ts";
import { runtimeCases } from "./cases.ts";

describe("DR023", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose 80:8080", text: "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80:8080\"\n      - 8443:8443\n", at: [[5, 9, 5, 18]] },
      { name: "compose long syntax published: 443", text: "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 8443\n        published: 443\n", at: [[6, 20, 6, 23]] },
      { name: "docker run -p on a loopback address", text: "docker run -p 127.0.0.1:80:8080 nginx:1.27\n", at: [[1, 15, 1, 32]] },
    ],
    silent: [
      { name: "high ports", text: "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n" },
      { name: "container port only", text: "docker run -p 80 nginx:1.27\n" },
      { name: "Kubernetes hostPort is DR025's", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n          hostPort: 80\n" },
    ],
  });
});
