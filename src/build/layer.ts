// Writing a layer blob: the deterministic tar (tar-writer.ts) compressed at a fixed level, both digests computed
// in the same pass, the blob written to a temporary name and renamed to its digest. The gzip header is fixed
// (no name, mtime 0, OS byte 255 as Go's writer — the one BuildKit uses — writes it): zlib builds for other
// systems would otherwise put their own OS code there.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { constants, createGzip, createZstdCompress } from "node:zlib";
import { DrydockError } from "../core/errors.ts";
import { MEDIA } from "../image/media.ts";
import { sortEntries, tarChunks, type LayerEntry } from "./tar-writer.ts";

export type LayerCompression = "gzip" | "zstd" | "none";

export const LAYER_MEDIA_TYPE: Readonly<Record<LayerCompression, string>> = {
  gzip: MEDIA.ociLayerGzip,
  zstd: MEDIA.ociLayerZstd,
  none: MEDIA.ociLayer,
};

/** gzip -n's default level, so sizes and speed compare with `tar | gzip -n`. */
export const GZIP_LEVEL = 6;
export const ZSTD_LEVEL = 3;
const GZIP_OS_BYTE = 9;

export interface LayerBlob {
  /** Digest of the blob as stored (compressed). */
  digest: string;
  /** Digest of the uncompressed tar (config rootfs.diff_ids). */
  diffId: string;
  /** Bytes of the blob. */
  size: number;
  uncompressedSize: number;
  mediaType: string;
  /** The blob's file: `<dir>/<hex of digest>`. */
  path: string;
  /** Entries written (after sorting and removing duplicate paths). */
  entries: number;
}

export interface WriteLayerOptions {
  /** Directory the blob is written into. */
  dir: string;
  compression?: LayerCompression;
}

/** Writes the entries (sorted into walk order here) as one layer blob. */
export async function writeLayer(entries: Iterable<LayerEntry>, options: WriteLayerOptions): Promise<LayerBlob> {
  const compression = options.compression ?? "gzip";
  const sorted = sortEntries(entries);
  await mkdir(options.dir, { recursive: true });
  const temp = join(options.dir, `layer-${randomBytes(6).toString("hex")}.tmp`);
  const diffHash = createHash("sha256");
  const blobHash = createHash("sha256");
  let uncompressedSize = 0;
  let size = 0;
  const tar = async function* (): AsyncGenerator<Uint8Array> {
    for await (const chunk of tarChunks(sorted)) {
      diffHash.update(chunk);
      uncompressedSize += chunk.length;
      yield chunk;
    }
  };
  const counted = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let first = true;
    for await (const raw of source) {
      let chunk = raw;
      if (first && compression === "gzip" && chunk.length > GZIP_OS_BYTE) {
        chunk = Buffer.from(chunk);
        chunk[GZIP_OS_BYTE] = 0xff;
      }
      first = false;
      blobHash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  try {
    const sink = createWriteStream(temp, { highWaterMark: 1 << 20 });
    if (compression === "none") await pipeline(tar, counted, sink);
    else if (compression === "gzip") await pipeline(tar, createGzip({ level: GZIP_LEVEL, chunkSize: 256 << 10 }), counted, sink);
    else {
      const zstd = createZstdCompress({ chunkSize: 256 << 10, params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL, [constants.ZSTD_c_checksumFlag]: 1 } });
      await pipeline(tar, zstd, counted, sink);
    }
    const hex = blobHash.digest("hex");
    const path = join(options.dir, hex);
    await rename(temp, path);
    return {
      digest: `sha256:${hex}`,
      diffId: `sha256:${diffHash.digest("hex")}`,
      size,
      uncompressedSize,
      mediaType: LAYER_MEDIA_TYPE[compression],
      path,
      entries: sorted.length,
    };
  } catch (e) {
    await rm(temp, { force: true });
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("OUTPUT_UNWRITABLE", `${options.dir}: cannot write a layer (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}
