import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR006.ts";
import { runtimeCases } from "./cases.ts";

const head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n  volumes:\n";

describe("DR006", () => {
  runtimeCases(rule, {
    fires: [
      { name: "a hostPath volume, mounted or not: at its path", text: `${head}    - name: data\n      hostPath:\n        path: /srv/data\n`, at: [[12, 15, 12, 24]], messages: ['Pod/p has hostPath volume "data"'] },
      { name: "a hostPath without a path: at the key", text: `${head}    - name: data\n      hostPath: {}\n`, at: [[11, 7, 11, 15]] },
    ],
    silent: [
      { name: "emptyDir", text: `${head}    - name: data\n      emptyDir: {}\n` },
      { name: "compose binds are not hostPath volumes", text: "services:\n  app:\n    image: example/app:1.0\n    volumes:\n      - /srv/data:/data\n" },
    ],
  });
});
