import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI014.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const DISTROLESS = { name: "etc/os-release", content: 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n' };
const BUSYBOX = [{ name: "bin/busybox", content: "ELF" }, { name: "bin/sh", type: "symlink" as const, linkname: "busybox" }];

describe("DI014", () => {
  checkCases(check, {
    fires: [
      {
        name: "distroless by os-release, with a shell copied in", layers: [[DISTROLESS], BUSYBOX],
        expect: [": the image declares itself distroless (by /etc/os-release), yet has a shell: /bin/sh, /bin/busybox"],
      },
      {
        name: "minimal by its title, with dpkg", layers: [[{ name: "usr/bin/dpkg", content: "ELF" }]],
        config: { ...QUIET_CONFIG, Labels: { "org.opencontainers.image.title": "app (minimal)" } },
        expect: [": the image declares itself minimal (by label org.opencontainers.image.title), yet has a package manager: /usr/bin/dpkg"],
      },
    ],
    silent: [
      { name: "distroless without a shell", layers: [[DISTROLESS, { name: "app/server", content: "ELF" }]] },
      { name: "a debug variant", layers: [[DISTROLESS], BUSYBOX], tag: "debug-nonroot" },
      { name: "an ordinary image with a shell", layers: [BUSYBOX] },
    ],
  });
});
