// Distribution security data: the Debian security tracker's JSON (package → CVE → release → status) and Alpine's
// secdb (release/repository → package → secfixes: fixed version → ids). Both key packages by their source
// package (Debian's source package, Alpine's origin).
import { DrydockError } from "../../core/errors.ts";
import { debianReleaseOfCodename } from "../distro.ts";
import type { AffectedStatus } from "./schema.ts";
import type { AffectedInput, DbWriter } from "./writer.ts";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether parsed JSON has the tracker's shape: {package: {CVE: {releases: {...}}}}. */
export function looksLikeDebianTracker(v: unknown): boolean {
  if (!isObject(v) || "id" in v || "packages" in v) return false;
  for (const issues of Object.values(v)) {
    if (!isObject(issues)) return false;
    for (const issue of Object.values(issues)) return isObject(issue) && isObject(issue.releases);
  }
  return false;
}

export function looksLikeAlpineSecdb(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.packages) && typeof v.distroversion === "string";
}

/**
 * The tracker's per-release status as drydock's: resolved with version "0" = never affected; urgency
 * "unimportant" = not affected in practice; "end-of-life" or a no-DSA "ignored" = the release will not get a fix;
 * open and undetermined = unfixed; resolved = fixed in `fixed_version`.
 */
export function debianStatus(release: Json): { status: AffectedStatus; fixed: string | undefined } {
  const urgency = typeof release.urgency === "string" ? release.urgency.replace(/\*+$/, "") : "";
  const fixedVersion = typeof release.fixed_version === "string" ? release.fixed_version : undefined;
  const resolved = release.status === "resolved";
  const fixed = resolved && fixedVersion !== undefined && fixedVersion !== "0" ? fixedVersion : undefined;
  if (resolved && fixedVersion === "0") return { status: "not-affected", fixed: undefined };
  if (urgency === "unimportant") return { status: "not-affected", fixed };
  if (resolved && fixed !== undefined) return { status: "fixed", fixed };
  if (resolved) return { status: "not-affected", fixed: undefined };
  if (urgency === "end-of-life" || release.nodsa_reason === "ignored") return { status: "wont-fix", fixed: undefined };
  return { status: "open", fixed: undefined };
}

export function importDebianTracker(data: unknown, where: string, writer: DbWriter, source: string, onRecord: () => void): void {
  if (!isObject(data)) throw new DrydockError("ADVISORY_INVALID", `${where}: the Debian security tracker JSON must be an object`);
  const rows = new Map<string, number>();
  for (const [pkg, issues] of Object.entries(data)) {
    if (!isObject(issues)) throw new DrydockError("ADVISORY_INVALID", `${where}: package ${JSON.stringify(pkg)}: expected an object of issues`);
    for (const [id, issue] of Object.entries(issues)) {
      if (!isObject(issue) || !isObject(issue.releases)) {
        throw new DrydockError("ADVISORY_INVALID", `${where}: ${pkg} ${id}: expected {"releases": {...}}`);
      }
      let row = rows.get(id);
      if (row === undefined) {
        row = writer.add(source, {
          vulnId: id,
          summary: typeof issue.description === "string" && issue.description !== "" ? issue.description : undefined,
          severity: undefined, cvss: undefined, published: undefined, modified: undefined, withdrawn: undefined, aliases: [], upstream: [],
        }, []);
        if (row === undefined) continue;
        rows.set(id, row);
        onRecord();
      }
      for (const [codename, release] of Object.entries(issue.releases)) {
        const number = debianReleaseOfCodename(codename);
        if (number === undefined || !isObject(release)) continue;
        const { status, fixed } = debianStatus(release);
        const affected: AffectedInput = {
          ecosystem: "Debian", release: number, name: pkg, status, fixed, ranges: undefined, versions: undefined,
          severity: typeof release.urgency === "string" ? release.urgency : undefined,
        };
        writer.addAffected(row, affected);
      }
    }
  }
}

/** The source name of a secdb file: "alpine:v3.19/main". */
export function alpineSourceName(data: Json): string {
  return `alpine:${String(data.distroversion)}/${typeof data.reponame === "string" ? data.reponame : "main"}`;
}

export function importAlpineSecdb(data: unknown, where: string, writer: DbWriter, source: string, onRecord: () => void): void {
  if (!looksLikeAlpineSecdb(data) || !isObject(data)) throw new DrydockError("ADVISORY_INVALID", `${where}: not an Alpine secdb file (needs "distroversion" and "packages")`);
  const release = String(data.distroversion);
  const rows = new Map<string, number>();
  for (const [i, item] of (data.packages as unknown[]).entries()) {
    const pkg = isObject(item) ? item.pkg : undefined;
    if (!isObject(pkg) || typeof pkg.name !== "string") throw new DrydockError("ADVISORY_INVALID", `${where}: packages[${i}]: expected {"pkg": {"name": ..., "secfixes": ...}}`);
    const secfixes = pkg.secfixes ?? {};
    if (!isObject(secfixes)) throw new DrydockError("ADVISORY_INVALID", `${where}: ${pkg.name}: "secfixes" must be an object`);
    for (const [version, ids] of Object.entries(secfixes)) {
      if (!Array.isArray(ids)) throw new DrydockError("ADVISORY_INVALID", `${where}: ${pkg.name} ${version}: expected a list of ids`);
      for (const entry of ids) {
        if (typeof entry !== "string") continue;
        // "CVE-2021-1234 GHSA-xxxx-…": one vulnerability under several ids.
        const [id, ...aliases] = entry.trim().split(/\s+/);
        if (id === undefined || id === "") continue;
        let row = rows.get(id);
        if (row === undefined) {
          row = writer.add(source, {
            vulnId: id, summary: undefined, severity: undefined, cvss: undefined, published: undefined, modified: undefined,
            withdrawn: undefined, aliases, upstream: [],
          }, []);
          if (row === undefined) continue;
          rows.set(id, row);
          onRecord();
        }
        // "0" marks a package that was never affected.
        writer.addAffected(row, {
          ecosystem: "Alpine", release, name: pkg.name, status: version === "0" ? "not-affected" : "fixed",
          fixed: version === "0" ? undefined : version, ranges: undefined, versions: undefined, severity: undefined,
        });
      }
    }
  }
}
