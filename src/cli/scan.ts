// `drydock scan TARGET`: vulnerabilities of an image, a directory or an SBOM, from the local database, with the
// ignores of drydock.yaml, OpenVEX statements and the severity gates.
import { Option, type Command } from "commander";
import { resolve } from "node:path";
import { loadConfig, type ScanSettings } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { scanFormats, isScanFormatName } from "../scan/render.ts";
import { DEFAULT_MAX_AGE_DAYS, scanCatalog, scanExitCode, type FailOn } from "../scan/scan.ts";
import { parseOpenVex, type VexDocument } from "../scan/vex.ts";
import { allCatalogers } from "../sbom/catalogers/index.ts";
import type { Catalog } from "../sbom/model.ts";
import { defaultDbPath } from "../vuln/db/location.ts";
import { VulnDb } from "../vuln/db/schema.ts";
import { isVulnSeverity, VULN_SEVERITIES, type VulnSeverity } from "../vuln/severity.ts";
import { readBoundedFile, writeOutput } from "./io.ts";
import { catalogOfTarget } from "./sbom.ts";
import type { Io } from "./main.ts";
import { collect, registryOptionsFrom, type RegistryFlags, useColor } from "./options.ts";
import { attestOutput, type AttestOutputFlags } from "./sign.ts";
import { VERSION } from "../version.ts";

/**
 * cosign's vuln predicate (https://cosign.sigstore.dev/attestation/vuln/v1): the scanner, its database, the
 * result (drydock's JSON report) and when the scan ran.
 */
function vulnPredicate(result: unknown, sources: readonly { name: string; newest?: string | null }[], startedOn: string): unknown {
  const newest = sources.map((s) => s.newest ?? "").filter((n) => n !== "").sort().at(-1) ?? "";
  return {
    invocation: { parameters: null, uri: "", event_id: "", "builder.id": "" },
    scanner: { uri: "pkg:npm/drydock", version: VERSION, db: { uri: sources.map((s) => s.name).join(","), version: newest }, result },
    metadata: { scanStartedOn: startedOn, scanFinishedOn: new Date().toISOString() },
  };
}

/** SBOMs and VEX documents larger than this are not something a person or a tool wrote for one image. */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

interface ScanFlags extends RegistryFlags, Omit<AttestOutputFlags, "insecureRegistry" | "caFile"> {
  attest?: boolean;
  db?: string;
  platform?: string;
  format: string;
  output?: string;
  config?: string;
  severity: string[];
  ignoreUnfixed?: boolean;
  failOn?: string;
  exitCode: string;
  vex: string[];
  maxAge: string;
  color: string | boolean;
}

/** Adds `scan` to the program; the returned object holds the exit code once the action ran. */
export function registerScan(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("scan")
    .description("find known vulnerabilities in an image, a root file system, a project directory or an SBOM (offline, from the local database)")
    .argument("<target>", "an image (docker://REF, docker-archive:, oci:, oci-archive:, a path), dir:ROOTFS, a directory, or a CycloneDX/SPDX JSON file (sbom:FILE to insist)")
    .option("--db <path>", "vulnerability database (default: $DRYDOCK_DB or the user cache directory)")
    .option("--severity <list>", `report only these severities, comma-separated (${VULN_SEVERITIES.join(",")}); repeatable`, collect, [])
    .option("--ignore-unfixed", "leave out vulnerabilities that have no fixed version")
    .option("--fail-on <severity>", "exit with --exit-code when a reported vulnerability is at least this severe (default: any)")
    .option("--exit-code <n>", "exit code when vulnerabilities fail the scan; 0 never fails", "1")
    .option("--vex <file>", "OpenVEX document: not_affected and fixed statements suppress findings (repeatable)", collect, [])
    .option("--max-age <days>", "warn when database sources are older than this", String(DEFAULT_MAX_AGE_DAYS))
    .option("--platform <os/arch[/variant]>", "the image to pick from a multi-platform index (default: the host's)")
    .option("--insecure-registry <host[:port]>", "for docker://: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker://: an extra certificate authority (repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.keys(scanFormats)).default("table"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml or .drydock.yaml)")
    .addOption(new Option("--color <when>", "colour table output").choices(["auto", "always", "never"]).default("auto"))
    .option("--no-color", "same as --color never")
    .option("--attest", "also attach the report to the image as a signed cosign vuln attestation (like `drydock attest --type vuln`)")
    .option("--key <file>", "with --attest: the cosign private key; password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("--new-bundle-format [bool]", "with --attest: true: Sigstore bundle referrer; false: cosign's classic .att tag", "true")
    .action(async (target: string, opts: ScanFlags) => {
      state.exitCode = await scanCommand(target, opts, io);
    });
  return state;
}

async function scanCommand(target: string, opts: ScanFlags, io: Io): Promise<number> {
  const format = opts.format;
  if (!isScanFormatName(format)) throw new DrydockError("USAGE", `unknown format ${format}`);
  const exitCode = exitCodeOf(opts.exitCode);
  const maxAgeDays = Number(opts.maxAge);
  if (opts.maxAge.trim() === "" || !Number.isFinite(maxAgeDays) || maxAgeDays < 0) throw new DrydockError("USAGE", `--max-age expects a number of days; got ${JSON.stringify(opts.maxAge)}`);
  const loaded = await loadConfig(io.cwd, opts.config);
  const settings: ScanSettings = loaded.config.scan ?? { ignore: [], severity: undefined, ignoreUnfixed: undefined, failOn: undefined };
  const severities = opts.severity.length > 0 ? severityList(opts.severity) : settings.severity;
  const failOn: FailOn = opts.failOn === undefined ? settings.failOn ?? "any" : failOnOf(opts.failOn);
  // Cheap inputs first: a missing database or a broken VEX file fails before an image is read.
  const vex = await Promise.all(opts.vex.map((file) => readVex(file, io.cwd)));
  const db = VulnDb.open(opts.db === undefined ? defaultDbPath(io.env) : resolve(io.cwd, opts.db));
  try {
    const startedOn = new Date().toISOString();
    const catalog = await catalogOf(target, opts, io, loaded.config.registries);
    const report = scanCatalog(catalog, db, {
      ...(severities === undefined ? {} : { severities }),
      ignoreUnfixed: opts.ignoreUnfixed === true || settings.ignoreUnfixed === true,
      ignores: settings.ignore,
      vex,
      maxAgeDays,
    });
    for (const note of report.notes) io.stderr(`drydock: note: ${note}\n`);
    // Old data is a warning, never a failure: an offline site may knowingly scan with last month's data.
    for (const name of report.db.stale) {
      const age = report.db.sources.find((s) => s.name === name)?.ageDays;
      io.stderr(`drydock: warning: database source ${name} is ${age === null || age === undefined ? "of unknown age" : `${Math.floor(age)} days old`} (more than ${maxAgeDays}); run \`drydock db update\` or import newer files\n`);
    }
    const rendered = scanFormats[format].render(report, { color: format === "table" && useColor(opts, io), cwd: io.cwd });
    if (opts.attest === true) {
      if (catalog.kind !== "image") throw new DrydockError("USAGE", `${target}: --attest needs an image (docker://REF or oci:DIR[:TAG])`);
      const result: unknown = JSON.parse(scanFormats.json.render(report, { color: false, cwd: io.cwd }));
      await attestOutput(target, Buffer.from(JSON.stringify(vulnPredicate(result, report.db.sources, startedOn)), "utf8"), "vuln", opts, io);
    }
    if (opts.output === undefined) io.stdout(rendered);
    else await writeOutput(opts.output, rendered, io.cwd);
    return scanExitCode(report, { failOn, exitCode });
  } finally {
    db.close();
  }
}

async function catalogOf(target: string, opts: ScanFlags, io: Io, registries: Parameters<typeof registryOptionsFrom>[1]): Promise<Catalog> {
  return catalogOfTarget(target, io, {
    catalogers: allCatalogers,
    registry: registryOptionsFrom(opts, registries),
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
  });
}

async function readVex(file: string, cwd: string): Promise<VexDocument> {
  return parseOpenVex(await readBoundedFile(file, cwd, MAX_DOCUMENT_BYTES, "VEX document"), file);
}

function severityList(values: readonly string[]): VulnSeverity[] {
  const out = new Set<VulnSeverity>();
  for (const part of values.flatMap((v) => v.split(","))) {
    const s = part.trim().toUpperCase();
    if (s === "") continue;
    if (!isVulnSeverity(s)) throw new DrydockError("USAGE", `--severity expects ${VULN_SEVERITIES.join(", ")}; got ${JSON.stringify(part)}`);
    out.add(s);
  }
  return [...out];
}

function failOnOf(value: string): FailOn {
  const s = value.trim().toUpperCase();
  if (s === "ANY") return "any";
  if (isVulnSeverity(s)) return s;
  throw new DrydockError("USAGE", `--fail-on expects any or one of ${VULN_SEVERITIES.join(", ")}; got ${JSON.stringify(value)}`);
}

function exitCodeOf(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 255) throw new DrydockError("USAGE", `--exit-code expects a number from 0 to 255; got ${JSON.stringify(value)}`);
  return n;
}
