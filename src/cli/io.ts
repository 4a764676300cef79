// File-system edges of the CLI: finding Dockerfiles, reading inputs with bounds, writing reports atomically.
import { lstat, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DrydockError } from "../core/errors.ts";
import type { BuildContextInfo } from "../core/rule.ts";
import { MAX_DOCKERFILE_CHARS } from "../dockerfile/parse.ts";

export const STDIN_NAME = "<stdin>";

/** Directories never searched: dependencies and VCS metadata, not the project's own Dockerfiles. */
const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules", "vendor", ".venv", "__pycache__", ".terraform"]);

/** Whether a file name is a Dockerfile by the usual conventions. */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith(".dockerignore")) return false;
  return lower === "dockerfile" || lower === "containerfile" || lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")
    || lower.startsWith("dockerfile.") || lower.startsWith("containerfile.");
}

/**
 * Expands the paths given on the command line: files as they are, directories searched recursively for
 * Dockerfiles (symlinked directories are not followed, so loops cannot happen), "-" for stdin. Sorted within
 * each directory so output is stable.
 */
export async function findDockerfiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push("-");
      continue;
    }
    const abs = path.resolve(cwd, p);
    // A path that cannot be read is passed on: reading it reports the error beside the other files' results.
    const info = await lstat(abs).catch(() => undefined);
    if (info?.isDirectory() === true) {
      const found: string[] = [];
      await walk(abs, found, 0);
      if (found.length === 0) throw new DrydockError("USAGE", `${p}: no Dockerfile found in this directory`);
      out.push(...found.map((f) => path.relative(cwd, f) || f));
    } else {
      out.push(p);
    }
  }
  return out;
}

async function walk(dir: string, found: string[], depth: number): Promise<void> {
  if (depth > 64) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, found, depth + 1);
    } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name)) {
      found.push(full);
    }
  }
}

/** Largest ignore file read; larger ones are not ignore files anyone wrote by hand. */
const MAX_IGNORE_BYTES = 1024 * 1024;

/**
 * The build context of a Dockerfile read from disk: its directory, with `<name>.dockerignore` beside the
 * Dockerfile taking precedence over `.dockerignore` (BuildKit's rule).
 */
export async function readBuildContext(file: string, cwd: string): Promise<BuildContextInfo> {
  const abs = path.resolve(cwd, file);
  const dir = path.dirname(abs);
  for (const name of [`${path.basename(abs)}.dockerignore`, ".dockerignore"]) {
    const candidate = path.join(dir, name);
    const info = await lstat(candidate).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size > MAX_IGNORE_BYTES) continue;
    const text = await readFile(candidate, "utf8").catch(() => undefined);
    if (text !== undefined) return { dockerignore: { file: path.relative(cwd, candidate) || candidate, text } };
  }
  return { dockerignore: undefined };
}

/** Reads a file (or stdin for "-") as UTF-8, refusing anything larger than a Dockerfile can be. */
export async function readInput(file: string, cwd: string, stdinName: string): Promise<{ file: string; text: string; buildContext?: BuildContextInfo }> {
  if (file === "-") return { file: stdinName, text: await readStdin() };
  const abs = path.resolve(cwd, file);
  let handle;
  try {
    handle = await open(abs, "r");
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${file}: ${errorText(e)}`, { cause: e });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DrydockError("INPUT_UNREADABLE", `${file}: not a regular file`);
    if (info.size > MAX_DOCKERFILE_CHARS) {
      throw new DrydockError("INPUT_TOO_LARGE", `${file}: ${info.size} bytes is larger than any Dockerfile (limit ${MAX_DOCKERFILE_CHARS})`);
    }
    const bytes = await handle.readFile();
    return { file, text: new TextDecoder("utf-8").decode(bytes), buildContext: await readBuildContext(file, cwd) };
  } catch (e) {
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("INPUT_UNREADABLE", `${file}: ${errorText(e)}`, { cause: e });
  } finally {
    await handle.close();
  }
}

/** All of stdin as UTF-8, refusing more than limit bytes. */
export async function readStdin(limit: number = MAX_DOCKERFILE_CHARS): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > limit) throw new DrydockError("INPUT_TOO_LARGE", `stdin: more than ${limit} bytes`);
    chunks.push(b);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

/** Writes next to the target and renames, so a reader never sees half a report. */
export async function writeOutput(file: string, text: string, cwd: string): Promise<void> {
  const abs = path.resolve(cwd, file);
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new DrydockError("INPUT_UNREADABLE", `cannot write ${file}: ${errorText(e)}`, { cause: e });
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error && "code" in e && typeof e.code === "string") {
    if (e.code === "ENOENT") return "no such file or directory";
    if (e.code === "EACCES") return "permission denied";
    if (e.code === "EISDIR") return "is a directory";
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * A regular file of at most maxBytes (an SBOM, a VEX document), read whole; missing, unreadable, not a regular
 * file or too large is an input error naming the file.
 */
export async function readBoundedFile(file: string, cwd: string, maxBytes: number, what: string): Promise<Buffer> {
  try {
    const handle = await open(path.resolve(cwd, file), "r");
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new DrydockError("INPUT_UNREADABLE", `${file}: not a regular file`);
      if (info.size > maxBytes) throw new DrydockError("INPUT_TOO_LARGE", `${file}: ${info.size} bytes is more than the ${maxBytes} a ${what} may have`);
      return await readFile(handle);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof DrydockError) throw e;
    const code = e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : e instanceof Error ? e.message : String(e);
    throw new DrydockError("INPUT_UNREADABLE", `${file}: cannot be read (${why})`, { cause: e });
  }
}

/** A regular file whose first non-blank character (after a BOM) is "{" is a JSON document; image archives are tars. */
export async function startsLikeJson(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch(() => undefined);
  if (handle === undefined) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
    const head = new Uint8Array(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return new TextDecoder("utf-8").decode(head.subarray(0, bytesRead)).replace(/^\uFEFF/, "").trimStart().startsWith("{");
  } finally {
    await handle.close();
  }
}
