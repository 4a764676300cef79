// Baselines: the findings a team accepted when adopting drydock, recorded by fingerprints that survive edits
// elsewhere in a file, so `drydock check --baseline` fails only on findings that are new.
//
// A fingerprint is sha256 over (scheme, rule id, file, normalized text, occurrence):
// - file: the path relative to the project root, "/"-separated, so the baseline works from any directory;
// - normalized text: the source lines the finding spans (a whole instruction with its continuation lines),
//   whitespace collapsed, so moving the lines or re-indenting them keeps the fingerprint; when the text is not
//   known (image findings, a file not read), the message instead;
// - occurrence: the finding's rank among findings equal in the three fields above, in report order (file, line),
//   so two identical lines with the same problem are two entries, and a copy added later is one new finding.
// Line numbers never enter the fingerprint: inserting lines above a finding does not make it new.
import { createHash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import type { Finding } from "../core/finding.ts";
import { formatLocation } from "../core/errors.ts";

export const BASELINE_FILE = ".drydock-baseline.json";
export const BASELINE_VERSION = 1;
const SCHEME = "drydock-baseline/v1";
/** A baseline larger than this is not something drydock wrote for one project. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface BaselineEntry {
  fingerprint: string;
  /** For people reading the file in review: what the entry stands for. Not used for matching. */
  ruleId: string;
  file: string;
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

export interface FingerprintInput {
  /** Source texts by the file name findings carry. */
  sources: ReadonlyMap<string, string>;
  /** The file name as the baseline records it (relative to the project root). */
  projectPath: (file: string) => string;
}

/** One fingerprint per finding, in the findings' order (which must be the report's sorted order). */
export function fingerprintFindings(findings: readonly Finding[], input: FingerprintInput): string[] {
  const seen = new Map<string, number>();
  const lineCache = new Map<string, string[]>();
  return findings.map((f) => {
    const key = [SCHEME, f.ruleId, placeOf(f, input), textOf(f, input, lineCache)].join("\u0000");
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return createHash("sha256").update(`${key}\u0000${occurrence}`).digest("hex");
  });
}

function placeOf(f: Finding, input: FingerprintInput): string {
  return f.location.kind === "text" ? input.projectPath(f.location.file) : formatLocation(f.location);
}

function textOf(f: Finding, input: FingerprintInput, cache: Map<string, string[]>): string {
  const loc = f.location;
  if (loc.kind !== "text") return normalize(f.message);
  let lines = cache.get(loc.file);
  if (lines === undefined) {
    const text = input.sources.get(loc.file);
    if (text === undefined) return normalize(f.message);
    lines = text.split(/\r?\n/);
    cache.set(loc.file, lines);
  }
  // An exclusive end at column 1 of the next line does not take that line in.
  const last = loc.end.line > loc.start.line && loc.end.column === 1 ? loc.end.line - 1 : loc.end.line;
  const spanned = lines.slice(loc.start.line - 1, Math.max(last, loc.start.line)).join("\n");
  return spanned.trim() === "" ? normalize(f.message) : normalize(spanned);
}

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function createBaseline(findings: readonly Finding[], fingerprints: readonly string[], projectPath: (file: string) => string): Baseline {
  const entries = findings.map((f, i): BaselineEntry => ({
    fingerprint: fingerprints[i] ?? "",
    ruleId: f.ruleId,
    file: f.location.kind === "text" ? projectPath(f.location.file) : formatLocation(f.location),
    message: f.message,
  }));
  // Sorted by file and rule so a re-recorded baseline diffs cleanly in review.
  entries.sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  return { version: BASELINE_VERSION, findings: entries };
}

export function renderBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline file's text; BASELINE_INVALID (naming the file) when it is not one. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DrydockError("BASELINE_INVALID", `${file}: not JSON (${(e as Error).message}); write it again with --baseline write`, { cause: e });
  }
  if (!isRecord(data) || data.version !== BASELINE_VERSION || !Array.isArray(data.findings)) {
    throw new DrydockError("BASELINE_INVALID", `${file}: not a drydock baseline version ${BASELINE_VERSION} ({"version": 1, "findings": [...]}); write it again with --baseline write`);
  }
  const findings: BaselineEntry[] = [];
  for (const [i, entry] of data.findings.entries()) {
    if (!isRecord(entry) || typeof entry.fingerprint !== "string" || !/^[0-9a-f]{64}$/.test(entry.fingerprint)) {
      throw new DrydockError("BASELINE_INVALID", `${file}: findings[${i}] has no fingerprint (64 hex digits)`);
    }
    findings.push({
      fingerprint: entry.fingerprint,
      ruleId: typeof entry.ruleId === "string" ? entry.ruleId : "",
      file: typeof entry.file === "string" ? entry.file : "",
      message: typeof entry.message === "string" ? entry.message : "",
    });
  }
  return { version: BASELINE_VERSION, findings };
}

/** Drops the findings the baseline knows; also says how many it dropped and how many entries matched nothing. */
export function applyBaseline<F extends Finding>(
  findings: readonly F[], fingerprints: readonly string[], baseline: Baseline,
): { kept: F[]; keptFingerprints: string[]; suppressed: number; stale: number } {
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  const matched = new Set<string>();
  const kept: F[] = [];
  const keptFingerprints: string[] = [];
  findings.forEach((f, i) => {
    const fp = fingerprints[i] ?? "";
    if (known.has(fp)) {
      matched.add(fp);
      return;
    }
    kept.push(f);
    keptFingerprints.push(fp);
  });
  return { kept, keptFingerprints, suppressed: findings.length - kept.length, stale: known.size - matched.size };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
