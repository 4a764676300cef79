// Runs Dockerfile rules over one parsed file. Rules are pure; a rule that throws is a bug in drydock, and is
// reported as an input error naming the rule rather than taking the whole run down.
import type { InputError, Severity, Span, TextFinding } from "./finding.ts";
import type { Dockerfile } from "../dockerfile/ast.ts";
import { buildStageGraph, type StageGraph, type StageOptions } from "../dockerfile/stages.ts";
import { DEFAULT_RULE_OPTIONS, type BuildContextInfo, type DockerfileContext, type DockerfileRule, type RuleOptions } from "./rule.ts";

export interface RunOptions extends StageOptions {
  ruleOptions?: RuleOptions;
  buildContext?: BuildContextInfo;
}

export interface RunResult {
  findings: TextFinding[];
  errors: InputError[];
}

export function runDockerfileRules(model: Dockerfile, rules: readonly DockerfileRule[], options: RunOptions = {}): RunResult {
  let stages: StageGraph | undefined;
  const base = {
    model,
    options: options.ruleOptions ?? DEFAULT_RULE_OPTIONS,
    buildContext: options.buildContext,
    get stages(): StageGraph {
      stages ??= buildStageGraph(model, options);
      return stages;
    },
  };
  const findings: TextFinding[] = [];
  const errors: InputError[] = [];
  for (const rule of rules) {
    const ctx: DockerfileContext = {
      ...base,
      get stages(): StageGraph {
        return base.stages;
      },
      finding: (span: Span, message: string, severity?: Severity): TextFinding => ({
        ruleId: rule.id,
        aliases: rule.aliases,
        severity: severity ?? rule.severity,
        message,
        source: rule.source,
        location: { kind: "text", file: model.file, start: span.start, end: span.end },
      }),
    };
    try {
      for (const f of rule.check(ctx)) findings.push(f);
    } catch (e) {
      errors.push({
        file: model.file,
        code: "RULE_FAILED",
        message: `rule ${rule.id} failed: ${e instanceof Error ? e.message : String(e)} (a bug in drydock; please report it)`,
      });
    }
  }
  return { findings, errors };
}
