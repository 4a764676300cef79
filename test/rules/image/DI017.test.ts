import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI017.ts";
import { checkCases } from "./helpers.ts";

describe("DI017", () => {
  checkCases(check, {
    fires: [
      { name: "Alpine's CVE-2019-5021 root", layers: [[{ name: "etc/shadow", content: "root:::0:::::\nbin:!::0:::::\n" }]], expect: ["/etc/shadow: root has an empty password in /etc/shadow (line 1)"] },
      { name: "passwd without x", layers: [[{ name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\nguest::1000:1000::/home/guest:/bin/sh\n" }]], expect: ["/etc/passwd: guest has an empty password in /etc/passwd (line 2)"] },
    ],
    silent: [
      { name: "locked and hashed passwords", layers: [[{ name: "etc/shadow", content: "root:*:19000:0:99999:7:::\ndaemon:!:19000::::::\napp:$6$salt$abcdefghijklmnop:19000:0:99999:7:::\n# comment\n\n" }]] },
      { name: "fixed in a later layer", layers: [[{ name: "etc/shadow", content: "root:::0:::::\n" }], [{ name: "etc/shadow", content: "root:!::0:::::\n" }]] },
    ],
  });
});
