// `drydock base` end to end against a signed test repository served on 127.0.0.1: resolve, lock, build, rebuild
// from the lock bit for bit, and refuse tampered inputs without writing an image. dpkg-query, dpkg --verify and
// skopeo are the oracles for the result.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isDrydockError } from "../../src/core/errors.ts";
import { runMain, type MainResult } from "../helpers/main.ts";
import { parseLock, lockDigest } from "../../src/base/lock.ts";
import { ANNOTATION_LOCK, ANNOTATION_SNAPSHOT, ANNOTATION_SUITE, buildFromLock } from "../../src/base/base.ts";
import { defaultTransport } from "../../src/base/apt.ts";
import { parseBaseSettings } from "../../src/base/config.ts";
import { baseImageSbom, packageSetDifferences } from "../../src/base/sbom.ts";
import { generateKeyPair } from "../../src/sign/keys.ts";
import { makeKey, makeRepo, serveDir, type DebSpec, type GpgKey } from "./repo.ts";

const CERT_A = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const CERT_B = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----"; // no final newline: the bundle adds one

const DEBS: DebSpec[] = [
  {
    name: "base-files", version: "12.4+deb12u9", fields: { Essential: "yes", Priority: "required" },
    files: { "usr/lib/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n', "etc/os-release": "->../usr/lib/os-release", "etc/debian_version": "12.9\n" },
  },
  { name: "libtiny1", version: "1.2-1", fields: { "Multi-Arch": "same" }, files: { "lib/x86_64-linux-gnu/libtiny.so.1": "\x7fELF tiny\n" } },
  { name: "libtiny1", version: "0.9-1", fields: { "Multi-Arch": "same" }, files: { "lib/x86_64-linux-gnu/libtiny.so.1": "\x7fELF old\n" } },
  {
    name: "tool", version: "2.0-1", fields: { Depends: "libtiny1 (>= 1.0), tzdata | time-zone-data" },
    files: { "bin/tool": "#!/bin/sh\necho tool\n", "etc/tool.conf": "verbose=0\n" }, conffiles: ["etc/tool.conf"],
  },
  { name: "tzdata", version: "2025b-0+deb12u1", architecture: "all", files: { "usr/share/zoneinfo/Etc/UTC": "TZif2 utc\n" } },
  {
    name: "ca-certificates", version: "20230311", architecture: "all",
    files: { "usr/share/ca-certificates/mozilla/A.crt": CERT_A, "usr/share/ca-certificates/mozilla/B.crt": CERT_B },
  },
];
const LOCKED = ["base-files=12.4+deb12u9", "ca-certificates=20230311", "libtiny1=1.2-1", "tool=2.0-1", "tzdata=2025b-0+deb12u1"];

let work: string;
let key: GpgKey;
let stranger: GpgKey;
let repo: string;
let served: { url: string; server: Server; requests: string[] };

before(async () => {
  work = mkdtempSync(join(tmpdir(), "drydock-base-"));
  key = makeKey(work, "repo");
  stranger = makeKey(work, "stranger");
  repo = join(work, "repo");
  makeRepo(repo, DEBS, key, { suite: "bookworm" });
  served = await serveDir(repo);
});
after(() => {
  served.server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `drydock <args>` through the real main() with this test's cache and home. */
function drydock(args: string[], cwd: string, cache = "cache", env: Record<string, string> = {}): Promise<MainResult> {
  return runMain(args, { cwd, env: { HOME: work, XDG_CACHE_HOME: join(work, cache), ...env } });
}

function project(name: string, mirror: string, extra = ""): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "drydock.yaml"), `base:
  suite: bookworm
  mirror: ${mirror}
  keyring: ${key.keyring}
  architectures: [amd64]
  packages: [base-files, tool, ca-certificates]
  users:
    - {name: nonroot, uid: 65532}
  entrypoint: [/bin/tool]
  labels: {org.opencontainers.image.title: tiny}
${extra}`);
  return dir;
}

interface OciManifest {
  layers: { digest: string }[];
  annotations: Record<string, string>;
}

/** The manifest of the single image in an OCI layout. */
function manifestOf(layout: string): OciManifest {
  const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  return JSON.parse(readFileSync(join(layout, "blobs", ...(index.manifests[0]?.digest ?? "").split(":")), "utf8")) as OciManifest;
}

/** name=version of every deb component in a CycloneDX SBOM, sorted. */
function debComponents(cyclonedx: string): string[] {
  const bom = JSON.parse(cyclonedx) as { components?: { name: string; version: string; purl?: string }[] };
  return (bom.components ?? []).filter((c) => c.purl?.startsWith("pkg:deb/") === true).map((c) => `${c.name}=${c.version}`).sort();
}

/** Unpacks the single layer of an OCI layout into a new directory. */
function unpack(layout: string): string {
  const blob = (d: string): string => join(layout, "blobs", ...d.split(":"));
  const manifest = manifestOf(layout);
  const root = mkdtempSync(join(work, "rootfs-"));
  execFileSync("tar", ["-xzf", blob(manifest.layers[0]?.digest ?? ""), "-C", root]);
  return root;
}

describe("drydock base", () => {
  let dir: string;
  let digest: string;

  it("resolves, locks and builds an image that dpkg sees exactly as locked", async () => {
    dir = project("main", served.url);
    const r = await drydock(["base", "-o", `oci:${join(dir, "out1")}`], dir);
    assert.equal(r.code, 0, r.stderr);
    digest = r.stdout.trim();
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const lock = parseLock(readFileSync(join(dir, "drydock.lock"), "utf8"), "drydock.lock");
    assert.deepEqual(lock.architectures["amd64"]?.map((p) => `${p.name}=${p.version}`), LOCKED);
    assert.equal(lock.sources[0]?.release.signedBy, key.fingerprint);

    const root = unpack(join(dir, "out1"));
    const listed = execFileSync("dpkg-query", [`--admindir=${root}/var/lib/dpkg`, "-W", "-f", "${Package}=${Version} ${Status}\n"]).toString().trim().split("\n");
    assert.deepEqual(listed, LOCKED.map((p) => `${p} install ok installed`));
    // dpkg checks every installed file against the md5sums the packages shipped: nothing missing or changed.
    assert.equal(execFileSync("dpkg", [`--root=${root}`, "--verify"]).toString(), "");
    assert.equal(readlinkSync(join(root, "bin")), "usr/bin");
    assert.equal(readlinkSync(join(root, "lib")), "usr/lib");
    assert.equal(readFileSync(join(root, "usr/lib/x86_64-linux-gnu/libtiny.so.1"), "utf8"), "\x7fELF tiny\n");
    assert.equal(readFileSync(join(root, "etc/ssl/certs/ca-certificates.crt"), "utf8"), `${CERT_A}${CERT_B}\n`);
    assert.match(readFileSync(join(root, "etc/passwd"), "utf8"), /^nonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin$/m);
    assert.match(readFileSync(join(root, "etc/os-release"), "utf8"), /VERSION_ID="12"/);
    assert.equal(readlinkSync(join(root, "etc/localtime")), "/usr/share/zoneinfo/Etc/UTC");
    // Both layouts by default, the same paragraph in each: distroless-aware scanners and dpkg-query both see the packages.
    assert.equal(readFileSync(join(root, "var/lib/dpkg/status.d/tool"), "utf8"), readFileSync(join(root, "var/lib/dpkg/status"), "utf8").split("\n\n").find((p) => p.startsWith("Package: tool\n"))?.concat("\n"));
    assert.ok(lstatSync(join(root, "var/lib/dpkg/info/libtiny1:amd64.list")).isFile(), "Multi-Arch: same packages get arch-qualified info files");
    assert.match(readFileSync(join(root, "var/lib/dpkg/status"), "utf8"), /Conffiles:\n \/etc\/tool.conf [0-9a-f]{32}\n/);

    // drydock's own SBOM reads the image's dpkg data: each locked package once, though status and status.d both list it.
    const sbom = execFileSync(process.execPath, [join(import.meta.dirname, "../../src/cli/entry.ts"), "sbom", "-f", "json", `oci:${join(dir, "out1")}`]).toString();
    const listedBySbom = (JSON.parse(sbom) as { packages: { name: string; version: string; type: string }[] }).packages.filter((p) => p.type === "deb").map((p) => `${p.name}=${p.version}`);
    assert.deepEqual(listedBySbom.sort(), LOCKED);

    // The SBOM written beside the output lists exactly the locked packages; the annotations name suite, snapshot, lock.
    assert.deepEqual(debComponents(readFileSync(join(dir, "out1.cdx.json"), "utf8")), LOCKED);
    const annotations = manifestOf(join(dir, "out1")).annotations;
    assert.equal(annotations[ANNOTATION_SUITE], "bookworm");
    assert.equal(annotations[ANNOTATION_LOCK], lockDigest(readFileSync(join(dir, "drydock.lock"), "utf8")));
    assert.equal(annotations[ANNOTATION_SNAPSHOT], new Date(lock.sources[0]?.release.date.replace(/UTC$/, "+0000") ?? "").toISOString().replace(".000Z", "Z"));
    assert.equal(annotations["org.opencontainers.image.created"], annotations[ANNOTATION_SNAPSHOT], "SOURCE_DATE_EPOCH defaults to the Release date");

    const inspect = JSON.parse(execFileSync("skopeo", ["inspect", "--config", `oci:${join(dir, "out1")}`]).toString()) as { config: { Entrypoint: string[]; Env: string[]; Labels: Record<string, string> } };
    assert.deepEqual(inspect.config.Entrypoint, ["/bin/tool"]);
    assert.ok(inspect.config.Env.includes("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"));
    assert.equal(inspect.config.Labels["org.opencontainers.image.title"], "tiny");
  });

  it("writes the distroless status.d layout on request, which drydock sbom reads", async () => {
    const p = project("distroless", served.url, "  dpkgDatabase: status.d\n");
    const r = await drydock(["base", "-q", "-o", `oci:${join(p, "out")}`], p);
    assert.equal(r.code, 0, r.stderr);
    const root = unpack(join(p, "out"));
    assert.ok(!existsSync(join(root, "var/lib/dpkg/status")));
    assert.match(readFileSync(join(root, "var/lib/dpkg/status.d/tool"), "utf8"), /^Package: tool\nStatus: install ok installed\n/);
    assert.match(readFileSync(join(root, "var/lib/dpkg/status.d/tool.md5sums"), "utf8"), /[0-9a-f]{32} {2}bin\/tool\n/);
    const sbom = execFileSync(process.execPath, [join(import.meta.dirname, "../../src/cli/entry.ts"), "sbom", "-f", "json", `dir:${root}`]).toString();
    const listed = (JSON.parse(sbom) as { packages: { name: string; version: string; type: string }[] }).packages.filter((x) => x.type === "deb").map((x) => `${x.name}=${x.version}`);
    assert.deepEqual(listed.sort(), LOCKED);
  });

  it("rebuilds bit for bit from the lock alone, without reading any index", async () => {
    const lockBefore = readFileSync(join(dir, "drydock.lock"));
    const seen = served.requests.length;
    const fresh = await drydock(["base", "--locked", "-o", `oci:${join(dir, "out2")}`, "-o", `oci-archive:${join(dir, "out2.tar")}`], dir, "other-cache");
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(fresh.stdout.trim(), digest);
    const newRequests = served.requests.slice(seen);
    assert.ok(newRequests.length > 0 && newRequests.every((p) => p.startsWith("/pool/")), newRequests.join(" "));
    assert.deepEqual(readFileSync(join(dir, "drydock.lock")), lockBefore);
    const cached = await drydock(["base", "--locked", "-q", "-o", `oci:${join(dir, "out3")}`], dir, "other-cache");
    assert.equal(cached.stdout.trim(), digest);
    assert.equal(served.requests.length, seen + newRequests.length, "the warm cache needs no downloads");
    assert.equal(execFileSync("skopeo", ["inspect", "--format", "{{.Digest}}", `oci-archive:${join(dir, "out2.tar")}`]).toString().trim(), digest);
    // The SBOM goes beside the first file output, and lists the same components as the first build's.
    const components = (f: string) => (JSON.parse(readFileSync(f, "utf8")) as { components: unknown[] }).components;
    assert.deepEqual(components(join(dir, "out2.cdx.json")), components(join(dir, "out1.cdx.json")));
    assert.ok(!existsSync(join(dir, "out2.tar.cdx.json")));
    assert.ok(existsSync(join(dir, "out3.cdx.json")));
  });

  it("writes the SBOM where --sbom says, none with --no-sbom, and attaches it with --attest --key", async () => {
    const chosen = await drydock(["base", "--locked", "-q", "-o", `oci:${join(dir, "named")}`, "--sbom", "named-sbom.json"], dir);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.deepEqual(debComponents(readFileSync(join(dir, "named-sbom.json"), "utf8")), LOCKED);
    assert.ok(!existsSync(join(dir, "named.cdx.json")));
    const none = await drydock(["base", "--locked", "-q", "-o", `oci:${join(dir, "nosbom")}`, "--no-sbom"], dir);
    assert.equal(none.code, 0, none.stderr);
    assert.ok(existsSync(join(dir, "nosbom")) && !existsSync(join(dir, "nosbom.cdx.json")));

    const keys = generateKeyPair("pw");
    writeFileSync(join(dir, "cosign.key"), keys.privatePem);
    writeFileSync(join(dir, "cosign.pub"), keys.publicPem);
    const noKey = await drydock(["base", "--locked", "-o", `oci:${join(dir, "attested")}`, "--attest"], dir);
    assert.equal(noKey.errorCode, "USAGE");
    const archiveOnly = await drydock(["base", "--locked", "-o", `oci-archive:${join(dir, "a.tar")}`, "--attest", "--key", "cosign.key"], dir);
    assert.equal(archiveOnly.errorCode, "USAGE");
    assert.ok(!existsSync(join(dir, "attested")) && !existsSync(join(dir, "a.tar")), "usage errors come before any output");
    const attested = await drydock(["base", "--locked", "-q", "-o", `oci:${join(dir, "attested")}`, "--attest", "--key", "cosign.key"], dir, "cache", { COSIGN_PASSWORD: "pw" });
    assert.equal(attested.code, 0, attested.stderr);
    const predicate = execFileSync(process.execPath, [join(import.meta.dirname, "../../src/cli/entry.ts"), "verify-attestation", "--key", join(dir, "cosign.pub"), "--type", "cyclonedx", "--print-predicate", `oci:${join(dir, "attested")}`]).toString();
    assert.deepEqual(debComponents(predicate.trim().split("\n")[0] ?? ""), LOCKED);
  });

  it("refuses to ship an SBOM that disagrees with the lock", async () => {
    const lock = parseLock(readFileSync(join(dir, "drydock.lock"), "utf8"), "drydock.lock");
    const settings = parseBaseSettings(readFileSync(join(dir, "drydock.yaml"), "utf8"), join(dir, "drydock.yaml"), "amd64");
    assert.ok(settings !== undefined);
    const workDir = mkdtempSync(join(work, "sbom-check-"));
    const image = await buildFromLock({ lock, lockDigest: "sha256:0", settings, access: { transport: defaultTransport(), mirrors: [served.url] }, architecture: "amd64", workDir });
    const locked = lock.architectures["amd64"] ?? [];
    const good = await baseImageSbom(image, locked, { ref: "test" });
    assert.deepEqual(good.catalog.packages.filter((p) => p.type === "deb").map((p) => `${p.name}=${p.version}`), LOCKED);
    await assert.rejects(baseImageSbom(image, locked.filter((p) => p.name !== "tzdata"), { ref: "test" }), (e: unknown) => isDrydockError(e) && e.code === "BASE_SBOM_MISMATCH" && /unexpected tzdata=2025b-0\+deb12u1 all/.test(e.message));
    assert.deepEqual(packageSetDifferences(["a=1 amd64", "b=2 all"], ["b=2 all", "b=2 all", "c=3 amd64"]), ["missing a=1 amd64", "listed 2 times: b=2 all", "unexpected c=3 amd64"]);
  });

  it("refuses a tampered .deb and writes no image", async () => {
    const copy = join(work, "tampered-repo");
    cpSync(repo, copy, { recursive: true });
    const deb = join(copy, "pool/main/tool_2.0-1_amd64.deb");
    const bytes = readFileSync(deb);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x01;
    writeFileSync(deb, bytes);
    const other = project("tampered-deb", `file://${copy}`);
    cpSync(join(dir, "drydock.lock"), join(other, "drydock.lock"));
    const r = await drydock(["base", "--locked", "-o", `oci:${join(other, "out")}`], other, "cold-cache");
    assert.equal(r.code, 2);
    assert.equal(r.errorCode, "BASE_HASH_MISMATCH");
    assert.ok(!existsSync(join(other, "out")));
  });

  it("refuses a tampered index, a bad signature and an unknown key, keeping the lock as it was", async () => {
    const cases: [string, (d: string) => void, string][] = [
      ["index", (d) => {
        const f = join(d, "dists/bookworm/main/binary-amd64/Packages.xz");
        writeFileSync(f, execFileSync("xz", ["-c"], { input: Buffer.concat([execFileSync("xz", ["-dc", f]), Buffer.from("\n")]) }));
      }, "BASE_HASH_MISMATCH"],
      ["signature", (d) => {
        const f = join(d, "dists/bookworm/InRelease");
        writeFileSync(f, readFileSync(f, "utf8").replace("Suite: bookworm", "Suite: bookworm\nValid-Until: Sat, 01 Jan 2050 00:00:00 UTC"));
      }, "BASE_SIGNATURE_INVALID"],
    ];
    for (const [name, tamper, code] of cases) {
      const copy = join(work, `tampered-${name}`);
      cpSync(repo, copy, { recursive: true });
      tamper(copy);
      const p = project(`tampered-${name}-project`, `file://${copy}`);
      cpSync(join(dir, "drydock.lock"), join(p, "drydock.lock"));
      const lockBefore = readFileSync(join(p, "drydock.lock"));
      const r = await drydock(["base", "lock", "--update"], p, `cache-${name}`);
      assert.equal(r.errorCode, code, `${name}: ${r.stderr}`);
      assert.deepEqual(readFileSync(join(p, "drydock.lock")), lockBefore);
    }
    const r = await drydock(["base", "lock", "--update", "--keyring", stranger.keyring], dir);
    assert.equal(r.errorCode, "BASE_SIGNATURE_INVALID");
    assert.match(r.stderr, /none of which is in the keyring/);
  });

  it("says when the lock no longer matches the config, and re-resolves on request", async () => {
    const p = project("stale", served.url, "  variant: essential\n");
    cpSync(join(dir, "drydock.lock"), join(p, "drydock.lock"));
    const r = await drydock(["base", "--locked"], p);
    assert.equal(r.errorCode, "BASE_LOCK_STALE");
    assert.match(r.stderr, /variant is essential, the lock has custom/);
    const updated = await drydock(["base", "lock"], p);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^wrote drydock.lock \(5 packages for amd64\)/);
    const again = await drydock(["base", "lock"], p);
    assert.match(again.stdout, /^up to date:/);
  });

  it("reports an unsatisfiable request with its chain and a bad config with its position", async () => {
    const p = project("unsat", served.url);
    writeFileSync(join(p, "drydock.yaml"), readFileSync(join(p, "drydock.yaml"), "utf8").replace("packages: [base-files, tool, ca-certificates]", "packages: [tool, libtiny1=0.9-1]"));
    const r = await drydock(["base", "lock"], p);
    assert.equal(r.errorCode, "BASE_UNSATISFIABLE");
    assert.match(r.stderr, /tool → libtiny1 \(>= 1.0\): libtiny1 0.9-1 is already chosen \(libtiny1 \(= 0.9-1\)\) \[BASE_UNSATISFIABLE\]\n$/);
    writeFileSync(join(p, "drydock.yaml"), "base:\n  suite: bookworm\n  packages: [tool]\n  variant: tiny\n");
    const bad = await drydock(["base", "lock"], p);
    assert.equal(bad.errorCode, "CONFIG_INVALID");
  });
});
