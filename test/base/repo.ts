// A real, signed apt repository made by the tests: .debs built with dpkg-deb from control files written here,
// Packages from dpkg-scanpackages, Release from apt-ftparchive, signed with a throwaway gpg key (clearsigned
// InRelease and detached Release.gpg), optionally served over HTTP on 127.0.0.1.
// Debian packages needed: dpkg-dev (dpkg-scanpackages), apt-utils (apt-ftparchive), gnupg, xz-utils.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

export interface DebSpec {
  name: string;
  version: string;
  architecture?: string;
  /** Extra control fields ("Depends", "Provides", "Essential", "Priority", ...). */
  fields?: Record<string, string>;
  /** Image path (no leading "/") → content; a value starting with "->" makes a symlink. */
  files?: Record<string, string>;
  /** Paths (no leading "/") listed in conffiles. */
  conffiles?: string[];
  compression?: "xz" | "gzip" | "zstd" | "none";
}

/** Builds one .deb into outDir; returns its path. */
export function buildDeb(outDir: string, spec: DebSpec): string {
  const arch = spec.architecture ?? "amd64";
  const root = mkdtempSync(join(tmpdir(), "drydock-deb-"));
  mkdirSync(join(root, "DEBIAN"));
  const control = [
    `Package: ${spec.name}`,
    `Version: ${spec.version}`,
    `Architecture: ${arch}`,
    "Maintainer: drydock tests <tests@example.invalid>",
    ...Object.entries(spec.fields ?? {}).map(([k, v]) => `${k}: ${v}`),
    `Description: test package ${spec.name}`,
    " Built by drydock's tests.",
  ];
  writeFileSync(join(root, "DEBIAN/control"), `${control.join("\n")}\n`);
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (content.startsWith("->")) execFileSync("ln", ["-s", content.slice(2), full]);
    else writeFileSync(full, content);
  }
  if (spec.conffiles !== undefined) writeFileSync(join(root, "DEBIAN/conffiles"), spec.conffiles.map((c) => `/${c}\n`).join(""));
  const sums = Object.entries(spec.files ?? {}).filter(([, c]) => !c.startsWith("->")).map(([p]) => p);
  if (sums.length > 0) writeFileSync(join(root, "DEBIAN/md5sums"), execFileSync("md5sum", sums, { cwd: root }));
  execFileSync("chmod", ["-R", "u+rwX,go+rX,go-w", root]);
  chmodSync(root, 0o755);
  const out = join(outDir, `${spec.name}_${spec.version.replace(/^\d+:/, "")}_${arch}.deb`);
  mkdirSync(outDir, { recursive: true });
  execFileSync("dpkg-deb", ["--root-owner-group", `-Z${spec.compression ?? "xz"}`, "--build", root, out], { stdio: "pipe", env: { ...process.env, SOURCE_DATE_EPOCH: "1700000000" } });
  execFileSync("rm", ["-rf", root]);
  return out;
}

export interface GpgKey {
  home: string;
  fingerprint: string;
  /** The public key, binary (like Debian's keyrings). */
  keyring: string;
}

/** A throwaway signing key in its own GNUPGHOME. */
export function makeKey(dir: string, name: string): GpgKey {
  const home = join(dir, `gnupg-${name}`);
  mkdirSync(home, { mode: 0o700, recursive: true });
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", `${name} <${name}@example.invalid>`, "ed25519", "sign", "never"], { env, stdio: "pipe" });
  const colons = execFileSync("gpg", ["--batch", "--with-colons", "--list-keys"], { env, stdio: ["ignore", "pipe", "pipe"] }).toString();
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1] ?? "";
  const keyring = join(dir, `${name}.gpg`);
  writeFileSync(keyring, execFileSync("gpg", ["--batch", "--export", fingerprint], { env, stdio: ["ignore", "pipe", "pipe"] }));
  return { home, fingerprint, keyring };
}

export interface RepoOptions {
  suite: string;
  codename?: string;
  architectures?: string[];
  /** Lines added to the Release before signing ("Valid-Until: ..."). */
  extraReleaseFields?: string[];
  /** Leave out InRelease (Release + Release.gpg only). */
  noInRelease?: boolean;
}

/** Writes pool/, dists/<suite>/ with Packages(.gz,.xz), Release, InRelease and Release.gpg into dir. */
export function makeRepo(dir: string, debs: readonly DebSpec[], key: GpgKey, options: RepoOptions): void {
  const pool = join(dir, "pool/main");
  for (const d of debs) buildDeb(pool, d);
  signIndexes(dir, key, options);
}

/** (Re)writes the indexes and signatures for what is in dir/pool. */
export function signIndexes(dir: string, key: GpgKey, options: RepoOptions): void {
  const suiteDir = join(dir, "dists", options.suite);
  for (const arch of options.architectures ?? ["amd64"]) {
    const binDir = join(suiteDir, "main", `binary-${arch}`);
    mkdirSync(binDir, { recursive: true });
    const packages = execFileSync("dpkg-scanpackages", ["--multiversion", "--arch", arch, "pool"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    writeFileSync(join(binDir, "Packages"), packages);
    writeFileSync(join(binDir, "Packages.gz"), gzipSync(packages));
    execFileSync("xz", ["-kf", join(binDir, "Packages")]);
  }
  const release = execFileSync("apt-ftparchive", [
    "-o", `APT::FTPArchive::Release::Suite=${options.suite}`,
    "-o", `APT::FTPArchive::Release::Codename=${options.codename ?? options.suite}`,
    "-o", "APT::FTPArchive::Release::Origin=Debian",
    "-o", "APT::FTPArchive::Release::Version=12.9",
    "-o", `APT::FTPArchive::Release::Architectures=${(options.architectures ?? ["amd64"]).join(" ")}`,
    "-o", "APT::FTPArchive::Release::Components=main",
    "release", ".",
  ], { cwd: suiteDir }).toString();
  const lines = release.split("\n");
  const at = lines.findIndex((l) => l.startsWith("MD5Sum:"));
  lines.splice(at, 0, ...(options.extraReleaseFields ?? []));
  const releaseText = lines.join("\n");
  writeFileSync(join(suiteDir, "Release"), releaseText);
  const env = { ...process.env, GNUPGHOME: key.home };
  for (const f of ["InRelease", "Release.gpg"]) if (existsSync(join(suiteDir, f))) execFileSync("rm", ["-f", join(suiteDir, f)]);
  execFileSync("gpg", ["--batch", "--yes", "-u", key.fingerprint, "--armor", "--detach-sign", "-o", join(suiteDir, "Release.gpg"), join(suiteDir, "Release")], { env, stdio: "pipe" });
  if (options.noInRelease !== true) {
    execFileSync("gpg", ["--batch", "--yes", "-u", key.fingerprint, "--clearsign", "-o", join(suiteDir, "InRelease"), join(suiteDir, "Release")], { env, stdio: "pipe" });
  }
}

/** Serves dir over HTTP on 127.0.0.1 (404 for anything missing). */
export async function serveDir(dir: string): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url.pathname);
    const path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(path);
      res.writeHead(200, { "content-length": body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, requests };
}
