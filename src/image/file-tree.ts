// The files an image is stored in — a directory or an indexed tar archive — behind one small interface, so the
// OCI layout and docker-archive readers work on either.
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileHandle } from "node:fs/promises";
import { DrydockError } from "../core/errors.ts";

export interface FileTree {
  /** The directory or archive, as the user named it: for messages. */
  readonly name: string;
  /** The size of the regular file at path (links resolved), or undefined when there is none. */
  size(path: string): Promise<number | undefined>;
  /** A whole file, or undefined when absent; one larger than maxBytes is IMAGE_TOO_LARGE, never read. */
  read(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** The file's bytes, in chunks each valid only until the next one is asked for (one buffer is reused). */
  open(path: string): Promise<AsyncIterable<Uint8Array>>;
  close(): Promise<void>;
}

/** O_NONBLOCK: a fifo where a file should be must not block the open forever; regular files ignore the flag. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Read chunks this large: fewer, larger reads stream a multi-GB layer faster. */
export const READ_CHUNK = 1024 * 1024;

export class DirectoryTree implements FileTree {
  readonly name: string;
  readonly root: string;

  constructor(root: string, name: string) {
    this.root = root;
    this.name = name;
  }

  async size(path: string): Promise<number | undefined> {
    const info = await stat(join(this.root, path)).catch(() => undefined);
    return info?.isFile() === true ? info.size : undefined;
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const handle = await open(join(this.root, path), OPEN_FLAGS).catch(() => undefined);
    if (handle === undefined) return undefined;
    try {
      const info = await handle.stat();
      if (!info.isFile()) return undefined;
      if (info.size > maxBytes) {
        throw new DrydockError("IMAGE_TOO_LARGE", `${this.name}: ${path} is ${info.size} bytes (limit ${maxBytes} for a JSON document)`);
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async open(path: string): Promise<AsyncIterable<Uint8Array>> {
    // Open first so a missing file is an error here, not in the middle of the walk.
    const handle = await open(join(this.root, path), OPEN_FLAGS);
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new DrydockError("BLOB_MISSING", `${this.name}: ${path} is not a regular file`);
    }
    return readRange(handle, 0, info.size, true);
  }

  async close(): Promise<void> {}
}

/**
 * Reads [start, start+length) of a file into one reused buffer: a layer streams through a fixed megabyte
 * instead of leaving a megabyte of garbage per read for the collector. The consumer must be done with a chunk
 * before it asks for the next (the walker's writes resolve only once zlib has consumed their input).
 */
export async function* readRange(handle: FileHandle, start: number, length: number, closeAfter: boolean): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(Math.min(READ_CHUNK, Math.max(length, 1)));
  let done = 0;
  try {
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - done), start + done);
      if (bytesRead === 0) return; // the file shrank: the digest check reports it
      done += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    if (closeAfter) await handle.close();
  }
}
