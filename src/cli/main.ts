// The command line: the only place that reads argv, the environment and stdin, and prints.
import { homedir } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { loadConfig, type RegistrySettings } from "../core/config.ts";
import { DrydockError, isDrydockError } from "../core/errors.ts";
import type { Report } from "../core/finding.ts";
import type { CliPolicy } from "../core/policy.ts";
import { dumpDockerfile } from "../dockerfile/dump.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { astToJson } from "../dockerfile/json.ts";
import { lintDockerfiles, type LintRequest } from "../lint.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { formats, isFormatName, renderReport, type FormatName } from "../report/index.ts";
import type { RuleInfo } from "../core/finding.ts";
import { dockerfileRules } from "../rules/dockerfile/index.ts";
import { imageChecks } from "../rules/image/index.ts";
import { runtimeRules } from "../rules/runtime/index.ts";
import { VERSION } from "../version.ts";
import { findDockerfiles, readInput, STDIN_NAME, writeOutput } from "./io.ts";
import { registerAudit } from "./audit.ts";
import { registerBase } from "./base.ts";
import { registerBuild } from "./build.ts";
import { registerCheck } from "./check.ts";
import { registerDb } from "./db.ts";
import { registerDiff } from "./diff.ts";
import { registerFix } from "./fix.ts";
import { registerInspect } from "./inspect.ts";
import { registerLsp } from "./lsp.ts";
import { registerKeyCommands } from "./keys.ts";
import { registerSbom } from "./sbom.ts";
import { registerScan } from "./scan.ts";
import { registerSignCommands } from "./sign.ts";
import { registerRegistryCommands } from "./registry.ts";
import { registerRuntime } from "./runtime.ts";
import { renderRuleDocs, renderRuleList } from "./rules.ts";
import { cliPolicyFrom, collect, registryOptionsFrom, type RegistryFlags, useColor } from "./options.ts";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

const processIo = (): Io => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});

/** Runs the CLI; returns the exit code (0 clean, 1 findings at/above the threshold, 2 usage or input error). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command("drydock")
    .description("Keeps container images secure and honest, from the Dockerfile to the running container.")
    .version(VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("lint")
    .description("lint Dockerfiles: hadolint rules, BuildKit checks and drydock's own")
    .argument("[paths...]", "files or directories (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*), or - for stdin", ["."])
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.keys(formats)).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml, .drydock.yaml or .hadolint.yaml)")
    .option("--ignore <rule>", "ignore a rule by id or alias (repeatable)", collect, [])
    .option("--enable <rule>", "run an opt-in rule (off by default) by id or alias (repeatable)", collect, [])
    .option("--severity-override <rule=level>", "set a rule's severity: error|warning|info|style|off (repeatable)", collect, [])
    .option("-t, --failure-threshold <level>", "exit 1 only for findings at or above: error|warning|info|style|none")
    .option("--no-fail", "exit 0 even with findings (input errors still exit 2)")
    .option("--target <stage>", "build target: rules about the final image look at this stage")
    .option("--build-arg <name=value>", "a build argument value, as docker build --build-arg (repeatable)", collect, [])
    .option("--stdin-filename <name>", "name to report for stdin input", STDIN_NAME)
    .option("--shellcheck <binary>", "ShellCheck binary for SCxxxx findings on RUN scripts (default: shellcheck on PATH)")
    .option("--no-shellcheck", "do not run ShellCheck")
    .option("--resolve-images", "look up base images in their registries (InvalidBaseImagePlatform); off by default: lint is offline")
    .option("--platform <os/arch[/variant]>", "with --resolve-images: the platform the build is for (default: the host's)")
    .option("--insecure-registry <host[:port]>", "with --resolve-images: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "with --resolve-images: an extra certificate authority (repeatable)", collect, [])
    .addOption(new Option("--color <when>", "colour text output").choices(["auto", "always", "never"]).default("auto"))
    .option("--no-color", "same as --color never")
    .action(async (paths: string[], opts: LintOptions) => {
      exitCode = await lintCommand(paths, opts, io);
    });

  program
    .command("parse")
    .description("parse a Dockerfile and print its syntax tree")
    .argument("<file>", "a Dockerfile, or - for stdin")
    .option("--dump", "print BuildKit's dump format (the default)")
    .option("--json", "print the syntax tree with source positions as JSON")
    .action(async (file: string, opts: { dump?: boolean; json?: boolean }) => {
      const input = await readInput(file, io.cwd, STDIN_NAME);
      const model = parseDockerfile(input.text, { file: input.file });
      io.stdout(opts.json === true ? `${JSON.stringify(astToJson(model), null, 2)}\n` : `${dumpDockerfile(model)}\n`);
    });

  program
    .command("rules")
    .description("list every rule (Dockerfile, image, runtime), or show one rule's documentation")
    .argument("[rule]", "a rule id or alias")
    .action((id: string | undefined) => {
      if (id === undefined) {
        io.stdout(renderRuleList(allRules()));
        return;
      }
      const docs = renderRuleDocs(allRules(), id);
      if (docs === undefined) throw new DrydockError("USAGE", `no rule named ${JSON.stringify(id)}; \`drydock rules\` lists them`);
      io.stdout(docs);
    });

  registerInspect(program, io);
  registerAudit(program, io, (code) => {
    exitCode = code;
  });
  const runtime = registerRuntime(program, io);
  registerDb(program, io);
  registerRegistryCommands(program, io);
  const keys = registerKeyCommands(program, io);
  const sign = registerSignCommands(program, io);
  registerSbom(program, io);
  const scan = registerScan(program, io);
  const build = registerBuild(program, io);
  const diff = registerDiff(program, io);
  registerBase(program, io);
  const check = registerCheck(program, io);
  const fix = registerFix(program, io);
  const lsp = registerLsp(program, io);
  // Commands that end with a verdict (1: found, not verified, not reproducible) report it here; errors throw (2).
  const verdicts = [runtime, keys, sign, scan, build, diff, check, fix, lsp];

  try {
    await program.parseAsync([...argv], { from: "user" });
    for (const v of verdicts) if (v.exitCode !== undefined) return v.exitCode;
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit cleanly; every other usage problem is exit 2 (commander already printed it).
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : 2;
    }
    if (isDrydockError(e)) {
      const loc = e.location;
      const where = loc?.kind === "text" ? `${loc.file}:${loc.start.line}:${loc.start.column}: ` : "";
      io.stderr(`drydock: ${where}${e.message} [${e.code}]\n`);
      return 2;
    }
    throw e;
  }
}

/** Every rule and check drydock has: Dockerfile rules, image checks (audit), runtime checks. */
function allRules(): RuleInfo[] {
  return [...dockerfileRules, ...imageChecks, ...runtimeRules];
}

interface LintOptions extends RegistryFlags {
  format: string;
  output?: string;
  config?: string;
  ignore: string[];
  enable: string[];
  severityOverride: string[];
  failureThreshold?: string;
  fail: boolean;
  target?: string;
  buildArg: string[];
  stdinFilename: string;
  shellcheck?: string | boolean;
  resolveImages?: boolean;
  platform?: string;
  color: string | boolean;
}

async function lintCommand(paths: string[], opts: LintOptions, io: Io): Promise<number> {
  const format = opts.format;
  if (!isFormatName(format)) throw new DrydockError("USAGE", `unknown format ${format}`);
  const loaded = await loadConfig(io.cwd, opts.config);
  const cli: CliPolicy = cliPolicyFrom(opts);
  const files = await findDockerfiles(paths, io.cwd);
  const inputs = [];
  const readErrors = [];
  for (const f of files) {
    try {
      inputs.push(await readInput(f, io.cwd, opts.stdinFilename));
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      readErrors.push({ file: f, code: e.code, message: e.message });
    }
  }
  const outcome = await lintDockerfiles({
    inputs,
    config: loaded.config,
    cli,
    ...(opts.target === undefined ? {} : { target: opts.target }),
    buildArgs: Object.fromEntries(opts.buildArg.map(parseBuildArg)),
    shellcheck: opts.shellcheck === false ? "off" : typeof opts.shellcheck === "string" ? opts.shellcheck : "auto",
    ...(opts.resolveImages === true ? { resolveImages: resolveImagesOptions(opts, loaded.config.registries, io) } : {}),
  });
  for (const notice of outcome.notices) io.stderr(`drydock: note: ${notice}\n`);
  const report: Report = { ...outcome.report, errors: [...readErrors, ...outcome.report.errors] };
  const color = useColor(opts, io);
  const rendered = renderReport(format as FormatName, report, { color, cwd: io.cwd });
  if (opts.output === undefined) io.stdout(rendered);
  else await writeOutput(opts.output, rendered, io.cwd);
  return readErrors.length > 0 ? 2 : outcome.exitCode;
}

/** Registry settings as `audit` takes them (flags plus drydock.yaml's `registries:`), docker's credentials. */
function resolveImagesOptions(opts: LintOptions, settings: RegistrySettings | undefined, io: Io): NonNullable<LintRequest["resolveImages"]> {
  const credentials = credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() });
  return {
    registry: { ...registryOptionsFrom(opts, settings), credentials },
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
  };
}

function parseBuildArg(arg: string): [string, string] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new DrydockError("USAGE", `--build-arg expects NAME=VALUE; got ${JSON.stringify(arg)}`);
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}
