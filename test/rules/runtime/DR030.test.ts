import { describe } from "node:test";
import { rule } from "../../../src/rules/runtime/DR030.ts";
import { runtimeCases } from "./cases.ts";

describe("DR030", () => {
  runtimeCases(rule, {
    fires: [
      { name: "compose devices and a cgroup rule", text: "services:\n  backup:\n    image: example/backup:1.0\n    devices:\n      - /dev/sdb:/dev/sdb\n    device_cgroup_rules:\n      - 'b 8:* rmw'\n", at: [[5, 9, 5, 26], [7, 9, 7, 20]], messages: ["host device /dev/sdb", "device cgroup rule b 8:* rmw"] },
      { name: "compose long device syntax", text: "services:\n  gpu:\n    image: example/gpu:1.0\n    devices:\n      - source: /dev/dri\n        target: /dev/dri\n", at: [[5, 17, 5, 25]] },
      { name: "docker run --device", text: "docker run --device=/dev/fuse example/sshfs:1.0\n", at: [[1, 12, 1, 30]] },
    ],
    silent: [
      { name: "no devices", text: "services:\n  backup:\n    image: example/backup:1.0\n" },
      { name: "--gpus is not a device passthrough here", text: "docker run --gpus all example/cuda:12.4\n" },
    ],
  });
});
