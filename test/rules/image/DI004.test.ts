import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI004.ts";
import { checkCases } from "./helpers.ts";

const SU = { name: "usr/bin/su", content: "ELF", mode: 0o4755 };
const WALL = { name: "usr/bin/wall", content: "ELF", mode: 0o2755, gid: 5 };

describe("DI004", () => {
  checkCases(check, {
    fires: [
      { name: "setuid and setgid files", layers: [[SU, WALL]], expect: ["/usr/bin/su: /usr/bin/su is setuid (uid 0, mode 4755)", "/usr/bin/wall: /usr/bin/wall is setgid (gid 5, mode 2755)"] },
      { name: "both bits", layers: [[{ ...SU, mode: 0o6755 }]], expect: ["/usr/bin/su: /usr/bin/su is setuid and setgid (uid 0, mode 6755)"] },
      { name: "allow-list covers one", layers: [[SU, WALL]], settings: { setuidAllow: ["/usr/bin/su"] }, expect: ["/usr/bin/wall: /usr/bin/wall is setgid (gid 5, mode 2755)"] },
    ],
    silent: [
      { name: "plain executables", layers: [[{ name: "usr/bin/ls", content: "ELF", mode: 0o755 }]] },
      { name: "bits removed by a later layer", layers: [[SU], [{ ...SU, mode: 0o755 }]] },
      { name: "file deleted later", layers: [[SU], [{ name: "usr/bin/.wh.su", content: "" }]] },
      { name: "allow-list pattern", layers: [[SU, WALL]], settings: { setuidAllow: ["usr/bin/*"] } },
      { name: "setgid directory", layers: [[{ name: "var/mail", type: "directory", mode: 0o2775 }]] },
    ],
  });
});
