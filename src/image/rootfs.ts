// A root file system directory read as one layer: lstat only (symlinks are never followed), content heads read
// from regular files only (opening a fifo or device could block or never end), hardlinks found by inode. Whole
// contents are streamed in fixed-size chunks of one reused buffer when a consumer asked for them.
import { constants } from "node:fs";
import { lstat, open, readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { joinPath } from "./paths.ts";
import { STREAM_CONTENT } from "./tar.ts";
import type { Dispatcher, EntryKind, LayerEntry, WalkedLayer } from "./walk.ts";

/** Read size when streaming a whole file: large enough for few syscalls, small enough to stay in cache. */
const STREAM_CHUNK = 256 * 1024;

export async function walkRootfs(
  root: string,
  index: number,
  dispatcher: Dispatcher,
  headBuffer: Uint8Array,
  skipDirectoryNames?: ReadonlySet<string>,
): Promise<WalkedLayer> {
  let streamBuffer: Uint8Array | undefined;
  const firstPath = new Map<string, string>();
  let bytes = 0;
  // Depth-first, parents before children, names sorted: the order a tar of the tree would have.
  const stack: string[] = [""];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const full = rel === "" ? root : join(root, rel);
    // The root itself may be reached through a symlink the user named; nothing below it is followed.
    const info = await (rel === "" ? stat(full) : lstat(full)).catch(() => undefined);
    if (info === undefined) continue; // vanished while we walked
    let kind: EntryKind | undefined;
    let linkname = "";
    if (info.isDirectory()) kind = "dir";
    else if (info.isSymbolicLink()) {
      kind = "symlink";
      linkname = await readlink(full).catch(() => "");
    } else if (info.isFile()) {
      kind = "file";
      if (info.nlink > 1) {
        const key = `${info.dev}:${info.ino}`;
        const first = firstPath.get(key);
        if (first === undefined) firstPath.set(key, rel);
        else [kind, linkname] = ["hardlink", first];
      }
    } else if (info.isCharacterDevice()) kind = "char-device";
    else if (info.isBlockDevice()) kind = "block-device";
    else if (info.isFIFO()) kind = "fifo";
    if (kind === undefined) continue; // sockets: tar has no type for them
    const size = kind === "file" ? info.size : 0;
    bytes += size;
    const entry: LayerEntry = {
      layer: index,
      layerDigest: "",
      kind,
      path: rel,
      mode: info.mode & 0o7777,
      uid: info.uid,
      gid: info.gid,
      size,
      linkname,
      mtime: Math.floor(info.mtimeMs / 1000),
    };
    const wanted = dispatcher.offer(entry);
    if (wanted === STREAM_CONTENT) {
      streamBuffer ??= new Uint8Array(STREAM_CHUNK);
      await streamFile(full, size, streamBuffer, dispatcher);
    } else if (wanted > 0) {
      dispatcher.content(await readHead(full, Math.min(wanted, headBuffer.length), headBuffer));
    }
    if (kind === "dir" && (rel === "" || skipDirectoryNames === undefined || !skipDirectoryNames.has(name(rel)))) {
      const names = await readdir(full).catch((e: unknown) => {
        if (rel === "") throw new DrydockError("INPUT_UNREADABLE", `${dispatcher.where}: cannot list ${root}`, { cause: e });
        return [] as string[];
      });
      names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)); // reversed: the stack pops the smallest first
      for (const name of names) stack.push(joinPath(rel, name));
    }
  }
  return { index, digest: undefined, diffId: undefined, compression: undefined, compressedBytes: 0, uncompressedBytes: bytes, entries: 0 };
}

function name(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

/**
 * A regular file's content to the dispatcher's stream, at most `size` bytes (the size its entry announced: a file
 * growing while we read is cut there), stopping early when no sink wants more. Always ends the stream.
 */
async function streamFile(file: string, size: number, buffer: Uint8Array, dispatcher: Dispatcher): Promise<void> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  try {
    let done = 0;
    while (handle !== undefined && done < size && dispatcher.streamWantsMore) {
      // Unreadable midway (removed, I/O error): the sinks get what was read.
      const bytesRead = await handle.read(buffer, 0, Math.min(buffer.length, size - done), done).then((r) => r.bytesRead, () => 0);
      if (bytesRead === 0) break;
      done += bytesRead;
      dispatcher.data(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle?.close();
    dispatcher.dataEnd();
  }
}

/** Up to n bytes from the start of a regular file; O_NOFOLLOW and O_NONBLOCK guard against a swap to a link or fifo. */
async function readHead(file: string, n: number, buffer: Uint8Array): Promise<Uint8Array> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (handle === undefined) return buffer.subarray(0, 0);
  try {
    let done = 0;
    while (done < n) {
      const { bytesRead } = await handle.read(buffer, done, n - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  } catch {
    return buffer.subarray(0, 0);
  } finally {
    await handle.close();
  }
}
