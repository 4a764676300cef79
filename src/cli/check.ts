// `drydock check [DIR]` (everything that applies to a project, one report, one exit code) and `drydock init [DIR]`
// (a commented drydock.yaml). The work is src/check/; here: argv, files, the database path, output, baselines.
import type { KeyObject } from "node:crypto";
import { lstat, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { Option, type Command } from "commander";
import { type CheckOutcome, checkProject, type ImageVerdict } from "../check/check.ts";
import { discoverTargets } from "../check/discover.ts";
import { renderInitConfig } from "../check/init.ts";
import {
  BASELINE_FILE, createBaseline, MAX_BASELINE_BYTES, parseBaseline, renderBaseline, type Baseline,
} from "../check/baseline.ts";
import { renderSummaryTable } from "../check/summary.ts";
import { loadConfig, type CheckedImage, type VerifySettings } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { RegistryClient, type RegistryClientOptions } from "../registry/client.ts";
import { parseEndpoint } from "../registry/copy.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { formatReference, formatRepository, withDefaultTag } from "../registry/reference.ts";
import { renderHtmlReport } from "../report/html.ts";
import { formats, isFormatName, renderReport } from "../report/index.ts";
import type { Profile } from "../runtime/model.ts";
import { PROFILES } from "../runtime/model.ts";
import { loadPublicKey } from "../sign/keys.ts";
import { checkImagePolicy } from "../sign/policy.ts";
import { LayoutArtifactStore, RegistryArtifactStore } from "../sign/store.ts";
import { defaultDbPath } from "../vuln/db/location.ts";
import { writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { cliPolicyFrom, collect, useColor } from "./options.ts";

const FORMATS = [...Object.keys(formats), "html"];

interface CheckFlags {
  format: string;
  output?: string;
  config?: string;
  baseline?: string | boolean;
  baselineFile?: string;
  scan: boolean;
  db?: string;
  profile: string;
  ignore: string[];
  enable: string[];
  severityOverride: string[];
  failureThreshold?: string;
  fail: boolean;
  shellcheck?: string | boolean;
  insecureRegistry: string[];
  caFile: string[];
  color: string | boolean;
}

/** Adds `check` and `init`; the returned exitCode is set once either has run. */
export function registerCheck(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("check")
    .description("check everything in a project directory: Dockerfiles, compose/Kubernetes/run lines, lockfile vulnerabilities, configured images")
    .argument("[dir]", "the project directory", ".")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml, .drydock.yaml or .hadolint.yaml from DIR up)")
    .option("--baseline <write|file>", `"write" records the current findings as accepted; a file suppresses the findings it records (default: DIR/${BASELINE_FILE} when present)`)
    .option("--no-baseline", "do not read a baseline file, even the default one")
    .option("--baseline-file <file>", `where --baseline write writes (default: DIR/${BASELINE_FILE})`)
    .option("--no-scan", "skip the vulnerability scan of lockfiles and images")
    .option("--db <path>", "vulnerability database (default: $DRYDOCK_DB or the user cache directory)")
    .addOption(new Option("--profile <profile>", "runtime checks: baseline, or restricted (also missing hardening)").choices(PROFILES).default("baseline"))
    .option("--ignore <rule>", "ignore a rule by id or alias (repeatable)", collect, [])
    .option("--enable <rule>", "run an opt-in rule by id or alias (repeatable)", collect, [])
    .option("--severity-override <rule=level>", "set a rule's severity: error|warning|info|style|off (repeatable)", collect, [])
    .option("-t, --failure-threshold <level>", "exit 1 only for findings at or above: error|warning|info|style|none")
    .option("--no-fail", "exit 0 even with findings (input errors still exit 2)")
    .option("--shellcheck <binary>", "ShellCheck binary for RUN scripts (default: shellcheck on PATH)")
    .option("--no-shellcheck", "do not run ShellCheck")
    .option("--insecure-registry <host[:port]>", "for docker:// images: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker:// images: an extra certificate authority (repeatable)", collect, [])
    .addOption(new Option("--color <when>", "colour text output").choices(["auto", "always", "never"]).default("auto"))
    .option("--no-color", "same as --color never")
    .action(async (dir: string, opts: CheckFlags) => {
      state.exitCode = await checkCommand(dir, opts, io);
    });

  program
    .command("init")
    .description("write a commented drydock.yaml for a project, listing what drydock check finds there")
    .argument("[dir]", "the project directory", ".")
    .option("--force", "overwrite an existing drydock.yaml")
    .action(async (dir: string, opts: { force?: boolean }) => {
      state.exitCode = await initCommand(dir, opts.force === true, io);
    });
  return state;
}

async function checkCommand(dir: string, opts: CheckFlags, io: Io): Promise<number> {
  const format = opts.format;
  if (format !== "html" && !isFormatName(format)) throw new DrydockError("USAGE", `unknown format ${format}`);
  const root = path.resolve(io.cwd, dir);
  const loaded = await loadConfig(root, opts.config === undefined ? undefined : path.resolve(io.cwd, opts.config));
  const cli = cliPolicyFrom(opts);
  const writing = opts.baseline === "write";
  const baselineFile = path.resolve(io.cwd, opts.baselineFile ?? (typeof opts.baseline === "string" && !writing ? opts.baseline : path.join(root, BASELINE_FILE)));
  const baseline = writing || opts.baseline === false ? undefined
    : await readBaseline(baselineFile, typeof opts.baseline === "string" || opts.baselineFile !== undefined);
  const registry: RegistryClientOptions = {
    insecureRegistries: [...opts.insecureRegistry, ...(loaded.config.registries?.insecure ?? [])],
    caFiles: opts.caFile,
    ...(loaded.config.registries === undefined ? {} : { mirrors: loaded.config.registries.mirrors }),
    credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() }),
  };
  const verify = loaded.config.verify;
  const outcome = await checkProject({
    root,
    cwd: io.cwd,
    config: loaded.config,
    ...(loaded.file === undefined ? {} : { configFile: loaded.file }),
    cli,
    profile: opts.profile as Profile,
    shellcheck: opts.shellcheck === false ? "off" : typeof opts.shellcheck === "string" ? opts.shellcheck : "auto",
    db: opts.scan ? (opts.db === undefined ? defaultDbPath(io.env) : path.resolve(io.cwd, opts.db)) : false,
    ...(baseline === undefined ? {} : { baseline }),
    registry,
    // Only the HTML report shows images' layers and packages: other formats skip that walk.
    imageDetails: format === "html" && !writing,
    ...(verify === undefined ? {} : { verifyImage: (image, configDir) => verifyAgainstPolicy(image, verify, configDir, registry) }),
  });

  for (const note of outcome.notes) io.stderr(`drydock: note: ${note}\n`);
  if (writing) {
    const recorded = createBaseline(outcome.report.findings, outcome.fingerprints, outcome.projectPath);
    await writeOutput(baselineFile, renderBaseline(recorded), io.cwd);
    io.stderr(renderSummaryTable(outcome.summary));
    const shown = path.relative(io.cwd, baselineFile) || baselineFile;
    io.stderr(`drydock: wrote ${recorded.findings.length} finding${recorded.findings.length === 1 ? "" : "s"} to ${shown}; later checks fail only on new findings\n`);
    return outcome.report.errors.length > 0 ? 2 : 0;
  }

  const color = useColor(opts, io);
  const rendered = format === "html"
    ? renderHtmlReport(outcome.report, htmlExtras(outcome, io.cwd, dir))
    : renderReport(format as Parameters<typeof renderReport>[0], outcome.report, { color, cwd: io.cwd });
  const table = renderSummaryTable(outcome.summary);
  if (opts.output !== undefined) {
    await writeOutput(opts.output, rendered, io.cwd);
    io.stderr(table);
  } else if (format === "text") {
    // Text is for people: the table follows the findings on the same stream.
    io.stdout(`${rendered}${rendered === "" || rendered.endsWith("\n") ? "" : "\n"}\n${table}`);
  } else {
    io.stdout(rendered);
    io.stderr(table);
  }
  return outcome.exitCode;
}

/** Each image gets its own layer table, package table and vulnerability table; the lockfiles' come first. */
function htmlExtras(outcome: CheckOutcome, cwd: string, dir: string): Parameters<typeof renderHtmlReport>[1] {
  const images = outcome.images.flatMap((i) => (i.layers === undefined ? [] : [i.layers]));
  const catalogs = [...(outcome.lockfileCatalog === undefined ? [] : [outcome.lockfileCatalog]), ...outcome.images.flatMap((i) => i.catalog ?? [])];
  return {
    summary: outcome.summary,
    sources: outcome.sources,
    ...(images.length === 0 ? {} : { images }),
    ...(catalogs.length === 0 ? {} : { sboms: catalogs }),
    ...(outcome.scans.length === 0 ? {} : { scans: outcome.scans }),
    title: `drydock check ${dir}`,
    areaOf: (f) => outcome.areaOf(f) ?? "lint",
    cwd,
  };
}

/** The baseline at file; a missing default file is no baseline, a missing named one an error. */
async function readBaseline(file: string, named: boolean): Promise<Baseline | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (info === undefined) {
    if (named) throw new DrydockError("INPUT_UNREADABLE", `baseline ${file}: no such file; create it with --baseline write`);
    return undefined;
  }
  if (!info.isFile()) throw new DrydockError("BASELINE_INVALID", `baseline ${file}: not a regular file`);
  if (info.size > MAX_BASELINE_BYTES) throw new DrydockError("BASELINE_INVALID", `baseline ${file}: ${info.size} bytes is larger than a baseline can be`);
  return parseBaseline(await readFile(file, "utf8"), file);
}

/** `images:` entries with `verify: true`, checked against drydock.yaml's `verify:` like `drydock verify --policy`. */
async function verifyAgainstPolicy(image: CheckedImage, settings: VerifySettings, configDir: string, registry: RegistryClientOptions): Promise<ImageVerdict> {
  const keys = new Map<string, KeyObject>();
  const loadKey = async (file: string): Promise<KeyObject> => {
    const full = path.resolve(configDir, file);
    const cached = keys.get(full);
    if (cached !== undefined) return cached;
    let pem: string;
    try {
      pem = await readFile(full, "utf8");
    } catch (e) {
      throw new DrydockError("INPUT_UNREADABLE", `${file}: cannot read the key file named by verify: in drydock.yaml`, { cause: e });
    }
    const key = loadPublicKey(pem, file);
    keys.set(full, key);
    return key;
  };
  const endpoint = await parseEndpoint(image.ref, "source", configDir);
  if (endpoint.kind === "docker-archive") {
    return { allowed: false, reasons: [`${image.ref}: an archive holds no signatures; verify a registry image or an OCI layout`] };
  }
  const outcome = async (result: Awaited<ReturnType<typeof checkImagePolicy>>): Promise<ImageVerdict> => ({
    allowed: result.allowed,
    reasons: result.unmatched
      ? ["no entry of verify.images matches it"]
      : result.entries.filter((e) => e.key === undefined).map((e) =>
        `${e.policy.pattern} (${e.policy.where}): ${e.rejected.length === 0 ? `no signature found (looked at ${e.looked})` : e.rejected.map((r) => `${r.key}: ${r.reason}`).join(", ")}`),
  });
  if (endpoint.kind === "oci") {
    const store = new LayoutArtifactStore(endpoint.path, endpoint.selector);
    return outcome(await checkImagePolicy(store, settings, { repository: `oci:${endpoint.path}`, reference: store.description }, loadKey));
  }
  const client = new RegistryClient({ ...registry, userAgent: "drydock" });
  try {
    const ref = withDefaultTag(endpoint.ref);
    const store = new RegistryArtifactStore(client, ref);
    return outcome(await checkImagePolicy(store, settings, { repository: formatRepository(ref), reference: formatReference(ref) }, loadKey));
  } finally {
    client.close();
  }
}

async function initCommand(dir: string, force: boolean, io: Io): Promise<number> {
  const root = path.resolve(io.cwd, dir);
  const file = path.join(root, "drydock.yaml");
  const shown = path.relative(io.cwd, file) || file;
  if (!force && (await lstat(file).catch(() => undefined)) !== undefined) {
    throw new DrydockError("CONFIG_EXISTS", `${shown} exists; drydock init leaves it alone (--force overwrites it)`);
  }
  const targets = await discoverTargets(root);
  await writeOutput(file, renderInitConfig(targets), io.cwd);
  const n = targets.dockerfiles.length + targets.runtime.length + targets.lockfiles.length;
  io.stderr(`drydock: wrote ${shown} (${n} target${n === 1 ? "" : "s"} found); run drydock check ${dir === "." ? "" : dir}`.trimEnd() + "\n");
  return 0;
}
