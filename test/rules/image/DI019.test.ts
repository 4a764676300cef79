import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI019.ts";
import { checkCases } from "./helpers.ts";

describe("DI019", () => {
  checkCases(check, {
    fires: [
      {
        name: "a world-writable file and directory",
        layers: [[{ name: "app/run.sh", content: "#!/bin/sh\n", mode: 0o777 }, { name: "srv/upload/", type: "directory", mode: 0o777 }]],
        expect: ["/app/run.sh: /app/run.sh: file is world-writable (mode 0777)", "/srv/upload: /srv/upload: directory is world-writable without the sticky bit (mode 0777)"],
      },
      { name: "a later layer loosens the mode", layers: [[{ name: "etc/app.conf", content: "x" }], [{ name: "etc/app.conf", content: "x", mode: 0o666 }]], expect: ["/etc/app.conf: /etc/app.conf: file is world-writable (mode 0666)"] },
    ],
    silent: [
      { name: "/tmp with the sticky bit, symlinks", layers: [[{ name: "tmp/", type: "directory", mode: 0o1777 }, { name: "usr/bin/vi", type: "symlink", linkname: "vim", mode: 0o777 }]] },
      { name: "a later layer tightens the mode", layers: [[{ name: "srv/upload/", type: "directory", mode: 0o777 }], [{ name: "srv/upload/", type: "directory", mode: 0o755 }]] },
      { name: "allow-listed", layers: [[{ name: "srv/upload/", type: "directory", mode: 0o777 }]], settings: { worldWritableAllow: ["/srv/upload"] } },
    ],
  });
});
