// A runtime check is a value, shaped like a Dockerfile rule (src/core/rule.ts): metadata, the profile it belongs to,
// and one pure check over a workload. The registry in src/rules/runtime/index.ts collects them.
import type { RuleInfo, Severity, TextFinding, TextLocation } from "../core/finding.ts";
import type { Profile, Workload, WorkloadKind } from "./model.ts";

export interface RuntimeContext {
  readonly workload: Workload;
  /** A finding of this rule at a place; severity defaults to the rule's. */
  finding(at: TextLocation, message: string, severity?: Severity): TextFinding;
}

export interface RuntimeRule extends RuleInfo {
  /**
   * baseline: configured danger (privileged, host namespaces, the Docker socket, ...), run by default; restricted:
   * hardening a workload lacks (non-root, read-only root, limits, ...), run with `--profile restricted`.
   */
  profile: Profile;
  /** The inputs the check means something for (documentation, and the registry test's examples). */
  appliesTo: readonly WorkloadKind[];
  check(ctx: RuntimeContext): Iterable<TextFinding>;
}

/** Identity, for contextual types and literal ids. */
export function defineRuntimeRule<const R extends RuntimeRule>(rule: R): R {
  return rule;
}

/** Whether a rule runs under a profile (restricted includes baseline). */
export function inProfile(rule: Pick<RuntimeRule, "profile">, profile: Profile): boolean {
  return rule.profile === "baseline" || profile === "restricted";
}

/** The spelling of a setting in the workload's own format, for messages that say how to fix it. */
export function spelled(w: Workload, forms: Readonly<Record<WorkloadKind, string>>): string {
  return forms[w.kind];
}
