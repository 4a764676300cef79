// Dependency resolution over verified Packages indexes, for one architecture. Greedy and deterministic, like a
// bootstrapper rather than a SAT solver: packages are visited breadth-first from the roots; a dependency already
// met by a chosen package stays met; otherwise its alternatives are tried in order, each alternative's real
// packages highest version first, then its providers by name. A choice is never revisited, so the same indexes and
// request always give the same set; when no alternative can be chosen the error names the chain that led there.
import { DrydockError } from "../core/errors.ts";
import { compareDebianVersions, isValidDebianVersion } from "../vuln/versions/dpkg.ts";
import type { IndexPackage } from "./apt.ts";
import { field } from "./deb822.ts";

export type VersionOperator = "<<" | "<=" | "=" | ">=" | ">>";

/** One package relation: "libc6 (>= 2.34)", "python3:any", "awk". */
export interface Relation {
  name: string;
  /** Architecture qualifier: "any", "native" or an architecture name. */
  archQualifier: string | undefined;
  operator: VersionOperator | undefined;
  version: string | undefined;
  /** As written, for messages. */
  text: string;
}

/** A dependency: alternatives separated by "|", any one of which satisfies it. */
export type Dependency = readonly Relation[];

export type Variant = "custom" | "essential" | "minbase";

export const VARIANTS: readonly Variant[] = ["custom", "essential", "minbase"];

export interface ResolveRequest {
  /** "name" or "name=version", in the order given. */
  packages: readonly string[];
  variant: Variant;
  architecture: string;
  /** Packages never installed: dependencies on them count as met (distroless' static image has no openssl). */
  exclude?: readonly string[];
}

const OPERATORS: Readonly<Record<string, VersionOperator>> = { "<<": "<<", "<=": "<=", "=": "=", ">=": ">=", ">>": ">>", "<": "<=", ">": ">=" };
const RELATION = /^([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\s*(?:\(\s*(<<|<=|=|>=|>>|<|>)\s*([^\s)]+)\s*\))?\s*(?:\[[^\]]*\])?\s*(?:<[^>]*>\s*)*$/;

/** Parses a relation field (Depends, Pre-Depends, Conflicts, Breaks, Provides). what names it for errors. */
export function parseRelations(text: string, what: string): Dependency[] {
  const out: Dependency[] = [];
  for (const group of text.replace(/\s+/g, " ").split(",")) {
    if (group.trim() === "") continue;
    const alternatives: Relation[] = [];
    for (const alt of group.split("|")) {
      const textOf = alt.trim();
      const m = RELATION.exec(textOf);
      if (m === null) throw new DrydockError("BASE_INDEX_INVALID", `${what}: ${JSON.stringify(textOf)} is not a package relation`);
      const op = m[3] === undefined ? undefined : OPERATORS[m[3]];
      alternatives.push({ name: m[1] as string, archQualifier: m[2], operator: op, version: m[4], text: textOf.replace(/\s*\[[^\]]*\]|\s*<[^>]*>/g, "") });
    }
    out.push(alternatives);
  }
  return out;
}

/** Whether version satisfies "operator reference" (dpkg's ordering). */
export function versionSatisfies(version: string, operator: VersionOperator, reference: string): boolean {
  if (!isValidDebianVersion(version) || !isValidDebianVersion(reference)) return false;
  const c = compareDebianVersions(version, reference);
  switch (operator) {
    case "<<": return c < 0;
    case "<=": return c <= 0;
    case "=": return c === 0;
    case ">=": return c >= 0;
    case ">>": return c > 0;
  }
}

interface Provided {
  pkg: IndexPackage;
  version: string | undefined;
}

/** An index narrowed to one architecture (plus "all"), with lookups by name and by what packages provide. */
export class PackageUniverse {
  readonly architecture: string;
  /** Name → candidates, highest version first (earlier sources first among equal versions). */
  private readonly byName = new Map<string, IndexPackage[]>();
  private readonly providers = new Map<string, Provided[]>();
  private readonly relations = new Map<IndexPackage, Map<string, Dependency[]>>();

  constructor(index: readonly IndexPackage[], architecture: string) {
    this.architecture = architecture;
    const seen = new Set<string>();
    for (const p of index) {
      if (p.architecture !== architecture && p.architecture !== "all") continue;
      if (!isValidDebianVersion(p.version)) continue;
      const key = `${p.name}\0${p.version}\0${p.architecture}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = this.byName.get(p.name);
      if (list === undefined) this.byName.set(p.name, [p]);
      else list.push(p);
    }
    for (const list of this.byName.values()) {
      list.sort((a, b) => compareDebianVersions(b.version, a.version) || a.sourceIndex - b.sourceIndex);
      for (const p of list) {
        for (const dep of this.providesOf(p)) {
          for (const r of dep) {
            const entry = { pkg: p, version: r.operator === "=" ? r.version : undefined };
            const l = this.providers.get(r.name);
            if (l === undefined) this.providers.set(r.name, [entry]);
            else l.push(entry);
          }
        }
      }
    }
    for (const l of this.providers.values()) l.sort((a, b) => (a.pkg.name < b.pkg.name ? -1 : a.pkg.name > b.pkg.name ? 1 : compareDebianVersions(b.pkg.version, a.pkg.version)));
  }

  /** Provides of p; a malformed field in a package nobody asks for must not stop resolution, so it counts as none. */
  private providesOf(p: IndexPackage): Dependency[] {
    try {
      return this.relationsOf(p, "Provides");
    } catch {
      return [];
    }
  }

  /** Whether a chosen package (by name or by what it provides) meets r. */
  isMet(r: Relation, chosen: ReadonlyMap<string, IndexPackage>): boolean {
    const byName = chosen.get(r.name);
    if (byName !== undefined && this.satisfies(byName, r)) return true;
    return this.providersOf(r.name).some((prov) => chosen.get(prov.pkg.name) === prov.pkg && this.satisfies(prov.pkg, r));
  }

  /** Every candidate named name. */
  versionsOf(name: string): readonly IndexPackage[] {
    return this.byName.get(name) ?? [];
  }

  providersOf(name: string): readonly Provided[] {
    return this.providers.get(name) ?? [];
  }

  /** The newest version of each package, sorted by name. */
  newest(): IndexPackage[] {
    return [...this.byName.keys()].sort().map((n) => (this.byName.get(n) as IndexPackage[])[0] as IndexPackage);
  }

  relationsOf(p: IndexPackage, fieldName: "Depends" | "Pre-Depends" | "Provides" | "Conflicts" | "Breaks"): Dependency[] {
    let cached = this.relations.get(p);
    if (cached === undefined) {
      cached = new Map();
      this.relations.set(p, cached);
    }
    let deps = cached.get(fieldName);
    if (deps === undefined) {
      const text = field(p.paragraph, fieldName);
      deps = text === undefined ? [] : parseRelations(text, `${fieldName} of ${p.name} ${p.version}`);
      cached.set(fieldName, deps);
    }
    return deps;
  }

  /** Whether p meets relation r by name (and version) or by what it provides. */
  satisfies(p: IndexPackage, r: Relation): boolean {
    if (!this.archOk(p, r)) return false;
    if (p.name === r.name) return r.operator === undefined || versionSatisfies(p.version, r.operator, r.version as string);
    for (const dep of this.relationsOf(p, "Provides")) {
      for (const provided of dep) {
        if (provided.name !== r.name) continue;
        if (r.operator === undefined) return true;
        if (provided.operator === "=" && versionSatisfies(provided.version as string, r.operator, r.version as string)) return true;
      }
    }
    return false;
  }

  /** One architecture is resolved at a time, so ":any" and ":native" are met by it; another named one is not. */
  private archOk(p: IndexPackage, r: Relation): boolean {
    const q = r.archQualifier;
    if (q === undefined || q === "any" || q === "native") return true;
    return q === p.architecture || (p.architecture === "all" && q === this.architecture);
  }

  /** Candidates for a relation in preference order: the package itself (newest first), then providers by name. */
  candidates(r: Relation): IndexPackage[] {
    const out = this.versionsOf(r.name).filter((p) => this.satisfies(p, r));
    for (const { pkg } of this.providersOf(r.name)) if (!out.includes(pkg) && this.satisfies(pkg, r)) out.push(pkg);
    return out;
  }
}

interface Reason {
  parent: string | undefined;
  relation: string;
}

/** Resolves a request; returns the chosen packages sorted by name. Throws BASE_UNSATISFIABLE with the chain. */
export function resolvePackages(index: readonly IndexPackage[], request: ResolveRequest): IndexPackage[] {
  const universe = new PackageUniverse(index, request.architecture);
  const chosen = new Map<string, IndexPackage>();
  const reasons = new Map<string, Reason>();
  const queue: IndexPackage[] = [];
  const excluded = new Set(request.exclude ?? []);
  const choose = (p: IndexPackage, reason: Reason): void => {
    chosen.set(p.name, p);
    reasons.set(p.name, reason);
    queue.push(p);
  };
  for (const root of rootsOf(universe, request)) {
    if (excluded.has(root.relation.name)) continue;
    const existing = chosen.get(root.relation.name);
    if (existing !== undefined) {
      if (universe.satisfies(existing, root.relation)) continue;
      throw unsatisfiable(`${root.relation.text}: ${existing.name} ${existing.version} is already chosen (${chainOf(existing.name, reasons)})`);
    }
    const pick = pickCandidate(universe, root.relation, chosen, reasons);
    if (pick.pkg === undefined) throw unsatisfiable(`${root.relation.text}: ${pick.why}`);
    choose(pick.pkg, { parent: undefined, relation: root.relation.text });
  }
  for (let i = 0; i < queue.length; i++) {
    const p = queue[i] as IndexPackage;
    for (const dep of [...universe.relationsOf(p, "Pre-Depends"), ...universe.relationsOf(p, "Depends")]) {
      if (dep.some((r) => universe.isMet(r, chosen) || excluded.has(r.name))) continue;
      const whys: string[] = [];
      let picked: IndexPackage | undefined;
      for (const r of dep) {
        const pick = pickCandidate(universe, r, chosen, reasons);
        if (pick.pkg !== undefined) {
          picked = pick.pkg;
          choose(pick.pkg, { parent: p.name, relation: r.text });
          break;
        }
        whys.push(pick.why);
      }
      if (picked === undefined) {
        const depText = dep.map((r) => r.text).join(" | ");
        throw unsatisfiable(`${chainOf(p.name, reasons)} → ${depText}: ${whys.join("; ")}`);
      }
    }
  }
  return [...chosen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function unsatisfiable(message: string): DrydockError {
  return new DrydockError("BASE_UNSATISFIABLE", message);
}

/** "ca-certificates → openssl (>= 1.1.1)": how a chosen package came to be chosen. */
function chainOf(name: string, reasons: ReadonlyMap<string, Reason>): string {
  const parts: string[] = [];
  let current: string | undefined = name;
  for (let guard = 0; current !== undefined && guard < 10000; guard++) {
    const reason = reasons.get(current);
    if (reason === undefined) break;
    parts.unshift(reason.relation);
    current = reason.parent;
  }
  return parts.join(" → ");
}

function pickCandidate(universe: PackageUniverse, r: Relation, chosen: ReadonlyMap<string, IndexPackage>, reasons: ReadonlyMap<string, Reason>): { pkg: IndexPackage | undefined; why: string } {
  const all = universe.candidates(r);
  if (all.length === 0) {
    const versions = universe.versionsOf(r.name);
    if (versions.length > 0) return { pkg: undefined, why: `no version of ${r.name} satisfies ${r.text} (available: ${versions.map((v) => v.version).join(", ")})` };
    const providers = universe.providersOf(r.name);
    if (providers.length > 0) return { pkg: undefined, why: `no provider of ${r.name} satisfies ${r.text} (provided by ${providers.map((p) => `${p.pkg.name} ${p.version ?? "(unversioned)"}`).join(", ")})` };
    return { pkg: undefined, why: `${r.name} is not in the index for ${universe.architecture}` };
  }
  const blocked: string[] = [];
  for (const c of all) {
    const same = chosen.get(c.name);
    if (same !== undefined && same !== c) {
      blocked.push(`${c.name} ${same.version} is already chosen (${chainOf(c.name, reasons)})`);
      continue;
    }
    const conflict = conflictWith(universe, c, chosen);
    if (conflict !== undefined) {
      blocked.push(`${c.name} ${c.version} conflicts with ${conflict}`);
      continue;
    }
    return { pkg: c, why: "" };
  }
  return { pkg: undefined, why: blocked.join("; ") };
}

/** A chosen package that candidate conflicts with (or breaks), either way round; undefined when none. */
function conflictWith(universe: PackageUniverse, candidate: IndexPackage, chosen: ReadonlyMap<string, IndexPackage>): string | undefined {
  for (const other of chosen.values()) {
    if (other.name === candidate.name) continue;
    for (const [a, b] of [[candidate, other], [other, candidate]] as const) {
      for (const fieldName of ["Conflicts", "Breaks"] as const) {
        for (const dep of universe.relationsOf(a, fieldName)) {
          for (const r of dep) if (universe.satisfies(b, r)) return `${other.name} ${other.version} (${a.name} ${fieldName}: ${r.text})`;
        }
      }
    }
  }
  return undefined;
}

interface Root {
  relation: Relation;
}

/** The packages asked for, then the variant's set: Essential (essential), plus Priority required and apt (minbase). */
function rootsOf(universe: PackageUniverse, request: ResolveRequest): Root[] {
  const roots: Root[] = request.packages.map((spec) => ({ relation: requestRelation(spec) }));
  if (request.variant === "custom") return roots;
  const newest = universe.newest();
  const essential = newest.filter((p) => field(p.paragraph, "Essential")?.toLowerCase() === "yes");
  const extra = request.variant === "minbase" ? newest.filter((p) => field(p.paragraph, "Priority") === "required") : [];
  const names = [...essential, ...extra].map((p) => p.name);
  if (request.variant === "minbase") names.push("apt");
  for (const name of names) roots.push({ relation: { name, archQualifier: undefined, operator: undefined, version: undefined, text: name } });
  return roots;
}

/** "name" or "name=version" from the config's package list. */
export function requestRelation(spec: string): Relation {
  const eq = spec.indexOf("=");
  const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const version = eq < 0 ? undefined : spec.slice(eq + 1).trim();
  if (!/^[a-z0-9][a-z0-9+.-]*$/.test(name) || (version !== undefined && !isValidDebianVersion(version))) {
    throw new DrydockError("CONFIG_INVALID", `base.packages: ${JSON.stringify(spec)} is not "name" or "name=version"`);
  }
  return { name, archQualifier: undefined, operator: version === undefined ? undefined : "=", version, text: version === undefined ? name : `${name} (= ${version})` };
}
