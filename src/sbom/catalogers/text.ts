// Small helpers the text-format catalogers share: decoding, JSON/TOML/YAML reading that notes instead of throwing,
// path pieces, and typed field access on parsed documents.
import { parse as parseYamlDocument } from "yaml";
import type { CatalogContext, CatalogFile, CatalogedPackage, PackageType } from "../model.ts";
import { parseToml } from "../toml.ts";

const utf8 = new TextDecoder("utf-8");

/** The file as text (UTF-8, invalid bytes replaced, a leading BOM dropped). */
export function fileText(file: CatalogFile): string {
  const text = utf8.decode(file.bytes);
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The path's "/"-separated segments. */
export function segments(path: string): string[] {
  return path.split("/");
}

/** True when one of the path's directories is named `dir` ("a/node_modules/b/x" has "node_modules"). */
export function hasDirectory(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`) || path.includes(`/${dir}/`);
}

/** A regular file or a mode we cannot judge (0): directories and links are not files to parse. */
export function isRegularFileMode(mode: number): boolean {
  const kind = mode & 0o170000;
  return kind === 0 || kind === 0o100000;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string field, trimmed; undefined otherwise. */
export function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

export function recordField(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return isRecord(value) ? value : undefined;
}

export function arrayField(record: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return Array.isArray(value) ? value : undefined;
}

/** The own entries of a record whose values are records (a lockfile's name → entry maps). */
export function recordEntries(record: Record<string, unknown> | undefined): [string, Record<string, unknown>][] {
  if (record === undefined) return [];
  return Object.entries(record).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]));
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses JSON, or notes why it cannot and returns undefined. */
export function readJson(file: CatalogFile, context: CatalogContext, what: string): unknown {
  try {
    return JSON.parse(fileText(file)) as unknown;
  } catch (e) {
    context.note(`${file.path}: ${what} is not valid JSON (${reason(e)}); skipped`);
    return undefined;
  }
}

/** Parses TOML, or notes why it cannot and returns undefined. */
export function readToml(file: CatalogFile, context: CatalogContext, what: string): Record<string, unknown> | undefined {
  try {
    return parseToml(fileText(file), file.path);
  } catch (e) {
    context.note(`${file.path}: ${what} is not valid TOML (${reason(e)}); skipped`);
    return undefined;
  }
}

/**
 * Parses YAML with the failsafe schema (every scalar a string: "1.10" stays "1.10", "true" is "true"), or notes
 * why it cannot and returns undefined.
 */
export function readYaml(file: CatalogFile, context: CatalogContext, what: string): unknown {
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"); lockfiles use no aliases at all.
    return parseYamlDocument(fileText(file), { schema: "failsafe", maxAliasCount: 100, uniqueKeys: false, prettyErrors: false, logLevel: "error" }) as unknown;
  } catch (e) {
    context.note(`${file.path}: ${what} is not valid YAML (${reason(e)}); skipped`);
    return undefined;
  }
}

export interface PackageFields {
  name: string;
  version: string;
  ecosystem: string;
  type: PackageType;
  purl: string;
  namespace?: string | undefined;
  licenses?: string[];
  cataloger: string;
  metadata?: Record<string, string | undefined>;
}

/** A CatalogedPackage found in `file`; undefined metadata values are dropped. */
export function packageAt(file: CatalogFile, fields: PackageFields): CatalogedPackage {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields.metadata ?? {})) if (v !== undefined) metadata[k] = v;
  return {
    name: fields.name,
    version: fields.version,
    ecosystem: fields.ecosystem,
    purl: fields.purl,
    type: fields.type,
    ...(fields.namespace === undefined ? {} : { namespace: fields.namespace }),
    licenses: fields.licenses ?? [],
    locations: [file.location],
    cataloger: fields.cataloger,
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

/** Drops later packages with the same purl (a lockfile that lists one package at several install paths). */
export function uniqueByPurl(packages: CatalogedPackage[]): CatalogedPackage[] {
  const seen = new Map<string, CatalogedPackage>();
  for (const p of packages) {
    const first = seen.get(p.purl);
    if (first === undefined) {
      seen.set(p.purl, p);
      continue;
    }
    // A package is dev-only when every occurrence is.
    if (first.metadata?.["dev"] === "true" && p.metadata?.["dev"] !== "true") delete first.metadata["dev"];
  }
  return [...seen.values()].map((p) => (p.metadata !== undefined && Object.keys(p.metadata).length === 0 ? withoutMetadata(p) : p));
}

function withoutMetadata(p: CatalogedPackage): CatalogedPackage {
  const { metadata: _dropped, ...rest } = p;
  return rest;
}
