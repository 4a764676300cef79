// `drydock lint` as a library function: Dockerfile texts in, a finished report and an exit code out.
// source → model → rules → policy → report; nothing here prints or reads the environment.
import { emptyConfig, type Config } from "./core/config.ts";
import { isDrydockError } from "./core/errors.ts";
import type { Finding, InputError, Report, RuleInfo } from "./core/finding.ts";
import { applyPolicy, exitCodeFor, failurePolicy, NO_CLI_POLICY, type CliPolicy } from "./core/policy.ts";
import { isBuildkitRule, parseCheckDirective, pragmasOf, refersToRule, type Pragmas } from "./core/pragmas.ts";
import type { BuildContextInfo, DockerfileRule } from "./core/rule.ts";
import { runDockerfileRules } from "./core/run.ts";
import type { Dockerfile } from "./dockerfile/ast.ts";
import { parseDockerfile } from "./dockerfile/parse.ts";
import { dockerfileRules } from "./rules/dockerfile/index.ts";
import { initShell } from "./shell/parse.ts";
import { VERSION } from "./version.ts";

export interface LintInput {
  /** The name findings carry (a path, or "<stdin>"). */
  file: string;
  text: string;
  /** The build context beside the file, when there is one (not for stdin). */
  buildContext?: BuildContextInfo;
}

export interface LintRequest {
  inputs: readonly LintInput[];
  config?: Config;
  cli?: CliPolicy;
  /** Defaults to every Dockerfile rule. */
  rules?: readonly DockerfileRule[];
  /** Build target stage for rules that look at the final image. */
  target?: string;
  buildArgs?: Readonly<Record<string, string>>;
}

export interface LintOutcome {
  report: Report;
  exitCode: 0 | 1 | 2;
}

export async function lintDockerfiles(request: LintRequest): Promise<LintOutcome> {
  await initShell();
  const config = request.config ?? emptyConfig();
  const cli = request.cli ?? NO_CLI_POLICY;
  const rules = request.rules ?? dockerfileRules;
  const ruleOptions = {
    trustedRegistries: config.trustedRegistries,
    labelSchema: config.labelSchema,
    strictLabels: config.strictLabels,
  };
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const pragmasByFile = new Map<string, Pragmas>();
  for (const input of request.inputs) {
    let model: Dockerfile;
    try {
      model = parseDockerfile(input.text, { file: input.file });
    } catch (e) {
      errors.push(inputErrorOf(e, input.file));
      continue;
    }
    for (const w of model.warnings) {
      // BuildKit quietly runs a broken exec-form array as a shell command; that is never what was meant.
      if (w.code === "INVALID_JSON") {
        errors.push({ file: input.file, line: w.span.start.line, column: w.span.start.column, code: "DOCKERFILE_SYNTAX", message: w.message });
      }
    }
    const pragmas = withCheckBuildArg(pragmasOf(model), request.buildArgs, model);
    pragmasByFile.set(input.file, pragmas);
    const enabled = [...config.enable, ...(cli.enable ?? [])];
    const active = rules.filter((r) => r.optIn !== true || isEnabled(r, enabled, pragmas));
    const run = runDockerfileRules(model, active, {
      ruleOptions,
      target: request.target,
      buildArgs: request.buildArgs,
      buildContext: input.buildContext,
    });
    findings.push(...run.findings);
    errors.push(...run.errors);
  }
  const kept = applyPolicy(findings, { config, cli, pragmasByFile, rules });
  const { threshold, noFail } = failurePolicy(config, cli);
  const report: Report = {
    tool: { name: "drydock", version: VERSION },
    findings: kept,
    errors,
    rules: rules.map(ruleInfo).sort((a, b) => a.id.localeCompare(b.id)),
    inputs: request.inputs.map((i) => i.file),
  };
  return { report, exitCode: exitCodeFor(kept, threshold, noFail, errors.length > 0) };
}

/** An opt-in rule runs when enabled by config/CLI, or (a BuildKit experimental check) by `check=experimental=`. */
function isEnabled(rule: DockerfileRule, enabled: readonly string[], pragmas: Pragmas): boolean {
  if (enabled.some((ref) => refersToRule(ref, rule))) return true;
  const check = pragmas.check;
  return check !== undefined && isBuildkitRule(rule) && (check.experimentalAll || check.experimental.some((ref) => refersToRule(ref, rule)));
}

/** `--build-arg BUILDKIT_DOCKERFILE_CHECK=...` replaces the file's `# check=` directive, as in BuildKit. */
function withCheckBuildArg(pragmas: Pragmas, buildArgs: LintRequest["buildArgs"], model: Dockerfile): Pragmas {
  const value = buildArgs?.BUILDKIT_DOCKERFILE_CHECK;
  if (value === undefined) return pragmas;
  const warnings = [...pragmas.warnings];
  const check = parseCheckDirective(value, model.source.span(0, 0), warnings);
  return { ...pragmas, check, warnings };
}

export function ruleInfo(rule: DockerfileRule): RuleInfo {
  const { id, aliases, severity, source, summary, docs, url, optIn } = rule;
  return { id, aliases, severity, source, summary, docs, ...(url === undefined ? {} : { url }), ...(optIn === true ? { optIn } : {}) };
}

export function inputErrorOf(e: unknown, file: string): InputError {
  if (isDrydockError(e)) {
    const loc = e.location;
    if (loc?.kind === "text") {
      return { file: loc.file, line: loc.start.line, column: loc.start.column, code: e.code, message: e.message };
    }
    return { file, code: e.code, message: e.message };
  }
  throw e;
}
