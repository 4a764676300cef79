// Real images built by code for the registry tests: gzip'd tar layers (tar-stream + zlib), an OCI config with
// the right diff_ids, OCI manifests and indexes, written as OCI layouts.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface BuiltImage {
  manifest: Blob;
  config: Blob;
  layers: Blob[];
  platform: { os: string; architecture: string; variant?: string };
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function blobOf(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

export async function tarOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) {
    const body = typeof content === "string" ? Buffer.from(content) : content;
    p.entry({ name, size: body.length, mode: 0o644, mtime: new Date(1_700_000_000_000), uid: 0, gid: 0 }, body);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** An image whose layers hold the given files (one record per layer). */
export async function buildImage(layers: Record<string, string | Buffer>[], platform: BuiltImage["platform"] = { os: "linux", architecture: "amd64" }): Promise<BuiltImage> {
  const tars = await Promise.all(layers.map((files) => tarOf(files)));
  const layerBlobs = tars.map((t) => blobOf(OCI_LAYER_GZIP, gzipSync(t, { level: 1 })));
  const config = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    config: { Cmd: ["/bin/sh"], Env: ["PATH=/usr/bin:/bin"] },
    rootfs: { type: "layers", diff_ids: tars.map(sha256) },
    history: tars.map(() => ({ created_by: "drydock test" })),
  };
  const configBlob = blobOf(OCI_CONFIG, Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configBlob.digest, size: configBlob.size },
    layers: layerBlobs.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  return { manifest: blobOf(OCI_MANIFEST, Buffer.from(JSON.stringify(manifest))), config: configBlob, layers: layerBlobs, platform };
}

export function buildIndex(images: readonly BuiltImage[]): Blob {
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map((im) => ({ mediaType: OCI_MANIFEST, digest: im.manifest.digest, size: im.manifest.size, platform: im.platform })),
  };
  return blobOf(OCI_INDEX, Buffer.from(JSON.stringify(index)));
}

/** Writes an OCI layout whose index.json names `root` (tagged `tag`), with every blob given. */
export function writeLayout(dir: string, root: Blob, blobs: readonly Blob[], tag: string | undefined): void {
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  for (const b of [root, ...blobs]) writeFileSync(join(dir, "blobs", "sha256", b.digest.slice(7)), b.bytes);
  const entry = { mediaType: root.mediaType, digest: root.digest, size: root.size, ...(tag === undefined ? {} : { annotations: { "org.opencontainers.image.ref.name": tag } }) };
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }));
}

export function imageBlobs(image: BuiltImage): Blob[] {
  return [image.manifest, image.config, ...image.layers];
}

/** The digests of every blob file in a layout, checked against their content. */
export function layoutBlobDigests(dir: string): string[] {
  const base = join(dir, "blobs", "sha256");
  return readdirSync(base).map((hex) => {
    const digest = sha256(readFileSync(join(base, hex)));
    if (digest !== `sha256:${hex}`) throw new Error(`blob ${hex} has digest ${digest}`);
    return digest;
  }).sort();
}

export function readIndex(dir: string): { manifests: { digest: string; mediaType: string; size: number; annotations?: Record<string, string> }[] } {
  return JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: { digest: string; mediaType: string; size: number; annotations?: Record<string, string> }[] };
}

/** Deterministic filler that gzip cannot shrink much: bytes from a counter hashed. */
export function noise(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let offset = 0;
  for (let i = 0; offset < size; i++) {
    const h = createHash("sha256").update(`${seed}:${i}`).digest();
    offset += h.copy(out, offset);
  }
  return out;
}
