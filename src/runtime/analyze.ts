// `drydock runtime` as a library function: runtime configuration texts in (compose files, Kubernetes manifests,
// scripts, Makefiles, Markdown, CI YAML), a finished report and an exit code out. Inputs → workloads → checks →
// policy (the same config, ignores, pragmas, severities and thresholds as `drydock lint`) → report.
import path from "node:path";
import { emptyConfig, type Config } from "../core/config.ts";
import { isDrydockError } from "../core/errors.ts";
import type { Finding, InputError, Report, RuleInfo, Severity, TextFinding, TextLocation } from "../core/finding.ts";
import { applyPolicy, exitCodeFor, failurePolicy, NO_CLI_POLICY, type CliPolicy } from "../core/policy.ts";
import { refersToRule, type Pragmas } from "../core/pragmas.ts";
import { LineIndex, type MappedText } from "../core/text.ts";
import { initShell } from "../shell/parse.ts";
import { runtimeRules } from "../rules/runtime/index.ts";
import { VERSION } from "../version.ts";
import { composeWorkloads, type ComposeFile } from "./compose.ts";
import { parseRunArgs, runWorkload, type RunCommand } from "./docker-run.ts";
import { isKubernetesObject, kubernetesWorkloads } from "./kubernetes.ts";
import type { Profile, Workload } from "./model.ts";
import { runtimePragmas } from "./pragmas.ts";
import { inProfile, type RuntimeContext, type RuntimeRule } from "./rule.ts";
import {
  makefileShellText, markdownShellText, mentionsContainerCli, runCommandsIn, shellScriptText, yamlShellTexts,
} from "./scripts.ts";
import { parseYamlDocuments, valueOf, type YDocument } from "./yaml.ts";

/** How an input is read. `yaml`: any other YAML (CI pipelines), searched for run lines in its strings. */
export type InputType = "compose" | "kubernetes" | "shell" | "makefile" | "markdown" | "yaml";

export const INPUT_TYPES: readonly InputType[] = ["compose", "kubernetes", "shell", "makefile", "markdown", "yaml"];

export interface RuntimeInput {
  /** The name findings carry (a path, or "<stdin>"). */
  file: string;
  text: string;
  /** How to read it; decided from the name and the content when not given. */
  type?: InputType;
  /** Compose files merged onto this one, in order (`docker compose -f this -f ...`). */
  overrides?: readonly ComposeFile[];
  /** Variables for compose interpolation (the project's `.env`). */
  env?: ReadonlyMap<string, string>;
  /** Named by the user (not found in a directory): recognizing nothing in it is an error. */
  explicit?: boolean;
}

export interface RuntimeRequest {
  inputs: readonly RuntimeInput[];
  /** baseline (default) or restricted. */
  profile?: Profile;
  config?: Config;
  cli?: CliPolicy;
  /** Defaults to every runtime rule. */
  rules?: readonly RuntimeRule[];
  /** Reads files that compose `extends.file` and `include` name. */
  readFile?: (file: string) => string | undefined;
}

export interface RuntimeOutcome {
  report: Report;
  exitCode: 0 | 1 | 2;
  workloads: Workload[];
}

/** What one input holds, before any check runs. */
export interface ReadInput {
  type: InputType;
  workloads: Workload[];
  errors: InputError[];
  /** Every file read for it (overrides, extended and included files too). */
  files: string[];
}

export async function analyzeRuntime(request: RuntimeRequest): Promise<RuntimeOutcome> {
  const config = request.config ?? emptyConfig();
  const cli = request.cli ?? NO_CLI_POLICY;
  const profile = request.profile ?? "baseline";
  const all = request.rules ?? runtimeRules;
  const enabled = [...config.enable, ...(cli.enable ?? [])];
  const rules = all.filter((r) => inProfile(r, profile) || enabled.some((ref) => refersToRule(ref, r)));
  if (request.inputs.some((i) => needsShell(i))) await initShell();

  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const workloads: Workload[] = [];
  const files: string[] = [];
  const pragmasByFile = new Map<string, Pragmas>();
  const texts = new Map<string, string>();
  for (const input of request.inputs) {
    texts.set(input.file, input.text);
    for (const o of input.overrides ?? []) texts.set(o.file, o.text);
    const read = readRuntimeInput(input, request.readFile);
    workloads.push(...read.workloads);
    errors.push(...read.errors);
    files.push(...read.files.filter((f) => !files.includes(f)));
  }
  for (const f of files) {
    const text = texts.get(f) ?? request.readFile?.(f);
    if (text !== undefined) pragmasByFile.set(f, runtimePragmas(new LineIndex(text)));
  }
  for (const w of workloads) {
    for (const rule of rules) {
      try {
        for (const f of rule.check(contextFor(rule, w))) findings.push(f);
      } catch (e) {
        errors.push({
          file: w.file,
          code: "RULE_FAILED",
          message: `rule ${rule.id} failed on ${w.name}: ${e instanceof Error ? e.message : String(e)} (a bug in drydock; please report it)`,
        });
      }
    }
  }
  const infos = rules.map(ruleInfo).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept = applyPolicy(findings, { config, cli, pragmasByFile, rules: infos });
  const { threshold, noFail } = failurePolicy(config, cli);
  const report: Report = { tool: { name: "drydock", version: VERSION }, findings: kept, errors, rules: infos, inputs: files };
  return { report, exitCode: exitCodeFor(kept, threshold, noFail, errors.length > 0), workloads };
}

function contextFor(rule: RuntimeRule, workload: Workload): RuntimeContext {
  return {
    workload,
    finding(at: TextLocation, message: string, severity?: Severity): TextFinding {
      return { ruleId: rule.id, aliases: rule.aliases, severity: severity ?? rule.severity, message, source: rule.source, location: at };
    },
  };
}

export function ruleInfo(rule: RuntimeRule): RuleInfo {
  const { id, aliases, severity, source, summary, docs, url, redundantWith } = rule;
  return {
    id, aliases, severity, source, summary, docs,
    ...(url === undefined ? {} : { url }),
    ...(redundantWith === undefined ? {} : { redundantWith }),
  };
}

function needsShell(input: RuntimeInput): boolean {
  return input.type !== "compose" && input.type !== "kubernetes" && mentionsContainerCli(input.text);
}

/**
 * Reads one input into workloads: compose (with its overrides), Kubernetes, or the run lines of a script, Makefile,
 * Markdown file or other YAML. Bad input becomes errors, never an exception. The shell parser must be initialized
 * (initShell) for inputs that may hold run lines.
 */
export function readRuntimeInput(input: RuntimeInput, readFile?: (file: string) => string | undefined): ReadInput {
  let docs: YDocument[] | undefined;
  let type = input.type;
  const nul = input.text.indexOf("\u0000");
  if (nul !== -1) {
    const at = new LineIndex(input.text).position(nul);
    return { type: type ?? "shell", workloads: [], files: [input.file], errors: [{ file: input.file, line: at.line, column: at.column, code: "INPUT_BINARY", message: "binary data (a NUL byte): not a configuration file or script; nothing was checked" }] };
  }
  try {
    if (type === undefined) ({ type, docs } = detect(input));
    switch (type) {
      case "compose": {
        const project = composeWorkloads([{ file: input.file, text: input.text, ...(docs === undefined ? {} : { docs }) }, ...(input.overrides ?? [])], {
          ...(input.env === undefined ? {} : { env: input.env }),
          ...(readFile === undefined ? {} : { readFile }),
        });
        return { type, workloads: project.workloads, errors: [], files: project.files };
      }
      case "kubernetes": {
        const result = kubernetesWorkloads(docs ?? parseYamlDocuments(input.text, input.file));
        return { type, workloads: result.workloads, errors: result.errors.map((e) => inputErrorOf(e, input.file)), files: [input.file] };
      }
      case "yaml":
        return runLines(input, type, yamlShellTexts(docs ?? parseYamlDocuments(input.text, input.file)));
      case "shell":
      case "makefile":
      case "markdown": {
        const lines = new LineIndex(input.text);
        const text = type === "shell" ? shellScriptText(lines) : type === "makefile" ? makefileShellText(lines) : markdownShellText(lines);
        return runLines(input, type, [text]);
      }
    }
  } catch (e) {
    return { type: type ?? "yaml", workloads: [], errors: [inputErrorOf(e, input.file)], files: [input.file] };
  }
}

function runLines(input: RuntimeInput, type: InputType, texts: readonly MappedText[]): ReadInput {
  // A run line without an image (`docker run --rm` in prose) starts nothing: not a workload.
  const workloads = texts.flatMap((t) => runCommandsIn(t)).filter((cmd) => hasImage(cmd)).map((cmd) => runWorkload(cmd, input.file));
  const errors: InputError[] = [];
  if (workloads.length === 0 && input.explicit === true && (type === "shell" || type === "yaml") && !looksLikeScript(input)) {
    errors.push({
      file: input.file,
      code: "RUNTIME_UNRECOGNIZED",
      message: "not a compose file, a Kubernetes manifest, or a text with a docker/podman run command; nothing was checked (--input-type tells how to read it)",
    });
  }
  return { type, workloads, errors, files: [input.file] };
}

function hasImage(cmd: RunCommand): boolean {
  return parseRunArgs(cmd.args).image !== undefined;
}

/** A script (by name or shebang) without run lines is a valid input with nothing to check. */
function looksLikeScript(input: RuntimeInput): boolean {
  return /\.(?:sh|bash|zsh|ksh|bats)$/i.test(input.file) || /^#!.*\b(?:sh|bash|zsh|ksh|dash)\b/.test(input.text);
}

const COMPOSE_NAME = /(?:^|[/\\])(?:docker-)?compose(?:[.-][^/\\]*)?\.ya?ml$|\.compose\.ya?ml$/i;

/** The input's type from its name and content; YAML inputs come back parsed. */
export function detect(input: Pick<RuntimeInput, "file" | "text">): { type: InputType; docs?: YDocument[] } {
  const base = path.basename(input.file);
  if (/\.(?:md|markdown|mdx)$/i.test(base)) return { type: "markdown" };
  if (/^(?:gnu)?makefile$/i.test(base) || /\.(?:mk|make)$/i.test(base)) return { type: "makefile" };
  if (/\.(?:sh|bash|zsh|ksh|bats)$/i.test(base) || /^#!/.test(input.text)) return { type: "shell" };
  const yamlName = /\.(?:ya?ml|json)$/i.test(base);
  let docs: YDocument[];
  try {
    docs = parseYamlDocuments(input.text, input.file);
  } catch (e) {
    // Not YAML: a YAML-named file is broken YAML (report it); anything else is read as shell text.
    if (yamlName || COMPOSE_NAME.test(input.file)) throw e;
    return { type: "shell" };
  }
  if (docs.some((d) => isKubernetesObject(d.root))) return { type: "kubernetes", docs };
  const first = docs.find((d) => d.root !== undefined)?.root;
  if (COMPOSE_NAME.test(input.file) || valueOf(first, "services")?.kind === "map") return { type: "compose", docs };
  if (!yamlName && (first === undefined || first.kind === "scalar")) return { type: "shell" };
  return { type: "yaml", docs };
}

function inputErrorOf(e: unknown, file: string): InputError {
  if (!isDrydockError(e)) throw e;
  const loc = e.location;
  if (loc?.kind === "text") return { file: loc.file, line: loc.start.line, column: loc.start.column, code: e.code, message: e.message };
  return { file, code: e.code, message: e.message };
}

