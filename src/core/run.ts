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

/** One per file: what every rule's context shares, the stage graph built on first use. */
class FileContext {
  readonly model: Dockerfile;
  readonly options: RuleOptions;
  readonly buildContext: BuildContextInfo | undefined;
  private readonly stageOptions: StageOptions;
  private graph: StageGraph | undefined;

  constructor(model: Dockerfile, options: RunOptions) {
    this.model = model;
    this.options = options.ruleOptions ?? DEFAULT_RULE_OPTIONS;
    this.buildContext = options.buildContext;
    this.stageOptions = options;
  }

  get stages(): StageGraph {
    this.graph ??= buildStageGraph(this.model, this.stageOptions);
    return this.graph;
  }
}

/** The context rules see; one per file, pointed at each rule in turn (a rule's findings are all made during its turn). */
class RuleContext implements DockerfileContext {
  private readonly file: FileContext;
  rule: DockerfileRule;

  constructor(file: FileContext, rule: DockerfileRule) {
    this.file = file;
    this.rule = rule;
  }

  get model(): Dockerfile {
    return this.file.model;
  }

  get options(): RuleOptions {
    return this.file.options;
  }

  get buildContext(): BuildContextInfo | undefined {
    return this.file.buildContext;
  }

  get stages(): StageGraph {
    return this.file.stages;
  }

  finding(span: Span, message: string, severity?: Severity): TextFinding {
    const rule = this.rule;
    return {
      ruleId: rule.id,
      aliases: rule.aliases,
      severity: severity ?? rule.severity,
      message,
      source: rule.source,
      location: { kind: "text", file: this.file.model.file, start: span.start, end: span.end },
    };
  }
}

function isArray(found: Iterable<TextFinding>): found is readonly TextFinding[] {
  return Array.isArray(found);
}

export function runDockerfileRules(model: Dockerfile, rules: readonly DockerfileRule[], options: RunOptions = {}): RunResult {
  const file = new FileContext(model, options);
  const findings: TextFinding[] = [];
  const errors: InputError[] = [];
  const first = rules[0];
  if (first === undefined) return { findings, errors };
  const context = new RuleContext(file, first);
  for (const rule of rules) {
    try {
      context.rule = rule;
      const found = rule.check(context);
      // Most rules return an array (cheaper than a generator when run ~100 times per file).
      if (isArray(found)) {
        if (found.length > 0) findings.push(...found);
      } else {
        for (const f of found) findings.push(f);
      }
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
