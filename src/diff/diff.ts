// Compares two collected images and says, for every difference, which aspect it is: a config field, the history,
// the manifest's format, a layer's compression, and for files their content, mode, owner, mtime, link target,
// xattrs, type, or the order of entries in the tar. Pure: the reading is collect.ts's job.
import { DrydockError } from "../core/errors.ts";
import { globSource } from "../core/glob.ts";
import type { HealthCheck, HistoryEntry, ImageConfig } from "../image/config.ts";
import type { ImageSource } from "../image/source.ts";
import { collectImage, type CollectedImage, type CollectedLayer, type EntryFacts } from "./collect.ts";

/** Every kind of difference the diff names; `--ignore` takes these. */
export const DIFF_ASPECTS = [
  // config
  "user", "env", "entrypoint", "cmd", "workdir", "labels", "exposed-ports", "volumes", "stop-signal", "healthcheck",
  "shell", "onbuild", "platform", "created", "author", "history",
  // manifest and image identity
  "format", "media-type", "annotations", "name", "config-encoding",
  // layers
  "layers", "compression", "tar-encoding", "order",
  // files
  "added", "removed", "content", "size", "mode", "type", "uid", "gid", "mtime", "linkname", "xattrs",
] as const;

export type DiffAspect = (typeof DIFF_ASPECTS)[number];

/** The reasons an entry present in both images differs. */
export type EntryReason = "content" | "size" | "mode" | "type" | "uid" | "gid" | "mtime" | "linkname" | "xattrs";

export interface DiffOptions {
  /**
   * Like diffoci --semantic: ignore history, image timestamps and names, file timestamps, entry order and tar
   * encoding (header format, name spelling). Contents, owners, permissions, xattrs and other config fields count.
   */
  semantic?: boolean;
  /** Aspects to ignore, or "aspect:key" for one key of a keyed aspect ("labels:build-date", "env:BUILD_ID"). */
  ignore?: readonly string[];
  /** File system paths to ignore: a path ignores itself and everything below; `*` matches within a name, `**` across. */
  ignorePaths?: readonly string[];
}

/** A difference in a value: a config field, one env variable or label, a manifest property. */
export interface ValueChange {
  readonly aspect: DiffAspect;
  /** The variable, label, annotation, port, history step ("3") or layer ("layers[2]") concerned, when keyed. */
  readonly key?: string;
  readonly change: "added" | "removed" | "changed";
  /** The value in A (absent when added) and in B (absent when removed). */
  readonly a?: JsonValue;
  readonly b?: JsonValue;
  /** Why this matters or what it implies, when the values alone do not say. */
  readonly note?: string;
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface EntryChange {
  readonly path: string;
  readonly change: "added" | "removed" | "changed";
  /** For "changed": every way the entries differ. */
  readonly reasons: readonly EntryReason[];
  readonly a?: EntryFacts;
  readonly b?: EntryFacts;
}

export interface FsDiff {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** Sorted by path. */
  readonly changes: readonly EntryChange[];
}

export interface LayerSummary {
  readonly digest: string | undefined;
  readonly diffId: string | undefined;
  readonly mediaType: string | undefined;
  readonly compression: string | undefined;
  readonly entries: number;
}

export interface LayerDiff extends FsDiff {
  readonly index: number;
  readonly a: LayerSummary;
  readonly b: LayerSummary;
  /** The aspects this layer differs in ("compression", "tar-encoding", "order", and the entries' reasons). */
  readonly aspects: readonly DiffAspect[];
  /** The same entries in a different tar order (among the entries both layers hold). */
  readonly orderDiffers: boolean;
  /** The first position where the order differs, as the two paths found there. */
  readonly firstOrderDifference?: { readonly index: number; readonly a: string; readonly b: string };
}

export interface ImageSummary {
  readonly ref: string;
  readonly transport: string;
  readonly name: string | undefined;
  readonly manifestDigest: string | undefined;
  readonly configDigest: string | undefined;
  readonly platform: string | undefined;
  readonly layers: number;
}

export interface ImageDiff {
  readonly a: ImageSummary;
  readonly b: ImageSummary;
  /** No difference left once the ignored aspects are set aside. */
  readonly same: boolean;
  readonly semantic: boolean;
  /** Every aspect that differs anywhere, in DIFF_ASPECTS order. */
  readonly aspects: readonly DiffAspect[];
  readonly manifest: readonly ValueChange[];
  readonly config: readonly ValueChange[];
  readonly history: readonly ValueChange[];
  /** Layers that differ, compared pairwise; empty when the layer counts differ (then see filesystem). */
  readonly layers: readonly LayerDiff[];
  /** The file system a container sees. */
  readonly filesystem: FsDiff;
  /** Aspects set aside (from --semantic and --ignore). */
  readonly ignored: readonly string[];
  /** What could not be compared, and why. */
  readonly notCompared: readonly string[];
}

/** Aspects --semantic sets aside (diffoci's --semantic). */
export const SEMANTIC_IGNORES: readonly DiffAspect[] = ["history", "created", "name", "mtime", "order", "tar-encoding", "config-encoding"];
/** Annotations that only record when or under which name an image was made. */
const SEMANTIC_ANNOTATIONS = ["org.opencontainers.image.created", "org.opencontainers.image.ref.name", "io.containerd.image.name"];

const NOT_COMPARED = [
  "tar header format (ustar, PAX, GNU) and file type bits in the mode field: the layer reader normalizes them away, so they show only as \"tar-encoding\" (same entries, different layer bytes)",
  "uname/gname, atime/ctime and device numbers: not kept by the layer reader",
];

/** Reads both images (each layer once) and compares them. */
export async function diffImages(a: ImageSource, b: ImageSource, options: DiffOptions = {}): Promise<ImageDiff> {
  parseIgnores(options); // a bad --ignore fails before any layer is read
  const left = await collectImage(a);
  const right = await collectImage(b);
  return compareImages(left, right, options);
}

/** Compares two collected images. */
export function compareImages(a: CollectedImage, b: CollectedImage, options: DiffOptions = {}): ImageDiff {
  const ignore = parseIgnores(options);
  const manifest = ignore.values(manifestChanges(a, b));
  const rawConfig = configChanges(a.config, b.config);
  const rawHistory = historyChanges(a.config?.history ?? [], b.config?.history ?? []);
  const config = ignore.values(rawConfig);
  const history = ignore.values(rawHistory);
  const layers = layerDiffs(a.layers, b.layers, ignore);
  const shared = sharedLayers(a.layers, b.layers);
  const layerCount = a.layers.length === b.layers.length ? [] : ignore.values([{
    aspect: "layers", change: "changed", a: a.layers.length, b: b.layers.length,
    note: `the bottom ${shared} layer${shared === 1 ? " is" : "s are"} the same; the file system diff shows what the rest change`,
  } satisfies ValueChange]);
  const { suppressed: _, ...filesystem } = fsDiff(a.merged, b.merged, ignore);
  // Identical fields (none merely ignored) in different bytes: key order, whitespace, fields this reader does not know.
  const sameDiffIds = jsonEqual(a.config?.diffIds, b.config?.diffIds);
  const configEncoding = a.configDigest !== b.configDigest && a.configDigest !== undefined && b.configDigest !== undefined && rawConfig.length === 0 && rawHistory.length === 0 && sameDiffIds
    ? ignore.values([{ aspect: "config-encoding", change: "changed", a: a.configDigest, b: b.configDigest, note: "the config documents differ in bytes, not in any field compared" } satisfies ValueChange])
    : [];
  const allConfig = [...config, ...configEncoding];
  const allManifest = [...manifest, ...layerCount];
  const found = new Set<DiffAspect>();
  for (const c of [...allManifest, ...allConfig, ...history]) found.add(c.aspect);
  for (const l of layers) for (const x of l.aspects) found.add(x);
  for (const x of fsAspects(filesystem)) found.add(x);
  const aspects = DIFF_ASPECTS.filter((x) => found.has(x));
  return {
    a: summary(a),
    b: summary(b),
    same: aspects.length === 0,
    semantic: options.semantic === true,
    aspects,
    manifest: allManifest,
    config: allConfig,
    history,
    layers,
    filesystem,
    ignored: ignore.described,
    notCompared: NOT_COMPARED,
  };
}

function summary(image: CollectedImage): ImageSummary {
  return {
    ref: image.ref,
    transport: image.transport,
    name: image.name,
    manifestDigest: image.manifest?.digest,
    configDigest: image.configDigest,
    platform: image.platform,
    layers: image.layers.length,
  };
}

// --- ignoring ---------------------------------------------------------------------------------------------------

interface Ignores {
  aspect(aspect: DiffAspect): boolean;
  values(changes: readonly ValueChange[]): ValueChange[];
  path(path: string): boolean;
  reasons(reasons: readonly EntryReason[]): EntryReason[];
  readonly described: string[];
}

function isAspect(value: string): value is DiffAspect {
  return (DIFF_ASPECTS as readonly string[]).includes(value);
}

function parseIgnores(options: DiffOptions): Ignores {
  const whole = new Set<DiffAspect>(options.semantic === true ? SEMANTIC_IGNORES : []);
  const keyed = new Set<string>(options.semantic === true ? SEMANTIC_ANNOTATIONS.map((k) => `annotations:${k}`) : []);
  for (const item of options.ignore ?? []) {
    const colon = item.indexOf(":");
    const name = colon < 0 ? item : item.slice(0, colon);
    if (!isAspect(name)) {
      throw new DrydockError("USAGE", `--ignore ${JSON.stringify(item)}: unknown aspect ${JSON.stringify(name)}; one of ${DIFF_ASPECTS.join(", ")}`);
    }
    if (colon < 0) whole.add(name);
    else keyed.add(item);
  }
  const patterns = (options.ignorePaths ?? []).map(pathPattern);
  const ignoredAspect = (aspect: DiffAspect): boolean => whole.has(aspect);
  return {
    aspect: ignoredAspect,
    values: (changes) => changes.filter((c) => !ignoredAspect(c.aspect) && !(c.key !== undefined && keyed.has(`${c.aspect}:${c.key}`))),
    path: (path) => patterns.some((p) => p.test(path)),
    reasons: (reasons) => reasons.filter((r) => !whole.has(r)),
    described: [...whole, ...keyed, ...(options.ignorePaths ?? []).map((p) => `path:${p}`)],
  };
}

/** "var/cache" ignores it and all below; "*" stays within one name, "**" crosses names. Leading "/" or "./" is optional. */
function pathPattern(glob: string): RegExp {
  const g = glob.replace(/^(\.?\/)+/, "").replace(/\/+$/, "");
  return new RegExp(`^${globSource(g)}(/.*)?$`, "s");
}

// --- manifest ---------------------------------------------------------------------------------------------------

function manifestChanges(a: CollectedImage, b: CollectedImage): ValueChange[] {
  const out: ValueChange[] = [];
  const ma = a.manifest;
  const mb = b.manifest;
  if (ma === undefined || mb === undefined) {
    if (ma !== mb) {
      out.push({ aspect: "format", change: "changed", a: formatOf(a), b: formatOf(b), note: "one image has no registry manifest (a classic docker save archive or a directory)" });
    }
  } else {
    if (ma.mediaType !== mb.mediaType) out.push({ aspect: "media-type", key: "manifest", change: "changed", a: ma.mediaType, b: mb.mediaType });
    out.push(...keyedChanges("annotations", ma.annotations, mb.annotations));
  }
  // Names compare only within one transport: a layout's tag and an archive's "repo:tag" are different namespaces.
  if (a.transport === b.transport && a.name !== undefined && b.name !== undefined && a.name !== b.name) out.push({ aspect: "name", change: "changed", a: a.name, b: b.name });
  if (a.layers.length === b.layers.length) {
    for (const [i, la] of a.layers.entries()) {
      const lb = b.layers[i] as CollectedLayer;
      // A layer with no media type (classic docker save) differs in format, already said above.
      if (la.mediaType !== undefined && lb.mediaType !== undefined && la.mediaType !== lb.mediaType) {
        out.push({ aspect: "media-type", key: `layers[${i}]`, change: "changed", a: la.mediaType, b: lb.mediaType });
      }
    }
  }
  return out;
}

function formatOf(image: CollectedImage): string {
  return image.manifest === undefined ? `${image.transport} (no manifest)` : image.manifest.mediaType;
}

// --- config -----------------------------------------------------------------------------------------------------

function configChanges(a: ImageConfig | undefined, b: ImageConfig | undefined): ValueChange[] {
  if (a === undefined && b === undefined) return [];
  if (a === undefined || b === undefined) {
    return [{ aspect: "format", key: "config", change: a === undefined ? "added" : "removed", note: "one side is a root file system directory, which has no config" }];
  }
  const out: ValueChange[] = [];
  const scalar = (aspect: DiffAspect, x: JsonValue | undefined, y: JsonValue | undefined): void => {
    if (!jsonEqual(x, y)) out.push(valueChange(aspect, undefined, x, y));
  };
  scalar("user", a.user, b.user);
  out.push(...envChanges(a.env, b.env));
  scalar("entrypoint", a.entrypoint, b.entrypoint);
  scalar("cmd", a.cmd, b.cmd);
  scalar("workdir", a.workingDir, b.workingDir);
  out.push(...keyedChanges("labels", a.labels, b.labels));
  out.push(...setChanges("exposed-ports", a.exposedPorts, b.exposedPorts));
  out.push(...setChanges("volumes", a.volumes, b.volumes));
  scalar("stop-signal", a.stopSignal, b.stopSignal);
  scalar("healthcheck", healthcheckJson(a.healthcheck), healthcheckJson(b.healthcheck));
  scalar("shell", a.shell, b.shell);
  scalar("onbuild", a.onBuild, b.onBuild);
  scalar("platform", platformOf(a), platformOf(b));
  scalar("created", a.created, b.created);
  scalar("author", a.author, b.author);
  return out;
}

function valueChange(aspect: DiffAspect, key: string | undefined, a: JsonValue | undefined, b: JsonValue | undefined): ValueChange {
  const change = a === undefined ? "added" : b === undefined ? "removed" : "changed";
  return { aspect, ...(key === undefined ? {} : { key }), change, ...(a === undefined ? {} : { a }), ...(b === undefined ? {} : { b }) };
}

function platformOf(c: ImageConfig): string {
  return [c.os, c.architecture, c.variant].filter((x) => x !== undefined && x !== "").join("/") + (c.osVersion === undefined ? "" : ` (os.version ${c.osVersion})`);
}

function healthcheckJson(h: HealthCheck | undefined): JsonValue | undefined {
  if (h === undefined) return undefined;
  const out: Record<string, JsonValue> = { test: h.test };
  for (const k of ["interval", "timeout", "startPeriod", "startInterval", "retries"] as const) {
    const v = h[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Env is a set of variables to a process; its order matters only to people reading it, so say so apart. */
function envChanges(a: readonly string[], b: readonly string[]): ValueChange[] {
  const ma = envMap(a);
  const mb = envMap(b);
  const out = keyedChanges("env", Object.fromEntries(ma), Object.fromEntries(mb));
  if (out.length === 0 && !jsonEqual(a, b)) {
    out.push({ aspect: "env", change: "changed", a, b, note: "the same variables in a different order" });
  }
  return out;
}

function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of env) {
    const eq = kv.indexOf("=");
    // A later definition wins, as in the container's environment.
    if (eq < 0) m.set(kv, "");
    else m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

function keyedChanges(aspect: DiffAspect, a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): ValueChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: ValueChange[] = [];
  for (const k of keys) {
    const x = Object.hasOwn(a, k) ? a[k] : undefined;
    const y = Object.hasOwn(b, k) ? b[k] : undefined;
    if (x !== y) out.push(valueChange(aspect, k, x, y));
  }
  return out;
}

function setChanges(aspect: DiffAspect, a: readonly string[], b: readonly string[]): ValueChange[] {
  const sa = new Set(a);
  const sb = new Set(b);
  const out: ValueChange[] = [];
  for (const k of [...new Set([...a, ...b])].sort()) {
    if (sa.has(k) && !sb.has(k)) out.push({ aspect, key: k, change: "removed" });
    if (!sa.has(k) && sb.has(k)) out.push({ aspect, key: k, change: "added" });
  }
  return out;
}

// --- history ----------------------------------------------------------------------------------------------------

function historyChanges(a: readonly HistoryEntry[], b: readonly HistoryEntry[]): ValueChange[] {
  const out: ValueChange[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) {
      out.push(valueChange("history", String(i), x === undefined ? undefined : historyJson(x), y === undefined ? undefined : historyJson(y)));
      continue;
    }
    const hx = historyJson(x);
    const hy = historyJson(y);
    const fields = [...new Set([...Object.keys(hx), ...Object.keys(hy)])];
    for (const f of fields) {
      const vx = hx[f];
      const vy = hy[f];
      if (!jsonEqual(vx, vy)) out.push(valueChange("history", `${i}.${f}`, vx, vy));
    }
  }
  return out;
}

function historyJson(h: HistoryEntry): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (h.created !== undefined) out.created = h.created;
  if (h.createdBy !== undefined) out.created_by = h.createdBy;
  if (h.author !== undefined) out.author = h.author;
  if (h.comment !== undefined) out.comment = h.comment;
  out.empty_layer = h.emptyLayer;
  return out;
}

// --- layers -----------------------------------------------------------------------------------------------------

function layerDiffs(a: readonly CollectedLayer[], b: readonly CollectedLayer[], ignore: Ignores): LayerDiff[] {
  const out: LayerDiff[] = [];
  if (a.length === b.length) {
    for (const [i, la] of a.entries()) {
      const d = layerDiff(la, b[i] as CollectedLayer, ignore);
      if (d.aspects.length > 0) out.push(d);
    }
    return out;
  }
  // Different counts: which layer pairs with which is a guess, so the merged view tells the story instead.
  return out;
}

/** How many bottom layers the two images share (equal diffIDs). */
function sharedLayers(a: readonly CollectedLayer[], b: readonly CollectedLayer[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i]?.diffId !== undefined && a[i]?.diffId === b[i]?.diffId) i++;
  return i;
}

function layerSummary(l: CollectedLayer): LayerSummary {
  return { digest: l.digest, diffId: l.diffId, mediaType: l.mediaType, compression: l.compression, entries: l.entries.length };
}

function layerDiff(a: CollectedLayer, b: CollectedLayer, ignore: Ignores): LayerDiff {
  const base = { index: a.index, a: layerSummary(a), b: layerSummary(b) };
  if (a.diffId !== undefined && a.diffId === b.diffId) {
    const aspects: DiffAspect[] = a.digest !== b.digest && !ignore.aspect("compression") ? ["compression"] : [];
    return { ...base, aspects, added: 0, removed: 0, changed: 0, changes: [], orderDiffers: false };
  }
  const fs = fsDiff(lastByPath(a.entries), lastByPath(b.entries), ignore);
  const order = orderDifference(a.entries, b.entries, ignore);
  const aspects = new Set<DiffAspect>(fsAspects(fs));
  const orderCounts = order !== undefined && !ignore.aspect("order");
  if (orderCounts) aspects.add("order");
  // The layer bytes differ, yet no entry and no order does (and nothing was set aside): the tar is written differently.
  if (aspects.size === 0 && order === undefined && fs.suppressed === 0 && a.diffId !== b.diffId && !ignore.aspect("tar-encoding")) {
    aspects.add("tar-encoding");
  }
  const { suppressed: _suppressed, ...counts } = fs;
  return { ...base, ...counts, ...(orderCounts ? { orderDiffers: true, firstOrderDifference: order } : { orderDiffers: false }), aspects: DIFF_ASPECTS.filter((x) => aspects.has(x)) };
}

/** Entries keyed by path, the last one winning (as when the layer is extracted); whiteouts keyed apart. */
function lastByPath(entries: readonly EntryFacts[]): Map<string, EntryFacts> {
  const m = new Map<string, EntryFacts>();
  for (const e of entries) m.set(e.kind === "whiteout" || e.kind === "opaque" ? markerKey(e) : e.path, e);
  return m;
}

/** A marker keyed by its name in the tar ("a/.wh.b", "a/.wh..wh..opq"), apart from the entry at the path it hides. */
function markerKey(e: EntryFacts): string {
  const slash = e.path.lastIndexOf("/");
  if (e.kind === "opaque") return e.path === "" ? ".wh..wh..opq" : `${e.path}/.wh..wh..opq`;
  return `${e.path.slice(0, slash + 1)}.wh.${e.path.slice(slash + 1)}`;
}

/** The first place where the entries both layers hold come in a different order, or undefined. */
function orderDifference(a: readonly EntryFacts[], b: readonly EntryFacts[], ignore: Ignores): { index: number; a: string; b: string } | undefined {
  const key = (e: EntryFacts): string => (e.kind === "whiteout" || e.kind === "opaque" ? markerKey(e) : e.path);
  const inA = new Set(a.map(key));
  const inB = new Set(b.map(key));
  const xa = a.map(key).filter((k) => inB.has(k) && !ignore.path(k));
  const xb = b.map(key).filter((k) => inA.has(k) && !ignore.path(k));
  const n = Math.min(xa.length, xb.length);
  for (let i = 0; i < n; i++) {
    if (xa[i] !== xb[i]) return { index: i, a: xa[i] as string, b: xb[i] as string };
  }
  return undefined;
}

// --- file systems -----------------------------------------------------------------------------------------------

/** Differences by path; suppressed counts those set aside by the ignores (so "nothing differs" is not claimed). */
function fsDiff(a: ReadonlyMap<string, EntryFacts>, b: ReadonlyMap<string, EntryFacts>, ignore: Ignores): FsDiff & { suppressed: number } {
  const changes: EntryChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let suppressed = 0;
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (ignore.path(path)) {
      if (x === undefined || y === undefined || entryReasons(x, y).length > 0) suppressed++;
      continue;
    }
    if (x === undefined && y !== undefined) {
      if (ignore.aspect("added")) {
        suppressed++;
        continue;
      }
      added++;
      changes.push({ path, change: "added", reasons: [], b: y });
    } else if (x !== undefined && y === undefined) {
      if (ignore.aspect("removed")) {
        suppressed++;
        continue;
      }
      removed++;
      changes.push({ path, change: "removed", reasons: [], a: x });
    } else if (x !== undefined && y !== undefined) {
      const all = entryReasons(x, y);
      const reasons = ignore.reasons(all);
      if (reasons.length < all.length) suppressed++;
      if (reasons.length === 0) continue;
      changed++;
      changes.push({ path, change: "changed", reasons, a: x, b: y });
    }
  }
  return { added, removed, changed, changes, suppressed };
}

function fsAspects(fs: FsDiff): DiffAspect[] {
  const found = new Set<DiffAspect>();
  if (fs.added > 0) found.add("added");
  if (fs.removed > 0) found.add("removed");
  for (const c of fs.changes) for (const r of c.reasons) found.add(r);
  return DIFF_ASPECTS.filter((x) => found.has(x));
}

/** Every way two entries at the same path differ. */
export function entryReasons(a: EntryFacts, b: EntryFacts): EntryReason[] {
  const out: EntryReason[] = [];
  if (a.kind !== b.kind) out.push("type");
  if (a.kind === b.kind && a.sha256 !== b.sha256) out.push("content");
  if (a.size !== b.size) out.push("size");
  if (a.mode !== b.mode) out.push("mode");
  if (a.uid !== b.uid) out.push("uid");
  if (a.gid !== b.gid) out.push("gid");
  if (a.mtime !== b.mtime) out.push("mtime");
  if (a.linkname !== b.linkname) out.push("linkname");
  if (!jsonEqual(a.xattrs ?? {}, b.xattrs ?? {})) out.push("xattrs");
  return out;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
