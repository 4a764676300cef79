// `drydock base` for several architectures: a signed test repository with amd64, arm64 and "all" packages, resolved
// per architecture into one lock, built into one image per architecture under an OCI image index. skopeo (inspect
// --raw, copy --override-arch), dpkg-query and a real registry are the oracles.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sbomPathFor } from "../../src/cli/base.ts";
import { runMain, type MainResult } from "../helpers/main.ts";
import { defaultTransport } from "../../src/base/apt.ts";
import { baseImageIndex, buildFromLock } from "../../src/base/base.ts";
import { parseArchitectureFlag, parseBaseSettings } from "../../src/base/config.ts";
import { lockDigest, parseLock } from "../../src/base/lock.ts";
import { parseOutput, writeImageIndex } from "../../src/build/image.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { startRegistry, type RunningRegistry } from "../registry/servers.ts";
import { makeKey, makeRepo, serveDir, type DebSpec, type GpgKey } from "./repo.ts";
import { generateKeyPair } from "../../src/sign/keys.ts";

const TRIPLET: Record<string, string> = { amd64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" };
const DEBS: DebSpec[] = [
  ...["amd64", "arm64"].flatMap((arch): DebSpec[] => [
    { name: "base-files", version: "12.4+deb12u9", architecture: arch, fields: { Essential: "yes" }, files: { "usr/lib/os-release": 'ID=debian\nVERSION_ID="12"\n', "etc/os-release": "->../usr/lib/os-release" } },
    { name: "libtiny1", version: "1.2-1", architecture: arch, fields: { "Multi-Arch": "same" }, files: { [`lib/${TRIPLET[arch]}/libtiny.so.1`]: `\x7fELF ${arch}\n` } },
    // Only arm64's tool needs libatomic1: the two architectures resolve to different sets.
    { name: "tool", version: "2.0-1", architecture: arch, fields: { Depends: `libtiny1 (>= 1.0), tzdata${arch === "arm64" ? ", libatomic1" : ""}` }, files: { "bin/tool": `#!/bin/sh\necho ${arch}\n` } },
  ]),
  { name: "libatomic1", version: "12.2.0-14", architecture: "arm64", fields: { "Multi-Arch": "same" }, files: { "lib/aarch64-linux-gnu/libatomic.so.1": "\x7fELF atomic\n" } },
  { name: "tzdata", version: "2025b-0+deb12u1", architecture: "all", files: { "usr/share/zoneinfo/Etc/UTC": "TZif2 utc\n" } },
];
const LOCKED: Record<string, string[]> = {
  amd64: ["base-files=12.4+deb12u9 amd64", "libtiny1=1.2-1 amd64", "tool=2.0-1 amd64", "tzdata=2025b-0+deb12u1 all"],
  arm64: ["base-files=12.4+deb12u9 arm64", "libatomic1=12.2.0-14 arm64", "libtiny1=1.2-1 arm64", "tool=2.0-1 arm64", "tzdata=2025b-0+deb12u1 all"],
};

let work: string;
let key: GpgKey;
let served: { url: string; server: Server; requests: string[] };

before(async () => {
  work = mkdtempSync(join(tmpdir(), "drydock-base-multi-"));
  key = makeKey(work, "repo");
  const repo = join(work, "repo");
  makeRepo(repo, DEBS, key, { suite: "bookworm", architectures: ["amd64", "arm64"] });
  served = await serveDir(repo);
});
after(() => {
  served.server.close();
  rmSync(work, { recursive: true, force: true });
});

function drydock(args: string[], cwd: string, cache = "cache"): Promise<MainResult> {
  return runMain(args, { cwd, env: { HOME: work, XDG_CACHE_HOME: join(work, cache) } });
}

function project(name: string, architectures: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "drydock.yaml"), `base:
  suite: bookworm
  mirror: ${served.url}
  keyring: ${key.keyring}
  architectures: ${architectures}
  packages: [base-files, tool]
  entrypoint: [/bin/tool]
`);
  return dir;
}

interface IndexDoc {
  mediaType: string;
  manifests: { mediaType: string; digest: string; size: number; platform: { architecture: string; os: string; variant?: string } }[];
  annotations: Record<string, string>;
}

function skopeo(args: string[]): string {
  return execFileSync("skopeo", args, { encoding: "utf8" });
}

function sha256(text: string | Buffer): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** name=version arch of every package dpkg-query finds in the single layer of the image a layout's index.json names. */
function dpkgListOf(layout: string): { root: string; listed: string[] } {
  const blob = (d: string): string => join(layout, "blobs", ...d.split(":"));
  const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]?.digest ?? ""), "utf8")) as { layers: { digest: string }[] };
  const root = mkdtempSync(join(work, "rootfs-"));
  execFileSync("tar", ["-xzf", blob(manifest.layers[0]?.digest ?? ""), "-C", root]);
  const listed = execFileSync("dpkg-query", [`--admindir=${root}/var/lib/dpkg`, "-W", "-f", "${Package}=${Version} ${Architecture}\n"]).toString().trim().split("\n");
  return { root, listed };
}

function debComponents(file: string): string[] {
  const bom = JSON.parse(readFileSync(file, "utf8")) as { components?: { name: string; version: string; purl?: string }[] };
  return (bom.components ?? []).filter((c) => c.purl?.startsWith("pkg:deb/") === true).map((c) => `${c.name}=${c.version}`).sort();
}

describe("drydock base for several architectures", () => {
  let dir: string;
  let indexDigest: string;
  let index: IndexDoc;

  it("locks each architecture against its own index and writes an OCI image index of both", async () => {
    dir = project("two", "[arm64, amd64]");
    const r = await drydock(["base", "-o", `oci:${join(dir, "out")}:1`, "-o", `oci-archive:${join(dir, "out.tar")}`], dir);
    assert.equal(r.code, 0, r.stderr);
    indexDigest = r.stdout.trim();

    const lock = parseLock(readFileSync(join(dir, "drydock.lock"), "utf8"), "drydock.lock");
    for (const arch of ["amd64", "arm64"]) assert.deepEqual(lock.architectures[arch]?.map((p) => `${p.name}=${p.version} ${p.architecture}`), LOCKED[arch]);

    const raw = skopeo(["inspect", "--raw", `oci:${join(dir, "out")}:1`]);
    assert.equal(sha256(raw), indexDigest, "stdout is the index digest");
    index = JSON.parse(raw) as IndexDoc;
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(index.manifests.map((m) => m.platform), [{ architecture: "amd64", os: "linux" }, { architecture: "arm64", os: "linux", variant: "v8" }]);
    assert.equal(index.annotations["dev.drydock.base.suite"], "bookworm");
    assert.equal(index.annotations["dev.drydock.base.lock"], lockDigest(readFileSync(join(dir, "drydock.lock"), "utf8")));
    assert.equal(skopeo(["inspect", "--raw", `oci-archive:${join(dir, "out.tar")}`]), raw);

    // One SBOM per architecture, named with it; each lists exactly that architecture's locked packages.
    assert.ok(!existsSync(join(dir, "out.cdx.json")));
    for (const arch of ["amd64", "arm64"]) {
      assert.deepEqual(debComponents(join(dir, `out.${arch}.cdx.json`)), (LOCKED[arch] ?? []).map((p) => p.split(" ")[0]));
    }
  });

  it("lets skopeo pick the arm64 image, which holds the arm64 packages", () => {
    const picked = join(dir, "picked");
    execFileSync("skopeo", ["copy", "-q", "--override-os", "linux", "--override-arch", "arm64", `oci:${join(dir, "out")}:1`, `oci:${picked}:arm64`]);
    const arm64 = index.manifests.find((m) => m.platform.architecture === "arm64");
    assert.equal(skopeo(["inspect", "--format", "{{.Digest}}", `oci:${picked}:arm64`]).trim(), arm64?.digest);
    const config = JSON.parse(skopeo(["inspect", "--config", `oci:${picked}:arm64`])) as { architecture: string; os: string; variant?: string };
    assert.deepEqual([config.os, config.architecture, config.variant], ["linux", "arm64", "v8"]);
    const { root, listed } = dpkgListOf(picked);
    assert.deepEqual(listed, LOCKED["arm64"]);
    assert.equal(readFileSync(join(root, "usr/lib/aarch64-linux-gnu/libtiny.so.1"), "utf8"), "\x7fELF arm64\n");
    assert.equal(readFileSync(join(root, "usr/bin/tool"), "utf8"), "#!/bin/sh\necho arm64\n");
    assert.ok(existsSync(join(root, "var/lib/dpkg/info/libtiny1:arm64.list")));

    const amd64 = join(dir, "picked-amd64");
    execFileSync("skopeo", ["copy", "-q", "--override-os", "linux", "--override-arch", "amd64", `oci:${join(dir, "out")}:1`, `oci:${amd64}`]);
    assert.deepEqual(dpkgListOf(amd64).listed, LOCKED["amd64"]);
  });

  it("rebuilds the identical index from the lock alone; --arch builds one platform of it", async () => {
    const seen = served.requests.length;
    const again = await drydock(["base", "--locked", "-q", "-o", `oci-archive:${join(dir, "again.tar")}`], dir, "cold-cache");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), indexDigest);
    assert.ok(served.requests.slice(seen).every((p) => p.startsWith("/pool/")), "a locked build reads no index");
    assert.deepEqual(readFileSync(join(dir, "again.tar")), readFileSync(join(dir, "out.tar")), "the archive is bit-identical");

    const one = await drydock(["base", "--locked", "-q", "--arch", "arm64", "-o", `oci:${join(dir, "one")}`, "-o", `docker-archive:${join(dir, "one-docker.tar")}:tiny:1`], dir);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout.trim(), index.manifests[1]?.digest, "the same image as in the index");
    // skopeo computes a docker-archive's manifest itself: compare the image config instead.
    const blob = (digest: string): string => readFileSync(join(dir, "out", "blobs", ...digest.split(":")), "utf8");
    const armConfig = (JSON.parse(blob(index.manifests[1]?.digest ?? "")) as { config: { digest: string } }).config.digest;
    assert.equal(skopeo(["inspect", "--config", "--raw", `docker-archive:${join(dir, "one-docker.tar")}`]), blob(armConfig));
    assert.ok(existsSync(join(dir, "one.cdx.json")), "one architecture: the SBOM keeps its plain name");
  });

  it("refuses a docker-archive for several architectures before downloading anything", async () => {
    const p = project("docker-archive", "[amd64, arm64]");
    const seen = served.requests.length;
    const r = await drydock(["base", "-o", `docker-archive:${join(p, "out.tar")}`], p);
    assert.equal(r.errorCode, "USAGE");
    assert.match(r.stderr, /holds one image.*--arch amd64/);
    assert.equal(served.requests.length, seen);
    assert.ok(!existsSync(join(p, "drydock.lock")) && !existsSync(join(p, "out.tar")));
  });

  it("--attest puts each architecture's SBOM on its platform's manifest, in an OCI layout and in a registry", async () => {
    let registry: RunningRegistry | undefined;
    try {
      registry = await startRegistry();
      const p = project("attested", "[amd64, arm64]");
      writeFileSync(join(p, "drydock.yaml"), `${readFileSync(join(p, "drydock.yaml"), "utf8")}registries:\n  insecure: [${registry.host}]\n`);
      const keys = generateKeyPair("pw");
      writeFileSync(join(p, "cosign.key"), keys.privatePem);
      writeFileSync(join(p, "cosign.pub"), keys.publicPem);
      const env = { HOME: work, XDG_CACHE_HOME: join(work, "cache"), COSIGN_PASSWORD: "pw" };
      const repo = `${registry.host}/base/attested`;
      const r = await runMain(["base", "-q", "-o", `oci:${join(p, "out")}`, "-o", `docker://${repo}:1`, "--attest", "--key", "cosign.key"], { cwd: p, env });
      assert.equal(r.code, 0, r.stderr);
      const built = JSON.parse(readFileSync(join(p, "out", "blobs", ...r.stdout.trim().split(":")), "utf8")) as IndexDoc;
      assert.deepEqual(built.manifests.map((m) => m.platform.architecture), ["amd64", "arm64"]);
      for (const m of built.manifests) {
        const arch = m.platform.architecture;
        for (const target of [`oci:${join(p, "out")}:${m.digest}`, `docker://${repo}@${m.digest}`]) {
          const verified = await runMain(["verify-attestation", "--key", "cosign.pub", "--type", "cyclonedx", "--print-predicate", target], { cwd: p, env });
          assert.equal(verified.code, 0, `${target}: ${verified.stderr}`);
          const predicate = join(p, `predicate-${arch}.json`);
          writeFileSync(predicate, verified.stdout.trim().split("\n")[0] ?? "");
          // arm64's tool needs libatomic1, amd64's does not: each platform carries its own SBOM.
          assert.deepEqual(debComponents(predicate), (LOCKED[arch] ?? []).map((x) => x.split(" ")[0]), target);
        }
      }
      // The index itself carries none: a scanner looks at the platform it runs.
      const onIndex = await runMain(["verify-attestation", "--key", "cosign.pub", "--type", "cyclonedx", `docker://${repo}:1`], { cwd: p, env });
      assert.notEqual(onIndex.code, 0);
      // skopeo still reads the layout and the registry's index (the attestations are separate manifests).
      assert.equal(sha256(skopeo(["inspect", "--raw", "--tls-verify=false", `docker://${repo}:1`])), r.stdout.trim());
    } finally {
      await registry?.stop();
    }
  });

  it("extends a one-architecture lock with --arch, and builds the config's architecture from it after", async () => {
    const p = project("grow", "[amd64]");
    const first = await drydock(["base", "lock", "-q"], p);
    assert.match(first.stdout, /^wrote drydock.lock \(4 packages for amd64\)/);
    const grown = await drydock(["base", "lock", "-q", "--arch", "arm64"], p);
    assert.match(grown.stdout, /^wrote drydock.lock \(4 packages for amd64, 5 packages for arm64\)/);
    const built = await drydock(["base", "--locked", "-q", "-o", `oci:${join(p, "out")}`], p);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(built.stdout.trim(), index.manifests[0]?.digest, "the config's amd64 only: a plain image, as in the two-architecture index");
    const missing = await drydock(["base", "--locked", "--arch", "armhf"], p);
    assert.equal(missing.errorCode, "BASE_LOCK_STALE");
    assert.match(missing.stderr, /architectures armhf is not in the lock \(it has amd64, arm64\)/);
  });

  it("pushes the index to a registry, where skopeo picks a platform", async () => {
    let registry: RunningRegistry | undefined;
    try {
      registry = await startRegistry();
      const text = readFileSync(join(dir, "drydock.lock"), "utf8");
      const lock = parseLock(text, "drydock.lock");
      const settings = parseBaseSettings(readFileSync(join(dir, "drydock.yaml"), "utf8"), join(dir, "drydock.yaml"), "amd64");
      assert.ok(settings !== undefined);
      const workDir = mkdtempSync(join(work, "push-"));
      const images = [];
      for (const architecture of settings.architectures) {
        images.push(await buildFromLock({ lock, lockDigest: lockDigest(text), settings, access: { transport: defaultTransport(), mirrors: [served.url] }, architecture, workDir }));
      }
      const pushClient = new RegistryClient({ insecureRegistries: [registry.host] });
      try {
        const result = await writeImageIndex(baseImageIndex(images), parseOutput(`docker://${registry.host}/base/multi:1`, work, undefined), pushClient);
        assert.equal(result.digest, indexDigest);
      } finally {
        pushClient.close();
      }
      const ref = `docker://${registry.host}/base/multi:1`;
      assert.equal(sha256(skopeo(["inspect", "--raw", "--tls-verify=false", ref])), indexDigest);
      const pulled = join(work, "pulled-arm64");
      execFileSync("skopeo", ["copy", "-q", "--src-tls-verify=false", "--override-os", "linux", "--override-arch", "arm64", ref, `oci:${pulled}`]);
      assert.equal(skopeo(["inspect", "--format", "{{.Digest}}", `oci:${pulled}`]).trim(), index.manifests[1]?.digest);
      await assert.rejects(writeImageIndex(baseImageIndex(images), parseOutput(`docker-archive:${join(work, "x.tar")}`, work, undefined), pushClient), { code: "USAGE" });
    } finally {
      await registry?.stop();
    }
  });

  it("reads --arch lists and names per-architecture SBOM files", () => {
    assert.deepEqual(parseArchitectureFlag("arm64, amd64,arm64"), ["amd64", "arm64"]);
    assert.throws(() => parseArchitectureFlag("amd64,,x86_64!"), { code: "USAGE" });
    assert.throws(() => parseArchitectureFlag("all"), { code: "USAGE" });
    assert.throws(() => parseBaseSettings("base:\n  suite: bookworm\n  packages: [x]\n  architectures: [amd64, Arm64]\n", "f", "amd64"), { code: "CONFIG_INVALID", message: /"Arm64" is not a Debian architecture/ });
    assert.deepEqual(parseBaseSettings("base:\n  suite: bookworm\n  packages: [x]\n  architectures: [arm64, amd64, arm64]\n", "f", "amd64")?.architectures, ["amd64", "arm64"]);
    assert.equal(sbomPathFor("/o/out.cdx.json", "arm64"), "/o/out.arm64.cdx.json");
    assert.equal(sbomPathFor("sbom.json", "amd64"), "sbom.amd64.json");
    assert.equal(sbomPathFor("sbom", "armhf"), "sbom.armhf");
  });
});
