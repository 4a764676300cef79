// Matching installed packages against the database: OSV ranges and versions, distro statuses by source package
// and release; advisories that name the same vulnerability (aliases, and a distro notice's upstream CVEs) become
// one finding with every id as an alias, the best CVSS among them, and one status.
import { isDrydockError } from "../core/errors.ts";
import type { AdvisoryRow, AffectedRow, VulnDb } from "./db/schema.ts";
import { packageKey } from "./names.ts";
import { betterCvss, parseCvss, severityFromText, severityOfScore, vulnSeverityRank, type Cvss, type VulnSeverity } from "./severity.ts";
import { baseEcosystem, schemeFor, type VersionScheme } from "./versions/index.ts";

/** What a cataloger knows about an installed package: the fields matching uses. */
export interface PackageQuery {
  name: string;
  version: string;
  /** OSV ecosystem name: npm, PyPI, Maven, Go, crates.io, RubyGems, Packagist, NuGet, Debian, Ubuntu, Alpine, ... */
  ecosystem: string;
  purl?: string;
  /** The distribution release of an OS package, as the databases write it: "12" (Debian), "v3.19" (Alpine). */
  release?: string;
  /** Source package (dpkg's Source:, apk's origin): distro advisories name these, not binary packages. */
  sourceName?: string;
  /** The source package's version when it differs from the binary's (dpkg "Source: name (version)"). */
  sourceVersion?: string;
}

export type FindingStatus = "fixed" | "unfixed" | "wont-fix" | "not-affected";

export interface VulnMatch<P extends PackageQuery = PackageQuery> {
  id: string;
  aliases: string[];
  package: P;
  /** The version compared: the source version for distro packages when it is known. */
  installedVersion: string;
  fixedVersion: string | undefined;
  status: FindingStatus;
  severity: VulnSeverity;
  cvss: Cvss | undefined;
  summary: string | undefined;
  /** The advisories behind the finding, as "source:id". */
  sources: string[];
}

export interface MatchOptions {
  /** Also report advisories that say the package is not affected (for VEX-like output); off by default. */
  includeNotAffected?: boolean;
}

export interface MatchResult<P extends PackageQuery> {
  findings: VulnMatch<P>[];
  /** Things that could not be checked (unparsable versions, packages without a release), once each. */
  notes: string[];
}

/** Ecosystems whose advisories are per release and per source package. */
const DISTRO_ECOSYSTEMS = new Set(["Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "SUSE", "Mageia", "Photon OS", "openEuler", "Wolfi", "Chainguard"]);

/** One advisory's verdict on one package, before merging. */
interface Hit {
  ids: string[];
  /** The vulnerability's own id in this hit (an upstream CVE for a distro notice). */
  primary: string;
  status: FindingStatus;
  fixed: string | undefined;
  advisory: AdvisoryRow;
  rowSeverity: string | undefined;
}

export function matchPackages<P extends PackageQuery>(db: VulnDb, packages: readonly P[], options: MatchOptions = {}): MatchResult<P> {
  const notes = new Set<string>();
  const advisories = new Map<number, AdvisoryRow | undefined>();
  const advisory = (id: number): AdvisoryRow | undefined => {
    if (!advisories.has(id)) advisories.set(id, db.advisory(id));
    return advisories.get(id);
  };
  const findings: VulnMatch<P>[] = [];
  for (const pkg of packages) {
    const hits = hitsFor(db, pkg, advisory, notes);
    for (const group of groupHits(hits)) {
      const finding = mergeGroup(db, pkg, group);
      if (finding.status === "not-affected" && options.includeNotAffected !== true) continue;
      findings.push(finding);
    }
  }
  return { findings, notes: [...notes] };
}

function hitsFor<P extends PackageQuery>(db: VulnDb, pkg: P, advisory: (id: number) => AdvisoryRow | undefined, notes: Set<string>): Hit[] {
  const ecosystem = baseEcosystem(pkg.ecosystem);
  const distro = DISTRO_ECOSYSTEMS.has(ecosystem);
  const name = distro ? pkg.sourceName ?? pkg.name : pkg.name;
  const version = distro ? pkg.sourceVersion ?? pkg.version : pkg.version;
  const release = pkg.release ?? "";
  if (distro && release === "" && ecosystem !== "Wolfi" && ecosystem !== "Chainguard") {
    notes.add(`${ecosystem} packages without a release (e.g. ${pkg.name}) were matched only against advisories for no particular release`);
  }
  const hits: Hit[] = [];
  for (const row of db.affected(ecosystem, packageKey(ecosystem, mavenCoordinates(db, ecosystem, name, notes)))) {
    if (row.release !== "" && row.release !== release) continue;
    const verdict = judge(row, version, ecosystem, notes);
    if (verdict === undefined) continue;
    const adv = advisory(row.advisory);
    if (adv === undefined || adv.withdrawn !== undefined) continue;
    if (adv.upstream.length > 0) {
      // A distro notice fixing several CVEs: one hit per CVE, the notice's id an alias of each.
      for (const up of adv.upstream) hits.push({ ids: [up, adv.vulnId], primary: up, ...verdict, advisory: adv, rowSeverity: row.severity });
    } else {
      hits.push({ ids: [adv.vulnId, ...adv.aliases], primary: adv.vulnId, ...verdict, advisory: adv, rowSeverity: row.severity });
    }
  }
  return hits;
}

/**
 * Maven advisories name "group:artifact". A jar known only by its artifactId (a file name, a manifest without a
 * group) is matched under the one group advisories use with that artifact; several groups is ambiguous: a note.
 */
function mavenCoordinates(db: VulnDb, ecosystem: string, name: string, notes: Set<string>): string {
  if (ecosystem !== "Maven" || name.includes(":")) return name;
  const candidates = db.mavenPackagesWithArtifact(name);
  if (candidates.length === 1) {
    notes.add(`Maven artifact ${name} has no groupId; matched as ${candidates[0]}, the only group advisories name it with`);
    return candidates[0] as string;
  }
  if (candidates.length > 1) notes.add(`Maven artifact ${name} has no groupId and advisories name it in several groups (${candidates.slice(0, 4).join(", ")}); not matched`);
  return name;
}

/** The status one affected row gives an installed version, or undefined when it does not apply. */
function judge(row: AffectedRow, installed: string, ecosystem: string, notes: Set<string>): { status: FindingStatus; fixed: string | undefined } | undefined {
  const scheme = schemeFor(ecosystem);
  const older = (fixed: string): boolean | undefined => {
    if (scheme === undefined) return undefined;
    try {
      return scheme.compare(installed, fixed) < 0;
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      notes.add(`${row.vulnId}: cannot compare ${ecosystem} versions ${JSON.stringify(installed)} and ${JSON.stringify(fixed)}`);
      return undefined;
    }
  };
  switch (row.status) {
    case "fixed": {
      if (row.fixed === undefined) return undefined;
      return older(row.fixed) === true ? { status: "fixed", fixed: row.fixed } : undefined;
    }
    case "open":
      return { status: "unfixed", fixed: undefined };
    case "wont-fix":
      return { status: "wont-fix", fixed: undefined };
    case "not-affected":
      if (row.fixed !== undefined && older(row.fixed) !== true) return undefined;
      return { status: "not-affected", fixed: row.fixed };
    case "osv":
      return judgeOsv(row, installed, ecosystem, notes);
  }
}

type OsvEvent = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };
type OsvRange = { type: string; events: OsvEvent[] };

function judgeOsv(row: AffectedRow, installed: string, ecosystem: string, notes: Set<string>): { status: FindingStatus; fixed: string | undefined } | undefined {
  const ranges = row.ranges === undefined ? [] : (JSON.parse(row.ranges) as OsvRange[]);
  const versions = row.versions === undefined ? [] : (JSON.parse(row.versions) as string[]);
  let affected = false;
  let fixed: string | undefined;
  for (const range of ranges) {
    const scheme = schemeFor(ecosystem, range.type);
    if (scheme === undefined) continue;
    try {
      const verdict = evaluateRange(scheme, installed, range.events);
      if (verdict.affected) {
        affected = true;
        if (verdict.fixed !== undefined && (fixed === undefined || scheme.compare(verdict.fixed, fixed) < 0)) fixed = verdict.fixed;
      }
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      notes.add(`${row.vulnId}: ${e.message}; its ${range.type} range for ${row.name} was not evaluated`);
    }
  }
  if (!affected && versions.length > 0) {
    const scheme = schemeFor(ecosystem);
    affected = versions.some((v) => v === installed || (scheme !== undefined && safeEqual(scheme, v, installed)));
  }
  return affected ? { status: fixed === undefined ? "unfixed" : "fixed", fixed } : undefined;
}

function safeEqual(scheme: VersionScheme, a: string, b: string): boolean {
  try {
    return scheme.compare(a, b) === 0;
  } catch {
    return false;
  }
}

/**
 * The OSV schema's evaluation: events in version order ("0" first, a limit of "*" last); introduced opens,
 * fixed and (past) last_affected close; limits bound the range from above. The fix is the first fixed event above
 * the installed version.
 */
export function evaluateRange(scheme: VersionScheme, installed: string, events: readonly OsvEvent[]): { affected: boolean; fixed: string | undefined } {
  const at = (e: OsvEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? "";
  const isBottom = (e: OsvEvent): boolean => e.introduced === "0";
  const isTop = (e: OsvEvent): boolean => e.limit !== undefined && e.limit.includes("*");
  const order = (a: OsvEvent, b: OsvEvent): number => {
    if (isBottom(a) || isTop(b)) return isBottom(b) || isTop(a) ? 0 : -1;
    if (isBottom(b) || isTop(a)) return 1;
    return scheme.compare(at(a), at(b));
  };
  const sorted = [...events].sort(order);
  const limits = sorted.filter((e) => e.limit !== undefined);
  if (limits.length > 0 && !limits.some((e) => isTop(e) || scheme.compare(installed, e.limit ?? "") < 0)) return { affected: false, fixed: undefined };
  let affected = false;
  for (const e of sorted) {
    if (e.introduced !== undefined) {
      if (isBottom(e) || scheme.compare(installed, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (scheme.compare(installed, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (scheme.compare(installed, e.last_affected) > 0) affected = false;
    }
  }
  if (!affected) return { affected: false, fixed: undefined };
  const fix = sorted.find((e) => e.fixed !== undefined && scheme.compare(e.fixed, installed) > 0);
  return { affected: true, fixed: fix?.fixed };
}

/** Groups hits naming the same vulnerability (shared ids), keeping the first hit's order. */
function groupHits(hits: readonly Hit[]): Hit[][] {
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const owner = new Map<string, number>();
  hits.forEach((hit, i) => {
    // A distro notice's id is shared by all its CVEs: it must not join them into one finding.
    const joining = hit.primary === hit.advisory.vulnId ? hit.ids : [hit.primary];
    for (const id of joining) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Hit[]>();
  hits.forEach((hit, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), hit]);
  });
  return [...groups.values()];
}

const STATUS_ORDER: readonly FindingStatus[] = ["fixed", "unfixed", "wont-fix", "not-affected"];

/** CVE ids first, then GHSA, then the rest; alphabetical within each. */
function idPreference(id: string): string {
  const rank = id.startsWith("CVE-") ? 0 : id.startsWith("GHSA-") ? 1 : 2;
  return `${rank}${id}`;
}

function mergeGroup<P extends PackageQuery>(db: VulnDb, pkg: P, group: readonly Hit[]): VulnMatch<P> {
  const ids = new Set<string>();
  for (const h of group) {
    ids.add(h.primary);
    for (const id of h.ids) ids.add(id);
  }
  // The finding is named by its CVE when any record gives one (a GHSA record lists it as an alias).
  const named = [...new Set(group.flatMap((h) => (h.primary === h.advisory.vulnId ? h.ids : [h.primary])))];
  const id = named.sort((a, b) => (idPreference(a) < idPreference(b) ? -1 : 1))[0] ?? "";
  // Records elsewhere in the database known by these ids add their aliases and severities (e.g. a GHSA record
  // gives the CVSS of the CVE a Debian tracker entry names).
  const related = new Map<number, AdvisoryRow>();
  for (const h of group) related.set(h.advisory.id, h.advisory);
  for (const known of [id, ...group.filter((h) => h.primary === h.advisory.vulnId).map((h) => h.primary)]) {
    for (const adv of db.advisoriesKnownAs(known)) {
      related.set(adv.id, adv);
      if (adv.upstream.length === 0) {
        ids.add(adv.vulnId);
        for (const a of adv.aliases) ids.add(a);
      }
    }
  }
  ids.delete(id);
  const status = group.map((h) => h.status).sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0] ?? "unfixed";
  const scheme = schemeFor(baseEcosystem(pkg.ecosystem));
  const fixes = group.filter((h) => h.status === status && h.fixed !== undefined).map((h) => h.fixed ?? "");
  const fixedVersion = fixes.reduce<string | undefined>((best, f) => (best === undefined || (scheme !== undefined && safeCompare(scheme, f, best) > 0) ? f : best), undefined);
  let cvss: Cvss | undefined;
  let textual: VulnSeverity | undefined;
  const consider = (s: VulnSeverity | undefined): void => {
    if (s !== undefined && (textual === undefined || vulnSeverityRank(s) < vulnSeverityRank(textual))) textual = s;
  };
  for (const adv of related.values()) {
    for (const c of parseCvssList(adv.cvss)) cvss = betterCvss(cvss, c);
    consider(severityFromText(adv.severity));
  }
  for (const h of group) consider(severityFromText(h.rowSeverity));
  const severity: VulnSeverity = cvss?.score !== undefined ? severityOfScore(cvss.score, cvss.version) : textual ?? "UNKNOWN";
  const summary = group.find((h) => h.primary === id && h.advisory.summary !== undefined)?.advisory.summary
    ?? [...related.values()].find((a) => a.summary !== undefined)?.summary;
  const distro = DISTRO_ECOSYSTEMS.has(baseEcosystem(pkg.ecosystem));
  return {
    id,
    aliases: [...ids].sort(),
    package: pkg,
    installedVersion: distro ? pkg.sourceVersion ?? pkg.version : pkg.version,
    fixedVersion: status === "fixed" || status === "not-affected" ? fixedVersion : undefined,
    status,
    severity,
    cvss,
    summary,
    sources: [...new Set(group.map((h) => `${h.advisory.source}:${h.advisory.vulnId}`))].sort(),
  };
}

function safeCompare(scheme: VersionScheme, a: string, b: string): number {
  try {
    return scheme.compare(a, b);
  } catch {
    return 0;
  }
}

function parseCvssList(json: string | undefined): Cvss[] {
  if (json === undefined) return [];
  const out: Cvss[] = [];
  for (const entry of JSON.parse(json) as { type: string; score: string }[]) {
    const c = parseCvss(entry.type, entry.score);
    if (c !== undefined) out.push(c);
  }
  return out;
}
