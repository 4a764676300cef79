// drydock's configuration: drydock.yaml (or hadolint's .hadolint.yaml, read as is), validated with exact positions.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { DrydockError } from "./errors.ts";
import { isSeverity, type Severity, type TextLocation } from "./finding.ts";
import { LineIndex } from "./text.ts";
import { isVulnSeverity, VULN_SEVERITIES, type VulnSeverity } from "../vuln/severity.ts";

/** A severity a rule can be set to; "off" drops its findings. */
export type SeverityOrOff = Severity | "off";

/** The lowest severity that fails a run; "none" sets no cutoff, so any finding fails (hadolint's meaning). */
export type FailureThreshold = Severity | "none";

/** Value types of hadolint's label schema (DL3049–DL3058). */
export type LabelType = "text" | "url" | "semver" | "hash" | "rfc3339" | "spdx" | "email";

export const LABEL_TYPES: readonly LabelType[] = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

export interface Config {
  /** Rule references (id or alias) whose findings are dropped. */
  ignore: readonly string[];
  /** Opt-in rules (off by default) to run, by id or alias. */
  enable: readonly string[];
  /** Severity per rule reference, in file order: when two entries name the same rule, the later wins. */
  severity: Readonly<Record<string, SeverityOrOff>>;
  /** undefined when the file does not set it (the CLI or the default decides). */
  failureThreshold: FailureThreshold | undefined;
  noFail: boolean;
  /** Registries FROM may pull from (DL3026); empty means any. */
  trustedRegistries: readonly string[];
  labelSchema: Readonly<Record<string, LabelType>>;
  strictLabels: boolean;
  /** Turns off `# hadolint ignore=` / `# drydock ignore=` pragmas (not BuildKit's `# check=` directive). */
  disableIgnorePragma: boolean;
  /** `drydock audit` settings; present only when the file has an `audit` section. */
  audit?: AuditSettings;
  /** Registry client settings; present only when the file has a `registries` section. */
  registries?: RegistrySettings;
  /** `drydock scan` settings; present only when the file has a `scan` section. */
  scan?: ScanSettings;
  /** `drydock verify --policy` / `pull --verify` rules; present only when the file has a `verify` section. */
  verify?: VerifySettings;
  /** Images `drydock check` audits and scans; present only when the file has an `images` section. */
  images?: readonly CheckedImage[];
}

/** One entry of `images:` in drydock.yaml: an image `drydock check` audits and scans (and verifies, when asked). */
export interface CheckedImage {
  /** Any image reference `drydock audit` takes: docker://REF, oci:DIR[:TAG], docker-archive:FILE, a path. */
  ref: string;
  /** Also check the image against the `verify:` policy. */
  verify: boolean;
  /** Where the entry is written ("drydock.yaml:12"), for messages. */
  where: string;
}

/** `verify:` in drydock.yaml: images matching a pattern must carry a signature by one of the listed keys. */
export interface VerifySettings {
  images: readonly ImageSignaturePolicy[];
}

export interface ImageSignaturePolicy {
  /** A repository pattern ("registry.example/team/*"); `*` stays within a path component, `**` crosses them. */
  pattern: string;
  /** Public key files, relative to the config file's directory; a signature by any one of them satisfies the entry. */
  keys: readonly string[];
  /** Annotations the signature must carry (`-a k=v` of cosign verify). */
  annotations: Readonly<Record<string, string>>;
  /** Where the entry is written ("drydock.yaml:12"), for messages. */
  where: string;
}

/** `scan:` in drydock.yaml: accepted vulnerabilities and the default gates of `drydock scan`. */
export interface ScanSettings {
  ignore: readonly ScanIgnoreRule[];
  /** Only these severities are reported; undefined when the file does not say (the CLI or "all" decides). */
  severity: readonly VulnSeverity[] | undefined;
  ignoreUnfixed: boolean | undefined;
  /** Lowest severity that fails the scan; "any" fails on every reported vulnerability. */
  failOn: VulnSeverity | "any" | undefined;
}

/** One accepted vulnerability: its id (or an alias), optionally one package, always a reason, maybe an end date. */
export interface ScanIgnoreRule {
  id: string;
  /** A package name (binary or source package) or a purl prefix ("pkg:npm/lodash"); undefined = every package. */
  package: string | undefined;
  reason: string;
  /** Last day the ignore applies (YYYY-MM-DD, inclusive, UTC); undefined = no end. */
  until: string | undefined;
  /** Where the entry is written ("drydock.yaml:12"), for notes about it. */
  where: string;
}

/**
 * Allow-lists of `drydock audit`, as image paths or .dockerignore-style patterns (`/usr/bin/*`, `**\/tests`); a
 * pattern naming a directory covers everything below it.
 */
export interface AuditSettings {
  /** setuid/setgid files that are expected (DI004). */
  setuidAllow: readonly string[];
  /** Paths whose content is not searched for secrets (DI006): fixtures the image is meant to carry. */
  secretPathAllow: readonly string[];
  /** World-writable paths that are expected (DI019). */
  worldWritableAllow: readonly string[];
}

/** `registries:` in drydock.yaml: pull mirrors per registry host, and hosts reached over HTTP / without TLS checks. */
export interface RegistrySettings {
  mirrors: Readonly<Record<string, readonly string[]>>;
  insecure: readonly string[];
}

export const AUDIT_SETTING_NAMES: readonly (keyof AuditSettings)[] = ["setuidAllow", "secretPathAllow", "worldWritableAllow"];

export function emptyAuditSettings(): AuditSettings {
  return { setuidAllow: [], secretPathAllow: [], worldWritableAllow: [] };
}

export interface LoadedConfig {
  config: Config;
  /** The file read, undefined when none was found. */
  file: string | undefined;
  /** Which kind of file it was, by name. */
  dialect: "drydock" | "hadolint" | undefined;
}

export const DRYDOCK_CONFIG_NAMES: readonly string[] = ["drydock.yaml", ".drydock.yaml", "drydock.yml", ".drydock.yml"];
export const HADOLINT_CONFIG_NAMES: readonly string[] = [".hadolint.yaml", ".hadolint.yml"];

export function emptyConfig(): Config {
  return {
    ignore: [],
    enable: [],
    severity: {},
    failureThreshold: undefined,
    noFail: false,
    trustedRegistries: [],
    labelSchema: {},
    strictLabels: false,
    disableIgnorePragma: false,
  };
}

/**
 * Reads explicitPath, or else the nearest config file: `dir`, then its parents, stopping after a directory
 * that holds `.git`. In each directory drydock's names are tried before hadolint's.
 */
export async function loadConfig(dir: string, explicitPath?: string): Promise<LoadedConfig> {
  const file = explicitPath ?? (await findConfigFile(dir));
  if (file === undefined) return { config: emptyConfig(), file: undefined, dialect: undefined };
  const text = await readConfigText(file);
  const dialect = HADOLINT_CONFIG_NAMES.includes(path.basename(file)) ? "hadolint" : "drydock";
  return { config: parseConfig(text, file), file, dialect };
}

async function findConfigFile(dir: string): Promise<string | undefined> {
  for (let current = path.resolve(dir); ; ) {
    for (const name of [...DRYDOCK_CONFIG_NAMES, ...HADOLINT_CONFIG_NAMES]) {
      const candidate = path.join(current, name);
      if (await isFile(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current || (await exists(path.join(current, ".git")))) return undefined;
    current = parent;
  }
}

async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    const reason = errnoCode(cause) === "ENOENT" ? "does not exist" : "cannot be read";
    throw new DrydockError("INPUT_UNREADABLE", `config file ${file} ${reason}`, { location: { kind: "ref", ref: file }, cause });
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/** What a config file may set, gathered in file order before it becomes a Config. */
interface Draft {
  ignore: string[];
  enable: string[];
  /** hadolint's `override` lists, as [ref, severity] pairs. */
  overrides: [string, Severity][];
  severity: [string, SeverityOrOff][];
  failureThreshold?: FailureThreshold;
  noFail?: boolean;
  trustedRegistries: string[];
  labelSchema: [string, LabelType][];
  strictLabels?: boolean;
  disableIgnorePragma?: boolean;
  audit?: { -readonly [K in keyof AuditSettings]: string[] };
  registries?: { mirrors: [string, string[]][]; insecure: string[] };
  scan?: { ignore: ScanIgnoreRule[]; severity?: VulnSeverity[]; ignoreUnfixed?: boolean; failOn?: VulnSeverity | "any" };
  verify?: { images: ImageSignaturePolicy[] };
  images?: CheckedImage[];
}

type ScalarSetting = "failureThreshold" | "noFail" | "strictLabels" | "disableIgnorePragma";

/** Reads one YAML document and reports problems at the node they concern. */
class ConfigReader {
  readonly file: string;
  private readonly lines: LineIndex;
  private readonly doc: Document.Parsed;
  /** Where each scalar setting was first given, so a second spelling of it is reported. */
  readonly seen = new Map<ScalarSetting, { key: string; line: number }>();

  constructor(text: string, file: string) {
    this.file = file;
    this.lines = new LineIndex(text);
    this.doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  }

  get root(): Node | null {
    return this.doc.contents;
  }

  checkSyntax(): void {
    const error = this.doc.errors[0];
    if (error !== undefined) {
      throw this.errorAt(error.pos[0], error.pos[1], `invalid YAML: ${error.message}`, error);
    }
  }

  /** Follows an alias (`*name`) to the node it stands for. */
  deref(node: Node): Node {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (target === undefined) throw this.errorAt(...rangeOf(node), `alias *${node.source} names no anchor`);
    return target;
  }

  lineOf(node: Node): number {
    return this.lines.position(rangeOf(node)[0]).line;
  }

  invalid(node: Node, message: string): DrydockError {
    return this.errorAt(...rangeOf(node), message);
  }

  private errorAt(start: number, end: number, message: string, cause?: unknown): DrydockError {
    const span = this.lines.span(start, Math.max(start, end));
    const location: TextLocation = { kind: "text", file: this.file, start: span.start, end: span.end };
    return new DrydockError("CONFIG_INVALID", message, { location, cause });
  }
}

function rangeOf(node: Node): [number, number] {
  const range = node.range;
  return range ? [range[0], range[1]] : [0, 0];
}

/** Parses drydock.yaml or .hadolint.yaml text; file is used in error locations. Throws CONFIG_INVALID. */
export function parseConfig(text: string, file: string): Config {
  const reader = new ConfigReader(text, file);
  reader.checkSyntax();
  const root = reader.root === null ? null : reader.deref(reader.root);
  if (root === null || isNull(root)) return emptyConfig();
  if (!isMap(root)) throw reader.invalid(root, `expected a mapping of settings (key: value), got ${describe(root)}`);
  const draft: Draft = { ignore: [], enable: [], overrides: [], severity: [], trustedRegistries: [], labelSchema: [] };
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    if (keyNode === null || !isScalar(keyNode) || typeof keyNode.value !== "string") {
      throw reader.invalid(keyNode ?? root, "expected a setting name (a plain string key)");
    }
    const key = keyNode.value;
    const read = SETTINGS[key];
    if (read === undefined) throw reader.invalid(keyNode, unknownKeyMessage(key, Object.keys(SETTINGS), "setting"));
    const value = pair.value as Node | null;
    if (value === null) continue;
    const node = reader.deref(value);
    if (isNull(node)) continue; // `key:` with nothing after it means "not set", as in hadolint
    read({ reader, draft, key, keyNode, node });
  }
  return finish(draft);
}

interface SettingInput {
  reader: ConfigReader;
  draft: Draft;
  key: string;
  keyNode: Node;
  node: Node;
}

const IGNORED = (): void => {};

/** Every key a config file may hold: drydock's own, then hadolint's (same meaning), then hadolint's ignored ones. */
const SETTINGS: Record<string, (input: SettingInput) => void> = {
  ignore: (i) => i.draft.ignore.push(...ruleList(i.reader, i.node, i.key)),
  enable: (i) => i.draft.enable.push(...ruleList(i.reader, i.node, i.key)),
  severity: readSeverityMap,
  failureThreshold: (i) => setOnce(i, "failureThreshold", thresholdOf(i.reader, i.node, i.key)),
  noFail: (i) => setOnce(i, "noFail", booleanOf(i.reader, i.node, i.key)),
  trustedRegistries: (i) => i.draft.trustedRegistries.push(...stringOrList(i.reader, i.node, i.key)),
  labelSchema: readLabelSchema,
  strictLabels: (i) => setOnce(i, "strictLabels", booleanOf(i.reader, i.node, i.key)),
  disableIgnorePragma: (i) => setOnce(i, "disableIgnorePragma", booleanOf(i.reader, i.node, i.key)),
  audit: readAudit,
  registries: readRegistries,
  scan: readScan,
  verify: readVerify,
  images: readImages,
  // Read and checked by src/base/config.ts (`drydock base`), which re-reads the file for positions.
  base: IGNORED,
  ignored: (i) => i.draft.ignore.push(...ruleList(i.reader, i.node, i.key)),
  override: readOverride,
  "label-schema": readLabelSchema,
  "strict-labels": (i) => setOnce(i, "strictLabels", booleanOf(i.reader, i.node, i.key)),
  "failure-threshold": (i) => setOnce(i, "failureThreshold", thresholdOf(i.reader, i.node, i.key)),
  "no-fail": (i) => setOnce(i, "noFail", booleanOf(i.reader, i.node, i.key)),
  "disable-ignore-pragma": (i) => setOnce(i, "disableIgnorePragma", booleanOf(i.reader, i.node, i.key)),
  // Output options of hadolint's CLI: drydock takes them from its own command line.
  format: IGNORED,
  formats: IGNORED,
  "no-color": IGNORED,
  verbose: IGNORED,
};

function setOnce<K extends ScalarSetting>(input: SettingInput, setting: K, value: Draft[K]): void {
  const earlier = input.reader.seen.get(setting);
  if (earlier !== undefined) {
    throw input.reader.invalid(input.keyNode, `${input.key} repeats ${earlier.key} (line ${earlier.line}); keep one of them`);
  }
  input.reader.seen.set(setting, { key: input.key, line: input.reader.lineOf(input.keyNode) });
  input.draft[setting] = value;
}

function readSeverityMap({ reader, draft, key, node }: SettingInput): void {
  const choices = [...SEVERITY_NAMES, "off"];
  for (const [ruleNode, valueNode] of mapEntries(reader, node, key, "a mapping of rule id to severity")) {
    const ref = ruleRefOf(reader, ruleNode, key);
    const target = valueNode === null ? null : reader.deref(valueNode);
    const value = target === null ? undefined : scalarString(target);
    if (value === undefined || !(choices as readonly string[]).includes(value)) {
      const at = target === null || isNull(target) ? ruleNode : target; // an empty value: point at its rule
      throw reader.invalid(at, `${key}.${ref} must be one of ${choices.join(", ")}${got(reader, valueNode)}`);
    }
    draft.severity.push([ref, value as SeverityOrOff]);
  }
}

// Applied least severe first so that a rule listed twice keeps the most severe level, as hadolint does.
const OVERRIDE_ORDER: readonly Severity[] = ["style", "info", "warning", "error"];
const SEVERITY_NAMES: readonly Severity[] = ["error", "warning", "info", "style"];

function readOverride({ reader, draft, key, node }: SettingInput): void {
  const lists = new Map<Severity, string[]>();
  for (const [levelNode, listNode] of mapEntries(reader, node, key, "a mapping of severity to a list of rule ids")) {
    const level = scalarString(levelNode);
    if (level === undefined || !isSeverity(level)) {
      throw reader.invalid(levelNode, `${key} keys must be ${SEVERITY_NAMES.join(", ")}${got(reader, levelNode)}`);
    }
    lists.set(level, listNode === null ? [] : ruleList(reader, reader.deref(listNode), `${key}.${level}`));
  }
  for (const level of OVERRIDE_ORDER) {
    for (const ref of lists.get(level) ?? []) draft.overrides.push([ref, level]);
  }
}

function readAudit({ reader, draft, key, node }: SettingInput): void {
  const audit = (draft.audit ??= { setuidAllow: [], secretPathAllow: [], worldWritableAllow: [] });
  for (const [nameNode, valueNode] of mapEntries(reader, node, key, `a mapping of ${AUDIT_SETTING_NAMES.join(", ")}`)) {
    const name = scalarString(nameNode);
    if (name === undefined || !(AUDIT_SETTING_NAMES as readonly string[]).includes(name)) {
      throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", AUDIT_SETTING_NAMES, `${key} setting`));
    }
    if (valueNode === null) continue;
    const value = reader.deref(valueNode);
    if (isNull(value)) continue;
    const paths = stringOrList(reader, value, `${key}.${name}`);
    for (const [i, p] of paths.entries()) {
      if (p.trim() === "" || p.includes("\0")) throw reader.invalid(isSeq(value) ? (value.items[i] as Node) : value, `${key}.${name} entries must be image paths or patterns; got ${JSON.stringify(p)}`);
    }
    audit[name as keyof AuditSettings].push(...paths);
  }
}

function readRegistries({ reader, draft, key, node }: SettingInput): void {
  const registries = (draft.registries ??= { mirrors: [], insecure: [] });
  const names = ["mirrors", "insecure"];
  for (const [nameNode, valueNode] of mapEntries(reader, node, key, "a mapping of mirrors, insecure")) {
    const name = scalarString(nameNode);
    if (name === undefined || !names.includes(name)) throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", names, `${key} setting`));
    if (valueNode === null) continue;
    const value = reader.deref(valueNode);
    if (isNull(value)) continue;
    if (name === "insecure") {
      registries.insecure.push(...stringOrList(reader, value, `${key}.insecure`));
      continue;
    }
    for (const [hostNode, listNode] of mapEntries(reader, value, `${key}.mirrors`, "a mapping of registry host to a list of mirror hosts")) {
      const host = scalarString(hostNode);
      if (host === undefined || host === "") throw reader.invalid(hostNode, `${key}.mirrors keys must be registry hosts`);
      const list = listNode === null ? [] : stringOrList(reader, reader.deref(listNode), `${key}.mirrors.${host}`);
      registries.mirrors.push([host, list]);
    }
  }
}

const SCAN_SETTING_NAMES: readonly string[] = ["ignore", "severity", "ignoreUnfixed", "failOn"];
const SCAN_IGNORE_KEYS: readonly string[] = ["id", "package", "reason", "until"];
// Vulnerability ids: CVE-2021-44228, GHSA-jfh8-c2jp-5v3q, DSA-5103-1, PYSEC-2023-74, RUSTSEC-2021-0001, GO-2022-0001.
const VULN_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$/;

function readScan({ reader, draft, key, node }: SettingInput): void {
  const scan = (draft.scan ??= { ignore: [] });
  for (const [nameNode, valueNode] of mapEntries(reader, node, key, `a mapping of ${SCAN_SETTING_NAMES.join(", ")}`)) {
    const name = scalarString(nameNode);
    if (name === undefined || !SCAN_SETTING_NAMES.includes(name)) throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", SCAN_SETTING_NAMES, `${key} setting`));
    if (valueNode === null) continue;
    const value = reader.deref(valueNode);
    if (isNull(value)) continue;
    const at = `${key}.${name}`;
    if (name === "ignoreUnfixed") scan.ignoreUnfixed = booleanOf(reader, value, at);
    else if (name === "failOn") scan.failOn = vulnSeverityOf(reader, value, at, true);
    else if (name === "severity") {
      const items = isSeq(value) ? value.items.map((item) => reader.deref(item as Node)) : [value];
      scan.severity = [...new Set([...(scan.severity ?? []), ...items.map((item) => vulnSeverityOf(reader, item, at, false) as VulnSeverity)])];
    } else {
      if (!isSeq(value)) throw reader.invalid(value, `${at} must be a list of {id, package, reason, until} entries, got ${describe(value)}`);
      for (const item of value.items) scan.ignore.push(scanIgnoreOf(reader, reader.deref(item as Node), at));
    }
  }
}

function vulnSeverityOf(reader: ConfigReader, node: Node, key: string, allowAny: boolean): VulnSeverity | "any" {
  const value = scalarString(node)?.toUpperCase();
  if (value !== undefined && isVulnSeverity(value)) return value;
  if (allowAny && value === "ANY") return "any";
  throw reader.invalid(node, `${key} must be one of ${[...VULN_SEVERITIES, ...(allowAny ? ["any"] : [])].join(", ")}${got(reader, node)}`);
}

function scanIgnoreOf(reader: ConfigReader, node: Node, key: string): ScanIgnoreRule {
  const fields = new Map<string, { node: Node; value: string }>();
  for (const [fieldNode, valueNode] of mapEntries(reader, node, key, "a mapping with id, reason and optionally package, until")) {
    const field = scalarString(fieldNode);
    if (field === undefined || !SCAN_IGNORE_KEYS.includes(field)) throw reader.invalid(fieldNode, unknownKeyMessage(field ?? "", SCAN_IGNORE_KEYS, `${key} field`));
    const target = valueNode === null ? null : reader.deref(valueNode);
    const value = target === null ? undefined : scalarText(target);
    if (target === null || value === undefined) throw reader.invalid(target ?? fieldNode, `${key}[].${field} must be a string${got(reader, valueNode)}`);
    fields.set(field, { node: target, value: value.trim() });
  }
  const id = fields.get("id");
  if (id === undefined) throw reader.invalid(node, `${key} entries need an id (a vulnerability id such as CVE-2021-44228)`);
  if (!VULN_ID.test(id.value)) throw reader.invalid(id.node, `${key}[].id must be a vulnerability id such as CVE-2021-44228 or GHSA-jfh8-c2jp-5v3q; got ${JSON.stringify(id.value)}`);
  const reason = fields.get("reason");
  // An accepted risk nobody explained cannot be reviewed later.
  if (reason === undefined || reason.value === "") throw reader.invalid(reason?.node ?? node, `${key} entry for ${id.value} needs a reason (why the vulnerability is accepted)`);
  const pkg = fields.get("package");
  if (pkg !== undefined && pkg.value === "") throw reader.invalid(pkg.node, `${key}[].package must be a package name or a purl prefix`);
  const until = fields.get("until");
  if (until !== undefined && !isCalendarDate(until.value)) throw reader.invalid(until.node, `${key}[].until must be a date written YYYY-MM-DD; got ${JSON.stringify(until.value)}`);
  return { id: id.value, package: pkg?.value, reason: reason.value, until: until?.value, where: `${reader.file}:${reader.lineOf(node)}` };
}

/** A scalar as text: strings as they are, numbers and booleans spelled out (an unquoted date stays a string in YAML 1.2). */
function scalarText(node: Node): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function readVerify({ reader, draft, key, node }: SettingInput): void {
  const verify = (draft.verify ??= { images: [] });
  for (const [nameNode, valueNode] of mapEntries(reader, node, key, "a mapping with images")) {
    const name = scalarString(nameNode);
    if (name !== "images") throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", ["images"], `${key} setting`));
    if (valueNode === null) continue;
    const value = reader.deref(valueNode);
    if (isNull(value)) continue;
    if (!isSeq(value)) throw reader.invalid(value, `${key}.images must be a list of {pattern, keys, annotations}, got ${describe(value)}`);
    for (const item of value.items) verify.images.push(imagePolicyOf(reader, reader.deref(item as Node), `${key}.images`));
  }
}

function imagePolicyOf(reader: ConfigReader, node: Node, key: string): ImageSignaturePolicy {
  let pattern: string | undefined;
  const keys: string[] = [];
  const annotations: Record<string, string> = {};
  for (const [nameNode, valueNode] of mapEntries(reader, node, key, "a mapping of pattern, keys, annotations")) {
    const name = scalarString(nameNode);
    const value = valueNode === null ? null : reader.deref(valueNode);
    if (name === "pattern") {
      pattern = value === null ? undefined : scalarString(value);
      if (pattern === undefined || pattern.trim() === "") throw reader.invalid(value ?? nameNode, `${key}.pattern must be a repository pattern such as registry.example/team/*${got(reader, valueNode)}`);
    } else if (name === "keys") {
      if (value !== null && !isNull(value)) keys.push(...stringOrList(reader, value, `${key}.keys`));
    } else if (name === "annotations") {
      if (value === null || isNull(value)) continue;
      for (const [kNode, vNode] of mapEntries(reader, value, `${key}.annotations`, "a mapping of annotation to value")) {
        const k = scalarString(kNode);
        const target = vNode === null ? null : reader.deref(vNode);
        const v = target !== null && isScalar(target) && target.value !== null ? String(target.value) : undefined;
        if (k === undefined || k === "" || v === undefined) throw reader.invalid(kNode, `${key}.annotations entries must be name: value strings`);
        annotations[k] = v;
      }
    } else {
      throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", ["pattern", "keys", "annotations"], `${key} field`));
    }
  }
  if (pattern === undefined) throw reader.invalid(node, `${key} entries need a pattern`);
  if (keys.length === 0) throw reader.invalid(node, `${key} entry ${JSON.stringify(pattern)} lists no keys`);
  return { pattern, keys, annotations, where: `${reader.file}:${reader.lineOf(node)}` };
}

function readImages({ reader, draft, key, node }: SettingInput): void {
  const images = (draft.images ??= []);
  if (!isSeq(node)) throw reader.invalid(node, `${key} must be a list of {ref, verify} entries, got ${describe(node)}`);
  for (const item of node.items) {
    const entry = reader.deref(item as Node);
    // A bare string is the common case: `- docker://registry.example/app:1.2`.
    const bare = scalarString(entry);
    if (bare !== undefined) {
      if (bare.trim() === "") throw reader.invalid(entry, `${key} entries must be image references`);
      images.push({ ref: bare.trim(), verify: false, where: `${reader.file}:${reader.lineOf(entry)}` });
      continue;
    }
    let ref: string | undefined;
    let verify = false;
    for (const [nameNode, valueNode] of mapEntries(reader, entry, key, "a mapping of ref, verify (or an image reference)")) {
      const name = scalarString(nameNode);
      const value = valueNode === null ? null : reader.deref(valueNode);
      if (name === "ref") {
        ref = value === null ? undefined : scalarString(value)?.trim();
        if (ref === undefined || ref === "") throw reader.invalid(value ?? nameNode, `${key}[].ref must be an image reference such as docker://registry.example/app:1.2${got(reader, valueNode)}`);
      } else if (name === "verify") {
        if (value !== null && !isNull(value)) verify = booleanOf(reader, value, `${key}[].verify`);
      } else {
        throw reader.invalid(nameNode, unknownKeyMessage(name ?? "", ["ref", "verify"], `${key} field`));
      }
    }
    if (ref === undefined) throw reader.invalid(entry, `${key} entries need a ref`);
    images.push({ ref, verify, where: `${reader.file}:${reader.lineOf(entry)}` });
  }
}

function readLabelSchema({ reader, draft, key, node }: SettingInput): void {
  for (const [labelNode, typeNode] of mapEntries(reader, node, key, "a mapping of label name to value type")) {
    const label = scalarString(labelNode);
    if (label === undefined || label === "") throw reader.invalid(labelNode, `${key} keys must be label names`);
    const typeTarget = typeNode === null ? null : reader.deref(typeNode);
    const type = typeTarget === null || isNull(typeTarget) ? "" : scalarString(typeTarget);
    // hadolint reads an empty type as text.
    const labelType = type === "" ? "text" : type;
    if (labelType === undefined || !(LABEL_TYPES as readonly string[]).includes(labelType)) {
      throw reader.invalid(typeNode ?? labelNode, `${key}.${label} must be one of ${LABEL_TYPES.join(", ")}${got(reader, typeNode)}`);
    }
    draft.labelSchema.push([label, labelType as LabelType]);
  }
}

function mapEntries(reader: ConfigReader, node: Node, key: string, expected: string): [Node, Node | null][] {
  if (!isMap(node)) throw reader.invalid(node, `${key} must be ${expected}, got ${describe(node)}`);
  return node.items.map((pair) => {
    const k = pair.key as Node | null;
    if (k === null) throw reader.invalid(node, `${key} has an entry without a key`);
    return [reader.deref(k), (pair.value as Node | null) ?? null];
  });
}

function ruleList(reader: ConfigReader, node: Node, key: string): string[] {
  if (!isSeq(node)) throw reader.invalid(node, `${key} must be a list of rule ids, got ${describe(node)}`);
  return node.items.map((item) => ruleRefOf(reader, reader.deref(item as Node), key));
}

function stringOrList(reader: ConfigReader, node: Node, key: string): string[] {
  if (isScalar(node) && typeof node.value === "string") return [node.value];
  if (!isSeq(node)) throw reader.invalid(node, `${key} must be a string or a list of strings, got ${describe(node)}`);
  return node.items.map((item) => {
    const value = scalarString(reader.deref(item as Node));
    if (value === undefined) throw reader.invalid(item as Node, `${key} entries must be strings, got ${describe(reader.deref(item as Node))}`);
    return value;
  });
}

// A rule id is one word: letters, digits and the punctuation other tools' ids use (hadolint:DL3008, CIS-DI-0001).
const RULE_REF = /^[A-Za-z0-9][A-Za-z0-9:._/-]*$/;

function ruleRefOf(reader: ConfigReader, node: Node, key: string): string {
  const value = scalarString(node);
  if (value === undefined || !RULE_REF.test(value)) {
    throw reader.invalid(node, `${key} expects rule ids such as DL3008, hadolint:DL3008 or JSONArgsRecommended${got(reader, node)}`);
  }
  return value;
}

function thresholdOf(reader: ConfigReader, node: Node, key: string): FailureThreshold {
  const value = scalarString(node);
  if (value === "ignore" || value === "none") return "none"; // hadolint spells "no cutoff" both ways
  if (value === undefined || !isSeverity(value)) {
    throw reader.invalid(node, `${key} must be one of error, warning, info, style, none${got(reader, node)}`);
  }
  return value;
}

function booleanOf(reader: ConfigReader, node: Node, key: string): boolean {
  if (isScalar(node) && typeof node.value === "boolean") return node.value;
  throw reader.invalid(node, `${key} must be true or false${got(reader, node)}`);
}

function scalarString(node: Node): string | undefined {
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}

function isNull(node: Node): boolean {
  return isScalar(node) && node.value === null;
}

function describe(node: Node): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "nothing";
    if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
    if (typeof v === "boolean" || typeof v === "number") return `${typeof v} ${String(v)}`;
  }
  return "an unsupported value";
}

function got(reader: ConfigReader, node: Node | null): string {
  return node === null ? "; got nothing" : `; got ${describe(reader.deref(node))}`;
}

/** "unknown setting x; expected one of ..." with a suggestion when only case or separators differ. */
function unknownKeyMessage(key: string, known: readonly string[], what: string): string {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");
  const near = known.find((k) => norm(k) === norm(key));
  const hint = near === undefined ? "" : `; did you mean ${near}?`;
  return `unknown ${what} ${JSON.stringify(key)}${hint} (expected one of: ${known.join(", ")})`;
}

function finish(draft: Draft): Config {
  return {
    ignore: [...new Set(draft.ignore)],
    enable: [...new Set(draft.enable)],
    // hadolint's override lists first, so drydock's `severity` map wins when both name a rule.
    severity: Object.fromEntries(orderedLastWins([...draft.overrides, ...draft.severity])),
    failureThreshold: draft.failureThreshold,
    noFail: draft.noFail ?? false,
    trustedRegistries: [...new Set(draft.trustedRegistries)],
    labelSchema: Object.fromEntries(draft.labelSchema),
    strictLabels: draft.strictLabels ?? false,
    disableIgnorePragma: draft.disableIgnorePragma ?? false,
    ...(draft.audit === undefined ? {} : {
      audit: {
        setuidAllow: [...new Set(draft.audit.setuidAllow)],
        secretPathAllow: [...new Set(draft.audit.secretPathAllow)],
        worldWritableAllow: [...new Set(draft.audit.worldWritableAllow)],
      },
    }),
    ...(draft.registries === undefined ? {} : {
      registries: { mirrors: Object.fromEntries(draft.registries.mirrors), insecure: [...new Set(draft.registries.insecure)] },
    }),
    ...(draft.scan === undefined ? {} : {
      scan: { ignore: draft.scan.ignore, severity: draft.scan.severity, ignoreUnfixed: draft.scan.ignoreUnfixed, failOn: draft.scan.failOn },
    }),
    ...(draft.verify === undefined ? {} : { verify: { images: draft.verify.images } }),
    ...(draft.images === undefined ? {} : { images: draft.images }),
  };
}

/** Keeps the last value per key but moves the key to where that value was given, so object order = precedence. */
function orderedLastWins<V>(entries: readonly [string, V][]): [string, V][] {
  const last = new Map<string, V>();
  for (const [k, v] of entries) {
    last.delete(k);
    last.set(k, v);
  }
  return [...last];
}
