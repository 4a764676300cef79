// A file tree COPY reads from or writes into: the build context, an earlier stage's file system, an image's.
// Paths are relative, "/"-separated and cleaned ("" is the root); lookups never follow symlinks (resolve() does,
// inside the tree, the way a chroot would).
import type { Content } from "./tar-writer.ts";

export type NodeKind = "file" | "dir" | "symlink" | "hardlink";

export interface TreeNode {
  kind: NodeKind;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  size: number;
  /** Symlink target as stored; hardlink target path (relative). "" otherwise. */
  linkname: string;
  /** A file's bytes (hardlinks: those of their target). */
  content?: Content;
  xattrs?: ReadonlyMap<string, Uint8Array>;
}

export interface FileTree {
  /** "build context", "stage builder", "image alpine:3.20": for messages. */
  readonly description: string;
  get(path: string): TreeNode | undefined;
  /** Names of a directory's entries, sorted; [] for anything that is not a directory. */
  children(path: string): string[];
}

const MAX_LINKS = 40;

/** Go's path.Clean, made relative to the root: ".." cannot climb above it. */
export function cleanRelative(p: string): string {
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinRelative(dir: string, name: string): string {
  return dir === "" ? name : name === "" ? dir : `${dir}/${name}`;
}

/**
 * The path with every symlink on it followed inside the tree (the last component too when followLast), as a
 * chroot resolves it; undefined when a link loop or a too-long chain is met.
 */
export function resolvePath(tree: FileTree, path: string, followLast: boolean): string | undefined {
  let pending = cleanRelative(path).split("/").filter((s) => s !== "");
  let resolved = "";
  let links = 0;
  while (pending.length > 0) {
    const seg = pending[0] as string;
    pending = pending.slice(1);
    const candidate = joinRelative(resolved, seg);
    const node = tree.get(candidate);
    if (node?.kind === "symlink" && (pending.length > 0 || followLast)) {
      if (++links > MAX_LINKS) return undefined;
      const target = node.linkname;
      const base = target.startsWith("/") ? "" : resolved;
      pending = [...cleanRelative(joinRelative(base, target)).split("/").filter((s) => s !== ""), ...pending];
      resolved = "";
      continue;
    }
    resolved = candidate;
  }
  return resolved;
}

/** Every path under a directory (not the directory itself), parents before children, each level sorted. */
export function* descendants(tree: FileTree, dir: string): Generator<string> {
  for (const name of tree.children(dir)) {
    const path = joinRelative(dir, name);
    yield path;
    if (tree.get(path)?.kind === "dir") yield* descendants(tree, path);
  }
}

/** A tree held in a map, with a children index; what stages and images are read into. */
export class MapTree implements FileTree {
  readonly description: string;
  private readonly nodes = new Map<string, TreeNode>();
  private readonly kids = new Map<string, Set<string>>();

  constructor(description: string) {
    this.description = description;
    this.nodes.set("", { kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0, linkname: "" });
  }

  get(path: string): TreeNode | undefined {
    return this.nodes.get(path);
  }

  children(path: string): string[] {
    const set = this.kids.get(path);
    return set === undefined ? [] : [...set].sort(compareNames);
  }

  /** Sets a node; missing parents are made as root-owned 0755 directories. Replacing a dir by a non-dir drops its subtree. */
  set(path: string, node: TreeNode): void {
    if (path === "") {
      this.nodes.set("", node);
      return;
    }
    const old = this.nodes.get(path);
    if (old?.kind === "dir" && node.kind !== "dir") this.remove(path);
    const parent = parentPath(path);
    const p = this.nodes.get(parent);
    if (p === undefined || p.kind !== "dir") this.set(parent, { kind: "dir", mode: 0o755, uid: 0, gid: 0, mtime: node.mtime, size: 0, linkname: "" });
    this.nodes.set(path, node);
    let set = this.kids.get(parent);
    if (set === undefined) {
      set = new Set();
      this.kids.set(parent, set);
    }
    set.add(baseNameOf(path));
  }

  /** Removes a path and everything under it. */
  remove(path: string): void {
    for (const name of this.children(path)) this.remove(joinRelative(path, name));
    this.kids.delete(path);
    if (path === "") return;
    this.nodes.delete(path);
    this.kids.get(parentPath(path))?.delete(baseNameOf(path));
  }

  /** Removes what is under a directory, keeping the directory (an opaque whiteout). */
  clear(path: string): void {
    for (const name of this.children(path)) this.remove(joinRelative(path, name));
  }

  get size(): number {
    return this.nodes.size;
  }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
