// Labels as the label rules (hadolint's DL3048–DL3058) see them: every LABEL pair with its key and value
// expanded as BuildKit expands them, and the label schema of the configuration with its value types.
import type { DockerfileContext } from "../core/rule.ts";
import type { EnvInstruction, KeyValue } from "../dockerfile/ast.ts";
import { instructionsOfKind } from "../dockerfile/query.ts";
import type { StageGraph } from "../dockerfile/stages.ts";
import {
  isAbsoluteUri, isEmailAddress, isGitHash, isRfc3339DateTime, isSemver, spdxExpressionProblem,
} from "./validators.ts";

/** Value types of hadolint's label schema. */
export type LabelType = "text" | "url" | "semver" | "hash" | "rfc3339" | "spdx" | "email";

export interface LabelEntry {
  instruction: EnvInstruction;
  pair: KeyValue;
  /** The key after expansion; undefined when it uses a variable whose value is unknown when linting. */
  key: string | undefined;
  /** The value after expansion; undefined when it uses a variable whose value is unknown when linting. */
  value: string | undefined;
}

/**
 * Every LABEL pair of the file, ONBUILD LABEL included (its label lands in every image built from this one).
 * Keys and values are expanded with the ARG/ENV in scope and their quotes removed, as BuildKit does.
 */
export function labelEntries(ctx: DockerfileContext): readonly LabelEntry[] {
  const labels = instructionsOfKind(ctx.model, "label");
  if (labels.length === 0) return [];
  // Several rules read them: expanded once per stage graph (the graph is per file and build options).
  if (ctx.stages !== cachedGraph || cachedEntries === undefined) {
    const entries: LabelEntry[] = [];
    for (const inst of labels) {
      for (const pair of inst.pairs) {
        entries.push({ instruction: inst, pair, key: knownValue(ctx, inst, pair.key.value), value: knownValue(ctx, inst, pair.value.value) });
      }
    }
    cachedEntries = entries;
    cachedGraph = ctx.stages;
  }
  return cachedEntries;
}

// The last file's entries: rules run one file at a time. (Not a WeakMap by graph: V8's minor GC keeps such
// per-file entries alive, and with them every file's model.)
let cachedGraph: StageGraph | undefined;
let cachedEntries: readonly LabelEntry[] | undefined;

function knownValue(ctx: DockerfileContext, inst: EnvInstruction, word: string): string | undefined {
  const expansion = ctx.stages.expand(inst, word);
  return expansion.references.some((r) => !r.set) ? undefined : expansion.value;
}

/** The schema's labels of one type ("text" is also what a schema entry without a type means). */
export function schemaLabels(ctx: DockerfileContext, type?: LabelType): string[] {
  const names: string[] = [];
  for (const [name, t] of Object.entries(ctx.options.labelSchema)) {
    if (type === undefined || (t === "" ? "text" : t) === type) names.push(name);
  }
  return names;
}

/** Why a value does not fit the type, or undefined when it does. */
export function typeProblem(type: Exclude<LabelType, "text">, value: string): string | undefined {
  switch (type) {
    case "url": return isAbsoluteUri(value) ? undefined : "is not a valid URL";
    case "rfc3339": return isRfc3339DateTime(value) ? undefined : "is not a valid time format - must conform to RFC3339";
    case "spdx": {
      const problem = spdxExpressionProblem(value);
      return problem === undefined ? undefined : `is not a valid SPDX license expression (${problem})`;
    }
    case "hash": return isGitHash(value) ? undefined : "is not a valid git hash";
    case "semver": return isSemver(value) ? undefined : "does not conform to semantic versioning";
    case "email": return isEmailAddress(value) ? undefined : "is not a valid email format - must conform to RFC5322";
  }
}

/**
 * Findings of one typed label rule: every LABEL pair whose key has that type in the schema and whose known,
 * non-empty value does not fit it (an empty value is DL3051's finding).
 */
export function* typedLabelFindings(ctx: DockerfileContext, type: Exclude<LabelType, "text">): Generator<ReturnType<DockerfileContext["finding"]>> {
  const names = new Set(schemaLabels(ctx, type));
  if (names.size === 0) return;
  for (const entry of labelEntries(ctx)) {
    if (entry.key === undefined || !names.has(entry.key) || entry.value === undefined || entry.value === "") continue;
    const problem = typeProblem(type, entry.value);
    if (problem !== undefined) {
      yield ctx.finding(entry.pair.value.span, `Label \`${entry.key}\` ${problem}: ${JSON.stringify(entry.value)}`);
    }
  }
}
