// An apt repository client that uses nothing it has not verified: InRelease (or Release + Release.gpg) must carry
// a good OpenPGP signature by a key of the keyring, its Date must not be in the future and its Valid-Until not in
// the past, it must be the suite asked for, and every Packages index and .deb fetched must match the size and
// SHA-256 the signed Release (or the index it signed) gives. There is no way to turn any of this off.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { xz } from "@napi-rs/lzma";
import * as openpgp from "openpgp";
import { DrydockError } from "../core/errors.ts";
import type { ContentCache } from "./cache.ts";
import { field, parseDeb822, type Paragraph } from "./deb822.ts";

export const DEFAULT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

/** One repository and suite to read packages from. */
export interface RepositorySource {
  /** Base URL: http(s)://host/debian or file:///path (no trailing slash needed). */
  mirror: string;
  suite: string;
  components: readonly string[];
}

/** Fetches a URL's bytes; undefined when the server (or file system) says it does not exist. */
export type Transport = (url: string) => Promise<Uint8Array | undefined>;

export interface FileHash {
  sha256: string;
  size: number;
}

/** A Release file whose signature verified, with the facts drydock uses from it. */
export interface VerifiedRelease {
  source: RepositorySource;
  /** URL of the suite directory (mirror/dists/suite). */
  distUrl: string;
  /** "InRelease" or "Release" (with Release.gpg). */
  file: "InRelease" | "Release";
  /** SHA-256 of the signed file exactly as fetched: the snapshot identity recorded in the lock. */
  sha256: string;
  /** The Date field as written, and as seconds since the epoch. */
  date: string;
  dateEpoch: number;
  validUntil: string | undefined;
  origin: string | undefined;
  label: string | undefined;
  suite: string | undefined;
  codename: string | undefined;
  version: string | undefined;
  architectures: readonly string[];
  components: readonly string[];
  acquireByHash: boolean;
  /** Path under the suite directory → its signed hash. */
  files: ReadonlyMap<string, FileHash>;
  /** Fingerprint of the key whose signature verified. */
  signedBy: string;
}

/** A binary package stanza from a verified Packages index. */
export interface IndexPackage {
  name: string;
  version: string;
  architecture: string;
  /** Path under the mirror ("pool/main/b/base-files/base-files_12.4_amd64.deb"). */
  filename: string;
  size: number;
  sha256: string;
  /** Which source (index into the sources list) the index came from. */
  sourceIndex: number;
  paragraph: Paragraph;
}

const MAX_INDEX_BYTES = 512 << 20;
/** Clocks disagree a little; a Release dated a few minutes ahead is not an attack. */
const FUTURE_SLACK_SECONDS = 300;

/** The default transport: `fetch` for http(s), the file system for file: URLs. */
export function defaultTransport(fetchImpl: typeof fetch = fetch): Transport {
  return async (url) => {
    if (url.startsWith("file:")) {
      try {
        return await readFile(fileURLToPath(url));
      } catch (e) {
        if (e instanceof Error && "code" in e && (e.code === "ENOENT" || e.code === "ENOTDIR")) return undefined;
        throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${url}: cannot be read`, { cause: e });
      }
    }
    if (!/^https?:\/\//.test(url)) throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${url}: only http(s):// and file: repositories are supported`);
    let response: Response;
    try {
      response = await fetchImpl(url, { redirect: "follow" });
    } catch (e) {
      throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${hostOf(url)}: cannot be reached for ${pathOf(url)}`, { cause: e });
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${hostOf(url)}: HTTP ${response.status} for ${pathOf(url)}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Joins a mirror URL and a relative path. */
export function joinUrl(base: string, relative: string): string {
  return `${base.replace(/\/+$/, "")}/${relative.replace(/^\/+/, "")}`;
}

/** Reads an OpenPGP keyring file: binary (Debian's *.gpg) or ASCII-armored (*.asc). */
export async function readKeyring(file: string): Promise<openpgp.Key[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DrydockError("BASE_KEYRING_INVALID", `keyring ${file} cannot be read; install debian-archive-keyring or pass --keyring`, { cause: e });
  }
  try {
    const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1");
    const keys = head.includes("-----BEGIN PGP")
      ? await openpgp.readKeys({ armoredKeys: Buffer.from(bytes).toString("utf8") })
      : await openpgp.readKeys({ binaryKeys: bytes });
    if (keys.length === 0) throw new Error("no keys");
    return keys;
  } catch (e) {
    throw new DrydockError("BASE_KEYRING_INVALID", `keyring ${file} holds no readable OpenPGP public keys`, { cause: e });
  }
}

/** Keys of several keyring files, in order. */
export async function readKeyrings(files: readonly string[]): Promise<openpgp.Key[]> {
  const keys: openpgp.Key[] = [];
  for (const f of files) keys.push(...(await readKeyring(f)));
  return keys;
}

export interface ReleaseOptions {
  keys: readonly openpgp.Key[];
  /** The time the Release's Date and Valid-Until are checked against. */
  now: Date;
  transport: Transport;
}

/** Fetches InRelease (falling back to Release + Release.gpg), verifies it and checks it is the suite asked for. */
export async function fetchRelease(source: RepositorySource, options: ReleaseOptions): Promise<VerifiedRelease> {
  const distUrl = joinUrl(source.mirror, `dists/${source.suite}`);
  const inRelease = await options.transport(joinUrl(distUrl, "InRelease"));
  let signed: { text: string; signedBy: string; bytes: Uint8Array; file: "InRelease" | "Release" };
  if (inRelease !== undefined) {
    signed = { ...(await verifyClearsigned(inRelease, options.keys, `${distUrl}/InRelease`)), bytes: inRelease, file: "InRelease" };
  } else {
    const release = await options.transport(joinUrl(distUrl, "Release"));
    if (release === undefined) {
      throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${distUrl}: neither InRelease nor Release exists; check the mirror URL and the suite name`);
    }
    const signature = await options.transport(joinUrl(distUrl, "Release.gpg"));
    if (signature === undefined) throw new DrydockError("BASE_SIGNATURE_INVALID", `${distUrl}/Release is not signed (no InRelease, no Release.gpg); an unsigned repository is never used`);
    const signedBy = await verifyDetached(release, signature, options.keys, `${distUrl}/Release`);
    signed = { text: Buffer.from(release).toString("utf8"), signedBy, bytes: release, file: "Release" };
  }
  return parseRelease(signed.text, { source, distUrl, file: signed.file, sha256: sha256Hex(signed.bytes), signedBy: signed.signedBy, now: options.now });
}

/** The signed text of a clearsigned document, when a signature by one of keys verifies. */
export async function verifyClearsigned(bytes: Uint8Array, keys: readonly openpgp.Key[], what: string): Promise<{ text: string; signedBy: string }> {
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: Buffer.from(bytes).toString("utf8") });
  } catch (e) {
    throw new DrydockError("BASE_SIGNATURE_INVALID", `${what} is not an OpenPGP clearsigned document`, { cause: e });
  }
  const result = await runVerify(() => openpgp.verify({ message, verificationKeys: [...keys] }), what);
  const signedBy = await goodSignature(result.signatures, keys, what);
  return { text: result.data, signedBy };
}

async function verifyDetached(data: Uint8Array, signatureBytes: Uint8Array, keys: readonly openpgp.Key[], what: string): Promise<string> {
  let signature: openpgp.Signature;
  try {
    const head = Buffer.from(signatureBytes.subarray(0, 64)).toString("latin1");
    signature = head.includes("-----BEGIN PGP")
      ? await openpgp.readSignature({ armoredSignature: Buffer.from(signatureBytes).toString("utf8") })
      : await openpgp.readSignature({ binarySignature: signatureBytes });
  } catch (e) {
    throw new DrydockError("BASE_SIGNATURE_INVALID", `${what}.gpg is not an OpenPGP signature`, { cause: e });
  }
  const message = await openpgp.createMessage({ binary: data });
  const result = await runVerify(() => openpgp.verify({ message, signature, verificationKeys: [...keys], format: "binary" }), what);
  return goodSignature(result.signatures, keys, what);
}

async function runVerify<T>(verify: () => Promise<T>, what: string): Promise<T> {
  try {
    return await verify();
  } catch (e) {
    throw new DrydockError("BASE_SIGNATURE_INVALID", `${what}: the signature cannot be checked`, { cause: e });
  }
}

/** The fingerprint of the first signature that verifies with a keyring key; otherwise an error saying why not. */
async function goodSignature(signatures: openpgp.VerifyMessageResult["signatures"], keys: readonly openpgp.Key[], what: string): Promise<string> {
  if (signatures.length === 0) throw new DrydockError("BASE_SIGNATURE_INVALID", `${what} carries no signature`);
  const unknown: string[] = [];
  let failure: unknown;
  for (const s of signatures) {
    const key = keys.find((k) => k.getKeyIDs().some((id) => id.equals(s.keyID)));
    if (key === undefined) {
      unknown.push(s.keyID.toHex().toUpperCase());
      continue;
    }
    try {
      if (await s.verified) return key.getFingerprint().toUpperCase();
    } catch (e) {
      failure = e;
    }
  }
  if (failure !== undefined) {
    throw new DrydockError("BASE_SIGNATURE_INVALID", `${what}: the signature does not verify (the file was changed or the signature is bad); nothing from this repository is used`, { cause: failure });
  }
  throw new DrydockError("BASE_SIGNATURE_INVALID", `${what} is signed only by key(s) ${unknown.join(", ")}, none of which is in the keyring; pass the repository's key with --keyring (or base.keyring)`);
}

interface ReleaseContext {
  source: RepositorySource;
  distUrl: string;
  file: "InRelease" | "Release";
  sha256: string;
  signedBy: string;
  now: Date;
}

/** Parses and checks signed Release text. Exported for tests; fetchRelease is the way in. */
export function parseRelease(text: string, ctx: ReleaseContext): VerifiedRelease {
  const what = `${ctx.distUrl}/${ctx.file}`;
  const paragraphs = parseDeb822(text, what, "BASE_RELEASE_INVALID");
  const p = paragraphs[0];
  if (p === undefined) throw new DrydockError("BASE_RELEASE_INVALID", `${what} is empty`);
  const suite = field(p, "Suite");
  const codename = field(p, "Codename");
  if (suite !== ctx.source.suite && codename !== ctx.source.suite) {
    throw new DrydockError("BASE_RELEASE_INVALID", `${what} is for suite ${suite ?? "?"} (codename ${codename ?? "?"}), not ${ctx.source.suite}; the mirror served another suite's Release`);
  }
  const date = field(p, "Date");
  const dateEpoch = date === undefined ? NaN : parseReleaseDate(date);
  if (Number.isNaN(dateEpoch)) throw new DrydockError("BASE_RELEASE_INVALID", `${what} has no valid Date field`);
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  if (dateEpoch > nowSeconds + FUTURE_SLACK_SECONDS) {
    throw new DrydockError("BASE_RELEASE_INVALID", `${what} is dated ${date}, in the future; check this machine's clock`);
  }
  const validUntil = field(p, "Valid-Until");
  if (validUntil !== undefined) {
    const until = parseReleaseDate(validUntil);
    if (Number.isNaN(until)) throw new DrydockError("BASE_RELEASE_INVALID", `${what} has an unreadable Valid-Until field`);
    if (until < nowSeconds) {
      throw new DrydockError("BASE_RELEASE_EXPIRED", `${what} expired at ${validUntil}: the mirror is out of date or is replaying an old Release; use an up-to-date mirror, or build from an existing drydock.lock with --locked`);
    }
  }
  return {
    source: ctx.source,
    distUrl: ctx.distUrl,
    file: ctx.file,
    sha256: ctx.sha256,
    date: date as string,
    dateEpoch,
    validUntil,
    origin: field(p, "Origin"),
    label: field(p, "Label"),
    suite,
    codename,
    version: field(p, "Version"),
    architectures: words(field(p, "Architectures")),
    components: words(field(p, "Components")),
    acquireByHash: field(p, "Acquire-By-Hash")?.toLowerCase() === "yes",
    files: hashList(field(p, "SHA256"), what),
    signedBy: ctx.signedBy,
  };
}

/** RFC 2822 dates as Release files write them ("Sat, 10 May 2025 09:05:25 UTC"); NaN when unreadable. */
export function parseReleaseDate(text: string): number {
  const ms = Date.parse(text.replace(/\bUTC$/, "+0000"));
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

function words(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/\s+/).filter((w) => w !== "");
}

function hashList(value: string | undefined, what: string): Map<string, FileHash> {
  const out = new Map<string, FileHash>();
  if (value === undefined) throw new DrydockError("BASE_RELEASE_INVALID", `${what} has no SHA256 section; indexes it lists cannot be verified`);
  for (const line of value.split("\n")) {
    const parts = words(line);
    if (parts.length === 0) continue;
    const [hash, size, name] = parts;
    if (parts.length !== 3 || !/^[0-9a-f]{64}$/.test(hash as string) || !/^\d+$/.test(size as string)) {
      throw new DrydockError("BASE_RELEASE_INVALID", `${what}: SHA256 line ${JSON.stringify(line.trim())} is not "<sha256> <size> <path>"`);
    }
    out.set(name as string, { sha256: hash as string, size: Number(size) });
  }
  return out;
}

/** The directory a requested component lives in: "main", or "updates/main" where a suite prefixes them. */
function componentPath(release: VerifiedRelease, component: string): string {
  if (release.components.length === 0 || release.components.includes(component)) return component;
  const prefixed = release.components.find((c) => c.endsWith(`/${component}`));
  if (prefixed !== undefined) return prefixed;
  throw new DrydockError("BASE_RELEASE_INVALID", `${release.distUrl} has no component ${component} (it has ${release.components.join(", ")})`);
}

export interface IndexOptions {
  transport: Transport;
  /** Verified indexes are kept by hash, so a second run reads them from disk. */
  cache?: ContentCache;
}

/** Fetches, verifies and parses one component's Packages index for one architecture. */
export async function fetchPackages(release: VerifiedRelease, component: string, architecture: string, sourceIndex: number, options: IndexOptions): Promise<IndexPackage[]> {
  if (release.architectures.length > 0 && !release.architectures.includes(architecture)) {
    throw new DrydockError("BASE_RELEASE_INVALID", `${release.distUrl} has no architecture ${architecture} (it has ${release.architectures.join(", ")})`);
  }
  const dir = `${componentPath(release, component)}/binary-${architecture}`;
  const choices = ["Packages.xz", "Packages.gz", "Packages"].map((n) => `${dir}/${n}`).filter((n) => release.files.has(n));
  if (choices.length === 0) throw new DrydockError("BASE_INDEX_INVALID", `${release.distUrl}: the signed Release lists no Packages index for ${dir}`);
  for (const name of choices) {
    const hash = release.files.get(name) as FileHash;
    const compressed = await fetchIndexFile(release, name, hash, options);
    if (compressed === undefined) continue;
    const text = decompressIndex(compressed, name, `${release.distUrl}/${name}`);
    return packagesOf(text, `${release.distUrl}/${name}`, sourceIndex);
  }
  throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${release.distUrl}: none of ${choices.join(", ")} can be downloaded, though the Release lists them`);
}

async function fetchIndexFile(release: VerifiedRelease, name: string, hash: FileHash, options: IndexOptions): Promise<Uint8Array | undefined> {
  const cached = await options.cache?.get(hash.sha256);
  if (cached !== undefined) return cached;
  const urls = [joinUrl(release.distUrl, name)];
  // by-hash names never change content, so a mirror updating mid-run cannot hand over a newer index.
  if (release.acquireByHash) urls.unshift(joinUrl(release.distUrl, `${name.slice(0, name.lastIndexOf("/"))}/by-hash/SHA256/${hash.sha256}`));
  for (const url of urls) {
    const bytes = await options.transport(url);
    if (bytes === undefined) continue;
    checkHash(bytes, hash, url);
    await options.cache?.put(hash.sha256, bytes);
    return bytes;
  }
  return undefined;
}

/** Throws BASE_HASH_MISMATCH unless bytes have the size and SHA-256 given. */
export function checkHash(bytes: Uint8Array, expected: FileHash, what: string): void {
  if (bytes.length !== expected.size) {
    throw new DrydockError("BASE_HASH_MISMATCH", `${what}: ${bytes.length} bytes, but the signed index says ${expected.size}; it was changed or truncated and is not used`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected.sha256) {
    throw new DrydockError("BASE_HASH_MISMATCH", `${what}: SHA-256 ${actual} differs from the signed ${expected.sha256}; it was changed and is not used`);
  }
}

function decompressIndex(bytes: Uint8Array, name: string, what: string): string {
  try {
    let raw: Uint8Array = bytes;
    if (name.endsWith(".xz")) raw = xz.decompressSync(bytes);
    else if (name.endsWith(".gz")) raw = gunzipSync(bytes, { maxOutputLength: MAX_INDEX_BYTES });
    if (raw.length > MAX_INDEX_BYTES) throw new Error(`larger than ${MAX_INDEX_BYTES} bytes`);
    return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString("utf8");
  } catch (e) {
    throw new DrydockError("BASE_INDEX_INVALID", `${what} cannot be decompressed`, { cause: e });
  }
}

/** Packages stanzas of an index. Stanzas without a SHA-256 or with an unsafe Filename are left out: never usable. */
export function packagesOf(text: string, what: string, sourceIndex: number): IndexPackage[] {
  const out: IndexPackage[] = [];
  for (const p of parseDeb822(text, what, "BASE_INDEX_INVALID")) {
    const name = field(p, "Package");
    const version = field(p, "Version");
    const architecture = field(p, "Architecture");
    const filename = field(p, "Filename");
    const size = field(p, "Size");
    const sha256 = field(p, "SHA256")?.toLowerCase();
    if (name === undefined || version === undefined || architecture === undefined || filename === undefined || size === undefined || sha256 === undefined) continue;
    if (!/^\d+$/.test(size) || !/^[0-9a-f]{64}$/.test(sha256) || !isSafeRelativePath(filename)) continue;
    out.push({ name, version, architecture, filename, size: Number(size), sha256, sourceIndex, paragraph: p });
  }
  return out;
}

/** A relative path that stays below the mirror root. */
export function isSafeRelativePath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\\") || p.includes("\0")) return false;
  return p.split("/").every((c) => c !== ".." && c !== "");
}

/** A file under a mirror whose size and SHA-256 are known from a verified index or the lock, checked on arrival. */
export async function fetchVerifiedFile(mirror: string, filename: string, expected: FileHash, transport: Transport, cache: ContentCache | undefined): Promise<Uint8Array> {
  const cached = await cache?.get(expected.sha256);
  if (cached !== undefined && cached.length === expected.size) return cached;
  if (!isSafeRelativePath(filename)) throw new DrydockError("BASE_INDEX_INVALID", `${JSON.stringify(filename)} is not a path below the mirror`);
  const url = joinUrl(mirror, filename);
  const bytes = await transport(url);
  if (bytes === undefined) throw new DrydockError("BASE_REPOSITORY_UNAVAILABLE", `${url} does not exist on the mirror (removed from the archive? a snapshot mirror keeps it)`);
  checkHash(bytes, expected, url);
  await cache?.put(expected.sha256, bytes);
  return bytes;
}
