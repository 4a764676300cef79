// YAML for the runtime model: every document of a file as a small positioned tree (maps, lists, scalars, each with
// its file:line:column), with aliases resolved and merge keys (`<<`) applied the way compose-go and Kubernetes' YAML
// readers apply them. Hostile input is bounded: nesting depth, nodes produced (so `*alias` bombs stop early) and
// size; syntax errors and limits become DrydockErrors at the place they concern.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import { DrydockError } from "../core/errors.ts";
import type { Position, TextLocation } from "../core/finding.ts";
import { LineIndex, MappedText } from "../core/text.ts";

export interface YamlLimits {
  /** Characters of a file. */
  maxChars: number;
  /** Nodes produced for one file, aliases expanded: bounds the work an alias bomb can cause. */
  maxNodes: number;
  /** Nesting of maps and lists. */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxChars: 32 * 1024 * 1024, maxNodes: 1_000_000, maxDepth: 200 };

/** A file being read: its name as findings carry it and its line index. */
export interface SourceFile {
  file: string;
  lines: LineIndex;
}

interface YBase {
  at: TextLocation;
  /** Explicit tag as written (`!reset`, `!override`, `tag:yaml.org,2002:str`), undefined when none. */
  tag: string | undefined;
}

export interface YScalar extends YBase {
  kind: "scalar";
  value: string | number | boolean | null;
  /** Written without quotes: only plain scalars are read as YAML 1.1 booleans (`yes`, `on`). */
  plain: boolean;
  /** The file and source range the value was read from; undefined for a value computed here (interpolation). */
  source: { file: SourceFile; start: number; end: number } | undefined;
}

export interface YEntry {
  key: string;
  keyAt: TextLocation;
  value: YNode;
}

export interface YMap extends YBase {
  kind: "map";
  entries: YEntry[];
}

export interface YSeq extends YBase {
  kind: "seq";
  items: YNode[];
}

export type YNode = YMap | YSeq | YScalar;

export interface YDocument {
  file: SourceFile;
  /** 0-based index of the document in its file. */
  index: number;
  /** undefined for an empty document. */
  root: YNode | undefined;
  /**
   * Keys written twice in one mapping. Kubernetes' YAML reader takes the last value (so do we); compose refuses
   * such a file.
   */
  duplicateKeys: { key: string; at: TextLocation }[];
}

/** Parses every document of a YAML text; throws a DrydockError (YAML_SYNTAX, YAML_LIMIT) with file:line:column. */
export function parseYamlDocuments(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): YDocument[] {
  const source: SourceFile = { file, lines: new LineIndex(text) };
  if (text.length > limits.maxChars) {
    throw new DrydockError("YAML_LIMIT", `${text.length} characters is more than the ${limits.maxChars} a YAML file may have here`, {
      location: locationOf(source, 0, 0),
    });
  }
  checkFlowDepth(text, source, limits);
  const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false });
  const docs: YDocument[] = [];
  const budget = { nodes: 0 };
  for (const [index, doc] of parsed.entries()) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const code = error.code === "RESOURCE_EXHAUSTION" ? "YAML_LIMIT" : "YAML_SYNTAX";
      throw new DrydockError(code, `invalid YAML: ${firstLine(error.message)}`, { location: locationOf(source, error.pos[0], error.pos[1]), cause: error });
    }
    const converter = new Converter(doc, source, limits, budget);
    const root = doc.contents === null ? undefined : converter.node(doc.contents, 0);
    docs.push({ file: source, index, root: isEmptyScalar(root) ? undefined : root, duplicateKeys: converter.duplicates });
  }
  return docs;
}

function isEmptyScalar(node: YNode | undefined): boolean {
  return node?.kind === "scalar" && node.value === null && node.tag === undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/**
 * The yaml package recurses once per flow collection level and gives up at the engine's stack limit, slowly for very
 * deep input; a linear pre-scan rejects such nesting first. Brackets inside quotes and comments are counted too, so the
 * bound is five times the real depth limit: only text that no configuration file resembles reaches it.
 */
function checkFlowDepth(text: string, source: SourceFile, limits: YamlLimits): void {
  const bound = limits.maxDepth * 5;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > bound) {
        throw new DrydockError("YAML_LIMIT", `collections nested deeper than ${limits.maxDepth} levels; not a configuration file`, {
          location: locationOf(source, i, i + 1),
        });
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
}

export function locationOf(source: SourceFile, start: number, end: number): TextLocation {
  return { kind: "text", file: source.file, start: source.lines.position(start), end: source.lines.position(Math.max(start, end)) };
}

class Converter {
  private readonly doc: Document.Parsed;
  private readonly source: SourceFile;
  private readonly limits: YamlLimits;
  private readonly budget: { nodes: number };
  /** Anchors being expanded, to refuse an alias that refers to its own ancestor. */
  private readonly expanding = new Set<Node>();
  readonly duplicates: { key: string; at: TextLocation }[] = [];
  /** An alias expands many times in a bomb: each is resolved, and each node located, once. */
  private readonly aliasTargets = new Map<unknown, Node | undefined>();
  private readonly locations = new Map<unknown, TextLocation | undefined>();

  constructor(doc: Document.Parsed, source: SourceFile, limits: YamlLimits, budget: { nodes: number }) {
    this.doc = doc;
    this.source = source;
    this.limits = limits;
    this.budget = budget;
  }

  node(node: unknown, depth: number, fallback?: TextLocation): YNode {
    this.budget.nodes++;
    const at = this.at(node) ?? fallback ?? locationOf(this.source, 0, 0);
    if (this.budget.nodes > this.limits.maxNodes) {
      throw new DrydockError("YAML_LIMIT", `more than ${this.limits.maxNodes} YAML nodes once aliases are expanded; refusing to go on (an alias bomb?)`, { location: at });
    }
    if (depth > this.limits.maxDepth) {
      throw new DrydockError("YAML_LIMIT", `collections nested deeper than ${this.limits.maxDepth} levels; not a configuration file`, { location: at });
    }
    if (isAlias(node)) return this.alias(node, depth, at);
    const tag = typeof (node as { tag?: unknown }).tag === "string" ? (node as { tag: string }).tag : undefined;
    if (isMap(node)) return { kind: "map", at, tag, entries: this.entries(node.items, depth, at) };
    if (isSeq(node)) return { kind: "seq", at, tag, items: node.items.map((item) => this.node(item, depth + 1, at)) };
    if (isScalar(node)) {
      const range = node.range;
      return {
        kind: "scalar",
        at,
        tag,
        value: scalarValue(node.value, this.sourceText(range)),
        plain: node.type === "PLAIN",
        source: range === undefined || range === null ? undefined : { file: this.source, start: range[0], end: range[1] },
      };
    }
    return { kind: "scalar", at, tag, value: null, plain: true, source: undefined };
  }

  private alias(node: Node & { source: string }, depth: number, at: TextLocation): YNode {
    let target = this.aliasTargets.get(node);
    if (!this.aliasTargets.has(node)) {
      target = (node as unknown as { resolve(doc: Document.Parsed): Node | undefined }).resolve(this.doc);
      this.aliasTargets.set(node, target);
    }
    if (target === undefined) {
      throw new DrydockError("YAML_SYNTAX", `invalid YAML: alias *${node.source} refers to no anchor before it`, { location: at });
    }
    if (this.expanding.has(target)) {
      throw new DrydockError("YAML_LIMIT", `alias *${node.source} refers to a collection that contains it`, { location: at });
    }
    this.expanding.add(target);
    try {
      return this.node(target, depth + 1, at);
    } finally {
      this.expanding.delete(target);
    }
  }

  /** Entries of a mapping, merge keys applied: the mapping's own keys win, then earlier merged mappings. */
  private entries(items: readonly unknown[], depth: number, mapAt: TextLocation): YEntry[] {
    const own: YEntry[] = [];
    const merged: YEntry[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      const keyAt = this.at(keyNode) ?? mapAt;
      if (isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.value === "<<") {
        merged.push(...this.mergeSources(pair.value, depth, keyAt));
        continue;
      }
      const key = this.keyText(keyNode, depth);
      const value = pair.value === null || pair.value === undefined
        ? nullAt(keyAt)
        : this.node(pair.value, depth + 1, keyAt);
      own.push({ key, keyAt, value });
    }
    // A key written twice: the last value wins, at the place of the last.
    const last = new Map<string, YEntry>();
    for (const e of own) {
      if (last.has(e.key)) this.duplicates.push({ key: e.key, at: e.keyAt });
      last.delete(e.key);
      last.set(e.key, e);
    }
    const seen = new Set(last.keys());
    const out = [...last.values()];
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      out.push(e);
    }
    return out;
  }

  private mergeSources(value: unknown, depth: number, keyAt: TextLocation): YEntry[] {
    const node = this.node(value, depth + 1, keyAt);
    const maps = node.kind === "seq" ? node.items : [node];
    const out: YEntry[] = [];
    for (const m of maps) {
      if (m.kind !== "map") {
        throw new DrydockError("YAML_SYNTAX", "invalid YAML: a merge key (<<) must be given a mapping or a list of mappings", { location: m.at });
      }
      out.push(...m.entries);
    }
    return out;
  }

  private keyText(key: unknown, depth: number): string {
    if (key === null || key === undefined) return "";
    if (isScalar(key)) return key.value === null ? "" : String(key.value);
    const node = this.node(key, depth + 1);
    return node.kind === "scalar" ? String(node.value ?? "") : JSON.stringify(plainOf(node));
  }

  private at(node: unknown): TextLocation | undefined {
    if (this.locations.has(node)) return this.locations.get(node);
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    const at = range === undefined || range === null ? undefined : locationOf(this.source, range[0], range[1]);
    this.locations.set(node, at);
    return at;
  }

  private sourceText(range: [number, number, number] | null | undefined): string {
    return range === undefined || range === null ? "" : this.source.lines.text.slice(range[0], range[1]);
  }
}

function nullAt(at: TextLocation): YScalar {
  const end: Position = at.end;
  return { kind: "scalar", at: { ...at, start: end, end }, tag: undefined, value: null, plain: true, source: undefined };
}

function scalarValue(value: unknown, text: string): string | number | boolean | null {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return text; // dates, binary and other tagged values: their text
}

/** A tree as plain data (for messages and keys); bounded by the tree, which is bounded already. */
export function plainOf(node: YNode): unknown {
  switch (node.kind) {
    case "scalar": return node.value;
    case "seq": return node.items.map(plainOf);
    case "map": return Object.fromEntries(node.entries.map((e) => [e.key, plainOf(e.value)]));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading values

export function entryOf(node: YNode | undefined, key: string): YEntry | undefined {
  if (node?.kind !== "map") return undefined;
  return node.entries.find((e) => e.key === key); // keys are unique: the converter keeps the last of duplicates
}

export function valueOf(node: YNode | undefined, key: string): YNode | undefined {
  return entryOf(node, key)?.value;
}

/** Follows a path of keys through nested maps. */
export function pathOf(node: YNode | undefined, ...keys: string[]): YNode | undefined {
  let at = node;
  for (const k of keys) at = valueOf(at, k);
  return at;
}

/** A scalar as text: strings as they are, numbers and booleans spelled out; undefined for null and collections. */
export function textOf(node: YNode | undefined): string | undefined {
  if (node?.kind !== "scalar" || node.value === null) return undefined;
  return String(node.value);
}

const YAML11_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"]);
const YAML11_FALSE = new Set(["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"]);

/**
 * A boolean as Kubernetes (YAML 1.1: `yes`, `on`) and compose (also the strings "true"/"false") read it; undefined
 * when the node is no boolean.
 */
export function boolOf(node: YNode | undefined): boolean | undefined {
  if (node?.kind !== "scalar") return undefined;
  if (typeof node.value === "boolean") return node.value;
  if (typeof node.value !== "string") return undefined;
  if (node.plain ? YAML11_TRUE.has(node.value) : node.value === "true") return true;
  if (node.plain ? YAML11_FALSE.has(node.value) : node.value === "false") return false;
  return undefined;
}

/** An integer, also from a numeric string; undefined otherwise. */
export function intOf(node: YNode | undefined): number | undefined {
  if (node?.kind !== "scalar") return undefined;
  if (typeof node.value === "number") return Number.isInteger(node.value) ? node.value : undefined;
  if (typeof node.value === "string" && /^-?\d{1,15}$/.test(node.value.trim())) return Number(node.value.trim());
  return undefined;
}

export function itemsOf(node: YNode | undefined): YNode[] {
  return node?.kind === "seq" ? node.items : [];
}

/**
 * The scalar's value as mapped text: each character of the value at its place in the file. Values cut verbatim from
 * the source (plain, or quoted without escapes) map exactly; others (block scalars, escapes, folding) are aligned
 * character by character with the source, skipping what the value does not contain (indentation, quotes, escapes).
 */
export function scalarText(node: YScalar): MappedText | undefined {
  const src = node.source;
  if (src === undefined || typeof node.value !== "string") return undefined;
  const value = node.value;
  const text = src.file.lines.text;
  if (text.slice(src.start, src.start + value.length) === value && (node.plain || value.length === 0)) {
    return MappedText.contiguous(src.file.lines, src.start, src.start + value.length);
  }
  if (text.slice(src.start + 1, src.start + 1 + value.length) === value) {
    return MappedText.contiguous(src.file.lines, src.start + 1, src.start + 1 + value.length);
  }
  const offsets = new Int32Array(value.length);
  let j = src.start;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    while (j < src.end && text[j] !== ch && !(ch === " " && text[j] === "\n")) j++;
    if (j >= src.end) return undefined; // the value is not a subsequence of its source: do not guess
    offsets[i] = j;
    j++;
  }
  return new MappedText(value, offsets, src.file.lines, Math.min(j, src.end));
}

/** Where value[start, end) of a string scalar is written; the whole scalar when that cannot be told. */
export function locateInScalar(node: YScalar, start: number, end: number): TextLocation {
  const mapped = scalarText(node);
  if (mapped === undefined || node.source === undefined) return node.at;
  const span = mapped.span(start, end);
  return { kind: "text", file: node.source.file.file, start: span.start, end: span.end };
}
