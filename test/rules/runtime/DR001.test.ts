import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR001.ts";
import { runtimeCases } from "./cases.ts";

describe("DR001", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose privileged: true", text: "services:\n  app:\n    image: alpine:3.20\n    privileged: true\n", at: [[4, 17, 4, 21]] },
      { name: "YAML 1.1 yes, through a merge key", text: "x-base: &base\n  privileged: yes\nservices:\n  app:\n    <<: *base\n    image: alpine:3.20\n", at: [[2, 15, 2, 18]] },
      {
        name: "a Kubernetes init container",
        text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: setup\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n  containers:\n    - name: app\n      image: busybox:1.36\n",
        at: [[10, 21, 10, 25]],
        messages: ['init container "setup" of Pod/p runs privileged'],
      },
      { name: "docker run --privileged", text: "docker run --privileged alpine:3.20\n", at: [[1, 12, 1, 24]] },
      { name: "--privileged=true in a continued line", text: "docker run --rm \\\n  --privileged=true alpine:3.20\n", at: [[2, 3, 2, 20]] },
    ],
    silent: [
      { name: "compose privileged: false", text: "services:\n  app:\n    image: alpine:3.20\n    privileged: false\n" },
      { name: "--privileged=false", text: "docker run --privileged=false alpine:3.20\n" },
      { name: "--privileged after the image is the command's", text: "docker run alpine:3.20 --privileged\n" },
      { name: "a quoted word is no flag", text: "echo 'docker run --privileged alpine'\n" },
    ],
  });
});
