// OpenVEX documents (https://github.com/openvex/spec, v0.2.0; v0.0.1's string forms are read too): statements that a
// vulnerability does or does not affect products. `drydock scan --vex` suppresses findings a statement marks
// not_affected or fixed. The newest statement about a vulnerability and a package wins, as the spec's
// "each statement overrides the previous ones" asks.
import { DrydockError } from "../core/errors.ts";
import { parsePurl, purl, type PurlParts } from "../sbom/purl.ts";

export type VexStatus = "not_affected" | "affected" | "fixed" | "under_investigation";

const STATUSES: readonly VexStatus[] = ["not_affected", "affected", "fixed", "under_investigation"];

/** The justifications the spec allows for not_affected. */
const JUSTIFICATIONS: readonly string[] = [
  "component_not_present",
  "vulnerable_code_not_present",
  "vulnerable_code_not_in_execute_path",
  "vulnerable_code_cannot_be_controlled_by_adversary",
  "inline_mitigations_already_exist",
];

/** A product or subcomponent: its IRI and, when it has one, its purl (from @id or identifiers.purl). */
export interface VexComponent {
  id: string | undefined;
  purl: string | undefined;
}

export interface VexProduct extends VexComponent {
  subcomponents: VexComponent[];
}

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  products: VexProduct[];
  status: VexStatus;
  justification: string | undefined;
  impactStatement: string | undefined;
  statusNotes: string | undefined;
  /** When the statement was made (its own timestamp/last_updated, else the document's), ms since the epoch; NaN when unknown. */
  time: number;
}

export interface VexDocument {
  /** The file it was read from, as the user named it. */
  file: string;
  id: string | undefined;
  author: string | undefined;
  statements: VexStatement[];
}

/** The statement that decides a finding, with the document it came from. */
export interface VexVerdict {
  file: string;
  status: VexStatus;
  vulnerability: string;
  justification: string | undefined;
  impactStatement: string | undefined;
}

/** What a finding offers to VEX matching. */
export interface VexSubject {
  id: string;
  aliases: readonly string[];
  purl: string | undefined;
}

/** Facts about the scanned target that let a statement about an image (pkg:oci/...@digest) be checked. */
export interface VexTarget {
  imageDigest: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses an OpenVEX JSON document. Throws VEX_INVALID naming the file and the field that is wrong. */
export function parseOpenVex(input: Uint8Array | string, file: string): VexDocument {
  const text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input);
  let root: Json;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, "")) as Json;
  } catch (e) {
    throw invalid(file, `not JSON (${(e as Error).message})`, e);
  }
  if (!isObject(root)) throw invalid(file, "expected a JSON object (an OpenVEX document)");
  const context = root["@context"];
  if (typeof context !== "string" || !context.startsWith("https://openvex.dev/ns")) {
    throw invalid(file, `"@context" must name the OpenVEX namespace (https://openvex.dev/ns/v0.2.0); got ${describe(context)}`);
  }
  const statements = root.statements;
  if (!Array.isArray(statements)) throw invalid(file, `"statements" must be a list; got ${describe(statements)}`);
  const documentTime = timeOf(root, file, "");
  return {
    file,
    id: optionalString(root, "@id", file, ""),
    author: optionalString(root, "author", file, ""),
    statements: statements.map((s, i) => readStatement(s, `statements[${i}]`, file, documentTime)),
  };
}

function readStatement(node: Json, at: string, file: string, documentTime: number): VexStatement {
  if (!isObject(node)) throw invalid(file, `${at} must be an object; got ${describe(node)}`);
  const { name, aliases } = readVulnerability(node.vulnerability, `${at}.vulnerability`, file);
  const status = node.status;
  if (typeof status !== "string" || !(STATUSES as readonly string[]).includes(status)) {
    throw invalid(file, `${at}.status must be one of ${STATUSES.join(", ")}; got ${describe(status)}`);
  }
  const justification = optionalString(node, "justification", file, at);
  if (justification !== undefined && !JUSTIFICATIONS.includes(justification)) {
    throw invalid(file, `${at}.justification must be one of ${JUSTIFICATIONS.join(", ")}; got ${JSON.stringify(justification)}`);
  }
  const impactStatement = optionalString(node, "impact_statement", file, at);
  // A suppression must say why: the spec requires one of the two for not_affected.
  if (status === "not_affected" && justification === undefined && impactStatement === undefined) {
    throw invalid(file, `${at} says not_affected without a justification or impact_statement`);
  }
  const products = node.products ?? [];
  if (!Array.isArray(products)) throw invalid(file, `${at}.products must be a list; got ${describe(products)}`);
  const own = timeOf(node, file, at);
  return {
    vulnerability: name,
    aliases,
    products: products.map((p, i) => readProduct(p, `${at}.products[${i}]`, file)),
    status: status as VexStatus,
    justification,
    impactStatement,
    statusNotes: optionalString(node, "status_notes", file, at),
    time: Number.isNaN(own) ? documentTime : own,
  };
}

function readVulnerability(node: Json | undefined, at: string, file: string): { name: string; aliases: string[] } {
  if (typeof node === "string" && node !== "") return { name: node, aliases: [] }; // v0.0.1
  if (!isObject(node)) throw invalid(file, `${at} must be an object with a name; got ${describe(node)}`);
  const name = node.name;
  if (typeof name !== "string" || name === "") throw invalid(file, `${at}.name must be a vulnerability id; got ${describe(name)}`);
  const aliases = node.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== "string")) throw invalid(file, `${at}.aliases must be a list of strings`);
  return { name, aliases: aliases as string[] };
}

function readProduct(node: Json, at: string, file: string): VexProduct {
  const component = readComponent(node, at, file);
  const subs = isObject(node) ? node.subcomponents ?? [] : [];
  if (!Array.isArray(subs)) throw invalid(file, `${at}.subcomponents must be a list; got ${describe(subs)}`);
  return { ...component, subcomponents: subs.map((s, i) => readComponent(s, `${at}.subcomponents[${i}]`, file)) };
}

function readComponent(node: Json, at: string, file: string): VexComponent {
  if (typeof node === "string" && node !== "") return { id: node, purl: node.startsWith("pkg:") ? node : undefined }; // v0.0.1
  if (!isObject(node)) throw invalid(file, `${at} must be an object with "@id" or identifiers; got ${describe(node)}`);
  const id = optionalString(node, "@id", file, at);
  const identifiers = node.identifiers;
  if (identifiers !== undefined && !isObject(identifiers)) throw invalid(file, `${at}.identifiers must be an object`);
  const listed = identifiers === undefined ? undefined : optionalString(identifiers, "purl", file, `${at}.identifiers`);
  const purlText = listed ?? (id?.startsWith("pkg:") === true ? id : undefined);
  if (purlText !== undefined && parsePurl(purlText) === undefined) throw invalid(file, `${at}: ${JSON.stringify(purlText)} is not a package URL`);
  if (id === undefined && purlText === undefined && (identifiers === undefined || Object.keys(identifiers).length === 0)) {
    throw invalid(file, `${at} names no component: give "@id" or identifiers`);
  }
  return { id, purl: purlText };
}

function optionalString(node: JsonObject, key: string, file: string, at: string): string | undefined {
  const v = node[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(file, `${at === "" ? "" : `${at}.`}${key} must be a string; got ${describe(v)}`);
  return v;
}

/** last_updated, else timestamp; NaN when neither is given. A timestamp that is not a date is an error. */
function timeOf(node: JsonObject, file: string, at: string): number {
  for (const key of ["last_updated", "timestamp"]) {
    const v = optionalString(node, key, file, at);
    if (v === undefined) continue;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw invalid(file, `${at === "" ? "" : `${at}.`}${key} is not a date-time: ${JSON.stringify(v)}`);
    return t;
  }
  return Number.NaN;
}

function describe(v: Json | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return JSON.stringify(v);
}

function invalid(file: string, message: string, cause?: unknown): DrydockError {
  return new DrydockError("VEX_INVALID", `${file}: ${message}; the VEX document is not used`, { location: { kind: "ref", ref: file }, cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/**
 * The newest statement, over all documents, about this finding's vulnerability (its id or any alias) and its
 * package; undefined when none applies. Ties in time go to the later statement (later file, later position).
 */
export function vexVerdict(documents: readonly VexDocument[], subject: VexSubject, target: VexTarget): VexVerdict | undefined {
  const ids = new Set([subject.id, ...subject.aliases].map((id) => id.toUpperCase()));
  let best: { statement: VexStatement; file: string } | undefined;
  for (const doc of documents) {
    for (const statement of doc.statements) {
      if (![statement.vulnerability, ...statement.aliases].some((id) => ids.has(id.toUpperCase()))) continue;
      if (!statement.products.some((p) => productCovers(p, subject.purl, target))) continue;
      if (best === undefined || !(statement.time < best.statement.time)) best = { statement, file: doc.file };
    }
  }
  if (best === undefined) return undefined;
  const s = best.statement;
  return { file: best.file, status: s.status, vulnerability: s.vulnerability, justification: s.justification, impactStatement: s.impactStatement };
}

/**
 * A product covers a package when its purl matches the package's, or one of its subcomponents' does (the product
 * then being the image, checked against the scanned image's digest when both are known), or when the product is
 * the scanned image itself with no subcomponents named (a statement about the whole image).
 */
function productCovers(product: VexProduct, packagePurl: string | undefined, target: VexTarget): boolean {
  if (product.subcomponents.length === 0) {
    if (packagePurl !== undefined && product.purl !== undefined && purlMatches(product.purl, packagePurl)) return true;
    return product.purl !== undefined && isTargetImage(product.purl, target) === true;
  }
  if (packagePurl === undefined || isTargetImage(product.purl, target) === false) return false;
  return product.subcomponents.some((s) => s.purl !== undefined && purlMatches(s.purl, packagePurl));
}

/** true/false when the product is an OCI purl and the image digest is known; undefined when it cannot be told. */
function isTargetImage(productPurl: string | undefined, target: VexTarget): boolean | undefined {
  if (productPurl === undefined) return undefined;
  const parts = parsePurl(productPurl);
  if (parts?.type !== "oci" || parts.version === undefined || target.imageDigest === undefined) return undefined;
  return parts.version.toLowerCase() === target.imageDigest.toLowerCase();
}

/**
 * Whether a package URL matches a pattern purl: same type, namespace and name (normalised as the purl spec says);
 * the version, each qualifier and the subpath only when the pattern gives them.
 */
export function purlMatches(pattern: string, actual: string): boolean {
  const p = parsePurl(pattern);
  const a = parsePurl(actual);
  if (p === undefined || a === undefined) return false;
  if (identity(p) !== identity(a)) return false;
  if (p.version !== undefined && p.version !== a.version) return false;
  for (const [key, value] of Object.entries(p.qualifiers ?? {})) {
    if (value !== undefined && a.qualifiers?.[key] !== value) return false;
  }
  return p.subpath === undefined || p.subpath === a.subpath;
}

function identity(parts: PurlParts): string {
  return purl({ type: parts.type, namespace: parts.namespace, name: parts.name });
}
