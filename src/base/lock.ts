// drydock.lock: the exact inputs of a base image, as canonical JSON (2-space indent, fixed key order, packages
// sorted by name), so the same resolution always writes the same bytes and a diff shows what changed. It records
// the request it answers, each repository's signed Release (file, SHA-256, Date), and per architecture every
// package's name, version, architecture, source, filename, size and SHA-256. `--locked` trusts only this file:
// each .deb must match its recorded size and hash. lockVersion 1 has always keyed packages by architecture, so a
// lock for several architectures is the same format as one for one: nothing to bump, and older locks still read.
import { createHash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { isValidDebianVersion } from "../vuln/versions/dpkg.ts";
import { isSafeRelativePath } from "./apt.ts";
import { VARIANTS, type Variant } from "./resolve.ts";

export const LOCK_VERSION = 1;
export const LOCK_FILE_NAME = "drydock.lock";

export interface LockRequest {
  variant: Variant;
  packages: readonly string[];
  exclude: readonly string[];
}

export interface LockedRelease {
  file: "InRelease" | "Release";
  sha256: string;
  date: string;
  validUntil: string | undefined;
  origin: string | undefined;
  codename: string | undefined;
  version: string | undefined;
  /** Fingerprint of the key that signed it. */
  signedBy: string;
}

export interface LockedSource {
  /** The mirror the lock was made from (a --locked build may use another copy of the same archive). */
  mirror: string;
  suite: string;
  components: readonly string[];
  release: LockedRelease;
}

export interface LockedPackage {
  name: string;
  version: string;
  architecture: string;
  /** Index into sources. */
  source: number;
  filename: string;
  size: number;
  sha256: string;
}

export interface Lock {
  request: LockRequest;
  sources: readonly LockedSource[];
  /** Image architecture → its packages, sorted by name. */
  architectures: Readonly<Record<string, readonly LockedPackage[]>>;
}

/** The lock as canonical text. */
export function formatLock(lock: Lock): string {
  const doc = {
    lockVersion: LOCK_VERSION,
    request: { variant: lock.request.variant, packages: [...lock.request.packages], exclude: [...lock.request.exclude] },
    sources: lock.sources.map((s) => ({
      mirror: s.mirror,
      suite: s.suite,
      components: [...s.components],
      release: {
        file: s.release.file,
        sha256: s.release.sha256,
        date: s.release.date,
        ...(s.release.validUntil === undefined ? {} : { validUntil: s.release.validUntil }),
        ...(s.release.origin === undefined ? {} : { origin: s.release.origin }),
        ...(s.release.codename === undefined ? {} : { codename: s.release.codename }),
        ...(s.release.version === undefined ? {} : { version: s.release.version }),
        signedBy: s.release.signedBy,
      },
    })),
    architectures: Object.fromEntries(
      Object.keys(lock.architectures).sort().map((arch) => [
        arch,
        [...(lock.architectures[arch] ?? [])]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((p) => ({ name: p.name, version: p.version, architecture: p.architecture, source: p.source, filename: p.filename, size: p.size, sha256: p.sha256 })),
      ]),
    ),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** "sha256:<hex>" of the lock's canonical text: the annotation that ties an image to its lock. */
export function lockDigest(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Parses and checks drydock.lock text. Throws BASE_LOCK_INVALID naming the file and the bad entry. */
export function parseLock(text: string, file: string): Lock {
  const fail = (message: string): never => {
    throw new DrydockError("BASE_LOCK_INVALID", `${file}: ${message}; regenerate it with \`drydock base lock --update\``, { location: { kind: "ref", ref: file } });
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail("not JSON");
  }
  const doc = record(json, "the document", fail);
  if (doc["lockVersion"] !== LOCK_VERSION) fail(`lockVersion ${JSON.stringify(doc["lockVersion"])} is not ${LOCK_VERSION}`);
  const req = record(doc["request"], "request", fail);
  const variant = req["variant"];
  if (typeof variant !== "string" || !(VARIANTS as readonly string[]).includes(variant)) fail(`request.variant must be one of ${VARIANTS.join(", ")}`);
  const packages = stringList(req["packages"], "request.packages", fail);
  const exclude = stringList(req["exclude"], "request.exclude", fail);
  if (!Array.isArray(doc["sources"]) || doc["sources"].length === 0) fail("sources must be a non-empty list");
  const sources = (doc["sources"] as unknown[]).map((s, i): LockedSource => {
    const r = record(s, `sources[${i}]`, fail);
    const rel = record(r["release"], `sources[${i}].release`, fail);
    const file = rel["file"];
    if (file !== "InRelease" && file !== "Release") fail(`sources[${i}].release.file must be InRelease or Release`);
    return {
      mirror: str(r["mirror"], `sources[${i}].mirror`, fail),
      suite: str(r["suite"], `sources[${i}].suite`, fail),
      components: stringList(r["components"], `sources[${i}].components`, fail),
      release: {
        file: file as "InRelease" | "Release",
        sha256: hex(rel["sha256"], `sources[${i}].release.sha256`, fail),
        date: str(rel["date"], `sources[${i}].release.date`, fail),
        validUntil: optStr(rel["validUntil"], `sources[${i}].release.validUntil`, fail),
        origin: optStr(rel["origin"], `sources[${i}].release.origin`, fail),
        codename: optStr(rel["codename"], `sources[${i}].release.codename`, fail),
        version: optStr(rel["version"], `sources[${i}].release.version`, fail),
        signedBy: str(rel["signedBy"], `sources[${i}].release.signedBy`, fail),
      },
    };
  });
  const archs = record(doc["architectures"], "architectures", fail);
  const architectures: Record<string, LockedPackage[]> = {};
  for (const [arch, list] of Object.entries(archs)) {
    if (!/^[a-z0-9-]+$/.test(arch)) fail(`architecture ${JSON.stringify(arch)} is not a Debian architecture name`);
    if (!Array.isArray(list) || list.length === 0) fail(`architectures.${arch} must be a non-empty list of packages`);
    architectures[arch] = (list as unknown[]).map((p, i): LockedPackage => {
      const where = `architectures.${arch}[${i}]`;
      const r = record(p, where, fail);
      const source = r["source"];
      if (typeof source !== "number" || !Number.isInteger(source) || source < 0 || source >= sources.length) fail(`${where}.source must index sources`);
      const size = r["size"];
      if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) fail(`${where}.size must be a byte count`);
      const version = str(r["version"], `${where}.version`, fail);
      if (!isValidDebianVersion(version)) fail(`${where}.version ${JSON.stringify(version)} is not a Debian version`);
      const filename = str(r["filename"], `${where}.filename`, fail);
      if (!isSafeRelativePath(filename)) fail(`${where}.filename ${JSON.stringify(filename)} is not a path below the mirror`);
      return {
        name: str(r["name"], `${where}.name`, fail),
        version,
        architecture: packageArchitecture(r["architecture"], arch, where, fail),
        source: source as number,
        filename,
        size: size as number,
        sha256: hex(r["sha256"], `${where}.sha256`, fail),
      };
    });
  }
  if (Object.keys(architectures).length === 0) fail("architectures lists none");
  return { request: { variant: variant as Variant, packages, exclude }, sources, architectures };
}

/** What differs between the lock's request and the current one, as sentences; [] when the lock answers it. */
export function lockDifferences(lock: Lock, request: LockRequest, sources: readonly { suite: string; components: readonly string[] }[], architectures: readonly string[]): string[] {
  const out: string[] = [];
  if (lock.request.variant !== request.variant) out.push(`variant is ${request.variant}, the lock has ${lock.request.variant}`);
  if (JSON.stringify(lock.request.packages) !== JSON.stringify(request.packages)) out.push(`packages are [${request.packages.join(", ")}], the lock has [${lock.request.packages.join(", ")}]`);
  if (JSON.stringify(lock.request.exclude) !== JSON.stringify(request.exclude)) out.push(`exclude is [${request.exclude.join(", ")}], the lock has [${lock.request.exclude.join(", ")}]`);
  const want = sources.map((s) => `${s.suite} (${s.components.join(" ")})`);
  const have = lock.sources.map((s) => `${s.suite} (${s.components.join(" ")})`);
  if (JSON.stringify(want) !== JSON.stringify(have)) out.push(`repositories are ${want.join(", ")}, the lock has ${have.join(", ")}`);
  // A lock may hold more architectures than one run builds (`--arch arm64` from a two-architecture lock).
  const lockedArchs = Object.keys(lock.architectures).sort();
  const missing = [...new Set(architectures)].sort().filter((a) => !lockedArchs.includes(a));
  if (missing.length > 0) out.push(`architectures ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in the lock (it has ${lockedArchs.join(", ")})`);
  return out;
}

/** A package locked for arch must be built for it or for all: another one would not run in that image. */
function packageArchitecture(v: unknown, arch: string, where: string, fail: (m: string) => never): string {
  const value = str(v, `${where}.architecture`, fail);
  if (value !== arch && value !== "all") fail(`${where}.architecture is ${value}, but the package is locked for ${arch}`);
  return value;
}

function record(v: unknown, where: string, fail: (m: string) => never): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(`${where} must be an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, where: string, fail: (m: string) => never): string {
  if (typeof v !== "string" || v === "") return fail(`${where} must be a non-empty string`);
  return v;
}

function optStr(v: unknown, where: string, fail: (m: string) => never): string | undefined {
  return v === undefined ? undefined : str(v, where, fail);
}

function hex(v: unknown, where: string, fail: (m: string) => never): string {
  if (typeof v !== "string" || !/^[0-9a-f]{64}$/.test(v)) return fail(`${where} must be 64 lowercase hex digits`);
  return v;
}

function stringList(v: unknown, where: string, fail: (m: string) => never): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) return fail(`${where} must be a list of strings`);
  return v as string[];
}
