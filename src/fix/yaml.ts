// Hardening fixes for compose services and Kubernetes containers: settings the restricted-profile checks find
// missing are inserted as text, in the file's own indentation and list style, so comments, quoting and layout
// stay as written. Only absent settings are added (or ALL / no-new-privileges appended to an existing list); a
// setting written with the opposite value was chosen by someone and is left to them.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import type { Edit, Finding } from "../core/finding.ts";
import { LineIndex } from "../core/text.ts";
import type { Workload } from "../runtime/model.ts";

/** The runtime checks these fixes answer. */
export const YAML_FIX_RULES: readonly string[] = ["DR003", "DR013", "DR014", "DR015"];

export interface YamlFixOptions {
  /** `--add-user`: compose services without `user:` get this one (DR013); Kubernetes gets runAsNonRoot either way. */
  addUser: string | undefined;
}

type BlockMap = YAMLMap<unknown, unknown>;

interface FileStyle {
  lines: LineIndex;
  /** Spaces per nesting level. */
  unit: number;
  /** Columns a block sequence's `-` sits right of its key (0: `key:\n- item`). */
  seqIndent: number;
}

/** One value to write: a scalar, a list of scalars, or a map of them. */
type Value = string | { list: string[] } | { map: [string, Value][] };

/** What a workload needs, per place in the file. */
interface Plan {
  /** Keys added at the end of a block map. */
  add: Map<BlockMap, [string, Value][]>;
  /** Items appended to an existing list. */
  append: Map<YAMLSeq<unknown>, string[]>;
}

/**
 * Edits for the findings of YAML_FIX_RULES in one file, given the workloads read from it. Findings of other files
 * (compose overrides, extended files) are left alone: their nodes are not this text's.
 */
export function yamlFixEdits(file: string, text: string, workloads: readonly Workload[], findings: readonly Finding[], options: YamlFixOptions): Edit[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [];
  const index = indexNodes(docs.map((d) => d.contents as Node | null));
  const style = styleOf(text, index.maps);
  const plan: Plan = { add: new Map(), append: new Map() };
  for (const w of workloads) {
    if (w.file !== file || w.fragment) continue;
    const wanted = new Set(findings.filter((f) => f.location.kind === "text" && f.location.file === file && reportedOn(w, f)).map((f) => f.ruleId));
    if (wanted.size === 0) continue;
    if (w.kind === "compose") planCompose(w, wanted, index, plan, options);
    else if (w.kind === "kubernetes") planKubernetes(w, wanted, index, plan);
  }
  return [...renderAdditions(plan.add, style), ...renderAppends(plan.append, style)];
}

/** A finding is about a workload when it points at one of the places the checks use for it. */
function reportedOn(w: Workload, f: Finding): boolean {
  if (f.location.kind !== "text") return false;
  const at = f.location.start.offset;
  const places = [w.at, w.securityContextAt, w.capDrop[0]?.at, w.security.noNewPrivileges?.at];
  return places.some((p) => p !== undefined && p.file === w.file && p.start.offset === at);
}

function planCompose(w: Workload, wanted: ReadonlySet<string>, index: NodeIndex, plan: Plan, options: YamlFixOptions): void {
  const service = index.valueOfKeyAt.get(w.at.start.offset);
  if (!isBlockMap(service)) return;
  if (wanted.has("DR015") && w.readOnlyRootFilesystem === undefined && !hasKey(service, "read_only")) addKey(plan, service, "read_only", "true");
  if (wanted.has("DR003") && w.privileged?.value !== true && !w.capDrop.some((c) => c.value === "ALL")) {
    ensureListItem(plan, service, "cap_drop", "ALL");
  }
  if (wanted.has("DR014") && w.security.noNewPrivileges === undefined) ensureListItem(plan, service, "security_opt", "no-new-privileges:true");
  if (wanted.has("DR013") && w.user === undefined && options.addUser !== undefined && !hasKey(service, "user")) {
    addKey(plan, service, "user", JSON.stringify(options.addUser));
  }
}

function planKubernetes(w: Workload, wanted: ReadonlySet<string>, index: NodeIndex, plan: Plan): void {
  const container = index.mapOfValueAt.get(w.at.start.offset);
  if (!isBlockMap(container)) return;
  const fields: [string, Value][] = [];
  if (wanted.has("DR014") && w.allowPrivilegeEscalation === undefined) fields.push(["allowPrivilegeEscalation", "false"]);
  if (wanted.has("DR015") && w.readOnlyRootFilesystem === undefined) fields.push(["readOnlyRootFilesystem", "true"]);
  if (wanted.has("DR013") && w.runAsNonRoot === undefined) fields.push(["runAsNonRoot", "true"]);
  const dropAll = wanted.has("DR003") && w.privileged?.value !== true && !w.capDrop.some((c) => c.value === "ALL");
  const context = mapValue(container, "securityContext");
  if (context === undefined) {
    if (hasKey(container, "securityContext")) return; // written, but not as a block map ({} or null): left as is
    if (dropAll) fields.push(["capabilities", { map: [["drop", { list: ["ALL"] }]] }]);
    if (fields.length > 0) addKey(plan, container, "securityContext", { map: fields });
    return;
  }
  for (const [key, value] of fields) if (!hasKey(context, key)) addKey(plan, context, key, value);
  if (!dropAll) return;
  const capabilities = mapValue(context, "capabilities");
  if (capabilities !== undefined) ensureListItem(plan, capabilities, "drop", "ALL");
  else if (!hasKey(context, "capabilities")) addKey(plan, context, "capabilities", { map: [["drop", { list: ["ALL"] }]] });
}

function addKey(plan: Plan, map: BlockMap, key: string, value: Value): void {
  const list = plan.add.get(map) ?? [];
  if (!list.some(([k]) => k === key)) list.push([key, value]);
  plan.add.set(map, list);
}

/** The item in the map's list under key: appended to a list that lacks it, or a new list when the key is absent. */
function ensureListItem(plan: Plan, map: BlockMap, key: string, item: string): void {
  const pair = pairOf(map, key);
  if (pair === undefined) {
    addKey(plan, map, key, { list: [item] });
    return;
  }
  const seq = pair.value;
  if (!isSeq(seq) || seq.items.some((i) => isScalar(i) && String(i.value) === item)) return;
  const items = plan.append.get(seq) ?? [];
  if (!items.includes(item)) items.push(item);
  plan.append.set(seq, items);
}

// ---- rendering ----

function renderAdditions(add: ReadonlyMap<BlockMap, [string, Value][]>, style: FileStyle): Edit[] {
  const edits: Edit[] = [];
  for (const [map, entries] of add) {
    const first = map.items[0];
    const keyStart = isPair(first) ? rangeOf(first.key)?.[0] : undefined;
    if (keyStart === undefined) continue;
    const indent = style.lines.position(keyStart).column - 1;
    const at = lineEndAfter(style.lines.text, mapContentEnd(map));
    const text = entries.map(([k, v]) => renderEntry(k, v, indent, style)).join("");
    edits.push({ start: at, end: at, text });
  }
  return edits;
}

function renderEntry(key: string, value: Value, indent: number, style: FileStyle): string {
  const pad = " ".repeat(indent);
  if (typeof value === "string") return `\n${pad}${key}: ${value}`;
  if ("list" in value) return `\n${pad}${key}:${value.list.map((i) => `\n${" ".repeat(indent + style.seqIndent)}- ${i}`).join("")}`;
  return `\n${pad}${key}:${value.map.map(([k, v]) => renderEntry(k, v, indent + style.unit, style)).join("")}`;
}

function renderAppends(append: ReadonlyMap<YAMLSeq<unknown>, string[]>, style: FileStyle): Edit[] {
  const edits: Edit[] = [];
  const text = style.lines.text;
  for (const [seq, items] of append) {
    const range = rangeOf(seq);
    if (range === undefined) continue;
    if (seq.flow === true) {
      const close = text.lastIndexOf("]", range[1]);
      if (close < range[0]) continue;
      const sep = seq.items.length > 0 ? ", " : "";
      edits.push({ start: close, end: close, text: sep + items.join(", ") });
      continue;
    }
    const column = style.lines.position(range[0]).column - 1;
    const at = lineEndAfter(text, range[1]);
    edits.push({ start: at, end: at, text: items.map((i) => `\n${" ".repeat(column)}- ${i}`).join("") });
  }
  return edits;
}

/** The end of the last value of a block map (its trailing comments and blank lines are not part of it). */
function mapContentEnd(map: BlockMap): number {
  const last = map.items.at(-1);
  if (!isPair(last)) return rangeOf(map)?.[1] ?? 0;
  return rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1] ?? 0;
}

/** The end of the line holding the last non-blank character before offset: new lines go after it. */
function lineEndAfter(text: string, offset: number): number {
  let pos = offset;
  while (pos > 0 && /\s/.test(text[pos - 1] ?? "")) pos--;
  const nl = text.indexOf("\n", pos);
  const end = nl === -1 ? text.length : nl;
  return end > 0 && text[end - 1] === "\r" ? end - 1 : end;
}

/** Indentation as the file writes it: the step between a key and its nested map's keys, and how lists sit. */
function styleOf(text: string, maps: readonly BlockMap[]): FileStyle {
  const lines = new LineIndex(text);
  const column = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lines.position(offset).column);
  let unit: number | undefined;
  let seqIndent: number | undefined;
  for (const map of maps) {
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyColumn = column(rangeOf(pair.key)?.[0]);
      if (keyColumn === undefined) continue;
      const value = pair.value;
      if (unit === undefined && isBlockMap(value) && isPair(value.items[0])) {
        const inner = column(rangeOf(value.items[0].key)?.[0]);
        if (inner !== undefined && inner > keyColumn && lines.position(rangeOf(value)?.[0] ?? 0).line > lines.position(rangeOf(pair.key)?.[0] ?? 0).line) unit = inner - keyColumn;
      }
      if (seqIndent === undefined && isSeq(value) && value.flow !== true) {
        const dash = column(rangeOf(value)?.[0]);
        if (dash !== undefined && dash >= keyColumn) seqIndent = dash - keyColumn;
      }
    }
    if (unit !== undefined && seqIndent !== undefined) break;
  }
  return { lines, unit: unit ?? 2, seqIndent: seqIndent ?? unit ?? 2 };
}

// ---- the parsed file ----

interface NodeIndex {
  /** A pair's value by where its key starts (compose: a service's map by its name). */
  valueOfKeyAt: Map<number, unknown>;
  /** The map holding a scalar value, by where the scalar starts (Kubernetes: a container by its name's value). */
  mapOfValueAt: Map<number, BlockMap>;
  /** Every block map, in document order. */
  maps: BlockMap[];
}

function indexNodes(roots: readonly (Node | null)[]): NodeIndex {
  const index: NodeIndex = { valueOfKeyAt: new Map(), mapOfValueAt: new Map(), maps: [] };
  const visit = (node: unknown, depth: number): void => {
    if (depth > 200) return;
    if (isMap(node)) {
      if (node.flow !== true) index.maps.push(node);
      for (const pair of node.items) {
        const keyStart = rangeOf(pair.key)?.[0];
        if (keyStart !== undefined) index.valueOfKeyAt.set(keyStart, pair.value);
        const valueStart = isScalar(pair.value) ? rangeOf(pair.value)?.[0] : undefined;
        if (valueStart !== undefined && node.flow !== true) index.mapOfValueAt.set(valueStart, node);
        visit(pair.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1);
    }
  };
  for (const root of roots) visit(root, 0);
  return index;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return range ?? undefined;
}

function isBlockMap(node: unknown): node is BlockMap {
  return isMap(node) && node.flow !== true && node.items.length > 0;
}

function pairOf(map: BlockMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

function hasKey(map: BlockMap, key: string): boolean {
  return pairOf(map, key) !== undefined;
}

function mapValue(map: BlockMap, key: string): BlockMap | undefined {
  const value = pairOf(map, key)?.value;
  return isBlockMap(value) ? value : undefined;
}
