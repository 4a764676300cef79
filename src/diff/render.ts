// An ImageDiff as text (grouped, the first few changes of each group and a count of the rest) or as JSON (the
// ImageDiff itself under a schema name; docs/diff.md documents it).
import type { EntryFacts } from "./collect.ts";
import type { EntryChange, FsDiff, ImageDiff, ImageSummary, JsonValue, LayerDiff, ValueChange } from "./diff.ts";

export const DIFF_JSON_SCHEMA = "drydock.diff/v1";

export interface RenderDiffOptions {
  /** Changes listed per group before "... and N more" (default 10); Infinity lists all. */
  maxPerGroup?: number;
}

export function renderDiffJson(diff: ImageDiff): string {
  return `${JSON.stringify({ schema: DIFF_JSON_SCHEMA, ...diff }, null, 2)}\n`;
}

export function renderDiffText(diff: ImageDiff, options: RenderDiffOptions = {}): string {
  const max = options.maxPerGroup ?? 10;
  const out: string[] = [`A: ${imageLine(diff.a)}`, `B: ${imageLine(diff.b)}`];
  if (diff.same) {
    out.push(diff.semantic ? "same (semantic comparison)" : "same");
  } else {
    out.push(`different: ${diff.aspects.join(", ")}${diff.semantic ? " (semantic comparison)" : ""}`);
  }
  group(out, "manifest", diff.manifest.map(valueLine), max);
  group(out, "config", diff.config.map(valueLine), max);
  group(out, "history", diff.history.map(valueLine), max);
  // One layer each: its entries are the merged view, listed once below.
  const single = diff.a.layers === 1 && diff.b.layers === 1;
  for (const l of diff.layers) layerGroup(out, l, single ? 0 : max);
  if (fsCount(diff.filesystem) > 0) {
    out.push(`filesystem (merged view): ${counts(diff.filesystem)}`);
    list(out, diff.filesystem.changes.map(entryLine), max, "  ");
  }
  if (diff.ignored.length > 0) out.push(`ignored: ${diff.ignored.join(", ")}`);
  return `${out.join("\n")}\n`;
}

function imageLine(s: ImageSummary): string {
  const id = s.manifestDigest ?? (s.configDigest === undefined ? undefined : `config ${s.configDigest}`);
  const facts = [id, s.platform, `${s.layers} layer${s.layers === 1 ? "" : "s"}`].filter((x) => x !== undefined);
  return `${s.ref} (${facts.join(", ")})`;
}

function group(out: string[], title: string, lines: readonly string[], max: number): void {
  if (lines.length === 0) return;
  out.push(title);
  list(out, lines, max, "  ");
}

function list(out: string[], lines: readonly string[], max: number, indent: string): void {
  for (const line of lines.slice(0, max)) out.push(`${indent}${line}`);
  if (lines.length > max) out.push(`${indent}... and ${lines.length - max} more (--all lists every change)`);
}

function valueLine(c: ValueChange): string {
  const name = c.key === undefined ? c.aspect : `${c.aspect} ${c.key}`;
  const note = c.note === undefined ? "" : ` (${c.note})`;
  switch (c.change) {
    case "added":
      return `+ ${name}${c.b === undefined ? "" : `: ${show(c.b)}`}${note}`;
    case "removed":
      return `- ${name}${c.a === undefined ? "" : `: ${show(c.a)}`}${note}`;
    case "changed":
      return `~ ${name}: ${show(c.a)} -> ${show(c.b)}${note}`;
  }
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return "(unset)";
  const s = JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function layerGroup(out: string[], l: LayerDiff, max: number): void {
  const head = `layer ${l.index}: ${l.aspects.join(", ")}`;
  if (l.aspects.length === 1 && l.aspects[0] === "compression") {
    out.push(`${head} only (same diffID ${l.a.diffId ?? "?"}; blob ${l.a.digest ?? "?"} ${l.a.compression ?? "?"} -> ${l.b.digest ?? "?"} ${l.b.compression ?? "?"})`);
    return;
  }
  out.push(head);
  if (l.aspects.includes("tar-encoding")) {
    out.push(`  same entries, different tar bytes (diffID ${l.a.diffId ?? "?"} -> ${l.b.diffId ?? "?"}): header format, name spelling, uname/gname or padding`);
  }
  if (fsCount(l) > 0 && max > 0) {
    out.push(`  ${counts(l)}`);
    list(out, l.changes.map(entryLine), max, "  ");
  }
  if (l.firstOrderDifference !== undefined) {
    const o = l.firstOrderDifference;
    out.push(`  entry order differs: entry ${o.index} (among shared entries) is ${printablePath(o.a)} in A, ${printablePath(o.b)} in B`);
  }
}

function fsCount(fs: FsDiff): number {
  return fs.added + fs.removed + fs.changed;
}

function counts(fs: FsDiff): string {
  return `${fs.added} added, ${fs.removed} removed, ${fs.changed} changed`;
}

function entryLine(c: EntryChange): string {
  const path = printablePath(c.path);
  if (c.change === "added") return `+ ${path} (${kindOf(c.b)})`;
  if (c.change === "removed") return `- ${path} (${kindOf(c.a)})`;
  const a = c.a as EntryFacts;
  const b = c.b as EntryFacts;
  return `~ ${path}: ${c.reasons.map((r) => reasonText(r, a, b)).join("; ")}`;
}

/** Paths in images are hostile input: a newline or escape sequence must not forge or colour output lines. */
function printablePath(path: string): string {
  const p = `/${path}`;
  return /[\u0000-\u001f\u007f-\u009f]/.test(p) ? JSON.stringify(p) : p;
}

function kindOf(e: EntryFacts | undefined): string {
  if (e === undefined) return "?";
  return e.kind === "symlink" || e.kind === "hardlink" ? `${e.kind} -> ${JSON.stringify(e.linkname)}` : e.kind;
}

function reasonText(reason: EntryChange["reasons"][number], a: EntryFacts, b: EntryFacts): string {
  switch (reason) {
    case "content": return `content ${short(a.sha256)} -> ${short(b.sha256)}`;
    case "size": return `size ${a.size} -> ${b.size}`;
    case "mode": return `mode ${octal(a.mode)} -> ${octal(b.mode)}`;
    case "type": return `type ${a.kind} -> ${b.kind}`;
    case "uid": return `uid ${a.uid} -> ${b.uid}`;
    case "gid": return `gid ${a.gid} -> ${b.gid}`;
    case "mtime": return `mtime ${time(a.mtime)} -> ${time(b.mtime)}`;
    case "linkname": return `link target ${JSON.stringify(a.linkname)} -> ${JSON.stringify(b.linkname)}`;
    case "xattrs": return `xattrs ${xattrChanges(a.xattrs ?? {}, b.xattrs ?? {})}`;
  }
}

function short(digest: string | undefined): string {
  return digest === undefined ? "?" : digest.slice(0, 19);
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

function time(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace(".000Z", "Z");
}

function xattrChanges(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!Object.hasOwn(b, k)) out.push(`-${k}`);
    else if (!Object.hasOwn(a, k)) out.push(`+${k}`);
    else if (a[k] !== b[k]) out.push(`~${k}`);
  }
  return out.join(" ");
}
