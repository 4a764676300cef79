import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI007.ts";
import { checkCases } from "./helpers.ts";

describe("DI007", () => {
  checkCases(check, {
    fires: [
      { name: "sudo installed", layers: [[{ name: "usr/bin/sudo", content: "ELF", mode: 0o4755 }]], expect: ["/usr/bin/sudo: sudo is installed at /usr/bin/sudo"] },
      {
        name: "found through the merged-/usr symlink", layers: [[{ name: "bin", type: "symlink", linkname: "usr/bin" }, { name: "usr/bin/sudo", content: "ELF" }]],
        expect: ["/usr/bin/sudo: sudo is installed at /usr/bin/sudo"],
      },
      { name: "sudo in the build", history: ["/bin/sh -c sudo -u app make install"], expect: [": history step 0 runs sudo (RUN sudo -u app make install)"] },
    ],
    silent: [
      { name: "sudo removed later", layers: [[{ name: "usr/bin/sudo", content: "ELF" }], [{ name: "usr/bin/.wh.sudo", content: "" }]] },
      { name: "sudo only mentioned", history: ["/bin/sh -c echo sudo is not here", "/bin/sh -c apt-get purge -y sudo"] },
      { name: "sudoers without sudo", layers: [[{ name: "etc/sudoers", content: "root ALL=(ALL) ALL\n" }]] },
    ],
  });
});
