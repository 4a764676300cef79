// A real Debian root file system (mmdebstrap minbase, made an image by umoci) audited end to end: the setuid
// binaries Debian ships are listed, and a clean distribution shows no secrets, no empty passwords and no
// duplicate accounts. Slow (a download), so only with DRYDOCK_HEAVY_TESTS=1 and mmdebstrap, umoci installed;
// test/audit/audit.test.ts covers the same path with files of this machine by default.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { auditImage } from "../../src/audit.ts";
import { tempDir } from "../image/fixtures.ts";

const HEAVY = process.env["DRYDOCK_HEAVY_TESTS"] === "1" && existsSync("/usr/bin/mmdebstrap") && existsSync("/usr/bin/umoci");

function mirror(): string {
  const text = existsSync("/etc/apt/sources.list.d/debian.sources") ? readFileSync("/etc/apt/sources.list.d/debian.sources", "utf8") : "";
  return /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? "http://deb.debian.org/debian";
}

describe("auditing a real Debian image", { skip: !HEAVY && "set DRYDOCK_HEAVY_TESTS=1 (needs mmdebstrap and umoci; downloads ~40 MB)" }, () => {
  test("minbase bookworm", { timeout: 600_000 }, async () => {
    const t = tempDir();
    try {
      const rootfs = join(t.dir, "rootfs.tar");
      execFileSync("mmdebstrap", ["--quiet", "--variant=minbase", "--mode=unshare", "bookworm", rootfs, mirror()], {
        env: { ...process.env, SOURCE_DATE_EPOCH: "1700000000" },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const layout = join(t.dir, "layout");
      execFileSync("umoci", ["init", "--layout", layout]);
      execFileSync("umoci", ["new", "--image", `${layout}:bookworm`]);
      execFileSync("umoci", ["raw", "add-layer", "--image", `${layout}:bookworm`, rootfs]);
      const started = performance.now();
      const outcome = await auditImage({ ref: `oci:${layout}:bookworm` });
      const seconds = (performance.now() - started) / 1000;
      const lines = outcome.report.findings.map((f) => `${f.ruleId} ${f.message}`);
      console.log(`audited Debian minbase in ${seconds.toFixed(2)} s:\n${lines.join("\n")}`);
      assert.deepEqual(outcome.report.errors, []);
      for (const bin of ["/usr/bin/su", "/usr/bin/passwd", "/usr/bin/mount", "/usr/bin/chsh"]) {
        assert.ok(lines.some((l) => l.startsWith(`DI004 ${bin} is setuid`)), bin);
      }
      assert.ok(lines.includes("DI001 no USER is set, so the container runs as root"));
      for (const id of ["DI006", "DI017", "DI018", "DI019", "DI012", "DI013"]) {
        assert.deepEqual(lines.filter((l) => l.startsWith(id)), [], `a clean Debian has no ${id} findings`);
      }
    } finally {
      t.cleanup();
    }
  });
});
