import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI018.ts";
import { checkCases } from "./helpers.ts";

describe("DI018", () => {
  checkCases(check, {
    fires: [
      {
        name: "a second uid 0 and a duplicate group",
        layers: [[
          { name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n" },
          { name: "etc/group", content: "root:x:0:\napp:x:1000:\nstaff:x:1000:\napp:x:1001:\n" },
        ]],
        expect: [
          "/etc/group: duplicate gid 1000 (app and staff) in /etc/group, lines 2 and 3",
          "/etc/group: duplicate group name app in /etc/group, lines 2 and 4",
          "/etc/passwd: duplicate uid 0 (root and toor) in /etc/passwd, lines 1 and 3",
        ],
      },
    ],
    silent: [
      { name: "unique accounts", layers: [[{ name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n" }, { name: "etc/group", content: "root:x:0:\napp:x:1000:\n" }]] },
    ],
  });
});
