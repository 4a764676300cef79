// `drydock runtime`: compose files, Kubernetes manifests and `docker run` lines, checked against CIS Docker Benchmark
// §5 and the Pod Security Standards. The edges live here (argv, files, directories, stdin, `.env`, output); the
// work is src/runtime/analyze.ts.
import { lstatSync, readFileSync } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import { loadConfig } from "../core/config.ts";
import { DrydockError, isDrydockError } from "../core/errors.ts";
import type { InputError, Report } from "../core/finding.ts";
import type { CliPolicy } from "../core/policy.ts";
import { formats, isFormatName, renderReport } from "../report/index.ts";
import { runtimeRules } from "../rules/runtime/index.ts";
import { analyzeRuntime, INPUT_TYPES, type InputType, type RuntimeInput } from "../runtime/analyze.ts";
import { parseDotEnv } from "../runtime/interpolate.ts";
import { PROFILES, type Profile } from "../runtime/model.ts";
import { mentionsContainerCli } from "../runtime/scripts.ts";
import { STDIN_NAME, writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { renderRuleList } from "./rules.ts";
import { cliPolicyFrom, collect, useColor } from "./options.ts";
import { readStdin } from "./io.ts";

/** Largest input read (Helm output of a big chart is a few MB). */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** Files found in directories larger than this are not configuration anyone wrote: skipped. */
const MAX_FOUND_BYTES = 4 * 1024 * 1024;
const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules", "vendor", ".venv", "__pycache__", ".terraform", "testdata", "third_party"]);
const COMPOSE_BASES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const COMPOSE_OVERRIDES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

interface RuntimeOptions {
  format: string;
  output?: string;
  config?: string;
  profile: string;
  inputType?: string;
  merge?: boolean;
  envFile?: string;
  ignore: string[];
  enable: string[];
  severityOverride: string[];
  failureThreshold?: string;
  fail: boolean;
  stdinFilename: string;
  listRules?: boolean;
  color: string | boolean;
}

/** Adds the `runtime` command; the returned exitCode is set once it has run. */
export function registerRuntime(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("runtime")
    .description("check compose files, Kubernetes manifests and docker/podman run lines: CIS Docker Benchmark §5 and Pod Security Standards")
    .argument("[paths...]", "files or directories (compose, Kubernetes YAML, scripts, Makefiles, Markdown, CI YAML), or - for stdin", ["."])
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.keys(formats)).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml, .drydock.yaml or .hadolint.yaml)")
    .addOption(new Option("--profile <profile>", "baseline: configured dangers; restricted: also missing hardening (PSS restricted)").choices(PROFILES).default("baseline"))
    .addOption(new Option("--input-type <type>", "read every input as this type instead of detecting it").choices(INPUT_TYPES))
    .option("--merge", "the compose files given form one project, merged in order (like docker compose -f a -f b)")
    .option("--env-file <file>", "variables for compose interpolation (default: .env beside each compose file)")
    .option("--ignore <rule>", "ignore a check by id or alias (repeatable)", collect, [])
    .option("--enable <rule>", "run a check outside the profile, by id or alias (repeatable)", collect, [])
    .option("--severity-override <rule=level>", "set a check's severity: error|warning|info|style|off (repeatable)", collect, [])
    .option("-t, --failure-threshold <level>", "exit 1 only for findings at or above: error|warning|info|style|none")
    .option("--no-fail", "exit 0 even with findings (input errors still exit 2)")
    .option("--stdin-filename <name>", "name to report for stdin input", STDIN_NAME)
    .option("--list-rules", "list the runtime checks and exit")
    .addOption(new Option("--color <when>", "colour text output").choices(["auto", "always", "never"]).default("auto"))
    .option("--no-color", "same as --color never")
    .action(async (paths: string[], opts: RuntimeOptions) => {
      state.exitCode = await runtimeCommand(paths, opts, io);
    });
  return state;
}

async function runtimeCommand(paths: string[], opts: RuntimeOptions, io: Io): Promise<number> {
  if (opts.listRules === true) {
    io.stdout(renderRuleList(runtimeRules));
    return 0;
  }
  const format = opts.format;
  if (!isFormatName(format)) throw new DrydockError("USAGE", `unknown format ${format}`);
  const profile = opts.profile as Profile;
  const loaded = await loadConfig(io.cwd, opts.config);
  const cli: CliPolicy = cliPolicyFrom(opts);
  const { inputs, errors: readErrors } = await gatherRuntimeInputs(paths, {
    cwd: io.cwd,
    stdinFilename: opts.stdinFilename,
    ...(opts.inputType === undefined ? {} : { type: opts.inputType as InputType }),
    ...(opts.merge === true ? { merge: true } : {}),
    ...(opts.envFile === undefined ? {} : { envFile: opts.envFile }),
  });
  const outcome = await analyzeRuntime({
    inputs,
    profile,
    config: loaded.config,
    cli,
    readFile: (file) => readReferencedFile(file, io.cwd),
  });
  const report: Report = { ...outcome.report, errors: [...readErrors, ...outcome.report.errors] };
  const color = useColor(opts, io);
  const rendered = renderReport(format, report, { color, cwd: io.cwd });
  if (opts.output === undefined) io.stdout(rendered);
  else await writeOutput(opts.output, rendered, io.cwd);
  return readErrors.length > 0 ? 2 : outcome.exitCode;
}

export interface GatherOptions {
  cwd: string;
  stdinFilename: string;
  /** Read every input as this type. */
  type?: InputType;
  /** The compose files given are one project (`docker compose -f a -f b`). */
  merge?: boolean;
  /** Variables for compose interpolation instead of each directory's `.env`. */
  envFile?: string;
}

/**
 * The inputs the paths name, read: files and stdin as given, directories searched; compose override files attached to
 * their base, `.env` files read for interpolation. Files that cannot be read are errors beside the inputs.
 */
export async function gatherRuntimeInputs(paths: readonly string[], options: GatherOptions): Promise<{ inputs: RuntimeInput[]; errors: InputError[] }> {
  const { cwd, type } = options;
  const errors: InputError[] = [];
  const inputs: RuntimeInput[] = [];
  for (const found of await findRuntimeInputs(paths, cwd)) {
    try {
      const text = found.file === "-" ? await readStdin(MAX_INPUT_BYTES) : await readText(found.file, cwd, found.explicit ? MAX_INPUT_BYTES : MAX_FOUND_BYTES);
      if (text === undefined) continue;
      if (!found.explicit && !worthReading(found.file, text)) continue;
      inputs.push({ file: found.file === "-" ? options.stdinFilename : found.file, text, explicit: found.explicit, ...(type === undefined ? {} : { type }) });
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      errors.push({ file: found.file, code: e.code, message: e.message });
    }
  }
  const grouped = options.merge === true ? mergeAll(inputs) : attachOverrides(inputs);
  const envFile = options.envFile === undefined ? undefined : parseDotEnv(await readRequired(options.envFile, cwd));
  for (const input of grouped) {
    if (input.file === options.stdinFilename && envFile === undefined) continue;
    const env = envFile ?? dotEnvBeside(input.file, cwd);
    if (env !== undefined) input.env = env;
  }
  return { inputs: grouped, errors };
}

interface FoundInput {
  file: string;
  explicit: boolean;
}

/** The paths as inputs: files and `-` as given (explicit), directories searched for runtime configuration. */
export async function findRuntimeInputs(paths: readonly string[], cwd: string): Promise<FoundInput[]> {
  const out: FoundInput[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push({ file: "-", explicit: true });
      continue;
    }
    const info = await lstat(path.resolve(cwd, p)).catch(() => undefined);
    if (info?.isDirectory() !== true) {
      out.push({ file: p, explicit: true });
      continue;
    }
    const found: string[] = [];
    await walk(path.resolve(cwd, p), found, 0);
    if (found.length === 0) throw new DrydockError("USAGE", `${p}: no compose file, Kubernetes manifest, script, Makefile or Markdown file in this directory`);
    out.push(...found.map((f) => ({ file: path.relative(cwd, f) || f, explicit: false })));
  }
  return out;
}

/** Names worth opening in a directory: YAML, Markdown, Makefiles and shell scripts. */
function isCandidateName(name: string): boolean {
  return /\.(?:ya?ml|md|markdown|mk|sh|bash)$/i.test(name) || /^(?:gnu)?makefile$/i.test(name);
}

async function walk(dir: string, found: string[], depth: number): Promise<void> {
  if (depth > 32) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, found, depth + 1);
    } else if (e.isFile() && isCandidateName(e.name)) {
      found.push(full);
    }
  }
}

/**
 * A file found in a directory is read when it may hold something to check: YAML with services or apiVersion, or run
 * lines; never a Helm template (unrendered `{{ .Values }}` is not YAML: pipe `helm template` output instead).
 */
function worthReading(file: string, text: string): boolean {
  if (/\{\{-?\s*(?:\.Values|\.Release|\.Chart|include|template|if|range)\b/.test(text)) return false;
  if (/\.ya?ml$/i.test(file)) return /^(?:services|apiVersion)\s*:/m.test(text) || mentionsContainerCli(text);
  return mentionsContainerCli(text);
}

/** Each base compose file gets the override file of its directory, as `docker compose` does by default. */
function attachOverrides(inputs: readonly RuntimeInput[]): RuntimeInput[] {
  const byPath = new Map(inputs.map((i) => [i.file, i]));
  const attached = new Set<string>();
  const out: RuntimeInput[] = [];
  for (const input of inputs) {
    const base = path.basename(input.file);
    if (COMPOSE_BASES.includes(base) && input.explicit !== true) {
      const override = COMPOSE_OVERRIDES.map((o) => byPath.get(path.join(path.dirname(input.file), o))).find((o) => o !== undefined && o.explicit !== true);
      if (override !== undefined) {
        attached.add(override.file);
        out.push({ ...input, type: input.type ?? "compose", overrides: [{ file: override.file, text: override.text }] });
        continue;
      }
    }
    out.push(input);
  }
  return out.filter((i) => !attached.has(i.file));
}

/** `--merge`: every input is a compose file of one project, merged onto the first. */
function mergeAll(inputs: readonly RuntimeInput[]): RuntimeInput[] {
  const [first, ...rest] = inputs;
  if (first === undefined) return [];
  return [{ ...first, type: "compose", overrides: rest.map((r) => ({ file: r.file, text: r.text })) }];
}

const dotEnvCache = new Map<string, Map<string, string> | undefined>();

function dotEnvBeside(file: string, cwd: string): Map<string, string> | undefined {
  const dir = path.dirname(path.resolve(cwd, file));
  if (!dotEnvCache.has(dir)) {
    const text = readReferencedFile(path.join(dir, ".env"), cwd);
    dotEnvCache.set(dir, text === undefined ? undefined : parseDotEnv(text));
  }
  return dotEnvCache.get(dir);
}

/** For compose `extends.file` and `include`: undefined when the file cannot be read (reported by the caller). */
export function readReferencedFile(file: string, cwd: string): string | undefined {
  const abs = path.resolve(cwd, file);
  try {
    const info = lstatSync(abs);
    if (!info.isFile() || info.size > MAX_INPUT_BYTES) return undefined;
    return readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
}

async function readRequired(file: string, cwd: string): Promise<string> {
  const text = await readText(file, cwd, MAX_INPUT_BYTES);
  if (text === undefined) throw new DrydockError("INPUT_UNREADABLE", `${file}: not a regular file`);
  return text;
}

/** Reads a file as UTF-8; undefined for something that is not a regular file; an error when too large or unreadable. */
async function readText(file: string, cwd: string, limit: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path.resolve(cwd, file), "r");
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${file}: ${errorText(e)}`, { cause: e });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    if (info.size > limit) throw new DrydockError("INPUT_TOO_LARGE", `${file}: ${info.size} bytes is more than the ${limit} read as configuration`);
    return new TextDecoder("utf-8").decode(await handle.readFile());
  } finally {
    await handle.close();
  }
}


function errorText(e: unknown): string {
  const code = e instanceof Error && "code" in e ? e.code : undefined;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return e instanceof Error ? e.message : String(e);
}
