// The `base:` section of drydock.yaml, checked with exact positions (core/config.ts lets the key through and this
// module reads it), and the machine's apt sources, which give the default mirror.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { DrydockError } from "../core/errors.ts";
import { LineIndex } from "../core/text.ts";
import { DEFAULT_KEYRING } from "./apt.ts";
import { parseDeb822 } from "./deb822.ts";
import { LOCK_FILE_NAME } from "./lock.ts";
import { VARIANTS, requestRelation, type Variant } from "./resolve.ts";

export interface BaseUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface BaseGroup {
  name: string;
  gid: number;
}

/** A file from the project put into the image. */
export interface BaseFile {
  /** Absolute path on this machine (relative ones are resolved against the config file's directory). */
  source: string;
  /** Absolute path in the image. */
  path: string;
  mode: number;
}

export interface BaseSourceSetting {
  /** undefined: the machine's apt sources decide. */
  mirror: string | undefined;
  suite: string;
  components: readonly string[];
}

export interface BaseSettings {
  /** The main repository first, then `sources:` in order. */
  sources: readonly BaseSourceSetting[];
  architectures: readonly string[];
  variant: Variant;
  packages: readonly string[];
  /** Never installed, even when depended on. */
  exclude: readonly string[];
  keyrings: readonly string[];
  usrmerge: boolean;
  users: readonly BaseUser[];
  groups: readonly BaseGroup[];
  files: readonly BaseFile[];
  env: Readonly<Record<string, string>>;
  entrypoint: readonly string[] | undefined;
  cmd: readonly string[] | undefined;
  user: string | undefined;
  workdir: string | undefined;
  labels: Readonly<Record<string, string>>;
  /** Absolute path of drydock.lock. */
  lock: string;
  /** Which dpkg database to write: dpkg's status file, distroless' status.d directory, or both. */
  dpkgDatabase: DpkgDatabaseLayout;
}

export type DpkgDatabaseLayout = "status" | "status.d" | "both";
const DPKG_LAYOUTS: readonly DpkgDatabaseLayout[] = ["status", "status.d", "both"];

const KEYS = ["suite", "mirror", "components", "architectures", "variant", "packages", "keyring", "sources", "usrmerge", "users", "groups", "files", "env", "entrypoint", "cmd", "user", "workdir", "labels", "lock", "dpkgDatabase", "exclude"];

/** Reads the `base:` section of a drydock.yaml; undefined when the file has none. */
export function parseBaseSettings(text: string, file: string, hostArchitecture: string): BaseSettings | undefined {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const fail = (node: Node | null | undefined, message: string): never => {
    const range = node?.range ?? [0, 0];
    const span = lines.span(range[0], Math.max(range[0], range[1]));
    throw new DrydockError("CONFIG_INVALID", message, { location: { kind: "text", file, start: span.start, end: span.end } });
  };
  if (doc.errors[0] !== undefined) {
    const e = doc.errors[0];
    const span = lines.span(e.pos[0], e.pos[1]);
    throw new DrydockError("CONFIG_INVALID", `invalid YAML: ${e.message}`, { location: { kind: "text", file, start: span.start, end: span.end } });
  }
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const baseNode = root.get("base", true) as Node | undefined;
  if (baseNode === undefined || baseNode === null) return undefined;
  if (!isMap(baseNode)) return fail(baseNode, "base must be a mapping (suite:, packages:, ...)");
  const get = (key: string): Node | undefined => {
    const n = baseNode.get(key, true) as Node | null | undefined;
    return n === null || n === undefined || (isScalar(n) && n.value === null) ? undefined : n;
  };
  for (const pair of baseNode.items) {
    const k = pair.key as Node;
    const name = isScalar(k) ? String(k.value) : "";
    if (!KEYS.includes(name)) fail(k, `base.${name} is not a setting; known: ${KEYS.join(", ")}`);
  }
  const str = (n: Node | undefined, where: string): string | undefined => {
    if (n === undefined) return undefined;
    if (!isScalar(n) || (typeof n.value !== "string" && typeof n.value !== "number") || String(n.value) === "") return fail(n, `${where} must be a non-empty string`);
    return String(n.value);
  };
  const list = (n: Node | undefined, where: string): string[] | undefined => {
    if (n === undefined) return undefined;
    if (isScalar(n)) return [str(n, where) as string];
    if (!isSeq(n)) return fail(n, `${where} must be a list of strings`);
    return n.items.map((item, i) => str(item as Node, `${where}[${i}]`) as string);
  };
  const int = (n: Node | undefined, where: string): number | undefined => {
    if (n === undefined) return undefined;
    if (!isScalar(n) || typeof n.value !== "number" || !Number.isInteger(n.value) || n.value < 0 || n.value > 2 ** 31 - 1) return fail(n, `${where} must be a whole number`);
    return n.value;
  };
  const stringMap = (n: Node | undefined, where: string): Record<string, string> => {
    if (n === undefined) return {};
    if (!isMap(n)) return fail(n, `${where} must be a mapping of names to strings`);
    const out: Record<string, string> = {};
    for (const pair of n.items) {
      const key = str(pair.key as Node, `${where} keys`) as string;
      const v = pair.value as Node | null;
      if (v === null || !isScalar(v) || typeof v.value === "object") fail(v ?? (pair.key as Node), `${where}.${key} must be a string`);
      out[key] = String((v as { value: unknown }).value);
    }
    return out;
  };
  const dir = path.dirname(path.resolve(file));
  const suite = str(get("suite"), "base.suite") ?? fail(baseNode, "base.suite is required (bookworm, trixie, ...)");
  const components = list(get("components"), "base.components") ?? ["main"];
  const extra: BaseSourceSetting[] = [];
  const sourcesNode = get("sources");
  if (sourcesNode !== undefined) {
    if (!isSeq(sourcesNode)) fail(sourcesNode, "base.sources must be a list of {suite, mirror?, components?}");
    for (const [i, item] of (sourcesNode as { items: unknown[] }).items.entries()) {
      const n = item as Node;
      if (!isMap(n)) fail(n, `base.sources[${i}] must be a mapping`);
      const m = n as unknown as { get(k: string, keep: true): Node | undefined };
      extra.push({
        mirror: str(m.get("mirror", true), `base.sources[${i}].mirror`),
        suite: str(m.get("suite", true), `base.sources[${i}].suite`) ?? fail(n, `base.sources[${i}].suite is required`),
        components: list(m.get("components", true), `base.sources[${i}].components`) ?? components,
      });
    }
  }
  const variantNode = get("variant");
  const variant = str(variantNode, "base.variant") ?? "custom";
  if (!(VARIANTS as readonly string[]).includes(variant)) fail(variantNode, `base.variant must be one of ${VARIANTS.join(", ")}`);
  const packagesNode = get("packages");
  const packages = list(packagesNode, "base.packages") ?? [];
  for (const [i, spec] of packages.entries()) {
    try {
      requestRelation(spec);
    } catch {
      fail(isSeq(packagesNode) ? (packagesNode.items[i] as Node) : packagesNode, `base.packages: ${JSON.stringify(spec)} is not "name" or "name=version"`);
    }
  }
  if (packages.length === 0 && variant === "custom") fail(packagesNode ?? baseNode, "base.packages must list at least one package for variant custom");
  const usrmergeNode = get("usrmerge");
  if (usrmergeNode !== undefined && (!isScalar(usrmergeNode) || typeof usrmergeNode.value !== "boolean")) fail(usrmergeNode, "base.usrmerge must be true or false");
  const groups: BaseGroup[] = [];
  const users: BaseUser[] = [];
  const usersNode = get("users");
  if (usersNode !== undefined) {
    if (!isSeq(usersNode)) fail(usersNode, "base.users must be a list of {name, uid, gid?, home?, shell?}");
    for (const [i, item] of (usersNode as { items: unknown[] }).items.entries()) {
      const n = item as Node;
      if (!isMap(n)) fail(n, `base.users[${i}] must be a mapping`);
      const m = n as unknown as { get(k: string, keep: true): Node | undefined };
      const name = str(m.get("name", true), `base.users[${i}].name`) ?? fail(n, `base.users[${i}].name is required`);
      if (!/^[a-z_][a-z0-9_-]*$/.test(name)) fail(m.get("name", true), `base.users[${i}].name ${JSON.stringify(name)} is not a valid user name`);
      const uid = int(m.get("uid", true), `base.users[${i}].uid`) ?? fail(n, `base.users[${i}].uid is required`);
      users.push({
        name,
        uid,
        gid: int(m.get("gid", true), `base.users[${i}].gid`) ?? uid,
        home: str(m.get("home", true), `base.users[${i}].home`) ?? `/home/${name}`,
        shell: str(m.get("shell", true), `base.users[${i}].shell`) ?? "/sbin/nologin",
      });
    }
  }
  const groupsNode = get("groups");
  if (groupsNode !== undefined) {
    if (!isSeq(groupsNode)) fail(groupsNode, "base.groups must be a list of {name, gid}");
    for (const [i, item] of (groupsNode as { items: unknown[] }).items.entries()) {
      const n = item as Node;
      if (!isMap(n)) fail(n, `base.groups[${i}] must be a mapping`);
      const m = n as unknown as { get(k: string, keep: true): Node | undefined };
      const name = str(m.get("name", true), `base.groups[${i}].name`) ?? fail(n, `base.groups[${i}].name is required`);
      groups.push({ name, gid: int(m.get("gid", true), `base.groups[${i}].gid`) ?? fail(n, `base.groups[${i}].gid is required`) });
    }
  }
  const files: BaseFile[] = [];
  const filesNode = get("files");
  if (filesNode !== undefined) {
    if (!isSeq(filesNode)) fail(filesNode, "base.files must be a list of {source, path, mode?}");
    for (const [i, item] of (filesNode as { items: unknown[] }).items.entries()) {
      const n = item as Node;
      if (!isMap(n)) fail(n, `base.files[${i}] must be a mapping`);
      const m = n as unknown as { get(k: string, keep: true): Node | undefined };
      const source = str(m.get("source", true), `base.files[${i}].source`) ?? fail(n, `base.files[${i}].source is required`);
      const target = str(m.get("path", true), `base.files[${i}].path`) ?? fail(n, `base.files[${i}].path is required`);
      if (!target.startsWith("/") || target.split("/").includes("..")) fail(m.get("path", true), `base.files[${i}].path must be an absolute image path without ".."`);
      const modeNode = m.get("mode", true);
      const modeText = str(modeNode, `base.files[${i}].mode`) ?? "0644";
      if (!/^0?[0-7]{3,4}$/.test(modeText)) fail(modeNode, `base.files[${i}].mode must be octal, like "0644"`);
      files.push({ source: path.resolve(dir, source), path: target, mode: parseInt(modeText, 8) });
    }
  }
  const layoutNode = get("dpkgDatabase");
  // Both by default: dpkg-query and dpkg --verify read status, distroless-aware scanners read status.d, and
  // drydock's dpkg cataloger counts a package listed in both places once.
  const dpkgDatabase = str(layoutNode, "base.dpkgDatabase") ?? "both";
  if (!(DPKG_LAYOUTS as readonly string[]).includes(dpkgDatabase)) fail(layoutNode, `base.dpkgDatabase must be one of ${DPKG_LAYOUTS.join(", ")}`);
  const entrypoint = list(get("entrypoint"), "base.entrypoint");
  const cmd = list(get("cmd"), "base.cmd");
  return {
    sources: [{ mirror: str(get("mirror"), "base.mirror"), suite, components }, ...extra],
    architectures: architecturesOf(get("architectures"), list, fail) ?? [hostArchitecture],
    variant: variant as Variant,
    packages,
    exclude: list(get("exclude"), "base.exclude") ?? [],
    keyrings: (list(get("keyring"), "base.keyring") ?? [DEFAULT_KEYRING]).map((k) => path.resolve(dir, k)),
    usrmerge: usrmergeNode === undefined ? true : (usrmergeNode as { value: boolean }).value,
    users,
    groups,
    files,
    env: stringMap(get("env"), "base.env"),
    entrypoint,
    cmd,
    user: str(get("user"), "base.user"),
    workdir: str(get("workdir"), "base.workdir"),
    labels: stringMap(get("labels"), "base.labels"),
    lock: path.resolve(dir, str(get("lock"), "base.lock") ?? LOCK_FILE_NAME),
    dpkgDatabase: dpkgDatabase as DpkgDatabaseLayout,
  };
}

const ARCHITECTURE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** base.architectures: Debian architecture names, each once, sorted (the order of the image index). */
function architecturesOf(n: Node | undefined, list: (n: Node | undefined, where: string) => string[] | undefined, fail: (n: Node | undefined, m: string) => never): string[] | undefined {
  const names = list(n, "base.architectures");
  if (names === undefined) return undefined;
  if (names.length === 0) return fail(n, "base.architectures must name at least one architecture");
  for (const name of names) {
    if (!ARCHITECTURE_NAME.test(name) || name === "all") fail(n, `base.architectures: ${JSON.stringify(name)} is not a Debian architecture (amd64, arm64, armhf, ...)`);
  }
  return [...new Set(names)].sort();
}

/** `--arch amd64,arm64`: Debian architecture names, each once, sorted. */
export function parseArchitectureFlag(text: string): string[] {
  const names = text.split(",").map((a) => a.trim()).filter((a) => a !== "");
  const bad = names.find((a) => !ARCHITECTURE_NAME.test(a) || a === "all");
  if (names.length === 0 || bad !== undefined) {
    throw new DrydockError("USAGE", `--arch ${JSON.stringify(text)}: give Debian architectures separated by commas, like amd64,arm64`);
  }
  return [...new Set(names)].sort();
}

/** Debian's name for a Node.js architecture (process.arch). */
export function debianArchitecture(nodeArch: string): string {
  const map: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "armhf", ia32: "i386", ppc64: "ppc64el", s390x: "s390x", riscv64: "riscv64", mips64el: "mips64el" };
  return map[nodeArch] ?? nodeArch;
}

/** The OCI platform of a Debian architecture. */
export function ociPlatform(debArch: string): { architecture: string; variant?: string } {
  const map: Record<string, { architecture: string; variant?: string }> = {
    amd64: { architecture: "amd64" },
    arm64: { architecture: "arm64", variant: "v8" },
    armhf: { architecture: "arm", variant: "v7" },
    armel: { architecture: "arm", variant: "v5" },
    i386: { architecture: "386" },
    ppc64el: { architecture: "ppc64le" },
    s390x: { architecture: "s390x" },
    riscv64: { architecture: "riscv64" },
    mips64el: { architecture: "mips64le" },
  };
  return map[debArch] ?? { architecture: debArch };
}

export const FALLBACK_MIRROR = "http://deb.debian.org/debian";

/** An apt source of this machine: its URIs and suites. */
interface AptSourceEntry {
  uris: string[];
  suites: string[];
}

/**
 * The mirror for a suite from this machine's apt sources (deb822 *.sources and one-line sources.list): an entry
 * naming the suite itself, else one for the same kind of suite (a "-security" one for a security suite, a plain
 * one otherwise), else deb.debian.org.
 */
export async function machineMirror(suite: string, etcApt = "/etc/apt"): Promise<string> {
  const entries = await readAptSources(etcApt);
  const exact = entries.find((e) => e.suites.includes(suite));
  const kind = (s: string): string => (s.includes("-") ? s.slice(s.indexOf("-")) : "");
  const similar = entries.find((e) => e.suites.some((s) => kind(s) === kind(suite)));
  const uri = (exact ?? similar)?.uris[0];
  return uri ?? (kind(suite) === "-security" ? "http://deb.debian.org/debian-security" : FALLBACK_MIRROR);
}

async function readAptSources(etcApt: string): Promise<AptSourceEntry[]> {
  const out: AptSourceEntry[] = [];
  const dir = path.join(etcApt, "sources.list.d");
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  for (const name of names.filter((n) => n.endsWith(".sources"))) {
    const text = await readFile(path.join(dir, name), "utf8").catch(() => "");
    let paragraphs;
    try {
      paragraphs = parseDeb822(text, name, "CONFIG_INVALID");
    } catch {
      continue;
    }
    for (const p of paragraphs) {
      if (!(p.byName.get("types") ?? "").split(/\s+/).includes("deb")) continue;
      if (p.byName.get("enabled")?.toLowerCase() === "no") continue;
      out.push({ uris: (p.byName.get("uris") ?? "").split(/\s+/).filter(Boolean), suites: (p.byName.get("suites") ?? "").split(/\s+/).filter(Boolean) });
    }
  }
  for (const name of ["sources.list", ...names.filter((n) => n.endsWith(".list")).map((n) => `sources.list.d/${n}`)]) {
    const text = await readFile(path.join(etcApt, name), "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (m !== null) out.push({ uris: [m[1] as string], suites: [m[2] as string] });
    }
  }
  return out;
}
