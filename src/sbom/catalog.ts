// The SBOM driver: one walk of an image (or a directory) feeds every cataloger the whole files it asked for by
// path; a package counts only when the file that declared it is still there in the final merged view; the
// distribution read from os-release then gives OS packages their ecosystem, release and purl qualifiers.
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { withDefaults, type ImageLimits } from "../image/limits.ts";
import { MergedFs } from "../image/merged.ts";
import { formatPlatform } from "../image/platform.ts";
import { openImage, TRANSPORTS, type ImageSource } from "../image/source.ts";
import { REMOTE_PREFIX } from "../image/remote.ts";
import { walkImage, type ContentSink, type EntryConsumer, type LayerEntry, type WalkResult } from "../image/walk.ts";
import type { RegistryClientOptions } from "../registry/client.ts";
import {
  ALPINE_RELEASE_PATH,
  distroFromAlpineRelease,
  distroFromOsRelease,
  isOsPackageType,
  MAX_RELEASE_FILE_BYTES,
  OS_RELEASE_PATHS,
  osPackageContext,
} from "./distro.ts";
import type { Catalog, CatalogContext, CatalogedPackage, Cataloger, CatalogFile, DistroInfo, PackageLocation } from "./model.ts";
import { parsePurl, purl } from "./purl.ts";

export interface CatalogOptions {
  catalogers: readonly Cataloger[];
  /** Resolves relative targets; default process.cwd(). */
  cwd?: string;
  /** "os/arch[/variant]", passed to openImage. */
  platform?: string;
  /** For docker://REF. */
  registry?: RegistryClientOptions;
  /** The largest file handed to a cataloger (default 256 MiB); larger ones are noted and skipped. */
  maxFileBytes?: number;
  /** Directory walks: the most entries read before giving up (default 1,000,000). */
  maxDirectoryEntries?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_DIRECTORY_ENTRIES = 1_000_000;
/** What wantsContent() is shown: enough for every magic number catalogers check. */
const MAGIC_BYTES = 64;
/** Directories a directory walk never enters: version-control internals hold no installed packages. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([".git", ".hg", ".svn"]);
/** Any of these below a directory makes it a root file system rather than a project. */
const ROOTFS_MARKERS = ["var/lib/dpkg", "lib/apk/db", "var/lib/rpm", "usr/lib/sysimage/rpm", "etc/os-release", "usr/lib/os-release", "etc/alpine-release"];

/**
 * Catalogs what `target` names: an image reference (any openImage form, docker:// included), a root file system
 * directory (one with a package database, an os-release, or both etc/ and usr/), or a project directory.
 */
export async function catalogTarget(target: string, options: CatalogOptions): Promise<Catalog> {
  const cwd = options.cwd ?? process.cwd();
  if (target.startsWith("dir:")) return catalogDirectory(resolve(cwd, target.slice(4)), "rootfs", options, target);
  if (target.startsWith(REMOTE_PREFIX) || TRANSPORTS.some((t) => target.startsWith(`${t}:`))) return catalogImageRef(target, options);
  const path = resolve(cwd, target);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory() === true) {
    if (await exists(join(path, "oci-layout")) || await exists(join(path, "manifest.json"))) return catalogImageRef(target, options);
    return catalogDirectory(path, (await looksLikeRootfs(path)) ? "rootfs" : "directory", options, target);
  }
  // A file is an image archive; a missing path gets openImage's own error (which knows about registry names).
  return catalogImageRef(target, options);
}

async function catalogImageRef(ref: string, options: CatalogOptions): Promise<Catalog> {
  const source = await openImage(ref, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  });
  try {
    return await catalogImage(source, options);
  } finally {
    await source.close();
  }
}

/** One walk of the image's layers; packages from files that survive in the final view, at the layer that wrote them. */
export async function catalogImage(source: ImageSource, options: CatalogOptions): Promise<Catalog> {
  const reader = catalogReader(source, options);
  const merged = new MergedFs(source.limits.maxAnomalies);
  const result = await walkImage(source, [merged, reader.consumer]);
  return reader.finish(merged, result);
}

/**
 * catalogImage's consumer, for a walk shared with other work (`check` audits and catalogs an image in one read):
 * feed `consumer` after a MergedFs in the walk, then finish with that MergedFs and the walk's result.
 */
export function catalogReader(source: ImageSource, options: CatalogOptions): { consumer: EntryConsumer; finish(merged: MergedFs, result: WalkResult): Catalog } {
  // A dir: source is one directory, not layers: its locations carry no layer.
  const collector = new CatalogCollector(options.catalogers, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, source.transport !== "dir");
  return { consumer: collector, finish: (merged, result) => catalogOf(source, collector, merged, result) };
}

function catalogOf(source: ImageSource, collector: CatalogCollector, merged: MergedFs, result: WalkResult): Catalog {
  const { packages, distro } = collector.finish(merged);
  return {
    target: source.ref,
    kind: source.transport === "dir" ? "rootfs" : "image",
    ...(source.transport === "dir" ? {} : {
      image: {
        digest: source.manifest?.digest,
        configDigest: source.configDigest,
        name: source.name,
        platform: source.platform === undefined ? undefined : formatPlatform(source.platform),
        layers: result.layers.map((l) => l.digest ?? l.diffId ?? ""),
      },
    }),
    distro,
    packages,
    notes: collector.notes,
  };
}

/**
 * A directory read with lstat only (symlinks are never followed, so nothing outside it is read), .git and
 * friends skipped, bounded in entries and file size.
 */
export async function catalogDirectory(dir: string, kind: "rootfs" | "directory", options: CatalogOptions, target: string = dir): Promise<Catalog> {
  const path = resolve(options.cwd ?? process.cwd(), dir);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new DrydockError("IMAGE_NOT_FOUND", `${target}: no such directory`);
  if (!info.isDirectory()) throw new DrydockError("USAGE", `${target}: ${path} is not a directory`);
  const limits: ImageLimits = withDefaults({ maxEntries: options.maxDirectoryEntries ?? DEFAULT_MAX_DIRECTORY_ENTRIES });
  const source: ImageSource = {
    ref: target,
    transport: "dir",
    path,
    name: undefined,
    manifest: undefined,
    config: undefined,
    configDigest: undefined,
    platform: undefined,
    layers: [{ kind: "directory", index: 0, path, digest: undefined, size: undefined, diffId: undefined, mediaType: undefined }],
    anomalies: [],
    limits,
    close: async () => {},
  };
  const collector = new CatalogCollector(options.catalogers, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, false);
  const merged = new MergedFs(limits.maxAnomalies);
  await walkImage(source, [merged, collector], { skipDirectoryNames: SKIPPED_DIRECTORIES });
  const { packages, distro } = collector.finish(merged);
  return { target, kind, distro, packages, notes: collector.notes };
}

/**
 * Sets what OS packages owe to the distribution: ecosystem and release for matching, and the purl rebuilt with
 * the distribution's namespace and arch/epoch/distro qualifiers (other qualifiers the cataloger set are kept).
 * Other package types are left alone.
 */
export function finalizeOsPackages(packages: CatalogedPackage[], distro: DistroInfo | undefined): void {
  const contexts = new Map<string, ReturnType<typeof osPackageContext>>();
  for (const pkg of packages) {
    if (!isOsPackageType(pkg.type)) continue;
    let ctx = contexts.get(pkg.type);
    if (ctx === undefined) contexts.set(pkg.type, (ctx = osPackageContext(pkg.type, distro)));
    pkg.ecosystem = ctx.ecosystem;
    if (ctx.release === undefined) delete pkg.release;
    else pkg.release = ctx.release;
    const previous = parsePurl(pkg.purl)?.qualifiers ?? {};
    const epoch = pkg.metadata?.epoch;
    pkg.purl = purl({
      type: pkg.type,
      namespace: ctx.namespace,
      name: pkg.name,
      // rpm purls carry the epoch as a qualifier, not in the version.
      version: pkg.type === "rpm" ? (pkg.metadata?.versionRelease ?? pkg.version) : pkg.version,
      qualifiers: {
        ...previous,
        arch: pkg.metadata?.arch ?? previous.arch,
        ...(pkg.type === "rpm" && epoch !== undefined && epoch !== "" && epoch !== "0" ? { epoch } : {}),
        distro: ctx.distroQualifier ?? previous.distro,
      },
    });
  }
}

/** Output order: type, namespace, name, version, then where it was found. */
export function comparePackages(a: CatalogedPackage, b: CatalogedPackage): number {
  return cmp(a.type, b.type) || cmp(a.namespace ?? "", b.namespace ?? "") || cmp(a.name, b.name) || cmp(a.version, b.version)
    || cmp(a.locations[0]?.path ?? "", b.locations[0]?.path ?? "") || (a.locations[0]?.layerIndex ?? 0) - (b.locations[0]?.layerIndex ?? 0)
    || cmp(a.locations[0]?.inner ?? "", b.locations[0]?.inner ?? "") || cmp(a.purl, b.purl);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

async function looksLikeRootfs(dir: string): Promise<boolean> {
  for (const marker of ROOTFS_MARKERS) if (await exists(join(dir, marker))) return true;
  const etc = await stat(join(dir, "etc")).catch(() => undefined);
  const usr = await stat(join(dir, "usr")).catch(() => undefined);
  return etc?.isDirectory() === true && usr?.isDirectory() === true;
}

/** What one file's version produced: kept until the end, when the merged view says whether it survived. */
interface FileResult {
  layer: number;
  packages: CatalogedPackage[];
}

/** A file of a cataloger with companions, held whole until the end of the walk. */
interface HeldFile {
  cataloger: Cataloger;
  file: CatalogFile;
}

/** The consumer that collects wanted files one at a time and hands them to their catalogers. */
class CatalogCollector implements EntryConsumer {
  readonly headBytes = 0;
  readonly #catalogers: readonly Cataloger[];
  readonly #maxFileBytes: number;
  readonly #layered: boolean;
  readonly #notes = new Set<string>();
  readonly #context: CatalogContext = { note: (m) => this.#notes.add(m) };
  /** The catalogers the entry last passed to wants() asked for it (wants and contentSink come in pairs). */
  #lastEntry: LayerEntry | undefined;
  #lastWanting: Cataloger[] = [];
  #lastLicensing: Cataloger[] = [];
  #lastRelease = false;
  /** path → layer → what its version produced (a later duplicate in the same layer replaces the earlier). */
  readonly #results = new Map<string, Map<number, FileResult>>();
  readonly #held = new Map<string, Map<number, HeldFile>>();
  readonly #releaseFiles = new Map<string, Map<number, Uint8Array>>();
  /** "cataloger\0path" → layer → the licences that version of a licence file declares. */
  readonly #licenseFiles = new Map<string, Map<number, string[]>>();

  constructor(catalogers: readonly Cataloger[], maxFileBytes: number, layered: boolean) {
    this.#catalogers = catalogers;
    this.#maxFileBytes = maxFileBytes;
    this.#layered = layered;
  }

  get notes(): string[] {
    return [...this.#notes];
  }

  wants(e: LayerEntry): boolean {
    if (e.kind !== "file") return false;
    let wanting: Cataloger[] | undefined;
    let licensing: Cataloger[] | undefined;
    for (const c of this.#catalogers) {
      if (c.wants(e.path, e.size, e.mode)) (wanting ??= []).push(c);
      if (c.licenseFiles?.wants(e.path, e.size) === true) (licensing ??= []).push(c);
    }
    const release = isReleaseFile(e.path) && e.size <= MAX_RELEASE_FILE_BYTES;
    this.#lastEntry = e;
    this.#lastWanting = wanting ?? [];
    this.#lastLicensing = licensing ?? [];
    this.#lastRelease = release;
    return wanting !== undefined || licensing !== undefined || release;
  }

  entry(): void {}

  contentSink(e: LayerEntry): ContentSink | undefined {
    if (e !== this.#lastEntry) return undefined;
    const release = this.#lastRelease;
    const licensing = this.#lastLicensing;
    let wanting = this.#lastWanting;
    if (e.size > this.#maxFileBytes) {
      if (wanting.length > 0) this.#notes.add(`skipped /${e.path}: too large (${e.size} bytes; the limit is ${this.#maxFileBytes})`);
      wanting = [];
      if (!release && licensing.length === 0) return undefined;
    }
    const others = release || licensing.length > 0;
    const bytes = new Uint8Array(e.size);
    let filled = 0;
    let sniffing = wanting.some((c) => c.wantsContent !== undefined);
    const sniff = (): boolean => {
      sniffing = false;
      const head = bytes.subarray(0, Math.min(filled, MAGIC_BYTES));
      wanting = wanting.filter((c) => c.wantsContent === undefined || c.wantsContent(e.path, head));
      return wanting.length > 0 || others;
    };
    let dropped = false;
    return {
      write: (chunk) => {
        const take = Math.min(chunk.length, bytes.length - filled);
        bytes.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
        filled += take;
        if (sniffing && filled >= Math.min(MAGIC_BYTES, bytes.length) && !sniff()) {
          dropped = true;
          return false;
        }
        return true;
      },
      end: () => {
        if (dropped) return;
        if (sniffing && !sniff()) return;
        const content = filled === bytes.length ? bytes : bytes.subarray(0, filled);
        if (release) setIn(this.#releaseFiles, e.path, e.layer, content);
        for (const c of licensing) setIn(this.#licenseFiles, `${c.name}\0${e.path}`, e.layer, this.#readLicenses(c, e.path, content));
        if (wanting.length > 0) this.#deliver(e, content, wanting);
      },
    };
  }

  #deliver(e: LayerEntry, bytes: Uint8Array, catalogers: readonly Cataloger[]): void {
    const location: PackageLocation = this.#layered ? { path: e.path, layerIndex: e.layer, layer: e.layerDigest } : { path: e.path };
    const file: CatalogFile = { path: e.path, bytes, mode: e.mode, location };
    const packages: CatalogedPackage[] = [];
    for (const c of catalogers) {
      if (c.companions !== undefined) setIn(this.#held, `${c.name}\0${e.path}`, e.layer, { cataloger: c, file });
      else packages.push(...this.#parse(c, file));
    }
    setIn(this.#results, e.path, e.layer, { layer: e.layer, packages });
  }

  #readLicenses(c: Cataloger, path: string, bytes: Uint8Array): string[] {
    try {
      return c.licenseFiles?.read(bytes) ?? [];
    } catch (error) {
      this.#notes.add(`${c.name}: cannot read licences in /${path} (${error instanceof Error ? error.message : String(error)})`);
      return [];
    }
  }

  /** Licences from licence files, for packages whose database entry declared none. */
  #applyLicenseFiles(packages: readonly CatalogedPackage[], merged: MergedFs): void {
    const byName = new Map(this.#catalogers.filter((c) => c.licenseFiles !== undefined).map((c) => [c.name, c]));
    if (byName.size === 0) return;
    for (const pkg of packages) {
      const c = byName.get(pkg.cataloger);
      if (c?.licenseFiles === undefined || pkg.licenses.length > 0) continue;
      const r = merged.resolve(c.licenseFiles.pathOf(pkg));
      if (r?.version === undefined || r.version.kind !== "file") continue;
      const found = this.#licenseFiles.get(`${c.name}\0${r.path}`)?.get(r.version.layer);
      if (found !== undefined && found.length > 0) pkg.licenses = [...found];
    }
  }

  #parse(c: Cataloger, file: CatalogFile): CatalogedPackage[] {
    try {
      return c.parse(file, this.#context);
    } catch (error) {
      this.#notes.add(`${c.name}: cannot read /${file.path} (${error instanceof Error ? error.message : String(error)})`);
      return [];
    }
  }

  /** After the walk: packages of surviving files (held files parsed now, with their companions), and the distribution. */
  finish(merged: MergedFs): { packages: CatalogedPackage[]; distro: DistroInfo | undefined } {
    const survives = (path: string, layer: number): boolean => {
      const v = merged.get(path);
      return v !== undefined && v.kind === "file" && v.layer === layer;
    };
    const packages: CatalogedPackage[] = [];
    for (const [path, byLayer] of this.#results) {
      for (const [layer, result] of byLayer) if (survives(path, layer)) packages.push(...result.packages);
    }
    for (const [key, byLayer] of this.#held) {
      const path = key.slice(key.indexOf("\0") + 1);
      for (const [layer, held] of byLayer) {
        if (!survives(path, layer)) continue;
        const companions = new Map<string, Uint8Array>();
        for (const other of held.cataloger.companions?.(path) ?? []) {
          const v = merged.get(other);
          const copy = v === undefined || v.kind !== "file" ? undefined : this.#held.get(`${held.cataloger.name}\0${other}`)?.get(v.layer);
          if (copy !== undefined) companions.set(other, copy.file.bytes);
        }
        packages.push(...this.#parse(held.cataloger, { ...held.file, companions }));
      }
    }
    this.#applyLicenseFiles(packages, merged);
    const distro = this.#distro(merged);
    finalizeOsPackages(packages, distro);
    packages.sort(comparePackages);
    return { packages, distro };
  }

  #distro(merged: MergedFs): DistroInfo | undefined {
    const read = (path: string): Uint8Array | undefined => {
      const r = merged.resolve(path);
      if (r?.version === undefined || r.version.kind !== "file") return undefined;
      return this.#releaseFiles.get(r.path)?.get(r.version.layer);
    };
    const text = new TextDecoder("utf-8");
    for (const path of OS_RELEASE_PATHS) {
      const bytes = read(path);
      if (bytes === undefined) continue;
      const distro = distroFromOsRelease(text.decode(bytes));
      if (distro !== undefined) return distro;
      this.#notes.add(`/${path} names no distribution (no ID=)`);
    }
    const alpine = read(ALPINE_RELEASE_PATH);
    return alpine === undefined ? undefined : distroFromAlpineRelease(text.decode(alpine));
  }
}

/** os-release files, wherever a symlink may point to them, and Alpine's release file. */
function isReleaseFile(path: string): boolean {
  return path === ALPINE_RELEASE_PATH || path === "os-release" || path.endsWith("/os-release");
}

function setIn<V>(map: Map<string, Map<number, V>>, path: string, layer: number, value: V): void {
  let byLayer = map.get(path);
  if (byLayer === undefined) map.set(path, (byLayer = new Map()));
  byLayer.set(layer, value);
}
