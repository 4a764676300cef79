// OSV records (https://ossf.github.io/osv-schema/) → database rows. Only what matching and reports use is kept:
// id, aliases/upstream, summary, severities, dates, and per affected package its ranges (SEMVER and ECOSYSTEM;
// GIT ranges need the repository, which a scan does not have) and explicit versions.
import { DrydockError } from "../../core/errors.ts";
import { splitEcosystem } from "../distro.ts";
import { packageKey } from "../names.ts";
import type { AdvisoryInput, AffectedInput } from "./writer.ts";

export interface OsvRows {
  advisory: AdvisoryInput;
  affected: AffectedInput[];
  /** Base ecosystems of the affected packages, in order. */
  ecosystems: string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function optionalString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

const EVENT_KINDS = ["introduced", "fixed", "last_affected", "limit"] as const;

/** Keeps well-formed SEMVER/ECOSYSTEM ranges with their events reduced to {kind: version}. */
function usableRanges(v: unknown): Json[] {
  if (!Array.isArray(v)) return [];
  const out: Json[] = [];
  for (const range of v) {
    if (!isObject(range) || (range.type !== "SEMVER" && range.type !== "ECOSYSTEM") || !Array.isArray(range.events)) continue;
    const events: Json[] = [];
    for (const event of range.events) {
      if (!isObject(event)) continue;
      for (const kind of EVENT_KINDS) {
        const version = event[kind];
        if (typeof version === "string") events.push({ [kind]: version });
      }
    }
    if (events.length > 0) out.push({ type: range.type, events });
  }
  return out;
}

/** The CVSS vectors (and other typed scores) of a record and its packages, without duplicates. */
function severities(record: Json): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  const add = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const s of list) {
      if (!isObject(s) || typeof s.type !== "string" || typeof s.score !== "string") continue;
      const key = `${s.type} ${s.score}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ type: s.type, score: s.score });
      }
    }
  };
  add(record.severity);
  if (Array.isArray(record.affected)) for (const a of record.affected) if (isObject(a)) add(a.severity);
  return out;
}

/** A textual rating where the record has one: GHSA's database_specific.severity, or an Ubuntu priority. */
function textSeverity(record: Json): string | undefined {
  const db = record.database_specific;
  if (isObject(db) && typeof db.severity === "string") return db.severity;
  if (Array.isArray(record.severity)) {
    for (const s of record.severity) if (isObject(s) && s.type === "Ubuntu" && typeof s.score === "string") return s.score;
  }
  if (Array.isArray(record.affected)) {
    for (const a of record.affected) {
      if (!isObject(a)) continue;
      for (const block of [a.ecosystem_specific, a.database_specific]) {
        if (isObject(block) && typeof block.severity === "string") return block.severity;
      }
    }
  }
  return undefined;
}

/** Validates one parsed OSV record and turns it into rows. `where` names it in errors (file and entry). */
export function osvRows(value: unknown, where: string): OsvRows {
  if (!isObject(value)) throw new DrydockError("ADVISORY_INVALID", `${where}: an OSV record must be a JSON object`);
  const id = value.id;
  if (typeof id !== "string" || id === "") throw new DrydockError("ADVISORY_INVALID", `${where}: OSV record without an "id"`);
  if (value.affected !== undefined && !Array.isArray(value.affected)) {
    throw new DrydockError("ADVISORY_INVALID", `${where}: ${id}: "affected" must be an array`);
  }
  const affected: AffectedInput[] = [];
  const ecosystems: string[] = [];
  for (const entry of (value.affected ?? []) as unknown[]) {
    if (!isObject(entry) || !isObject(entry.package)) continue;
    const pkg = entry.package;
    if (typeof pkg.ecosystem !== "string" || typeof pkg.name !== "string") continue;
    const { ecosystem, release } = splitEcosystem(pkg.ecosystem);
    const ranges = usableRanges(entry.ranges);
    const versions = strings(entry.versions);
    if (!ecosystems.includes(ecosystem)) ecosystems.push(ecosystem);
    if (ranges.length === 0 && versions.length === 0) continue;
    affected.push({
      ecosystem,
      release,
      name: packageKey(ecosystem, pkg.name),
      status: "osv",
      fixed: undefined,
      ranges: ranges.length === 0 ? undefined : JSON.stringify(ranges),
      versions: versions.length === 0 ? undefined : JSON.stringify(versions),
      severity: undefined,
    });
  }
  const cvss = severities(value);
  return {
    advisory: {
      vulnId: id,
      summary: optionalString(value.summary) ?? firstLine(optionalString(value.details)),
      severity: textSeverity(value),
      cvss: cvss.length === 0 ? undefined : JSON.stringify(cvss),
      published: optionalString(value.published),
      modified: optionalString(value.modified),
      withdrawn: optionalString(value.withdrawn),
      aliases: strings(value.aliases).filter((a) => a !== id),
      upstream: upstreamIds(value, id),
    },
    affected,
    ecosystems,
  };
}

/** Distribution notices (DSA, DLA, USN, ...) list the CVEs they fix: `upstream`, or `related` in older exports. */
const DISTRO_NOTICE = /^(DSA|DLA|DTSA|USN|ELA|RHSA|RLSA|ALSA|ALBA|SUSE-SU|openSUSE-SU|ALPINE)-/;

function upstreamIds(record: Json, id: string): string[] {
  const upstream = strings(record.upstream);
  if (upstream.length > 0) return upstream.filter((u) => u !== id);
  return DISTRO_NOTICE.test(id) ? strings(record.related).filter((u) => u !== id) : [];
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split("\n", 1)[0]?.trim() ?? "";
  return line === "" ? undefined : line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
