// `drydock scan`, the pure part: a catalog of packages in, the vulnerabilities the local database knows for them
// out, after the user's decisions (config ignores, VEX statements) and gates (severities, unfixed). The CLI reads
// the target and the files; everything here works on data, so tests and other programs get the same answers.
import type { ScanIgnoreRule } from "../core/config.ts";
import type { Catalog, CatalogedPackage, PackageType } from "../sbom/model.ts";
import type { VulnDb } from "../vuln/db/schema.ts";
import { distroRelease } from "../vuln/distro.ts";
import { matchPackages, type FindingStatus, type VulnMatch } from "../vuln/match.ts";
import { vulnSeverityRank, type Cvss, type VulnSeverity } from "../vuln/severity.ts";
import { parsePurl } from "../sbom/purl.ts";
import { vexVerdict, type VexDocument, type VexStatus } from "./vex.ts";

export const SCAN_REPORT_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_AGE_DAYS = 7;

export interface ScanOptions {
  /** Only these severities are reported; undefined reports all. */
  severities?: readonly VulnSeverity[];
  /** Drop findings without a fixed version (unfixed, wont-fix). */
  ignoreUnfixed?: boolean;
  /** Accepted vulnerabilities from drydock.yaml. */
  ignores?: readonly ScanIgnoreRule[];
  vex?: readonly VexDocument[];
  /** "Today", for ignore end dates and the database's age (default: the clock). */
  now?: Date;
  /** A database source older than this many days is stale: a warning, never a failure. */
  maxAgeDays?: number;
}

export interface ScanPackage {
  name: string;
  version: string;
  ecosystem: string;
  purl: string;
  type: PackageType;
  locations: ScanLocation[];
}

export interface ScanLocation {
  /** The layer's digest; null outside images. */
  layer: string | null;
  path: string;
}

export interface ScanVulnerability {
  id: string;
  aliases: string[];
  package: { name: string; version: string; ecosystem: string; purl: string };
  installedVersion: string;
  fixedVersion: string | null;
  status: FindingStatus;
  severity: VulnSeverity;
  cvss: { version: Cvss["version"]; vector: string; score: number | null } | null;
  location: ScanLocation;
  summary: string | null;
  sources: string[];
}

/** A finding the user accepted, and who said so. */
export interface IgnoredVulnerability extends ScanVulnerability {
  ignoredBy:
    | { kind: "config"; reason: string; until: string | null; where: string }
    | { kind: "vex"; file: string; status: VexStatus; justification: string | null; impactStatement: string | null };
}

export interface DbSourceAge {
  name: string;
  records: number;
  newest: string | null;
  importedAt: string;
  /** Days since the newest record (or the import when no record is dated); null when neither is a date. */
  ageDays: number | null;
}

export interface ScanReport {
  version: typeof SCAN_REPORT_VERSION;
  target: {
    name: string;
    kind: Catalog["kind"];
    image: { digest: string | null; name: string | null; platform: string | null } | null;
    distro: { id: string; versionId: string | null } | null;
  };
  db: { path: string; sources: DbSourceAge[]; stale: string[]; maxAgeDays: number };
  packages: ScanPackage[];
  vulnerabilities: ScanVulnerability[];
  ignored: IgnoredVulnerability[];
  /** Findings left out by the severity and unfixed gates (not listed). */
  filtered: { severity: number; unfixed: number };
  /** Things that could not be read or checked, expired ignores: shown to the user, never fatal. */
  notes: string[];
}

const OS_TYPES: ReadonlySet<PackageType> = new Set(["deb", "apk", "rpm"]);

/** Matches the catalog's packages against the database and applies ignores, VEX and the gates. */
export function scanCatalog(catalog: Catalog, db: VulnDb, options: ScanOptions = {}): ScanReport {
  const now = options.now ?? new Date();
  const packages = withDistroRelease(catalog);
  const match = matchPackages(db, packages);
  const notes = [...catalog.notes, ...match.notes];
  const activeIgnores = activeRules(options.ignores ?? [], now, notes);
  const vexTarget = { imageDigest: catalog.image?.digest };
  const reported: ScanVulnerability[] = [];
  const ignored: IgnoredVulnerability[] = [];
  const filtered = { severity: 0, unfixed: 0 };
  const severities = options.severities === undefined ? undefined : new Set(options.severities);
  for (const finding of match.findings) {
    const vuln = toVulnerability(finding);
    const rule = activeIgnores.find((r) => ignoreApplies(r, finding));
    if (rule !== undefined) {
      ignored.push({ ...vuln, ignoredBy: { kind: "config", reason: rule.reason, until: rule.until ?? null, where: rule.where } });
      continue;
    }
    const verdict = vexVerdict(options.vex ?? [], { id: vuln.id, aliases: vuln.aliases, purl: finding.package.purl }, vexTarget);
    if (verdict !== undefined && (verdict.status === "not_affected" || verdict.status === "fixed")) {
      ignored.push({
        ...vuln,
        ignoredBy: { kind: "vex", file: verdict.file, status: verdict.status, justification: verdict.justification ?? null, impactStatement: verdict.impactStatement ?? null },
      });
      continue;
    }
    if (options.ignoreUnfixed === true && vuln.fixedVersion === null) {
      filtered.unfixed++;
      continue;
    }
    if (severities !== undefined && !severities.has(vuln.severity)) {
      filtered.severity++;
      continue;
    }
    reported.push(vuln);
  }
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const sources = db.sources().map((s): DbSourceAge => ({ name: s.name, records: s.records, newest: s.newest ?? null, importedAt: s.importedAt, ageDays: ageDays(s.newest ?? s.importedAt, now) }));
  return {
    version: SCAN_REPORT_VERSION,
    target: {
      name: catalog.target,
      kind: catalog.kind,
      image: catalog.image === undefined ? null : { digest: catalog.image.digest ?? null, name: catalog.image.name ?? null, platform: catalog.image.platform ?? null },
      distro: catalog.distro === undefined ? null : { id: catalog.distro.id, versionId: catalog.distro.versionId ?? null },
    },
    db: { path: db.path, sources, stale: sources.filter((s) => s.ageDays === null || s.ageDays > maxAgeDays).map((s) => s.name), maxAgeDays },
    packages: packages.map(toScanPackage).sort(comparePackages),
    vulnerabilities: reported.sort(compareVulnerabilities),
    ignored: ignored.sort(compareVulnerabilities),
    filtered,
    notes: [...new Set(notes)],
  };
}

/**
 * OS packages get their distribution release from the catalog's os-release when the cataloger left it out
 * (distro advisories are per release); copies, so the caller's catalog is unchanged.
 */
function withDistroRelease(catalog: Catalog): CatalogedPackage[] {
  const distro = catalog.distro;
  const known = distro === undefined ? undefined : distroRelease({ ID: distro.id, VERSION_ID: distro.versionId, VERSION_CODENAME: distro.versionCodename });
  return catalog.packages.map((pkg) => {
    if (known === undefined || !OS_TYPES.has(pkg.type) || pkg.release !== undefined) return pkg;
    if (pkg.ecosystem !== "" && pkg.ecosystem !== known.ecosystem) return pkg;
    return { ...pkg, ecosystem: known.ecosystem, release: known.release };
  });
}

/** Ignores still in force; an expired one is dropped with a note, so the config gets cleaned up. */
function activeRules(rules: readonly ScanIgnoreRule[], now: Date, notes: string[]): ScanIgnoreRule[] {
  return rules.filter((rule) => {
    if (rule.until === undefined || !isExpired(rule.until, now)) return true;
    notes.push(`${rule.where}: the ignore of ${rule.id}${rule.package === undefined ? "" : ` for ${rule.package}`} expired on ${rule.until}; it is reported again`);
    return false;
  });
}

/** until is the last day the ignore holds (inclusive, UTC). */
export function isExpired(until: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${until}T00:00:00Z`) + DAY_MS;
}

/** An ignore names the finding's id or one of its aliases, and (when it names one) its package. */
export function ignoreApplies(rule: ScanIgnoreRule, finding: VulnMatch<CatalogedPackage>): boolean {
  const id = rule.id.toUpperCase();
  if (finding.id.toUpperCase() !== id && !finding.aliases.some((a) => a.toUpperCase() === id)) return false;
  return rule.package === undefined || packageMatches(rule.package, finding.package);
}

function packageMatches(spec: string, pkg: CatalogedPackage): boolean {
  if (spec.startsWith("pkg:")) return purlHasPrefix(pkg.purl, spec);
  return spec === pkg.name || spec === pkg.sourceName;
}

/**
 * A purl prefix matches whole parts only: "pkg:npm/lodash" matches "pkg:npm/lodash@4.17.20" but not
 * "pkg:npm/lodash-es@4.17.20"; a prefix with a version or qualifiers must match those too.
 */
export function purlHasPrefix(purl: string, prefix: string): boolean {
  if (!purl.startsWith(prefix)) {
    // The same purl spelled another way (case of deb/apk names, PyPI separators): compare parsed identities.
    const a = parsePurl(purl);
    const p = parsePurl(prefix);
    if (a === undefined || p === undefined || p.version !== undefined || p.qualifiers !== undefined) return false;
    return a.type === p.type && (a.namespace ?? "").toLowerCase() === (p.namespace ?? "").toLowerCase() && a.name.toLowerCase() === p.name.toLowerCase();
  }
  const next = purl.charAt(prefix.length);
  return next === "" || "@?#/&".includes(next) || /[@?&/#]$/.test(prefix);
}

function toVulnerability(f: VulnMatch<CatalogedPackage>): ScanVulnerability {
  const where = f.package.locations[0];
  return {
    id: f.id,
    aliases: f.aliases,
    package: { name: f.package.name, version: f.package.version, ecosystem: f.package.ecosystem, purl: f.package.purl },
    installedVersion: f.installedVersion,
    fixedVersion: f.fixedVersion ?? null,
    status: f.status,
    severity: f.severity,
    cvss: f.cvss === undefined ? null : { version: f.cvss.version, vector: f.cvss.vector, score: f.cvss.score ?? null },
    location: where === undefined ? { layer: null, path: "" } : toLocation(where),
    summary: f.summary ?? null,
    sources: f.sources,
  };
}

function toLocation(loc: CatalogedPackage["locations"][number]): ScanLocation {
  return { layer: loc.layer ?? null, path: loc.inner === undefined ? loc.path : `${loc.path}!${loc.inner}` };
}

function toScanPackage(pkg: CatalogedPackage): ScanPackage {
  return { name: pkg.name, version: pkg.version, ecosystem: pkg.ecosystem, purl: pkg.purl, type: pkg.type, locations: pkg.locations.map(toLocation) };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePackages(a: ScanPackage, b: ScanPackage): number {
  return byText(a.type, b.type) || byText(a.name, b.name) || byText(a.version, b.version) || byText(a.locations[0]?.path ?? "", b.locations[0]?.path ?? "");
}

/** Most severe first, then by package, then by id: the order of every output. */
export function compareVulnerabilities(a: ScanVulnerability, b: ScanVulnerability): number {
  return vulnSeverityRank(a.severity) - vulnSeverityRank(b.severity)
    || byText(a.package.name, b.package.name) || byText(a.package.version, b.package.version)
    || byText(a.location.path, b.location.path) || byText(a.id, b.id);
}

function ageDays(date: string, now: Date): number | null {
  const t = Date.parse(date);
  return Number.isFinite(t) ? Math.max(0, Math.floor(((now.getTime() - t) / DAY_MS) * 10) / 10) : null;
}

/** The lowest severity that fails a scan; "any" fails on every reported vulnerability, UNKNOWN included. */
export type FailOn = VulnSeverity | "any";

/**
 * The exit code of a scan: exitCode when a reported vulnerability is at or above failOn (exitCode 0 never
 * fails), else 0. Ignored and filtered findings never fail a scan.
 */
export function scanExitCode(report: ScanReport, gate: { failOn: FailOn; exitCode: number }): number {
  if (gate.exitCode === 0) return 0;
  const failing = gate.failOn === "any" ? report.vulnerabilities : report.vulnerabilities.filter((v) => vulnSeverityRank(v.severity) <= vulnSeverityRank(gate.failOn as VulnSeverity));
  return failing.length > 0 ? gate.exitCode : 0;
}
