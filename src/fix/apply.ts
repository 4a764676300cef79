// `drydock fix` as a library function: lint → collect the edits of fixable findings → apply them one rule at a
// time → lint again. A rule's edits are kept only when its findings went down and nothing else appeared (no new
// finding of any rule, no new input error); otherwise they are withheld and said so. Nothing here reads or writes
// files: texts in, texts out.
import type { Config } from "../core/config.ts";
import { isDrydockError } from "../core/errors.ts";
import type { Edit, Finding, InputError, TextFinding } from "../core/finding.ts";
import { NO_CLI_POLICY, type CliPolicy } from "../core/policy.ts";
import { refersToRule } from "../core/pragmas.ts";
import { LineIndex } from "../core/text.ts";
import type { BuildContextInfo, DockerfileRule } from "../core/rule.ts";
import type { Dockerfile } from "../dockerfile/ast.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { buildStageGraph } from "../dockerfile/stages.ts";
import { lintDockerfiles } from "../lint.ts";
import { dockerfileRules } from "../rules/dockerfile/index.ts";
import { runtimeRules } from "../rules/runtime/index.ts";
import { analyzeRuntime, detect } from "../runtime/analyze.ts";
import { DEFAULT_USER, fixerFor } from "./dockerfile.ts";
import { pinEdits, PIN_RULE, type DigestResolver } from "./pin.ts";
import { YAML_FIX_RULES, yamlFixEdits } from "./yaml.ts";

export { DEFAULT_USER };

export interface FixRequest {
  config?: Config;
  /** `--rule`: fix only the findings of these rules (ids or aliases). */
  rules?: readonly string[];
  /** `--add-user` (`--uid`): add USER to a final stage without one (DD001); compose services get `user:` (DR013). */
  addUser?: string;
  /** `--pin`: how to find the digest a base image's tag names now (DD002). */
  resolveDigest?: DigestResolver;
  /** Build target, for rules about the final image. */
  target?: string;
}

export type FixedKind = "dockerfile" | "compose" | "kubernetes" | "other";

export interface AppliedFix {
  ruleId: string;
  line: number;
  message: string;
}

export interface FixResult {
  file: string;
  kind: FixedKind;
  before: string;
  after: string;
  applied: AppliedFix[];
  /** Fixes not applied because linting the result showed a new finding or an input error. */
  withheld: { ruleId: string; reason: string }[];
  /** The findings left: what needs a person. */
  remaining: readonly Finding[];
  /** The input could not be read as what it claims to be; nothing was changed. */
  errors: InputError[];
}

/** Linting one version of a text: what was found, and what the fixes need to compute edits. */
interface LintState {
  findings: readonly Finding[];
  errors: readonly InputError[];
  /** Edits per rule, for the findings that have a fix (only those asked for). */
  proposals: Map<string, { edits: Edit[]; findings: TextFinding[] }>;
}

/** The rules a `--rule` list allows (everything when there is none). */
function allowedBy(refs: readonly string[] | undefined, rule: { id: string; aliases: readonly string[] } | undefined): boolean {
  if (refs === undefined || refs.length === 0) return true;
  return rule !== undefined && refs.some((r) => refersToRule(r, rule));
}

// ---- Dockerfiles ----

export interface DockerfileInput {
  file: string;
  text: string;
  buildContext?: BuildContextInfo;
}

export async function fixDockerfile(input: DockerfileInput, request: FixRequest = {}): Promise<FixResult> {
  const rulesById = new Map<string, DockerfileRule>(dockerfileRules.map((r) => [r.id, r]));
  const digests = request.resolveDigest === undefined ? undefined : cachedResolver(request.resolveDigest);
  const lint = async (text: string): Promise<LintState> => {
    const outcome = await lintDockerfiles({
      inputs: [{ file: input.file, text, ...(input.buildContext === undefined ? {} : { buildContext: input.buildContext }) }],
      ...(request.config === undefined ? {} : { config: request.config }),
      cli: NO_CLI_POLICY,
      shellcheck: "off",
      ...(request.target === undefined ? {} : { target: request.target }),
    });
    const state: LintState = { findings: outcome.report.findings, errors: outcome.report.errors, proposals: new Map() };
    let model: Dockerfile;
    try {
      model = parseDockerfile(text, { file: input.file });
    } catch {
      return state;
    }
    const stages = buildStageGraph(model, request.target === undefined ? {} : { target: request.target });
    const ctx = { model, stages, addUser: request.addUser };
    for (const f of state.findings) {
      if (f.location.kind !== "text") continue;
      const finding = f as TextFinding;
      const rule = rulesById.get(f.ruleId);
      if (!allowedBy(request.rules, rule)) continue;
      if (f.ruleId === PIN_RULE) continue; // async: below
      let edits: Edit[] = [];
      const fixer = fixerFor(f.ruleId);
      if (fixer !== undefined) edits = fixer.fix(finding, ctx);
      else if (rule?.fix !== undefined) edits = rule.fix(finding, model);
      if (edits.length > 0) propose(state, f.ruleId, finding, edits);
    }
    if (digests !== undefined && allowedBy(request.rules, rulesById.get(PIN_RULE))) {
      const unpinned = state.findings.filter((f): f is TextFinding => f.ruleId === PIN_RULE && f.location.kind === "text");
      for (const f of unpinned) {
        const edits = await pinEdits(model, [f], digests);
        if (edits.length > 0) propose(state, PIN_RULE, f, edits);
      }
    }
    return state;
  };
  return fixLoop(input.file, "dockerfile", input.text, lint);
}

// ---- compose files and Kubernetes manifests ----

export interface RuntimeFileInput {
  file: string;
  text: string;
}

export async function fixRuntimeFile(input: RuntimeFileInput, request: FixRequest = {}): Promise<FixResult> {
  let kind: FixedKind;
  try {
    const type = detect(input).type;
    kind = type === "compose" || type === "kubernetes" ? type : "other";
  } catch (e) {
    if (!isDrydockError(e)) throw e;
    const loc = e.location;
    const error: InputError = loc?.kind === "text"
      ? { file: input.file, line: loc.start.line, column: loc.start.column, code: e.code, message: e.message }
      : { file: input.file, code: e.code, message: e.message };
    return { file: input.file, kind: "other", before: input.text, after: input.text, applied: [], withheld: [], remaining: [], errors: [error] };
  }
  const rulesById = new Map(runtimeRules.map((r) => [r.id, r]));
  const lint = async (text: string): Promise<LintState> => {
    const outcome = await analyzeRuntime({
      inputs: [{ file: input.file, text, explicit: true, ...(kind === "other" ? {} : { type: kind }) }],
      profile: "restricted",
      ...(request.config === undefined ? {} : { config: request.config }),
      cli: NO_CLI_POLICY,
    });
    const state: LintState = { findings: outcome.report.findings, errors: outcome.report.errors, proposals: new Map() };
    if (kind === "other") return state;
    const fixable = state.findings.filter((f) => YAML_FIX_RULES.includes(f.ruleId) && allowedBy(request.rules, rulesById.get(f.ruleId)));
    for (const ruleId of new Set(fixable.map((f) => f.ruleId))) {
      const mine = fixable.filter((f) => f.ruleId === ruleId);
      const edits = yamlFixEdits(input.file, text, outcome.workloads, mine, { addUser: request.addUser });
      if (edits.length > 0) state.proposals.set(ruleId, { edits, findings: mine.filter((f): f is TextFinding => f.location.kind === "text") });
    }
    return state;
  };
  return fixLoop(input.file, kind, input.text, lint);
}

// ---- the loop ----

function propose(state: LintState, ruleId: string, finding: TextFinding, edits: readonly Edit[]): void {
  const entry = state.proposals.get(ruleId) ?? { edits: [], findings: [] };
  entry.edits.push(...edits);
  entry.findings.push(finding);
  state.proposals.set(ruleId, entry);
}

/** Upper bound on lint runs per file: each accepted rule costs one, each withheld one too. */
const MAX_ROUNDS = 64;

async function fixLoop(file: string, kind: FixedKind, original: string, lint: (text: string) => Promise<LintState>): Promise<FixResult> {
  let text = original;
  let state = await lint(text);
  const result: FixResult = { file, kind, before: original, after: original, applied: [], withheld: [], remaining: state.findings, errors: [...state.errors] };
  // A file that does not parse is not fixed: its findings are not the whole story.
  if (state.errors.length > 0) return result;
  const done = new Set<string>();
  const batches: Edit[][] = [];
  const originalLines = new LineIndex(original);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = [...state.proposals.entries()].filter(([id]) => !done.has(id)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[0];
    if (next === undefined) break;
    const [ruleId, proposal] = next;
    const { text: candidate, applied } = applyEditList(text, proposal.edits);
    const after = candidate === text ? state : await lint(candidate);
    const problem = candidate === text ? "its edits change nothing" : regression(state, after, ruleId);
    if (problem !== undefined) {
      done.add(ruleId);
      result.withheld.push({ ruleId, reason: problem });
      continue;
    }
    for (const f of proposal.findings) {
      // Lines as the user's file has them: undo the edits of the rules fixed before this one.
      const offset = batches.reduceRight((o, batch) => offsetBefore(o, batch), f.location.start.offset);
      result.applied.push({ ruleId, line: originalLines.position(offset).line, message: f.message });
    }
    batches.push(applied);
    text = candidate;
    state = after;
    // A rule is fixed once: what its edits leave (a finding they could not reach) is for a person.
    done.add(ruleId);
  }
  return { ...result, after: text, remaining: state.findings };
}

/** Why a fix is not kept: its rule's findings did not go down, or another rule's went up, or the text broke. */
function regression(before: LintState, after: LintState, ruleId: string): string | undefined {
  if (after.errors.length > before.errors.length) {
    const e = after.errors[0];
    return `the fixed text does not read: ${e?.message ?? "input error"}`;
  }
  const count = (s: LintState): Map<string, number> => {
    const m = new Map<string, number>();
    for (const f of s.findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
    return m;
  };
  const was = count(before);
  const now = count(after);
  if ((now.get(ruleId) ?? 0) >= (was.get(ruleId) ?? 0)) return "linting the fixed text still finds as many of its findings";
  for (const [id, n] of now) {
    if (n > (was.get(id) ?? 0)) return `the fix would add a ${id} finding`;
  }
  return undefined;
}

/**
 * Applies edits (offsets into text): identical ones once, and of overlapping ones only the first by position, so a
 * fix never garbles text; inserts at one offset keep their order.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  return applyEditList(text, edits).text;
}

function applyEditList(text: string, edits: readonly Edit[]): { text: string; applied: Edit[] } {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const parts: string[] = [];
  const applied: Edit[] = [];
  let pos = 0;
  const seen = new Set<string>();
  for (const { e } of sorted) {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key) || e.start < pos || e.end < e.start || e.end > text.length) continue;
    seen.add(key);
    applied.push(e);
    parts.push(text.slice(pos, e.start), e.text);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return { text: parts.join(""), applied };
}

/** Where an offset of the edited text was before the edits (sorted, as applied); inside new text: where it went in. */
function offsetBefore(offset: number, edits: readonly Edit[]): number {
  let delta = 0;
  for (const e of edits) {
    const start = e.start + delta;
    if (offset < start) break;
    if (offset < start + e.text.length) return e.start;
    delta += e.text.length - (e.end - e.start);
  }
  return offset - delta;
}

function cachedResolver(resolve: DigestResolver): DigestResolver {
  const cache = new Map<string, Promise<string>>();
  return (ref) => {
    const key = `${ref.registry}/${ref.repository}:${ref.tag ?? "latest"}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = resolve(ref);
      cache.set(key, found);
    }
    return found;
  };
}
