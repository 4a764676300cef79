// A content-addressed download cache: files named by their SHA-256 (~/.cache/drydock/debs/<hex>). A file is
// re-hashed when read, so a corrupted or edited cache entry is dropped and fetched again, never used.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "./apt.ts";

export interface ContentCache {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
}

/** $XDG_CACHE_HOME/drydock/<kind>, else ~/.cache/drydock/<kind>. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>, kind: "debs" | "indexes"): string {
  const xdg = env["XDG_CACHE_HOME"];
  const root = xdg !== undefined && xdg !== "" ? xdg : join(env["HOME"] ?? homedir(), ".cache");
  return join(root, "drydock", kind);
}

export function directoryCache(dir: string): ContentCache {
  return {
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      const file = join(dir, sha256);
      const bytes = await readFile(file).catch(() => undefined);
      if (bytes === undefined) return undefined;
      if (sha256Hex(bytes) === sha256) return bytes;
      await rm(file, { force: true });
      return undefined;
    },
    async put(sha256, bytes) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return;
      // A cache that cannot be written only costs a download next time.
      try {
        await mkdir(dir, { recursive: true });
        const temp = join(dir, `.${sha256}.${randomBytes(4).toString("hex")}.tmp`);
        await writeFile(temp, bytes);
        await rename(temp, join(dir, sha256));
      } catch {
        return;
      }
    },
  };
}
