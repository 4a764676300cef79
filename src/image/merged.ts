// The merged file system view: what a container would see after applying the layers in order, with every
// version of every path kept as history — a file added in layer 3 and whited out in layer 5 is not visible, but
// its history says where it still is. Built from entry headers alone (it never asks for content).
import { AnomalyLog, type Anomaly } from "./anomaly.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { normalizePath, parentOf } from "./paths.ts";
import type { EntryConsumer, EntryKind, LayerEntry } from "./walk.ts";

export type FileKind = Exclude<EntryKind, "whiteout" | "opaque">;

/** Why a version stopped being visible. */
export type RemovalCause =
  /** A whiteout of it, or of a directory above it. */
  | "whiteout"
  /** An opaque marker on a directory above it. */
  | "opaque"
  /** A later entry at the same path. */
  | "overwritten"
  /** A later non-directory replaced a directory above it. */
  | "parent-replaced";

export interface PathVersion {
  readonly layer: number;
  readonly layerDigest: string;
  readonly kind: FileKind;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkname: string;
  readonly mtime: number;
  /** The layer that deleted or replaced it; undefined while visible. */
  readonly removedIn: number | undefined;
  readonly removedBy: RemovalCause | undefined;
}

type MutableVersion = { -readonly [K in keyof PathVersion]: PathVersion[K] };

export interface Resolved {
  /** The path after following symlinks (normalized, relative). */
  path: string;
  version: PathVersion | undefined;
}

/** Linux gives up after 40 symlinks in one lookup (ELOOP). */
const MAX_SYMLINKS = 40;

export class MergedFs implements EntryConsumer {
  readonly headBytes = 0;
  readonly #versions = new Map<string, MutableVersion[]>();
  readonly #children = new Map<string, Set<string>>();
  readonly #log: AnomalyLog;

  constructor(maxAnomalies: number = DEFAULT_LIMITS.maxAnomalies) {
    this.#log = new AnomalyLog(maxAnomalies);
  }

  get anomalies(): readonly Anomaly[] {
    return this.#log.list;
  }

  wants(): boolean {
    return true;
  }

  entry(e: LayerEntry): void {
    switch (e.kind) {
      case "whiteout":
        this.#hide(e.path, e.layer, "whiteout", true);
        return;
      case "opaque":
        this.#hide(e.path, e.layer, "opaque", false);
        return;
      default:
        this.#add(e, e.kind);
    }
  }

  /** The visible version at path ("/etc/passwd" or "etc/passwd"), without following symlinks. */
  get(path: string): PathVersion | undefined {
    const versions = this.#versions.get(key(path));
    const last = versions?.[versions.length - 1];
    return last !== undefined && last.removedIn === undefined ? last : undefined;
  }

  /** Every version the layers ever held at path, oldest first. */
  history(path: string): readonly PathVersion[] {
    return this.#versions.get(key(path)) ?? [];
  }

  /** Names of the visible entries directly in a directory, sorted. */
  list(dir: string): string[] {
    const out: string[] = [];
    for (const child of this.#children.get(key(dir)) ?? []) {
      if (this.get(child) !== undefined) out.push(child.slice(child.lastIndexOf("/") + 1));
    }
    return out.sort();
  }

  /** The visible paths and their versions, in path order. */
  *visible(): Generator<[string, PathVersion]> {
    for (const path of [...this.#versions.keys()].sort()) {
      const v = this.get(path);
      if (v !== undefined) yield [path, v];
    }
  }

  /** Versions no longer visible — deleted or replaced, yet still readable in the layer that added them. */
  *removed(): Generator<[string, PathVersion]> {
    for (const path of [...this.#versions.keys()].sort()) {
      for (const v of this.#versions.get(path) ?? []) if (v.removedIn !== undefined) yield [path, v];
    }
  }

  get size(): number {
    return this.#versions.size;
  }

  /**
   * Follows symlinks in every component, as a lookup in the container would (absolute targets from the image
   * root, ".." never above it). A loop is recorded as an anomaly and resolves to undefined.
   */
  resolve(path: string, followLast = true): Resolved | undefined {
    let pending = key(path).split("/").filter((s) => s !== "");
    const done: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const [name, ...rest] = pending as [string, ...string[]];
      pending = rest;
      if (name === ".") continue;
      if (name === "..") {
        done.pop();
        continue;
      }
      done.push(name);
      const here = done.join("/");
      const v = this.get(here);
      if (v?.kind === "symlink" && (pending.length > 0 || followLast)) {
        if (++links > MAX_SYMLINKS) {
          this.#log.add({ code: "SYMLINK_LOOP", message: `resolving /${key(path)} met more than ${MAX_SYMLINKS} symlinks (a loop at /${here})`, path: key(path) });
          return undefined;
        }
        done.pop();
        if (v.linkname.startsWith("/")) done.length = 0;
        pending = [...v.linkname.split("/").filter((s) => s !== ""), ...pending];
      }
    }
    const resolved = done.join("/");
    return { path: resolved, version: this.get(resolved) };
  }

  /** "added in layer 3, deleted in layer 5 (whiteout)" for each version at path. */
  describe(path: string): string[] {
    return this.history(path).map((v) => {
      const added = `${v.kind} added in layer ${v.layer}`;
      if (v.removedIn === undefined) return `${added}, visible`;
      const verb = v.removedBy === "overwritten" ? "replaced" : "deleted";
      return `${added}, ${verb} in layer ${v.removedIn} (${v.removedBy ?? ""})`;
    });
  }

  #add(e: LayerEntry, kind: FileKind): void {
    this.#checkAncestors(e);
    const versions = this.#versions.get(e.path);
    const current = versions?.[versions.length - 1];
    if (current !== undefined && current.removedIn === undefined) {
      current.removedIn = e.layer;
      current.removedBy = "overwritten";
      if (current.kind === "dir" && kind !== "dir") this.#hide(e.path, e.layer + 1, "parent-replaced", false);
    }
    const version: MutableVersion = {
      layer: e.layer, layerDigest: e.layerDigest, kind, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size,
      linkname: e.linkname, mtime: e.mtime, removedIn: undefined, removedBy: undefined,
    };
    if (versions === undefined) {
      this.#versions.set(e.path, [version]);
      this.#link(e.path);
    } else {
      versions.push(version);
    }
  }

  /** Registers path under its parent, and the parent under its own, up to the root. */
  #link(path: string): void {
    let child = path;
    while (child !== "") {
      const parent = parentOf(child);
      let set = this.#children.get(parent);
      if (set === undefined) this.#children.set(parent, (set = new Set()));
      if (set.has(child)) return;
      set.add(child);
      child = parent;
    }
  }

  #checkAncestors(e: LayerEntry): void {
    for (let p = parentOf(e.path); e.path !== "" ; p = parentOf(p)) {
      const v = this.get(p);
      if (v !== undefined && v.kind !== "dir") {
        const code = v.kind === "symlink" ? "PARENT_IS_SYMLINK" : "PARENT_NOT_DIRECTORY";
        this.#log.add({ code, message: `layer ${e.layer}: /${e.path} is below /${p}, a ${v.kind} (from layer ${v.layer})`, layer: e.layer, path: e.path });
        return;
      }
      if (p === "") return;
    }
  }

  /** Marks visible versions below layer `before` removed: the path itself (when includeSelf) and all below it. */
  #hide(path: string, before: number, cause: RemovalCause, includeSelf: boolean): void {
    const stack = includeSelf ? [path] : [...(this.#children.get(path) ?? [])];
    while (stack.length > 0) {
      const p = stack.pop() as string;
      const versions = this.#versions.get(p);
      const last = versions?.[versions.length - 1];
      if (last !== undefined && last.removedIn === undefined && last.layer < before) {
        last.removedIn = cause === "parent-replaced" ? before - 1 : before;
        last.removedBy = cause;
      }
      for (const c of this.#children.get(p) ?? []) stack.push(c);
    }
  }
}

function key(path: string): string {
  return normalizePath(path).path;
}
