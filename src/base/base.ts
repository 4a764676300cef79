// `drydock base` as library functions: resolve a request against verified repositories into a Lock, and build
// an image from a Lock alone (each .deb checked against the lock's hashes), through src/build's layer and image
// writers.
import { createHash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import type { AssembledImage, ImageLayer } from "../build/assemble.ts";
import { makeImageIndex, type ImageIndex } from "../build/image.ts";
import { writeLayer, type LayerCompression } from "../build/layer.ts";
import { MEDIA } from "../image/media.ts";
import { manifestBlob, type Descriptor } from "../registry/manifest.ts";
import { createReadStream } from "node:fs";
import { fetchPackages, fetchRelease, fetchVerifiedFile, parseReleaseDate, readKeyrings, type IndexPackage, type Transport, type VerifiedRelease } from "./apt.ts";
import { rootfsEntries, type InstalledPackage } from "./assemble.ts";
import type { ContentCache } from "./cache.ts";
import { ociPlatform, type BaseSettings } from "./config.ts";
import { readDeb } from "./deb.ts";
import type { Lock, LockedPackage, LockedSource } from "./lock.ts";
import { resolvePackages } from "./resolve.ts";

export const ANNOTATION_SUITE = "dev.drydock.base.suite";
export const ANNOTATION_RELEASE = "dev.drydock.base.release";
export const ANNOTATION_LOCK = "dev.drydock.base.lock";
/** The main repository's Release Date as ISO 8601: the archive snapshot the packages were chosen from. */
export const ANNOTATION_SNAPSHOT = "dev.drydock.base.snapshot";
const CREATED_ANNOTATION = "org.opencontainers.image.created";
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** Downloads in flight at once. */
const PARALLEL_DOWNLOADS = 4;

export interface RepositoryAccess {
  transport: Transport;
  /** The mirror to use for each of settings.sources, in order (config, else the machine's apt sources). */
  mirrors: readonly string[];
  debCache?: ContentCache;
  indexCache?: ContentCache;
  onStep?: (text: string) => void;
}

/** Fetches and verifies every repository, resolves each architecture and returns the lock that records it. */
export async function resolveLock(settings: BaseSettings, access: RepositoryAccess, now: Date): Promise<Lock> {
  const keys = await readKeyrings(settings.keyrings);
  const releases: VerifiedRelease[] = [];
  for (const [i, s] of settings.sources.entries()) {
    const mirror = access.mirrors[i] as string;
    access.onStep?.(`verifying ${mirror} ${s.suite}`);
    releases.push(await fetchRelease({ mirror, suite: s.suite, components: s.components }, { keys, now, transport: access.transport }));
  }
  const architectures: Record<string, LockedPackage[]> = {};
  for (const arch of settings.architectures) {
    const index: IndexPackage[] = [];
    for (const [i, release] of releases.entries()) {
      for (const component of release.source.components) {
        access.onStep?.(`reading ${release.source.suite}/${component} ${arch} index`);
        index.push(...(await fetchPackages(release, component, arch, i, { transport: access.transport, ...(access.indexCache === undefined ? {} : { cache: access.indexCache }) })));
      }
    }
    const chosen = resolvePackages(index, { packages: settings.packages, variant: settings.variant, architecture: arch, exclude: settings.exclude });
    architectures[arch] = chosen.map((p) => ({ name: p.name, version: p.version, architecture: p.architecture, source: p.sourceIndex, filename: p.filename, size: p.size, sha256: p.sha256 }));
  }
  const sources: LockedSource[] = releases.map((r) => ({
    mirror: r.source.mirror,
    suite: r.source.suite,
    components: r.source.components,
    release: { file: r.file, sha256: r.sha256, date: r.date, validUntil: r.validUntil, origin: r.origin, codename: r.codename, version: r.version, signedBy: r.signedBy },
  }));
  return { request: { variant: settings.variant, packages: settings.packages, exclude: settings.exclude }, sources, architectures };
}

export interface BuildFromLockOptions {
  lock: Lock;
  /** sha256 digest of the lock file's text, for the annotation. */
  lockDigest: string;
  settings: BaseSettings;
  access: RepositoryAccess;
  architecture: string;
  /** Timestamps of files, config and history; default: the main repository's Release Date. */
  sourceDateEpoch?: number;
  compression?: LayerCompression;
  /** Where the layer blob is written. */
  workDir: string;
}

/** Builds the image for one architecture from the lock alone. Nothing is written outside workDir. */
export async function buildFromLock(options: BuildFromLockOptions): Promise<AssembledImage> {
  const { lock, settings, access } = options;
  const packages = lock.architectures[options.architecture];
  if (packages === undefined) {
    throw new DrydockError("BASE_LOCK_STALE", `the lock has no packages for ${options.architecture} (it has ${Object.keys(lock.architectures).join(", ")}); run \`drydock base lock --update\``);
  }
  const main = lock.sources[0] as LockedSource;
  const snapshot = parseReleaseDate(main.release.date);
  const epoch = options.sourceDateEpoch ?? snapshot;
  if (!Number.isFinite(snapshot)) throw new DrydockError("BASE_LOCK_INVALID", `the lock's Release date ${JSON.stringify(main.release.date)} is not a date`);
  const installed = await mapLimit(packages, PARALLEL_DOWNLOADS, async (locked): Promise<InstalledPackage> => {
    const mirror = access.mirrors[locked.source] ?? (lock.sources[locked.source] as LockedSource).mirror;
    access.onStep?.(`fetching ${locked.name} ${locked.version}`);
    const bytes = await fetchVerifiedFile(mirror, locked.filename, { sha256: locked.sha256, size: locked.size }, access.transport, access.debCache);
    const deb = await readDeb(bytes, locked.filename);
    const name = deb.control.byName.get("package");
    const version = deb.control.byName.get("version");
    if (name !== locked.name || version !== locked.version) {
      throw new DrydockError("BASE_DEB_INVALID", `${locked.filename} is ${name ?? "?"} ${version ?? "?"}, but the lock names ${locked.name} ${locked.version}`);
    }
    return { locked, deb };
  });
  const entries = await rootfsEntries({ packages: installed, epoch, usrmerge: settings.usrmerge, users: settings.users, groups: settings.groups, files: settings.files, release: main.release, dpkgDatabase: settings.dpkgDatabase });
  access.onStep?.(`writing the layer (${entries.length} entries)`);
  const blob = await writeLayer(entries, { dir: options.workDir, compression: options.compression ?? "gzip" });
  const layer: ImageLayer = {
    descriptor: { mediaType: blob.mediaType, digest: blob.digest, size: blob.size },
    diffId: blob.diffId,
    path: blob.path,
    open: () => createReadStream(blob.path),
  };
  const created = isoSeconds(epoch);
  const names = new Set(packages.map((p) => p.name));
  const env: Record<string, string> = { PATH: DEFAULT_PATH, ...(names.has("ca-certificates") ? { SSL_CERT_FILE: CA_BUNDLE } : {}), ...settings.env };
  const run: Record<string, unknown> = { Env: Object.entries(env).map(([k, v]) => `${k}=${v}`) };
  if (settings.entrypoint !== undefined) run["Entrypoint"] = [...settings.entrypoint];
  if (settings.cmd !== undefined) run["Cmd"] = [...settings.cmd];
  if (settings.user !== undefined) run["User"] = settings.user;
  if (settings.workdir !== undefined) run["WorkingDir"] = settings.workdir;
  if (Object.keys(settings.labels).length > 0) run["Labels"] = Object.fromEntries(Object.keys(settings.labels).sort().map((k) => [k, settings.labels[k]]));
  const platform = { os: "linux", ...ociPlatform(options.architecture) };
  const config = {
    created,
    architecture: platform.architecture,
    os: "linux",
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    config: run,
    rootfs: { type: "layers", diff_ids: [blob.diffId] },
    history: [{ created, created_by: `drydock base: ${packages.length} packages from ${lock.sources.map((s) => s.suite).join(", ")} (${settings.variant})`, comment: options.lockDigest }],
  };
  const configBytes = Buffer.from(JSON.stringify(config), "utf8");
  const configDescriptor: Descriptor = { mediaType: MEDIA.ociConfig, digest: `sha256:${createHash("sha256").update(configBytes).digest("hex")}`, size: configBytes.length };
  const annotations = {
    [ANNOTATION_LOCK]: options.lockDigest,
    [ANNOTATION_RELEASE]: `${main.release.file} sha256:${main.release.sha256} ${main.release.date}`,
    [ANNOTATION_SNAPSHOT]: isoSeconds(snapshot),
    [ANNOTATION_SUITE]: main.suite,
    [CREATED_ANNOTATION]: created,
  };
  const manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: configDescriptor, layers: [layer.descriptor], annotations };
  return {
    config: configBytes,
    configDescriptor,
    manifest: manifestBlob(Buffer.from(JSON.stringify(manifest), "utf8"), MEDIA.ociManifest),
    layers: [layer],
    base: undefined,
    platform,
    close: async () => {},
  };
}

/**
 * The OCI image index of one base image per architecture, in the order given (callers pass architectures
 * sorted by name, so the index digest does not depend on how they were listed). The index carries the images'
 * annotations (suite, snapshot, lock, created), which are the same for every architecture of one lock.
 */
export function baseImageIndex(images: readonly AssembledImage[]): ImageIndex {
  const first = images[0];
  if (first === undefined) throw new DrydockError("USAGE", "an image index needs at least one image");
  const manifest = JSON.parse(first.manifest.bytes.toString("utf8")) as { annotations?: Record<string, string> };
  return makeImageIndex(images, manifest.annotations ?? {});
}

/** "2025-01-11T10:02:03Z" for a time in seconds. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** Runs f over items with at most limit in flight; results keep the items' order; the first failure is thrown. */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
