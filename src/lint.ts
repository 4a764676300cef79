// `drydock lint` as a library function: Dockerfile texts in, a finished report and an exit code out.
// source → model → rules → policy → report; nothing here prints or reads the environment.
import path from "node:path";
import { emptyConfig, type Config } from "./core/config.ts";
import { isDrydockError } from "./core/errors.ts";
import type { Finding, InputError, Report, RuleInfo } from "./core/finding.ts";
import { applyPolicy, exitCodeFor, failurePolicy, NO_CLI_POLICY, severityEnables, type CliPolicy } from "./core/policy.ts";
import { isBuildkitRule, parseCheckDirective, pragmasOf, refersToRule, type Pragmas } from "./core/pragmas.ts";
import type { BuildContextInfo, DockerfileRule } from "./core/rule.ts";
import { runDockerfileRules } from "./core/run.ts";
import type { Dockerfile } from "./dockerfile/ast.ts";
import { parseDockerfile } from "./dockerfile/parse.ts";
import { explicitShell, isWindowsStage, runInstructions, runScripts } from "./dockerfile/query.ts";
import { buildStageGraph, type StageGraph } from "./dockerfile/stages.ts";
import { findShellcheck, runShellcheck, type ShellcheckScript, type ShellDialect } from "./shell/shellcheck.ts";
import { dockerfileRules } from "./rules/dockerfile/index.ts";
import { resolveBaseImagePlatforms, type ResolveImagesOptions } from "./lint/images.ts";
import { initShell, shareShellTrees } from "./shell/parse.ts";
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
  /**
   * ShellCheck on RUN scripts: "auto" (default) uses a shellcheck found on PATH and notes once when there is
   * none; "off" skips it; any other value is the binary to run.
   */
  shellcheck?: string;
  /** Looks up base images' platforms in their registries (InvalidBaseImagePlatform); absent: offline. */
  resolveImages?: ResolveImagesOptions;
}

export interface LintOutcome {
  report: Report;
  exitCode: 0 | 1 | 2;
  /** Things the user should know that are not findings (e.g. an analyzer that could not run). */
  notices: string[];
}

export async function lintDockerfiles(request: LintRequest): Promise<LintOutcome> {
  await initShell();
  const config = request.config ?? emptyConfig();
  const cli = request.cli ?? NO_CLI_POLICY;
  const rules = request.rules ?? dockerfileRules;
  const images = request.resolveImages === undefined ? undefined
    : await resolveBaseImagePlatforms(request.inputs, { target: request.target, buildArgs: request.buildArgs }, request.resolveImages);
  const ruleOptions = {
    trustedRegistries: config.trustedRegistries,
    labelSchema: config.labelSchema,
    strictLabels: config.strictLabels,
    ...(images === undefined ? {} : { imagePlatforms: images.platforms }),
  };
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const pragmasByFile = new Map<string, Pragmas>();
  const notices: string[] = [...(images?.notices ?? [])];
  const shellcheckInputs: { file: string; scripts: ShellcheckScript[] }[] = [];
  const shellcheckBinary = request.shellcheck === "off" ? undefined
    : request.shellcheck === undefined || request.shellcheck === "auto" ? await findShellcheck() : request.shellcheck;
  if (shellcheckBinary === undefined && request.shellcheck !== "off") {
    notices.push("shellcheck not found on PATH: ShellCheck (SCxxxx) rules were skipped (apt-get install shellcheck)");
  }
  const enabled = [...config.enable, ...(cli.enable ?? [])];
  const activeWithoutCheck = rules.filter((r) => r.optIn !== true || enabled.some((ref) => refersToRule(ref, r)) || severityEnables(r, config, cli));
  // Scripts repeated across the files (image variants, copied stages) are parsed once for the whole run.
  shareShellTrees(() => {
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
      // Only a `# check=` directive makes the rule set differ from one file to the next.
      const active = pragmas.check === undefined ? activeWithoutCheck
        : rules.filter((r) => r.optIn !== true || isEnabled(r, enabled, pragmas) || severityEnables(r, config, cli));
      const run = runDockerfileRules(model, active, {
        ruleOptions,
        target: request.target,
        buildArgs: request.buildArgs,
        buildContext: input.buildContext,
      });
      findings.push(...run.findings);
      errors.push(...run.errors);
      if (shellcheckBinary !== undefined) {
        shellcheckInputs.push({ file: input.file, scripts: shellcheckScripts(model, buildStageGraph(model, { target: request.target, buildArgs: request.buildArgs })) });
      }
    }
  });
  const scRules = new Map<string, RuleInfo>();
  if (shellcheckBinary !== undefined && shellcheckInputs.length > 0) {
    const all = shellcheckInputs.flatMap((i) => i.scripts.map((script) => ({ file: i.file, script })));
    try {
      for (const c of await runShellcheck(shellcheckBinary, all.map((a) => a.script))) {
        const file = all[c.script]?.file;
        if (file === undefined) continue;
        if (!scRules.has(c.code)) scRules.set(c.code, shellcheckRule(c.code, c.severity));
        findings.push({
          ruleId: c.code, aliases: [], severity: c.severity, message: c.message, source: "shellcheck",
          location: { kind: "text", file, start: c.span.start, end: c.span.end },
        });
      }
    } catch (e) {
      errors.push({ file: shellcheckBinary, code: "SHELLCHECK_FAILED", message: e instanceof Error ? e.message : String(e) });
    }
  }
  const allRules = [...rules.map(ruleInfo), ...scRules.values()];
  const kept = applyPolicy(findings, { config, cli, pragmasByFile, rules: allRules });
  const { threshold, noFail } = failurePolicy(config, cli);
  const report: Report = {
    tool: { name: "drydock", version: VERSION },
    findings: kept,
    errors,
    rules: allRules.sort((a, b) => a.id.localeCompare(b.id)),
    inputs: request.inputs.map((i) => i.file),
  };
  return { report, exitCode: exitCodeFor(kept, threshold, noFail, errors.length > 0), notices };
}

// PowerShell and cmd are not shells ShellCheck reads; ash and busybox sh are checked as POSIX sh.
const DIALECTS: Readonly<Record<string, ShellDialect>> = { sh: "sh", ash: "sh", busybox: "sh", dash: "dash", bash: "bash", ksh: "ksh", mksh: "ksh", zsh: "bash" };

/** The RUN scripts of a file in the dialect of their stage's SHELL, with the variables the build defines. */
function shellcheckScripts(model: Dockerfile, graph: StageGraph): ShellcheckScript[] {
  const out: ShellcheckScript[] = [];
  for (const run of runInstructions(model)) {
    const explicit = explicitShell(graph, run);
    const stage = graph.stageOf(run);
    // Without a SHELL, a Windows stage runs cmd: nothing for ShellCheck.
    if (explicit === undefined && stage !== undefined && isWindowsStage(graph, stage, model)) continue;
    const shell = explicit?.[0] ?? "/bin/sh";
    const defined = [...graph.scope(run).keys()];
    for (const script of runScripts(run)) {
      const shebang = /^#!\s*(?:\S*\/)?(?:env\s+)?(\w+)/.exec(script.text.text);
      const name = shebang?.[1] ?? path.basename(shell);
      const dialect = DIALECTS[name];
      if (dialect !== undefined) out.push({ text: script.text, dialect, defined });
    }
  }
  return out;
}

function shellcheckRule(code: string, severity: RuleInfo["severity"]): RuleInfo {
  return {
    id: code, aliases: [], severity, source: "shellcheck", summary: `ShellCheck ${code}`,
    docs: `A problem ShellCheck finds in a RUN script. See https://www.shellcheck.net/wiki/${code}.`,
    url: `https://www.shellcheck.net/wiki/${code}`,
  };
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
  const { id, aliases, severity, source, summary, docs, url, optIn, redundantWith } = rule;
  return {
    id, aliases, severity, source, summary, docs,
    ...(url === undefined ? {} : { url }),
    ...(optIn === true ? { optIn } : {}),
    ...(redundantWith === undefined ? {} : { redundantWith }),
  };
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
