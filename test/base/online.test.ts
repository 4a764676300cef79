// Against the Debian mirror in this machine's apt sources, verified with debian-archive-keyring: a static-like and
// a base-like image (the presets in examples/base/), and the static one for amd64 and arm64 in one image index.
// Set DRYDOCK_ONLINE_TESTS=1 to run; needs root for chroot.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runMain } from "../helpers/main.ts";
import { parseLock } from "../../src/base/lock.ts";

const online = process.env["DRYDOCK_ONLINE_TESTS"] === "1";
const examples = join(import.meta.dirname, "../../examples/base");
let work: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), "drydock-base-online-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

async function drydock(args: string[], cwd: string): Promise<string> {
  const r = await runMain(args, { cwd, env: { HOME: work, XDG_CACHE_HOME: join(work, "cache") } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function unpack(layout: string): string {
  const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const blob = (d: string): string => join(layout, "blobs", ...d.split(":"));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]?.digest ?? ""), "utf8")) as { layers: { digest: string }[] };
  const root = mkdtempSync(join(work, "rootfs-"));
  execFileSync("tar", ["-xzf", blob(manifest.layers[0]?.digest ?? ""), "-C", root]);
  return root;
}

describe("drydock base against the real Debian mirror", { skip: online ? false : "set DRYDOCK_ONLINE_TESTS=1" }, () => {
  for (const preset of ["static", "base"]) {
    it(`builds the ${preset}-like preset; dpkg-query lists exactly the locked packages`, async () => {
      const dir = mkdtempSync(join(work, `${preset}-`));
      writeFileSync(join(dir, "drydock.yaml"), readFileSync(join(examples, preset, "drydock.yaml")));
      const digest = (await drydock(["base", "-o", `oci:${join(dir, "out")}`], dir)).trim();
      assert.match(digest, /^sha256:/);
      const lock = parseLock(readFileSync(join(dir, "drydock.lock"), "utf8"), "drydock.lock");
      const arch = Object.keys(lock.architectures)[0] as string;
      const locked = (lock.architectures[arch] ?? []).map((p) => `${p.name}=${p.version}`).sort();
      const root = unpack(join(dir, "out"));
      const listed = execFileSync("dpkg-query", [`--admindir=${root}/var/lib/dpkg`, "-W", "-f", "${Package}=${Version}\n"]).toString().trim().split("\n").sort();
      assert.deepEqual(listed, locked);
      // The SBOM beside the output lists the same packages (status and status.d both hold them: counted once).
      const bom = JSON.parse(readFileSync(join(dir, "out.cdx.json"), "utf8")) as { components: { name: string; version: string; purl?: string }[] };
      assert.deepEqual(bom.components.filter((c) => c.purl?.startsWith("pkg:deb/") === true).map((c) => `${c.name}=${c.version}`).sort(), locked);
      assert.match(readFileSync(join(root, "etc/ssl/certs/ca-certificates.crt"), "utf8"), /BEGIN CERTIFICATE/);
      assert.match(readFileSync(join(root, "etc/os-release"), "utf8"), /ID=debian/);
      if (preset === "base") {
        // The dynamic loader runs as a program: libc6 works inside the image.
        assert.match(execFileSync("chroot", [root, "/lib64/ld-linux-x86-64.so.2", "--version"]).toString(), /ld\.so|GNU C Library|version/i);
      }
      assert.equal((await drydock(["base", "--locked", "-q", "-o", `oci:${join(dir, "again")}`], dir)).trim(), digest);
    });
  }

  it("builds the static-like preset for amd64 and arm64 as one image index, identical again from the lock", async () => {
    const dir = mkdtempSync(join(work, "static-multi-"));
    writeFileSync(join(dir, "drydock.yaml"), readFileSync(join(examples, "static", "drydock.yaml")));
    const digest = (await drydock(["base", "--arch", "amd64,arm64", "-q", "-o", `oci:${join(dir, "out")}`], dir)).trim();
    const raw = execFileSync("skopeo", ["inspect", "--raw", `oci:${join(dir, "out")}`]);
    assert.equal(`sha256:${createHash("sha256").update(raw).digest("hex")}`, digest);
    const index = JSON.parse(raw.toString("utf8")) as { manifests: { platform: { architecture: string; variant?: string } }[] };
    assert.deepEqual(index.manifests.map((m) => `${m.platform.architecture}${m.platform.variant === undefined ? "" : `/${m.platform.variant}`}`), ["amd64", "arm64/v8"]);
    const lock = parseLock(readFileSync(join(dir, "drydock.lock"), "utf8"), "drydock.lock");
    assert.deepEqual(Object.keys(lock.architectures), ["amd64", "arm64"]);
    for (const arch of ["amd64", "arm64"]) {
      const bom = JSON.parse(readFileSync(join(dir, `out.${arch}.cdx.json`), "utf8")) as { components: { name: string; version: string; purl?: string }[] };
      const locked = (lock.architectures[arch] ?? []).map((p) => `${p.name}=${p.version}`).sort();
      assert.deepEqual(bom.components.filter((c) => c.purl?.startsWith("pkg:deb/") === true).map((c) => `${c.name}=${c.version}`).sort(), locked);
    }
    assert.equal((await drydock(["base", "--locked", "--arch", "amd64,arm64", "-q", "-o", `oci:${join(dir, "again")}`], dir)).trim(), digest);
  });
});
