import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI001.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const PASSWD = { name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n" };

describe("DI001", () => {
  checkCases(check, {
    fires: [
      { name: "no USER", config: { ...QUIET_CONFIG, User: "" }, expect: [": no USER is set, so the container runs as root"] },
      { name: "root", config: { ...QUIET_CONFIG, User: "root" }, expect: [": USER root is root"] },
      { name: "0 (dockle misses it)", config: { ...QUIET_CONFIG, User: "0" }, expect: [": USER 0 is root"] },
      { name: "0:0", config: { ...QUIET_CONFIG, User: "0:0" }, expect: [": USER 0:0 is root"] },
      { name: "root with a group", config: { ...QUIET_CONFIG, User: "root:app" }, expect: [": USER root:app is root"] },
      {
        name: "a name /etc/passwd maps to uid 0", layers: [[PASSWD]], config: { ...QUIET_CONFIG, User: "toor" },
        expect: ["/etc/passwd: USER toor is root: /etc/passwd gives toor uid 0"],
      },
      {
        name: "the passwd of the last layer decides", layers: [[PASSWD], [{ name: "etc/passwd", content: "app:x:0:0::/app:/bin/sh\n" }]],
        config: { ...QUIET_CONFIG, User: "app" }, expect: ["/etc/passwd: USER app is root: /etc/passwd gives app uid 0"],
      },
    ],
    silent: [
      { name: "a numeric non-root uid", config: { ...QUIET_CONFIG, User: "10001:10001" } },
      { name: "a named non-root user", layers: [[PASSWD]], config: { ...QUIET_CONFIG, User: "app" } },
      { name: "a name the image does not know (the runtime refuses it)", config: { ...QUIET_CONFIG, User: "ghost" } },
      { name: "uid 0 alias replaced by a later layer", layers: [[PASSWD], [{ name: "etc/passwd", content: "toor:x:1000:1000::/:/bin/sh\n" }]], config: { ...QUIET_CONFIG, User: "toor" } },
    ],
  });
});
