// A real Debian root file system (mmdebstrap, minbase), made into an image by umoci, read by drydock and
// checked against GNU tar's own listing and against the extracted tree read as dir:. Slow (a download and
// ~170 MB), so only with DRYDOCK_HEAVY_TESTS=1; needs the Debian packages mmdebstrap, uidmap, umoci.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MergedFs } from "../../src/image/merged.ts";
import { openImage } from "../../src/image/source.ts";
import { walkImage, type LayerEntry } from "../../src/image/walk.ts";
import { tempDir } from "./fixtures.ts";

const HEAVY = process.env["DRYDOCK_HEAVY_TESTS"] === "1";

/** The Debian mirror apt on this machine uses. */
function mirror(): string {
  const text = readFileSync("/etc/apt/sources.list.d/debian.sources", "utf8");
  return /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? "http://deb.debian.org/debian";
}

/** `tar -tv` mode strings ("-rwsr-xr-x") to bits. */
function modeOf(perm: string): number {
  const bits = [0o400, 0o200, 0o100, 0o040, 0o020, 0o010, 0o004, 0o002, 0o001];
  let mode = 0;
  for (let i = 0; i < 9; i++) {
    const c = perm[i + 1] ?? "-";
    if (c !== "-" && c !== "S" && c !== "T") mode |= bits[i] ?? 0;
  }
  if (/[sS]/.test(perm[3] ?? "")) mode |= 0o4000;
  if (/[sS]/.test(perm[6] ?? "")) mode |= 0o2000;
  if (/[tT]/.test(perm[9] ?? "")) mode |= 0o1000;
  return mode;
}

const KIND: Record<string, string> = { "-": "file", d: "dir", l: "symlink", h: "hardlink", c: "char-device", b: "block-device", p: "fifo" };

describe("a real Debian root file system", { skip: !HEAVY && "set DRYDOCK_HEAVY_TESTS=1 (downloads ~40 MB, takes a minute)" }, () => {
  test("reads as GNU tar lists it, as an image layer and as an extracted dir:", { timeout: 600_000 }, async () => {
    const t = tempDir();
    try {
      const rootfsTar = join(t.dir, "rootfs.tar");
      execFileSync("mmdebstrap", ["--quiet", "--variant=minbase", "--mode=unshare", "bookworm", rootfsTar, mirror()], {
        env: { ...process.env, SOURCE_DATE_EPOCH: "1700000000" },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const layout = join(t.dir, "layout");
      execFileSync("umoci", ["init", "--layout", layout]);
      execFileSync("umoci", ["new", "--image", `${layout}:debian`]);
      execFileSync("umoci", ["raw", "add-layer", "--image", `${layout}:debian`, rootfsTar]);

      // The oracle: GNU tar's verbose listing, with a line per entry and "h" for hardlinks.
      const listing = execFileSync("tar", ["--list", "--verbose", "--numeric-owner", "--file", rootfsTar], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      const expected: string[] = [];
      for (const line of listing.split("\n")) {
        const m = /^(\S{10}) (\d+)\/(\d+)\s+(\S+) \S+ \S+ (.*)$/.exec(line);
        if (m === null) continue;
        const [, perm = "", uid, gid, size, rest = ""] = m;
        const hard = / link to /.exec(rest);
        const type = hard !== null ? "h" : (perm[0] ?? "-");
        const name = rest.split(hard !== null ? " link to " : " -> ")[0] ?? "";
        const path = name.replace(/^\.\/?/, "").replace(/\/$/, "");
        expected.push(`${KIND[type]} ${path} ${modeOf(perm).toString(8)} ${uid}:${gid} ${type === "-" ? size : 0}`);
      }

      const source = await openImage(`oci:${layout}:debian`);
      const seen: LayerEntry[] = [];
      let passwd = "";
      const merged = new MergedFs();
      const result = await walkImage(source, [merged, {
        headBytes: 4096,
        wants: () => true,
        entry(e, head) {
          seen.push(e);
          if (e.path === "etc/passwd" && head !== undefined) passwd = Buffer.from(head).toString();
        },
      }]);
      await source.close();
      const ours = seen.map((e) => `${e.kind} ${e.path} ${e.mode.toString(8)} ${e.uid}:${e.gid} ${e.size}`);
      assert.ok(expected.length > 3000, `${expected.length} entries listed by tar`);
      assert.equal(ours.length, expected.length);
      assert.deepEqual(ours, expected);
      assert.match(passwd, /^root:x:0:0:/);
      assert.equal(merged.resolve("/usr/bin/dpkg")?.version?.kind, "file");
      assert.equal(result.layers[0]?.compression, "gzip");
      assert.ok(seen.some((e) => e.kind === "file" && (e.mode & 0o4000) !== 0), "setuid binaries (su, passwd, mount) are in minbase");

      // Extracted as root (owners kept), the tree read as dir: shows the same paths, kinds, modes and owners.
      const rootfs = join(t.dir, "rootfs");
      mkdirSync(rootfs);
      execFileSync("tar", ["--extract", "--preserve-permissions", "--numeric-owner", "--file", rootfsTar, "--directory", rootfs]);
      const dirEntries: string[] = [];
      const dirSource = await openImage(`dir:${rootfs}`);
      await walkImage(dirSource, [{ wants: () => true, entry: (e) => dirEntries.push(`${e.path} ${e.kind === "hardlink" ? "file" : e.kind} ${e.mode.toString(8)} ${e.uid}:${e.gid}`) }]);
      const fromLayer = [...merged.visible()].map(([p, v]) => `${p} ${v.kind === "hardlink" ? "file" : v.kind} ${v.mode.toString(8)} ${v.uid}:${v.gid}`);
      assert.deepEqual(dirEntries.sort(), fromLayer.sort());
    } finally {
      t.cleanup();
    }
  });
});
