// `drydock audit IMAGE`: configuration and file system checks, secrets in every layer; lint's policy flags.
import { Option, type Command } from "commander";
import { loadConfig } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import type { CliPolicy } from "../core/policy.ts";
import { auditImage } from "../audit.ts";
import { formats, isFormatName, renderReport } from "../report/index.ts";
import { writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { cliPolicyFrom, collect, registryOptionsFrom, type RegistryFlags, useColor } from "./options.ts";

interface AuditOptions extends RegistryFlags {
  platform?: string;
  format: string;
  output?: string;
  config?: string;
  ignore: string[];
  enable: string[];
  severityOverride: string[];
  failureThreshold?: string;
  fail: boolean;
  color: string | boolean;
}

/** Adds `audit` to the program; the action's exit code goes to setExitCode (main() returns it). */
export function registerAudit(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command("audit")
    .description("audit an image: user, setuid files, secrets in every layer, caches, history (dockle and CIS §4 checks)")
    .argument("<image>", "docker://REF, docker-archive:PATH[:NAME:TAG], oci:DIR[:TAG], oci-archive:PATH[:TAG], dir:ROOTFS, or a path (kind detected)")
    .option("--platform <os/arch[/variant]>", "the image to pick from a multi-platform index (default: the host's)")
    .option("--insecure-registry <host[:port]>", "for docker://: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker://: an extra certificate authority (repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.keys(formats)).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml or .drydock.yaml)")
    .option("--ignore <check>", "ignore a check by id or alias, e.g. DI002 or dockle:CIS-DI-0006 (repeatable)", collect, [])
    .option("--enable <check>", "run an opt-in check by id or alias (repeatable)", collect, [])
    .option("--severity-override <check=level>", "set a check's severity: error|warning|info|style|off (repeatable)", collect, [])
    .option("-t, --failure-threshold <level>", "exit 1 only for findings at or above: error|warning|info|style|none")
    .option("--no-fail", "exit 0 even with findings (input errors still exit 2)")
    .addOption(new Option("--color <when>", "colour text output").choices(["auto", "always", "never"]).default("auto"))
    .option("--no-color", "same as --color never")
    .action(async (image: string, opts: AuditOptions) => {
      setExitCode(await auditCommand(image, opts, io));
    });
}

async function auditCommand(image: string, opts: AuditOptions, io: Io): Promise<number> {
  const format = opts.format;
  if (!isFormatName(format)) throw new DrydockError("USAGE", `unknown format ${format}`);
  const loaded = await loadConfig(io.cwd, opts.config);
  const cli: CliPolicy = cliPolicyFrom(opts);
  const outcome = await auditImage({
    ref: image,
    config: loaded.config,
    cli,
    cwd: io.cwd,
    registry: registryOptionsFrom(opts, loaded.config.registries),
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
  });
  for (const notice of outcome.notices) io.stderr(`drydock: note: ${notice}\n`);
  const color = useColor(opts, io);
  const rendered = renderReport(format, outcome.report, { color, cwd: io.cwd });
  if (opts.output === undefined) io.stdout(rendered);
  else await writeOutput(opts.output, rendered, io.cwd);
  return outcome.exitCode;
}
