import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI008.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const volumes = (...paths: string[]) => ({ ...QUIET_CONFIG, Volumes: Object.fromEntries(paths.map((p) => [p, {}])) });

describe("DI008", () => {
  checkCases(check, {
    fires: [
      {
        name: "the issue's list", config: volumes("/", "/etc/", "/var/run/docker.sock", "/proc", "/sys"),
        expect: [
          ": VOLUME / exposes the whole file system",
          ": VOLUME /etc/ exposes the system configuration",
          ": VOLUME /proc exposes the process file system",
          ": VOLUME /sys exposes the kernel's sysfs",
          ": VOLUME /var/run/docker.sock exposes the Docker socket (root on the host)",
        ],
      },
    ],
    silent: [
      { name: "data directories", config: volumes("/var/lib/postgresql/data", "/data", "/etc/app-data") },
    ],
  });
});
