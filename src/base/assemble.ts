// The root file system of a base image, as layer entries: every package's data.tar unpacked in name order
// (maintainer scripts are never run — as distroless, drydock produces the few results images rely on itself),
// dpkg's database so scanners and dpkg-query see exactly the packages installed, /etc/passwd and /etc/group,
// /etc/os-release, the merged-/usr links, and the CA bundle update-ca-certificates would have made.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DrydockError } from "../core/errors.ts";
import type { LayerEntry } from "../build/tar-writer.ts";
import type { BaseFile, BaseGroup, BaseUser, DpkgDatabaseLayout } from "./config.ts";
import type { DebPackage } from "./deb.ts";
import { field, formatDeb822 } from "./deb822.ts";
import type { LockedPackage, LockedRelease } from "./lock.ts";

export interface InstalledPackage {
  locked: LockedPackage;
  deb: DebPackage;
}

export interface RootfsOptions {
  packages: readonly InstalledPackage[];
  /** Files' mtimes are clamped to this (SOURCE_DATE_EPOCH). */
  epoch: number;
  usrmerge: boolean;
  users: readonly BaseUser[];
  groups: readonly BaseGroup[];
  files: readonly BaseFile[];
  /** The main repository's Release: /etc/os-release when base-files does not provide one. */
  release: LockedRelease;
  dpkgDatabase: DpkgDatabaseLayout;
}

/** Top-level directories that merged-/usr systems keep only as symlinks into usr/. */
const MERGED_DIRS = ["bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32"];
const ALWAYS_MERGED = ["bin", "sbin", "lib"];
const encoder = new TextEncoder();

/** Every entry of the image's single layer (unsorted; the tar writer sorts). */
export async function rootfsEntries(options: RootfsOptions): Promise<LayerEntry[]> {
  const fs = new Map<string, LayerEntry>();
  const clamp = (t: number): number => Math.min(Math.max(0, t), options.epoch);
  const put = (e: LayerEntry): void => {
    addParents(fs, e.path, options.epoch);
    const existing = fs.get(e.path);
    if (existing?.kind === "dir" && e.kind === "dir") return; // the first package to ship a directory sets its mode
    fs.set(e.path, e);
  };
  const sorted = [...options.packages].sort((a, b) => (a.locked.name < b.locked.name ? -1 : a.locked.name > b.locked.name ? 1 : 0));
  for (const pkg of sorted) {
    const byPath = new Map(pkg.deb.entries.map((e) => [e.path, e]));
    for (const e of pkg.deb.entries) {
      if (options.usrmerge && MERGED_DIRS.includes(e.path) && e.kind === "symlink") continue; // the aliases are made below
      const path = options.usrmerge ? mergedPath(e.path) : e.path;
      const base = { path, mode: e.mode, uid: e.uid, gid: e.gid, mtime: clamp(e.mtime) };
      if (e.kind === "dir") put({ ...base, kind: "dir", size: 0 });
      else if (e.kind === "symlink") put({ ...base, kind: "symlink", size: 0, linkname: e.linkname ?? "" });
      else {
        // Hard links become copies: in walk order a link could come before its target, which tar cannot express.
        const source = e.kind === "hardlink" ? byPath.get(e.linkname ?? "") : e;
        if (source?.content === undefined) throw new DrydockError("BASE_DEB_INVALID", `${pkg.locked.name}: hard link ${e.path} points at ${e.linkname ?? "?"}, which the package does not ship`);
        put({ ...base, kind: "file", size: source.content.length, content: { kind: "bytes", bytes: source.content } });
      }
    }
  }
  if (options.usrmerge) {
    for (const dir of MERGED_DIRS) {
      if (!ALWAYS_MERGED.includes(dir) && !fs.has(`usr/${dir}`)) continue;
      if (!fs.has(`usr/${dir}`)) put(dirEntry(`usr/${dir}`, 0o755, options.epoch));
      put({ path: dir, kind: "symlink", mode: 0o777, uid: 0, gid: 0, mtime: options.epoch, size: 0, linkname: `usr/${dir}` });
    }
  }
  const file = (path: string, text: string | Uint8Array, mode = 0o644): void => {
    const bytes = typeof text === "string" ? encoder.encode(text) : text;
    put({ path, kind: "file", mode, uid: 0, gid: 0, mtime: options.epoch, size: bytes.length, content: { kind: "bytes", bytes } });
  };
  for (const [path, text] of dpkgDatabase(sorted, fs, options.dpkgDatabase)) file(path, text);
  const hasShell = fs.has("usr/bin/sh") || fs.has("bin/sh");
  if (!fs.has("etc/passwd")) file("etc/passwd", passwdText(options.users, hasShell));
  if (!fs.has("etc/group")) file("etc/group", groupText(options.users, options.groups));
  if (!fs.has("root")) put(dirEntry("root", 0o700, options.epoch));
  if (!fs.has("tmp")) put(dirEntry("tmp", 0o1777, options.epoch));
  for (const u of options.users) {
    const home = u.home.replace(/^\/+/, "");
    if (home !== "" && !fs.has(home)) put({ ...dirEntry(home, 0o755, options.epoch), uid: u.uid, gid: u.gid });
  }
  if (!fs.has("etc/os-release")) {
    if (fs.has("usr/lib/os-release")) put({ path: "etc/os-release", kind: "symlink", mode: 0o777, uid: 0, gid: 0, mtime: options.epoch, size: 0, linkname: "../usr/lib/os-release" });
    else file("etc/os-release", osReleaseText(options.release));
  }
  const names = new Set(sorted.map((p) => p.locked.name));
  if (names.has("ca-certificates")) file("etc/ssl/certs/ca-certificates.crt", caBundle(fs));
  if (names.has("tzdata") && !fs.has("etc/localtime")) {
    put({ path: "etc/localtime", kind: "symlink", mode: 0o777, uid: 0, gid: 0, mtime: options.epoch, size: 0, linkname: "/usr/share/zoneinfo/Etc/UTC" });
    if (!fs.has("etc/timezone")) file("etc/timezone", "Etc/UTC\n");
  }
  for (const f of options.files) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(f.source);
    } catch (e) {
      throw new DrydockError("CONFIG_INVALID", `base.files: ${f.source} cannot be read`, { cause: e });
    }
    file(f.path.replace(/^\/+/, ""), bytes, f.mode);
  }
  return [...fs.values()];
}

/** "bin/sh" → "usr/bin/sh" on a merged-/usr system; other paths as they are. */
export function mergedPath(path: string): string {
  const slash = path.indexOf("/");
  const top = slash < 0 ? path : path.slice(0, slash);
  return MERGED_DIRS.includes(top) ? `usr/${path}` : path;
}

function dirEntry(path: string, mode: number, epoch: number): LayerEntry {
  return { path, kind: "dir", mode, uid: 0, gid: 0, mtime: epoch, size: 0 };
}

function addParents(fs: Map<string, LayerEntry>, path: string, epoch: number): void {
  for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
    const parent = path.slice(0, i);
    if (!fs.has(parent)) fs.set(parent, dirEntry(parent, 0o755, epoch));
  }
}

/**
 * dpkg's database: var/lib/dpkg/status (what dpkg-query reads) with info/<pkg>.list and .md5sums, and/or the
 * distroless layout status.d/<pkg> (+ .md5sums); both by default, the same paragraph in each (drydock's dpkg
 * cataloger reports such a package once). Every package is "install ok installed".
 */
function dpkgDatabase(packages: readonly InstalledPackage[], fs: ReadonlyMap<string, LayerEntry>, layout: DpkgDatabaseLayout): [string, string][] {
  const out: [string, string][] = [];
  const status: (readonly [string, string])[][] = [];
  for (const { locked, deb } of packages) {
    const fields: [string, string][] = [];
    for (const [name, value] of deb.control.fields) {
      if (name.toLowerCase() === "status") continue;
      fields.push([name, value]);
      if (name.toLowerCase() === "package") fields.push(["Status", "install ok installed"]);
    }
    const conffiles = conffileLines(deb, fs);
    if (conffiles !== "") fields.splice(fields.length - (fields.at(-1)?.[0].toLowerCase() === "description" ? 1 : 0), 0, ["Conffiles", conffiles]);
    status.push(fields);
    if (layout !== "status") {
      out.push([`var/lib/dpkg/status.d/${locked.name}`, formatDeb822([fields])]);
      if (deb.md5sums !== undefined) out.push([`var/lib/dpkg/status.d/${locked.name}.md5sums`, deb.md5sums]);
    }
    if (layout === "status.d") continue;
    const multiArchSame = field(deb.control, "Multi-Arch") === "same";
    const infoName = multiArchSame ? `${locked.name}:${locked.architecture}` : locked.name;
    const paths = ["/.", ...deb.entries.map((e) => `/${e.path}`)];
    out.push([`var/lib/dpkg/info/${infoName}.list`, `${paths.join("\n")}\n`]);
    if (deb.md5sums !== undefined) out.push([`var/lib/dpkg/info/${infoName}.md5sums`, deb.md5sums]);
  }
  if (layout === "status.d") return out;
  out.push(["var/lib/dpkg/status", formatDeb822(status)]);
  // Database format 1: info files of Multi-Arch: same packages are named <pkg>:<arch>, as written above.
  out.push(["var/lib/dpkg/info/format", "1\n"]);
  return out;
}

/** The Conffiles field dpkg keeps: " /etc/x <md5 of the shipped file>" per line. */
function conffileLines(deb: DebPackage, fs: ReadonlyMap<string, LayerEntry>): string {
  if (deb.conffiles === undefined) return "";
  const lines: string[] = [];
  for (const raw of deb.conffiles.split("\n")) {
    const name = raw.trim().split(/\s+/)[0] ?? "";
    if (!name.startsWith("/")) continue;
    const entry = deb.entries.find((e) => e.path === name.slice(1));
    const bytes = entry?.content ?? (() => {
      const c = fs.get(name.slice(1))?.content;
      return c?.kind === "bytes" ? c.bytes : undefined;
    })();
    if (bytes === undefined) continue;
    lines.push(` ${name} ${createHash("md5").update(bytes).digest("hex")}`);
  }
  return lines.length === 0 ? "" : `\n${lines.join("\n")}`;
}

function passwdText(users: readonly BaseUser[], hasShell: boolean): string {
  const rows = [`root:x:0:0:root:/root:${hasShell ? "/bin/sh" : "/sbin/nologin"}`, "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"];
  for (const u of users) rows.push(`${u.name}:x:${u.uid}:${u.gid}:${u.name}:${u.home}:${u.shell}`);
  return `${rows.join("\n")}\n`;
}

function groupText(users: readonly BaseUser[], groups: readonly BaseGroup[]): string {
  const rows: [string, number][] = [["root", 0], ["tty", 5], ["staff", 50], ["nogroup", 65534]];
  for (const g of groups) if (!rows.some(([, gid]) => gid === g.gid)) rows.push([g.name, g.gid]);
  for (const u of users) if (!rows.some(([, gid]) => gid === u.gid)) rows.push([u.name, u.gid]);
  return rows.map(([name, gid]) => `${name}:x:${gid}:\n`).join("");
}

/** os-release from the Release when base-files is not installed: ID from Origin, VERSION_ID from Version. */
export function osReleaseText(release: LockedRelease): string {
  const id = (release.origin ?? "debian").toLowerCase().replace(/[^a-z0-9._-]/g, "");
  const name = release.origin === "Debian" || release.origin === undefined ? "Debian GNU/Linux" : release.origin;
  const major = release.version?.split(".")[0];
  const pretty = `${name}${major === undefined ? "" : ` ${major}`}${release.codename === undefined ? "" : ` (${release.codename})`}`;
  const lines = [`PRETTY_NAME="${pretty}"`, `NAME="${name}"`];
  if (major !== undefined) lines.push(`VERSION_ID="${major}"`);
  if (release.codename !== undefined) lines.push(`VERSION_CODENAME=${release.codename}`);
  lines.push(`ID=${id}`);
  return `${lines.join("\n")}\n`;
}

/** update-ca-certificates' bundle: every certificate under usr/share/ca-certificates, in path order, each ending in "\n". */
function caBundle(fs: ReadonlyMap<string, LayerEntry>): Uint8Array {
  const parts: Uint8Array[] = [];
  const paths = [...fs.keys()].filter((p) => p.startsWith("usr/share/ca-certificates/") && p.endsWith(".crt")).sort();
  for (const p of paths) {
    const c = fs.get(p)?.content;
    if (c?.kind !== "bytes") continue;
    parts.push(c.bytes);
    if (c.bytes.length > 0 && c.bytes[c.bytes.length - 1] !== 0x0a) parts.push(encoder.encode("\n"));
  }
  return Buffer.concat(parts);
}
