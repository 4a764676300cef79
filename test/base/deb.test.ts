import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { pack } from "tar-stream";
import { readDeb } from "../../src/base/deb.ts";
import { field } from "../../src/base/deb822.ts";
import { buildDeb } from "./repo.ts";

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "drydock-deb-test-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** dpkg-deb's own listing of data.tar: "mode owner size date time path [-> target]" → [path, kind, target]. */
function dpkgListing(deb: string): string[] {
  return execFileSync("dpkg-deb", ["-c", deb]).toString().trim().split("\n").map((line) => {
    const parts = line.split(/\s+/);
    const kind = parts[0]?.[0] === "d" ? "dir" : parts[0]?.[0] === "l" ? "symlink" : parts[0]?.[0] === "h" ? "hardlink" : "file";
    const path = (parts[5] ?? "").replace(/^\.\//, "").replace(/\/$/, "");
    const target = parts[6] === "->" ? ` -> ${parts[7]}` : "";
    return `${path} ${kind}${target}`;
  }).filter((l) => !l.startsWith(" "));
}

describe("readDeb", () => {
  for (const compression of ["xz", "gzip", "zstd", "none"] as const) {
    it(`reads what dpkg-deb built with -Z${compression}`, async () => {
      const file = buildDeb(join(work, compression), {
        name: "sample",
        version: "1:2.0-3",
        fields: { Depends: "libc6 (>= 2.34)", "Multi-Arch": "same" },
        files: { "usr/bin/sample": "#!/bin/sh\necho hi\n", "etc/sample.conf": "x=1\n", "usr/lib/sample/link": "->../../bin/sample" },
        conffiles: ["etc/sample.conf"],
        compression,
      });
      const deb = await readDeb(readFileSync(file), file);
      assert.equal(field(deb.control, "package"), "sample");
      assert.equal(field(deb.control, "Version"), execFileSync("dpkg-deb", ["-f", file, "Version"]).toString().trim());
      assert.equal(deb.controlText, execFileSync("dpkg-deb", ["-I", file, "control"]).toString());
      assert.equal(deb.conffiles, "/etc/sample.conf\n");
      assert.match(deb.md5sums ?? "", /[0-9a-f]{32} {2}usr\/bin\/sample/);
      const ours = deb.entries.map((e) => `${e.path} ${e.kind}${e.kind === "symlink" ? ` -> ${e.linkname}` : ""}`);
      assert.deepEqual(ours, dpkgListing(file));
      const script = deb.entries.find((e) => e.path === "usr/bin/sample");
      assert.equal(Buffer.from(script?.content ?? []).toString(), "#!/bin/sh\necho hi\n");
      assert.equal(script?.uid, 0);
      assert.equal(script?.mtime, 1700000000);
    });
  }

  it("refuses what is not a .deb, a truncated one, and a path that climbs out of the root", async () => {
    const good = readFileSync(buildDeb(join(work, "good"), { name: "good", version: "1", files: { "a/b": "c" } }));
    await assert.rejects(readDeb(Buffer.from("not an archive"), "x.deb"), { code: "BASE_DEB_INVALID" });
    await assert.rejects(readDeb(good.subarray(0, good.length - 100), "cut.deb"), { code: "BASE_DEB_INVALID" });
    const evilData = await tarOf([{ name: "./", type: "directory" }, { name: "./../../etc/passwd", body: "root::0:0::/:/bin/sh\n" }]);
    const control = await tarOf([{ name: "./control", body: "Package: evil\nVersion: 1\nArchitecture: all\n" }]);
    const evil = arOf([["debian-binary", Buffer.from("2.0\n")], ["control.tar.gz", gzipSync(control)], ["data.tar", evilData]]);
    await assert.rejects(readDeb(evil, "evil.deb"), { code: "BASE_DEB_INVALID", message: /climbs out of the root/ });
    const noControl = arOf([["debian-binary", Buffer.from("2.0\n")], ["data.tar", evilData]]);
    await assert.rejects(readDeb(noControl, "nocontrol.deb"), { code: "BASE_DEB_INVALID" });
    const bz2 = arOf([["debian-binary", Buffer.from("2.0\n")], ["control.tar.gz", gzipSync(control)], ["data.tar.bz2", Buffer.from("BZh9")]]);
    await assert.rejects(readDeb(bz2, "bz2.deb"), { code: "BASE_DEB_INVALID", message: /gzip, xz, zstd/ });
  });
});

async function tarOf(entries: { name: string; type?: "directory"; body?: string }[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    if (e.type === "directory") p.entry({ name: e.name, type: "directory", mode: 0o755 });
    else p.entry({ name: e.name, mode: 0o644 }, e.body ?? "");
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function arOf(members: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from("!<arch>\n")];
  for (const [name, data] of members) {
    const header = `${name.padEnd(16)}${"0".padEnd(12)}${"0".padEnd(6)}${"0".padEnd(6)}${"100644".padEnd(8)}${String(data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(header, "latin1"), data);
    if (data.length % 2 === 1) parts.push(Buffer.from("\n"));
  }
  return Buffer.concat(parts);
}
