// The shapes every analyzer, the policy and every report share.

export type Severity = "error" | "warning" | "info" | "style";

/** Ordered from most to least severe; index = rank (lower is more severe). */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "style"];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** line and column are 1-based (column counts UTF-16 code units); offset is the 0-based index in the file text. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** end is exclusive, as in SARIF. */
export interface Span {
  start: Position;
  end: Position;
}

export type Location =
  | { kind: "text"; file: string; start: Position; end: Position }
  | { kind: "layer"; image: string; layer: number; digest: string; path: string }
  | { kind: "ref"; ref: string };

export type TextLocation = Extract<Location, { kind: "text" }>;

/** Where a rule comes from: the tool whose rule it reproduces, or drydock's own. */
export type RuleSource = "hadolint" | "buildkit" | "drydock" | "cis" | "trivy" | "dockle" | "shellcheck";

export interface Finding {
  ruleId: string;
  /** Other tools' ids that mean the same, e.g. "hadolint:DL3008", "buildkit:UndefinedVar". */
  aliases: readonly string[];
  severity: Severity;
  message: string;
  source: RuleSource;
  location: Location;
}

export interface TextFinding extends Finding {
  location: TextLocation;
}

/** A text edit in the finding's file: replace [start, end) (0-based offsets) by text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Metadata of a rule as reports need it (SARIF rule descriptors, `drydock rules`). */
export interface RuleInfo {
  id: string;
  aliases: readonly string[];
  severity: Severity;
  source: RuleSource;
  summary: string;
  /** Markdown. */
  docs: string;
  /** Link to the upstream documentation of the rule, when it has one. */
  url?: string;
  /**
   * Rules that report the same problem: when one of them has a finding on the same line, this rule's finding
   * is dropped as a duplicate (used by BuildKit checks that overlap hadolint rules).
   */
  redundantWith?: readonly string[];
  /** Off unless enabled (config `enable`, `--enable`, or BuildKit's `check=experimental=` for its experimental checks). */
  optIn?: boolean;
}

/** An input that could not be analysed: reported beside the findings, and makes the exit code 2. */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

export interface Report {
  tool: { name: string; version: string };
  findings: readonly Finding[];
  errors: readonly InputError[];
  /** Every rule that ran (reports such as SARIF describe them), sorted by id. */
  rules: readonly RuleInfo[];
  /** The inputs analysed (file names as findings carry them), so formats can list the clean ones. */
  inputs?: readonly string[];
}
