// The policy stage: what the user asked for (config file, command line, pragmas) applied to what the rules found,
// then the one sort of findings and the exit code.
import { DrydockError, formatLocation } from "./errors.ts";
import { isSeverity, severityRank, type Finding, type RuleInfo, type Severity } from "./finding.ts";
import type { Config, FailureThreshold, SeverityOrOff } from "./config.ts";
import { isBuildkitRule, isSuppressed, refersToRule, type Pragmas } from "./pragmas.ts";

/** hadolint's default: fail on any finding of severity info or above (style findings do not fail). */
export const DEFAULT_FAILURE_THRESHOLD: FailureThreshold = "info";

/** What the command line adds to the policy. */
export interface CliPolicy {
  /** `--ignore ID` (repeatable). */
  ignore: readonly string[];
  /** `--enable ID` (repeatable): opt-in rules to run. */
  enable?: readonly string[];
  /** `--severity-override ID=level` (repeatable). */
  severityOverride: Readonly<Record<string, SeverityOrOff>>;
  failureThreshold?: FailureThreshold;
  noFail?: boolean;
  disableIgnorePragma?: boolean;
}

export const NO_CLI_POLICY: CliPolicy = { ignore: [], severityOverride: {} };

export interface PolicyInput {
  config: Config;
  cli: CliPolicy;
  /** Pragmas of each linted file, keyed by the file name findings carry in their location. */
  pragmasByFile: ReadonlyMap<string, Pragmas>;
  /** Rules that ran: their aliases count for matching even when a finding does not repeat them. */
  rules?: readonly RuleInfo[];
}

/**
 * Drops ignored and suppressed findings, sets each finding's severity, then sorts (file, line, column, rule id)
 * and removes exact duplicates. Severity precedence, lowest first: the rule's default, the config file,
 * `# check=error=true` (BuildKit checks), `--severity-override`; "off" at the end drops the finding.
 */
export function applyPolicy(findings: readonly Finding[], input: PolicyInput): Finding[] {
  const { config, cli } = input;
  const ignores = [...config.ignore, ...cli.ignore];
  const ignorePragmas = !(config.disableIgnorePragma || cli.disableIgnorePragma === true);
  const rulesById = new Map((input.rules ?? []).map((r) => [r.id, r]));
  // Without ignores and severity tables, most findings only need their file's pragmas looked at.
  const noTables = ignores.length === 0 && isEmpty(config.severity) && isEmpty(cli.severityOverride);
  const kept: Finding[] = [];
  for (const finding of findings) {
    const pragmas = finding.location.kind === "text" ? input.pragmasByFile.get(finding.location.file) : undefined;
    if (noTables && (pragmas === undefined || !mayChange(pragmas, ignorePragmas))) {
      kept.push(finding);
      continue;
    }
    const known = rulesById.get(finding.ruleId);
    // Match on the finding's names and those of its rule, so a finding without aliases is still found by alias.
    const aliases = known === undefined ? finding.aliases : [...new Set([...finding.aliases, ...known.aliases])];
    const named = { ...finding, aliases, source: known?.source ?? finding.source };
    const rule = { id: finding.ruleId, aliases };
    if (ignores.some((ref) => refersToRule(ref, rule))) continue;
    if (pragmas !== undefined && isSuppressed(pragmas, named, { ignorePragmas })) continue;
    const severity = severityOf(named, config, cli, pragmas);
    if (severity === "off") continue;
    kept.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  return dropRedundant(dedupe(sortFindings(kept)), rulesById);
}

/** Whether pragmas can suppress a finding or change its severity (isSuppressed, severityOf): most files have none. */
function mayChange(pragmas: Pragmas, ignorePragmas: boolean): boolean {
  return pragmas.check !== undefined || (ignorePragmas && pragmas.ignores.length > 0);
}

function isEmpty(table: Readonly<Record<string, unknown>>): boolean {
  for (const _ in table) return false;
  return true;
}

function severityOf(finding: Finding, config: Config, cli: CliPolicy, pragmas: Pragmas | undefined): SeverityOrOff {
  const rule = { id: finding.ruleId, aliases: finding.aliases };
  let severity: SeverityOrOff = lastMatch(config.severity, rule) ?? finding.severity;
  // BuildKit's error=true turns reported violations into errors; a rule the config turned off stays off.
  if (severity !== "off" && pragmas?.check?.error === true && isBuildkitRule(finding)) severity = "error";
  return lastMatch(cli.severityOverride, rule) ?? severity;
}

/**
 * Whether a severity set for the rule by config (drydock.yaml `severity`, .hadolint.yaml `override`) or
 * `--severity-override` turns an opt-in rule on, as hadolint enables DL1001 when an override gives it a level.
 */
export function severityEnables(rule: { id: string; aliases: readonly string[] }, config: Config, cli: CliPolicy): boolean {
  const level = lastMatch(cli.severityOverride, rule) ?? lastMatch(config.severity, rule);
  return level !== undefined && level !== "off";
}

/** The value of the last entry naming the rule: later entries are more specific in config files and argv alike. */
function lastMatch(
  table: Readonly<Record<string, SeverityOrOff>>,
  rule: { id: string; aliases: readonly string[] },
): SeverityOrOff | undefined {
  let found: SeverityOrOff | undefined;
  for (const [ref, value] of Object.entries(table)) if (refersToRule(ref, rule)) found = value;
  return found;
}

/** The order every report shows: file, line, column, rule id; then message and severity so ties are stable. */
/** Sorts with each finding's key computed once (compareFindings builds two per comparison). */
function sortFindings(findings: Finding[]): Finding[] {
  const keyed = findings.map((f) => ({ f, k: sortKey(f) }));
  keyed.sort((a, b) => compareKeyed(a.f, a.k, b.f, b.k));
  return keyed.map((x) => x.f);
}

type SortKey = ReturnType<typeof sortKey>;

function compareKeyed(a: Finding, ka: SortKey, b: Finding, kb: SortKey): number {
  return (
    compareText(ka.file, kb.file) ||
    ka.line - kb.line ||
    ka.column - kb.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    ka.endLine - kb.endLine ||
    ka.endColumn - kb.endColumn
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  return compareKeyed(a, sortKey(a), b, sortKey(b));
}

function sortKey(f: Finding): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  const loc = f.location;
  if (loc.kind === "text") {
    return { file: loc.file, line: loc.start.line, column: loc.start.column, endLine: loc.end.line, endColumn: loc.end.column };
  }
  return { file: formatLocation(loc), line: 0, column: 0, endLine: 0, endColumn: 0 };
}

// Code-unit order, not locale order: the same on every machine.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A finding whose rule says it is redundant with another rule is dropped when that rule reports the same line
 * (BuildKit's JSONArgsRecommended next to hadolint's DL3025, say): one problem, one finding. Runs after ignores,
 * so ignoring the other rule brings this one back.
 */
function dropRedundant(findings: readonly Finding[], rulesById: ReadonlyMap<string, RuleInfo>): Finding[] {
  // Most reports hold no finding of a rule that is redundant with another: nothing to look up then.
  if (!findings.some((f) => f.location.kind === "text" && rulesById.get(f.ruleId)?.redundantWith !== undefined)) return [...findings];
  const at = new Map<string, Set<string>>();
  for (const f of findings) {
    if (f.location.kind !== "text") continue;
    const key = `${f.location.file}\0${f.location.start.line}`;
    const ids = at.get(key) ?? new Set<string>();
    ids.add(f.ruleId);
    at.set(key, ids);
  }
  return findings.filter((f) => {
    const over = rulesById.get(f.ruleId)?.redundantWith;
    if (over === undefined || f.location.kind !== "text") return true;
    const here = at.get(`${f.location.file}\0${f.location.start.line}`);
    return !over.some((id) => here?.has(id) === true);
  });
}

/**
 * Keeps the first of findings equal in rule, severity, message and location. Takes sorted findings: equal findings
 * have equal sort keys, so they sit in one run of findings that compare equal: identities are only worked out
 * inside such runs (almost every run is one finding).
 */
function dedupe(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  let runStart = 0;
  for (let i = 1; i <= findings.length; i++) {
    const prev = findings[i - 1];
    const cur = findings[i];
    if (cur !== undefined && prev !== undefined && compareFindings(prev, cur) === 0) continue;
    if (i - runStart === 1) {
      if (prev !== undefined) out.push(prev);
    } else {
      const seen = new Set<string>();
      for (let j = runStart; j < i; j++) {
        const f = findings[j];
        if (f === undefined) continue;
        const key = identityOf(f);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    runStart = i;
  }
  return out;
}

function identityOf(f: Finding): string {
  const loc = f.location;
  const where =
    loc.kind === "text"
      ? [loc.file, loc.start.line, loc.start.column, loc.start.offset, loc.end.line, loc.end.column, loc.end.offset]
      : [formatLocation(loc)];
  return JSON.stringify([f.ruleId, f.severity, f.message, loc.kind, ...where]);
}

/** The threshold and no-fail setting in force: the command line beats the config file, which beats the default. */
export function failurePolicy(config: Config, cli: CliPolicy): { threshold: FailureThreshold; noFail: boolean } {
  return {
    threshold: cli.failureThreshold ?? config.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    noFail: cli.noFail ?? config.noFail,
  };
}

/**
 * 2 when an input could not be analysed (even with noFail: a file that was not linted is not a pass), else 1 when
 * a finding is at or above the threshold and noFail is off, else 0. Threshold "none" means any finding fails.
 */
export function exitCodeFor(
  findings: readonly Finding[],
  threshold: FailureThreshold = DEFAULT_FAILURE_THRESHOLD,
  noFail = false,
  hadErrors = false,
): 0 | 1 | 2 {
  if (hadErrors) return 2;
  if (noFail) return 0;
  const fails = (s: Severity): boolean => threshold === "none" || severityRank(s) <= severityRank(threshold);
  return findings.some((f) => fails(f.severity)) ? 1 : 0;
}

/** Reads one `--severity-override` argument, `DL3008=error` (levels: error, warning, info, style, off). */
export function parseSeverityOverride(arg: string): [string, SeverityOrOff] {
  const eq = arg.lastIndexOf("=");
  const ref = arg.slice(0, Math.max(eq, 0)).trim();
  const level = arg.slice(eq + 1).trim();
  if (eq <= 0 || ref === "" || !(isSeverity(level) || level === "off")) {
    throw new DrydockError(
      "USAGE",
      `--severity-override expects RULE=LEVEL with LEVEL one of error, warning, info, style, off; got ${JSON.stringify(arg)}`,
    );
  }
  return [ref, level];
}

/** References (from config, CLI or pragmas) that name none of the rules: most likely typos, worth a warning. */
export function unknownRuleRefs(refs: Iterable<string>, rules: readonly RuleInfo[]): string[] {
  const unknown = new Set<string>();
  for (const ref of refs) if (!rules.some((r) => refersToRule(ref, r))) unknown.add(ref);
  return [...unknown].sort(compareText);
}
