import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR028.ts";
import { runtimeCases } from "./cases.ts";

describe("DR028", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose mapping: exactly the value", text: "services:\n  api:\n    image: example/api:3.2\n    environment:\n      DB_PASSWORD: 9vQx2LmT7rWz4KpB\n", at: [[5, 20, 5, 36]] },
      { name: "compose list item: the part after =", text: "services:\n  api:\n    image: example/api:3.2\n    environment:\n      - \"API_TOKEN=h7Vq9xL2mR4tW8zK3pN6\"\n", at: [[5, 20, 5, 40]] },
      {
        name: "a token format in any variable, inside a longer value",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      env:\n        - name: ARGS\n          value: \"--key AKIAZ7Q4MV3XR2PLKD5N --verbose\"\n",
        at: [[11, 25, 11, 45]],
        messages: ["AWS access key"],
      },
      { name: "docker run -e, quoted", text: "docker run -e \"DB_PASSWORD=9vQx2LmT7rWz4KpB\" example/api:3.2\n", at: [[1, 28, 1, 44]] },
      { name: "docker run --env=NAME=value", text: "docker run --env=SECRET_KEY=Zp4r8Lq2Vx7Nc1Ty example/api:3.2\n", at: [[1, 29, 1, 45]] },
    ],
    silent: [
      { name: "a compose variable", text: "services:\n  api:\n    image: example/api:3.2\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n" },
      { name: "a placeholder", text: "services:\n  api:\n    image: example/api:3.2\n    environment:\n      DB_PASSWORD: changeme\n" },
      { name: "valueFrom", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n" },
      { name: "docker run -e NAME passes the caller's value", text: "docker run -e DB_PASSWORD example/api:3.2\n" },
      { name: "docker run -e with a shell variable", text: "docker run -e DB_PASSWORD=\"$DB_PASSWORD\" example/api:3.2\n" },
    ],
  });
});
