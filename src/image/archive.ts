// An outer tar archive (docker save, oci-archive) indexed once by offsets: headers are read, data is jumped
// over, and each member is later streamed straight from its offset. Nothing is extracted.
import { open, type FileHandle } from "node:fs/promises";
import { DrydockError } from "../core/errors.ts";
import { AnomalyLog } from "./anomaly.ts";
import { readRange, type FileTree } from "./file-tree.ts";
import type { ImageLimits } from "./limits.ts";
import { normalizePath, parentOf } from "./paths.ts";
import { TarParser, type TarEntryType } from "./tar.ts";

export interface ArchiveMember {
  path: string;
  type: TarEntryType;
  linkname: string;
  dataOffset: number;
  size: number;
}

/** Links are followed at most this many times (Linux's ELOOP bound). */
const MAX_LINK_HOPS = 40;
const INDEX_WINDOW = 64 * 1024;

export class TarArchive implements FileTree {
  readonly name: string;
  readonly members: ReadonlyMap<string, ArchiveMember>;
  readonly #handle: FileHandle;

  private constructor(name: string, handle: FileHandle, members: Map<string, ArchiveMember>) {
    this.name = name;
    this.#handle = handle;
    this.members = members;
  }

  /** Indexes the archive at file; a file that is not a tar at all is IMAGE_FORMAT_UNKNOWN. */
  static async open(file: string, name: string, limits: ImageLimits, anomalies: AnomalyLog): Promise<TarArchive> {
    const handle = await open(file, "r");
    try {
      const members = await indexArchive(handle, name, limits, anomalies);
      return new TarArchive(name, handle, members);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** The member a path names after following symlinks and hardlinks inside the archive. */
  resolve(path: string): ArchiveMember | undefined {
    let current = normalizePath(path).path;
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      const m = this.members.get(current);
      if (m === undefined) return undefined;
      if (m.type === "file") return m;
      if (m.type === "hardlink") {
        current = normalizePath(m.linkname).path;
      } else if (m.type === "symlink") {
        const target = m.linkname.startsWith("/") ? m.linkname : `${parentOf(m.path)}/${m.linkname}`;
        const n = normalizePath(target);
        if (n.escapes) return undefined;
        current = n.path;
      } else {
        return undefined;
      }
    }
    throw new DrydockError("TAR_LINK_LOOP", `${this.name}: links starting at "${path}" do not end after ${MAX_LINK_HOPS} hops`);
  }

  async size(path: string): Promise<number | undefined> {
    return this.resolve(path)?.size;
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const m = this.resolve(path);
    if (m === undefined) return undefined;
    if (m.size > maxBytes) {
      throw new DrydockError("IMAGE_TOO_LARGE", `${this.name}: ${path} is ${m.size} bytes (limit ${maxBytes} for a JSON document)`);
    }
    const buf = new Uint8Array(m.size);
    let done = 0;
    while (done < m.size) {
      const { bytesRead } = await this.#handle.read(buf, done, m.size - done, m.dataOffset + done);
      if (bytesRead === 0) throw new DrydockError("TAR_TRUNCATED", `${this.name}: the archive ends inside ${path}`);
      done += bytesRead;
    }
    return buf;
  }

  async open(path: string): Promise<AsyncIterable<Uint8Array>> {
    const m = this.resolve(path);
    if (m === undefined) throw new DrydockError("BLOB_MISSING", `${this.name}: no file ${path} in the archive`);
    return readRange(this.#handle, m.dataOffset, m.size, false);
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

async function indexArchive(handle: FileHandle, name: string, limits: ImageLimits, anomalies: AnomalyLog): Promise<Map<string, ArchiveMember>> {
  const members = new Map<string, ArchiveMember>();
  let sawEntry = false;
  const { size: fileSize } = await handle.stat();
  const parser = new TarParser(
    {
      entry(h) {
        sawEntry = true;
        if (members.size >= limits.maxArchiveEntries) {
          throw new DrydockError("IMAGE_TOO_LARGE", `${name}: more than ${limits.maxArchiveEntries} entries in the archive`);
        }
        const n = normalizePath(h.name);
        if (n.escapes || n.path === "") return 0;
        if (members.has(n.path) && h.type !== "dir") {
          anomalies.add({ code: "ARCHIVE_DUPLICATE_ENTRY", message: `${name}: "${n.path}" appears twice in the archive; the later one is used`, path: n.path });
        }
        members.set(n.path, { path: n.path, type: h.type, linkname: h.linkname, dataOffset: h.dataOffset, size: h.size });
        return 0;
      },
      content() {},
      anomaly(code, message, path) {
        anomalies.add(path === undefined ? { code, message } : { code, message, path });
      },
    },
    { where: name, maxMetadataBytes: limits.maxTarMetadataBytes, headBuffer: new Uint8Array(0) },
  );
  const window = new Uint8Array(INDEX_WINDOW);
  try {
    while (!parser.ended) {
      const jump = parser.skippable();
      if (jump > 0) {
        if (parser.offset + jump > fileSize) {
          throw new DrydockError("TAR_TRUNCATED", `${name}: the archive ends inside a member (${parser.offset + jump - fileSize} bytes missing)`);
        }
        parser.skip(jump);
        continue;
      }
      const { bytesRead } = await handle.read(window, 0, INDEX_WINDOW, parser.offset);
      if (bytesRead === 0) break;
      parser.write(window.subarray(0, bytesRead));
    }
    parser.end();
  } catch (e) {
    // Not even one good header: this is not a tar, rather than a broken one.
    if (!sawEntry && e instanceof DrydockError && (e.code === "TAR_HEADER_INVALID" || e.code === "TAR_TRUNCATED")) {
      const { bytesRead } = await handle.read(window, 0, 4, 0);
      throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${name} is neither a tar archive nor an OCI layout directory${compressionHint(window.subarray(0, bytesRead))}`, { cause: e });
    }
    throw e;
  }
  return members;
}

function compressionHint(head: Uint8Array): string {
  if (head[0] === 0x1f && head[1] === 0x8b) return "; it is gzip-compressed: decompress it first (gunzip), as archives are read by offset";
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return "; it is zstd-compressed: decompress it first (zstd -d)";
  return "";
}
