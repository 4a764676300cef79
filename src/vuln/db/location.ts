// Where the database lives by default: the user's cache directory, as each platform defines it.
import { homedir } from "node:os";
import { join } from "node:path";

export const DB_FILE_NAME = "vulnerabilities.db";

/** $DRYDOCK_DB, else $XDG_CACHE_HOME/drydock (Linux), ~/Library/Caches/drydock (macOS), %LOCALAPPDATA%\drydock\cache (Windows). */
export function defaultDbPath(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const explicit = env.DRYDOCK_DB;
  if (explicit !== undefined && explicit !== "") return explicit;
  return join(cacheDir(env, platform, home), DB_FILE_NAME);
}

export function cacheDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "drydock", "cache");
  if (platform === "darwin") return join(home, "Library", "Caches", "drydock");
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg.startsWith("/") ? xdg : join(home, ".cache"), "drydock");
}
