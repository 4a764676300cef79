// COPY (and ADD's local part) as BuildKit does it: sources are cleaned paths in the source tree (wildcards
// with Go's filepath.Match per component), a directory source copies its contents, a file source goes into the
// destination when that ends with "/" or is a directory already, several sources need a directory destination,
// relative destinations are under WORKDIR, the source path itself is followed when it is a symlink while
// symlinks inside a copied directory stay symlinks. Parent directories of everything written are part of the
// layer: existing ones with their metadata, missing ones made root:root 0755 (or owned as --chown says).
import { parseDockerignore, type IgnoreMatcher } from "../context/dockerignore.ts";
import type { LayerEntry } from "./tar-writer.ts";
import { applyChmod, type ModeChange } from "./perms.ts";
import { baseNameOf, cleanRelative, descendants, joinRelative, parentPath, resolvePath, type FileTree, type TreeNode } from "./tree.ts";

export interface CopySpec {
  /** Source words after expansion. */
  sources: readonly string[];
  /** Destination word after expansion. */
  dest: string;
  /** The stage's WORKDIR (absolute). */
  workdir: string;
  from: FileTree;
  /** The stage's file system so far; undefined for --link (the layer is made on an empty tree). */
  target: FileTree | undefined;
  chmod: ModeChange | undefined;
  chown: { uid: number; gid: number } | undefined;
  exclude: readonly string[];
  parents: boolean;
  /** Clamps a source mtime (SOURCE_DATE_EPOCH); returns it unchanged when not reproducible. */
  clamp: (mtime: number) => number;
  /** The mtime of directories the copy changes or makes. */
  now: number;
}

export interface CopiedFile {
  /** Path in the source tree. */
  source: string;
  /** Path in the image. */
  dest: string;
  node: TreeNode;
}

export interface CopyPlan {
  entries: LayerEntry[];
  /** Regular files copied (ADD looks at them for archives). */
  files: CopiedFile[];
  /** The destination directory (for ADD's archive extraction), relative. */
  destDir: string;
  destIsDir: boolean;
}

/** Why a copy cannot be made: the caller adds the instruction's line. */
export class CopyError extends Error {
  override readonly name = "CopyError";
}

const WILDCARD = /[*?[\\]/;

export function planCopy(spec: CopySpec): CopyPlan {
  const rawDest = spec.dest.startsWith("/") ? spec.dest : `${spec.workdir.replace(/\/+$/, "")}/${spec.dest}`;
  const endsLikeDir = spec.dest.endsWith("/") || spec.dest === "." || spec.dest.endsWith("/.") || spec.dest === "";
  const target = spec.target;
  let dest = cleanRelative(rawDest);
  if (target !== undefined) dest = resolvePath(target, dest, true) ?? dest;
  const destExistsAsDir = target?.get(dest)?.kind === "dir";
  if (spec.sources.length > 1 && !endsLikeDir && !destExistsAsDir) {
    throw new CopyError("when using COPY with more than one source file, the destination must be a directory and end with a /");
  }
  const matched: { path: string; pivot: string }[] = [];
  for (const raw of spec.sources) {
    const { path: pattern, pivot } = splitPivot(raw);
    const found = WILDCARD.test(pattern) ? glob(spec.from, pattern) : [pattern];
    if (found.length === 0) throw new CopyError(`no source files were specified by ${JSON.stringify(raw)}: nothing in the ${spec.from.description} matches`);
    for (const path of found) {
      if (spec.from.get(path) === undefined && resolvePath(spec.from, path, true) === undefined) throw notFound(spec.from, raw);
      matched.push({ path, pivot });
    }
  }
  const destIsDir = endsLikeDir || destExistsAsDir || matched.length > 1 || spec.sources.length > 1;
  const exclude = spec.exclude.length === 0 ? undefined : parseDockerignore(spec.exclude.join("\n"), "--exclude");
  const out = new Map<string, LayerEntry>();
  const files: CopiedFile[] = [];
  const owner = (node: TreeNode): { uid: number; gid: number } => spec.chown ?? { uid: node.uid, gid: node.gid };

  const put = (destPath: string, node: TreeNode, sourcePath: string): void => {
    const o = owner(node);
    const mode = spec.chmod !== undefined && node.kind !== "symlink" ? applyChmod(spec.chmod, node.mode, node.kind === "dir") : node.mode;
    const entry: LayerEntry = {
      path: destPath,
      kind: node.kind === "hardlink" ? "file" : node.kind,
      mode,
      uid: o.uid,
      gid: o.gid,
      mtime: spec.clamp(node.mtime),
      size: node.kind === "file" || node.kind === "hardlink" ? node.size : 0,
    };
    if (node.kind === "symlink") entry.linkname = node.linkname;
    if (node.content !== undefined && entry.kind === "file") entry.content = node.content;
    if (node.xattrs !== undefined) entry.xattrs = node.xattrs;
    out.set(destPath, entry);
    if (entry.kind === "file") files.push({ source: sourcePath, dest: destPath, node });
  };

  for (const { path, pivot } of matched) {
    // The source path itself is followed; what lies inside a copied directory is not.
    const real = resolvePath(spec.from, path, true);
    const node = real === undefined ? undefined : spec.from.get(real);
    if (real === undefined || node === undefined) throw notFound(spec.from, path);
    const kept = spec.parents ? relativeTo(path, pivot) : "";
    if (node.kind === "dir") {
      const base = spec.parents ? joinRelative(dest, kept) : dest;
      if (base !== "" && (target?.get(base) === undefined || spec.parents)) put(base, node, real);
      for (const child of descendants(spec.from, real)) {
        const rel = child.slice(real === "" ? 0 : real.length + 1);
        if (isExcluded(exclude, rel)) continue;
        const childNode = spec.from.get(child);
        if (childNode !== undefined) put(joinRelative(base, rel), childNode, child);
      }
    } else {
      if (isExcluded(exclude, baseNameOf(path)) || isExcluded(exclude, path)) continue;
      const to = spec.parents ? joinRelative(dest, kept) : destIsDir ? joinRelative(dest, baseNameOf(path)) : dest;
      if (to === "") throw new CopyError(`cannot copy the file ${path} over the root directory`);
      put(to, node, real);
    }
  }
  addParents(out, spec, dest);
  return { entries: [...out.values()], files, destDir: dest, destIsDir };
}

/** Parent directories of every entry: existing ones keep their metadata, new ones are made 0755. */
function addParents(out: Map<string, LayerEntry>, spec: CopySpec, dest: string): void {
  const owner = spec.chown ?? { uid: 0, gid: 0 };
  const paths = [...out.keys()];
  if (destIsCreated(spec, dest)) paths.push(joinRelative(dest, "x"));
  for (const p of paths) {
    for (let dir = parentPath(p); dir !== "" && !out.has(dir); dir = parentPath(dir)) {
      const existing = spec.target?.get(dir);
      out.set(dir, existing?.kind === "dir"
        ? { path: dir, kind: "dir", mode: existing.mode, uid: existing.uid, gid: existing.gid, mtime: spec.now, size: 0 }
        : { path: dir, kind: "dir", mode: 0o755, uid: owner.uid, gid: owner.gid, mtime: spec.now, size: 0 });
    }
  }
}

/** A destination directory that nothing was copied into is still made (COPY of an empty directory). */
function destIsCreated(spec: CopySpec, dest: string): boolean {
  return dest !== "" && spec.target?.get(dest) === undefined && spec.dest.endsWith("/");
}

function isExcluded(matcher: IgnoreMatcher | undefined, rel: string): boolean {
  return matcher?.matchesOrParentMatches(rel) === true;
}

/** `--parents` keeps the path below a `/./` pivot (or the whole path). */
function splitPivot(raw: string): { path: string; pivot: string } {
  const i = raw.indexOf("/./");
  const path = cleanRelative(raw);
  if (i < 0) return { path, pivot: "" };
  return { path, pivot: cleanRelative(raw.slice(0, i)) };
}

function relativeTo(path: string, pivot: string): string {
  if (pivot === "") return path;
  return path === pivot ? "" : path.startsWith(`${pivot}/`) ? path.slice(pivot.length + 1) : path;
}

function notFound(tree: FileTree, path: string): CopyError {
  const what = tree.description === "build context" ? "file not found in build context or excluded by .dockerignore" : `file not found in ${tree.description}`;
  return new CopyError(`${what}: stat ${path}: file does not exist`);
}

/** Paths matching a pattern, one Go filepath.Match per component, sorted. */
export function glob(tree: FileTree, pattern: string): string[] {
  const parts = cleanRelative(pattern).split("/").filter((p) => p !== "");
  let current = [""];
  for (const part of parts) {
    const next: string[] = [];
    const re = WILDCARD.test(part) ? componentRegex(part) : undefined;
    for (const dir of current) {
      const real = resolvePath(tree, dir, true) ?? dir;
      if (re === undefined) {
        const p = joinRelative(dir, part);
        if (tree.get(joinRelative(real, part)) !== undefined) next.push(p);
        continue;
      }
      for (const name of tree.children(real)) if (re.test(name)) next.push(joinRelative(dir, name));
    }
    current = next;
  }
  return current.filter((p) => p !== "");
}

/** Go's filepath.Match for one component: `*`, `?`, `[...]` classes (`^` negates), `\` escapes. */
export function componentRegex(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i] as string);
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) throw new CopyError(`bad pattern ${JSON.stringify(pattern)}: unterminated [`);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      re += `[${negate ? "^" : ""}${body.replace(/[\]\\]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`, "u");
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
