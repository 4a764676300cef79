// The build context: a directory read once (names and metadata; contents are read when a layer is written),
// filtered by .dockerignore with Docker's semantics (src/context/dockerignore.ts). What a reproducible build
// takes from a file is its content, its kind and whether it is executable: owners become root, permission bits
// become 0644/0755 (as git checks files out), so umask, owning user and checkout time do not leak into layers.
import type { Stats } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { parseDockerignore, type IgnoreMatcher } from "../context/dockerignore.ts";
import { joinRelative, MapTree, type FileTree, type TreeNode } from "./tree.ts";

export interface ContextOptions {
  /** Normalise permission bits (0644, or 0755 when any execute bit is set; directories 0755). */
  normalizeModes: boolean;
  /** The Dockerfile: `<Dockerfile>.dockerignore` beside it wins over the context's `.dockerignore`. */
  dockerfile?: string;
}

export interface BuildContext extends FileTree {
  readonly root: string;
  /** The ignore file used, if any. */
  readonly ignoreFile: string | undefined;
}

const MAX_IGNORE_BYTES = 1 << 20;
const MAX_DEPTH = 256;

/** Reads the context directory's tree. A missing or unreadable directory is an INPUT_UNREADABLE error. */
export async function readContext(dir: string, options: ContextOptions): Promise<BuildContext> {
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new DrydockError("INPUT_UNREADABLE", `${dir}: the build context must be a directory`);
  const ignore = await readIgnore(dir, options.dockerfile);
  const tree = new MapTree("build context");
  await walk(dir, "", ignore?.matcher, tree, options, 0);
  return Object.assign(tree, { root: dir, ignoreFile: ignore?.file }) as MapTree & BuildContext;
}

async function readIgnore(dir: string, dockerfile: string | undefined): Promise<{ file: string; matcher: IgnoreMatcher } | undefined> {
  const candidates = dockerfile === undefined ? [] : [join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`)];
  candidates.push(join(dir, ".dockerignore"));
  for (const file of candidates) {
    const info = await lstat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    if (info.size > MAX_IGNORE_BYTES) throw new DrydockError("INPUT_TOO_LARGE", `${file}: larger than ${MAX_IGNORE_BYTES} bytes`);
    return { file, matcher: parseDockerignore(await readFile(file, "utf8"), file) };
  }
  return undefined;
}

function excluded(matcher: IgnoreMatcher | undefined, path: string): boolean {
  if (matcher === undefined) return false;
  const m = matcher.matchesOrParentMatches(path);
  if (m === undefined) throw new DrydockError("DOCKERIGNORE_INVALID", `a .dockerignore pattern cannot be matched against ${JSON.stringify(path)}`);
  return m;
}

async function walk(abs: string, rel: string, matcher: IgnoreMatcher | undefined, tree: MapTree, options: ContextOptions, depth: number): Promise<boolean> {
  if (depth > MAX_DEPTH) throw new DrydockError("INPUT_UNREADABLE", `${abs}: directories nested more than ${MAX_DEPTH} deep`);
  let names: string[];
  try {
    names = await readdir(abs);
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${abs}: cannot list the directory (${codeOf(e)})`, { cause: e });
  }
  names.sort();
  const stats = await Promise.all(names.map(async (name) => {
    const full = join(abs, name);
    try {
      return { name, full, info: await lstat(full) };
    } catch (e) {
      throw new DrydockError("INPUT_UNREADABLE", `${full}: cannot read (${codeOf(e)})`, { cause: e });
    }
  }));
  let any = false;
  for (const { name, full, info } of stats) {
    const path = joinRelative(rel, name);
    const isExcluded = excluded(matcher, path);
    if (info.isDirectory()) {
      // An excluded directory is still entered when a `!` pattern may bring something inside it back.
      if (isExcluded && matcher?.hasExclusions !== true) continue;
      tree.set(path, nodeOf(info, "dir", "", undefined, options));
      const kept = await walk(full, path, matcher, tree, options, depth + 1);
      if (isExcluded && !kept) tree.remove(path);
      else any = true;
      continue;
    }
    if (isExcluded) continue;
    if (info.isFile()) tree.set(path, nodeOf(info, "file", "", full, options));
    else if (info.isSymbolicLink()) {
      tree.set(path, nodeOf(info, "symlink", await readlink(full), undefined, options));
    } else continue; // sockets, fifos and devices are not sent by BuildKit's context transfer either
    any = true;
  }
  return any;
}

function nodeOf(info: Stats, kind: "file" | "dir" | "symlink", linkname: string, path: string | undefined, options: ContextOptions): TreeNode {
  let mode = info.mode & 0o7777;
  if (options.normalizeModes) {
    if (kind === "dir") mode = 0o755;
    else if (kind === "symlink") mode = 0o777;
    else mode = (mode & 0o111) !== 0 ? 0o755 : 0o644;
  }
  const node: TreeNode = {
    kind,
    mode,
    uid: 0,
    gid: 0,
    mtime: Math.floor(info.mtimeMs / 1000),
    size: kind === "file" ? info.size : 0,
    linkname,
  };
  if (path !== undefined) node.content = { kind: "path", path };
  return node;
}

function codeOf(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String(e.code) : "error";
}
