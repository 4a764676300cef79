// Where an image comes from, behind one interface: a docker-archive tar, an OCI layout (directory or tar), a root
// file system directory — and later a registry. A source gives the manifest, the parsed config and the layers;
// reading a layer's bytes is the walker's job (walk.ts).
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { AnomalyLog, type Anomaly } from "./anomaly.ts";
import { TarArchive } from "./archive.ts";
import type { ImageConfig } from "./config.ts";
import { readDockerArchive } from "./docker-archive.ts";
import { DirectoryTree, type FileTree } from "./file-tree.ts";
import { withDefaults, type ImageLimits } from "./limits.ts";
import type { Compression } from "./media.ts";
import { readOciLayout } from "./oci-layout.ts";
import { openRemoteImage, REMOTE_PREFIX } from "./remote.ts";
import type { RegistryClientOptions } from "../registry/client.ts";
import { hostPlatform, parsePlatform, type Platform } from "./platform.ts";

export type Transport = "docker-archive" | "oci" | "oci-archive" | "dir" | "docker";
export const TRANSPORTS: readonly Transport[] = ["docker-archive", "oci-archive", "oci", "dir"];

/** A layer stored as a blob: a (possibly compressed) tar. */
export interface BlobLayer {
  kind: "blob";
  index: number;
  /** The blob's digest, verified while reading; undefined when the source does not name it (classic docker save). */
  digest: string | undefined;
  /** The blob's size in bytes, when known. */
  size: number | undefined;
  /** The uncompressed tar's digest from the config's rootfs.diff_ids, verified while reading. */
  diffId: string | undefined;
  mediaType: string | undefined;
  /** What the media type declares; the bytes decide (gzip and zstd have magic numbers). */
  compression: Compression | undefined;
  /** The blob's bytes; each chunk may be reused once the next is asked for (see readRange). */
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** A root file system directory read as one layer. */
export interface DirectoryLayer {
  kind: "directory";
  index: number;
  path: string;
  digest: undefined;
  size: undefined;
  diffId: undefined;
  mediaType: undefined;
}

export type ImageLayer = BlobLayer | DirectoryLayer;

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageSource {
  /** The reference as the user gave it; findings and messages name the image by it. */
  readonly ref: string;
  readonly transport: Transport;
  /** Absolute path of the archive or directory. */
  readonly path: string;
  /** The tag or repository:tag chosen, when the source names it. */
  readonly name: string | undefined;
  readonly manifest: ManifestInfo | undefined;
  /** undefined for a root file system directory, which has no config. */
  readonly config: ImageConfig | undefined;
  readonly configDigest: string | undefined;
  readonly platform: Platform | undefined;
  /** Bottom first. */
  readonly layers: readonly ImageLayer[];
  /** Oddities met while opening (the walker records its own). */
  readonly anomalies: readonly Anomaly[];
  readonly limits: ImageLimits;
  close(): Promise<void>;
}

export interface OpenImageOptions {
  /** "os/arch[/variant]" or a Platform; default: the host's, applied only where an index offers a choice. */
  platform?: string | Platform;
  /** Resolves relative paths; default process.cwd(). */
  cwd?: string;
  limits?: Partial<ImageLimits>;
  /** For `docker://REF`: registry client settings (insecure registries, CA files, credentials). */
  registry?: RegistryClientOptions;
}

/** What the readers need besides the files. */
export interface ReadContext {
  ref: string;
  transport: Transport;
  path: string;
  /** A tag, "name:tag", or "@N" (docker-archive: the Nth image). */
  selector: string | undefined;
  platform: Platform;
  /** The user asked for this platform: a single-platform image of another one is an error, not a fallback. */
  explicitPlatform: boolean;
  limits: ImageLimits;
  anomalies: AnomalyLog;
}

/**
 * Opens an image for reading: `docker-archive:PATH[:name:tag|@N]`, `oci:DIR[:tag]`, `oci-archive:PATH[:tag]`,
 * `dir:ROOTFS`, or a bare path whose kind is detected. Reads the JSON documents and checks that every layer blob
 * is present; layers themselves are read by walkImage().
 */
export async function openImage(ref: string, options: OpenImageOptions = {}): Promise<ImageSource> {
  const limits = withDefaults(options.limits);
  const explicitPlatform = options.platform !== undefined;
  const platform = options.platform === undefined ? hostPlatform()
    : typeof options.platform === "string" ? parsePlatform(options.platform) : options.platform;
  if (ref.startsWith(REMOTE_PREFIX)) {
    return openRemoteImage(ref, { platform: explicitPlatform ? platform : undefined, limits, ...(options.registry === undefined ? {} : { registry: options.registry }) });
  }
  const { transport, rest } = splitTransport(ref);
  const cwd = options.cwd ?? process.cwd();
  const { path, selector, kind } = await locate(rest, cwd, ref, transport);
  const anomalies = new AnomalyLog(limits.maxAnomalies);
  const ctx = (t: Transport): ReadContext => ({ ref, transport: t, path, selector, platform, explicitPlatform, limits, anomalies });

  if (kind === "directory") {
    if (transport === "oci-archive") throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ref}: oci-archive: expects a tar file, and ${path} is a directory`);
    const tree = new DirectoryTree(path, ref);
    const chosen = transport ?? (await detectDirectory(tree));
    if (chosen === "dir") return rootfsSource(ctx("dir"));
    return readTree(tree, ctx(chosen));
  }
  if (transport === "dir" || transport === "oci") {
    throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ref}: ${transport}: expects a directory, and ${path} is a file`);
  }
  const archive = await TarArchive.open(path, ref, limits, anomalies);
  try {
    const chosen = transport ?? detectArchive(archive, ref);
    return await readTree(archive, ctx(chosen));
  } catch (e) {
    await archive.close();
    throw e;
  }
}

function splitTransport(ref: string): { transport: Transport | undefined; rest: string } {
  for (const t of TRANSPORTS) {
    if (ref.startsWith(`${t}:`)) return { transport: t, rest: ref.slice(t.length + 1) };
  }
  return { transport: undefined, rest: ref };
}

/** The path and the optional selector after it ("img.tar:app:1.0", "layout:latest"): the longest existing prefix wins. */
async function locate(rest: string, cwd: string, ref: string, transport: Transport | undefined): Promise<{ path: string; selector: string | undefined; kind: "file" | "directory" }> {
  if (rest === "") throw new DrydockError("USAGE", `${ref}: no path given`);
  const candidates: [string, string | undefined][] = [[rest, undefined]];
  if (transport !== "dir") {
    for (let i = rest.lastIndexOf(":"); i > 0; i = rest.lastIndexOf(":", i - 1)) candidates.push([rest.slice(0, i), rest.slice(i + 1)]);
  }
  for (const [p, selector] of candidates) {
    const path = resolve(cwd, p);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isDirectory()) return { path, selector, kind: "directory" };
    if (info.isFile()) return { path, selector, kind: "file" };
    throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ref}: ${path} is neither a regular file nor a directory`);
  }
  // "alpine:3.20", "ghcr.io/org/app@sha256:..." — names a user may expect to pull.
  const looksRemote = transport === undefined && !rest.startsWith("/") && !rest.startsWith(".") && /^[a-z0-9][a-z0-9._/:@-]*$/.test(rest);
  throw new DrydockError("IMAGE_NOT_FOUND", `${ref}: no such file or directory${looksRemote ? " (registry references are not supported yet: save the image with docker save or skopeo copy first)" : ""}`);
}

async function detectDirectory(tree: DirectoryTree): Promise<Transport> {
  if ((await tree.size("oci-layout")) !== undefined) return "oci";
  if ((await tree.size("manifest.json")) !== undefined) return "docker-archive";
  return "dir";
}

function detectArchive(archive: TarArchive, ref: string): Transport {
  // Docker 25+ archives hold both; manifest.json is what `docker load` reads, so it decides.
  if (archive.resolve("manifest.json") !== undefined) return "docker-archive";
  if (archive.resolve("oci-layout") !== undefined) return "oci-archive";
  throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ref}: a tar archive with neither manifest.json (docker save) nor oci-layout (OCI image layout); is it a layer or a root file system? Use dir: on an extracted copy`);
}

async function readTree(tree: FileTree, ctx: ReadContext): Promise<ImageSource> {
  switch (ctx.transport) {
    case "docker-archive":
      return readDockerArchive(tree, ctx);
    case "oci":
    case "oci-archive":
      return readOciLayout(tree, ctx);
    case "dir":
      return rootfsSource(ctx);
    case "docker":
      throw new DrydockError("USAGE", `${ctx.ref}: a registry reference is read with ${REMOTE_PREFIX}, not from a file`);
  }
}

function rootfsSource(ctx: ReadContext): ImageSource {
  return {
    ref: ctx.ref,
    transport: "dir",
    path: ctx.path,
    name: undefined,
    manifest: undefined,
    config: undefined,
    configDigest: undefined,
    platform: undefined,
    layers: [{ kind: "directory", index: 0, path: ctx.path, digest: undefined, size: undefined, diffId: undefined, mediaType: undefined }],
    anomalies: ctx.anomalies.list,
    limits: ctx.limits,
    close: async () => {},
  };
}
