// `drydock sbom TARGET`: the packages of an image, a root file system or a project directory as a table, CycloneDX,
// SPDX or drydock's own JSON. An SBOM given as the target is read and written again, so this also converts.
import { Option, type Command } from "commander";
import { resolve } from "node:path";
import { loadConfig } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { catalogTarget } from "../sbom/catalog.ts";
import { allCatalogers } from "../sbom/catalogers/index.ts";
import { sbomCreated, writeCycloneDx, type SbomWriteOptions } from "../sbom/cyclonedx.ts";
import type { Catalog, Cataloger } from "../sbom/model.ts";
import { readSbom } from "../sbom/read.ts";
import { writeSpdx } from "../sbom/spdx.ts";
import { renderSbomTable } from "../sbom/table.ts";
import type { RegistryClientOptions } from "../registry/client.ts";
import { readBoundedFile, startsLikeJson, writeOutput } from "./io.ts";
import { attestOutput, type AttestOutputFlags } from "./sign.ts";
import type { Io } from "./main.ts";
import { collect, registryOptionsFrom, type RegistryFlags } from "./options.ts";

/** Output formats: `cyclonedx`/`spdx` are the JSON forms (the only ones written), named both ways as tools do. */
export const SBOM_FORMATS = ["table", "cyclonedx", "cyclonedx-json", "spdx", "spdx-json", "json"] as const;
export type SbomFormatName = (typeof SBOM_FORMATS)[number];

/** An SBOM read as a target larger than this is not one a tool wrote for one image. */
const MAX_SBOM_BYTES = 512 * 1024 * 1024;
const SBOM_PREFIX = "sbom:";

interface SbomFlags extends RegistryFlags, Omit<AttestOutputFlags, "insecureRegistry" | "caFile"> {
  attest?: boolean;
  format: SbomFormatName;
  output?: string;
  platform?: string;
  config?: string;
  catalogers: string[];
}

/**
 * Adds `sbom` to the program. `catalogers` is the set `--catalogers` chooses from (every cataloger by default;
 * tests pass a smaller real set).
 */
export function registerSbom(program: Command, io: Io, catalogers: readonly Cataloger[] = allCatalogers): void {
  program
    .command("sbom")
    .description("list the packages of an image, root file system or project directory (table, CycloneDX 1.6, SPDX 2.3, JSON)")
    .argument("<target>", "an image (docker://REF, docker-archive:, oci:, oci-archive:, a path), dir:ROOTFS, a directory, or a CycloneDX/SPDX JSON file to convert (sbom:FILE to insist)")
    .addOption(new Option("-f, --format <format>", "output format (cyclonedx and spdx are JSON)").choices(SBOM_FORMATS).default("table"))
    .option("-o, --output <file>", "write the SBOM to a file instead of stdout (written atomically)")
    .option("--catalogers <names>", "only these catalogers, comma-separated (repeatable), e.g. dpkg,npm-package", collect, [])
    .option("--platform <os/arch[/variant]>", "the image to pick from a multi-platform index (default: the host's)")
    .option("--insecure-registry <host[:port]>", "for docker://: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker://: an extra certificate authority (repeatable)", collect, [])
    .option("-c, --config <file>", "config file for registry settings (default: nearest drydock.yaml or .drydock.yaml)")
    .option("--attest", "also attach the SBOM (CycloneDX) to the image as a signed attestation, like `drydock attest --type cyclonedx`")
    .option("--key <file>", "with --attest: the cosign private key; password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("--new-bundle-format [bool]", "with --attest: true: Sigstore bundle referrer; false: cosign's classic .att tag", "true")
    .action(async (target: string, opts: SbomFlags) => {
      await sbomCommand(target, opts, io, catalogers);
    });
}

async function sbomCommand(target: string, opts: SbomFlags, io: Io, available: readonly Cataloger[]): Promise<void> {
  const chosen = chooseCatalogers(opts.catalogers, available);
  // Fail on a bad SOURCE_DATE_EPOCH before the (possibly long) walk, not after it.
  const writeOptions: SbomWriteOptions = { sourceDateEpoch: io.env.SOURCE_DATE_EPOCH };
  if (opts.format !== "table" && opts.format !== "json") sbomCreated(writeOptions);
  const catalog = await catalogOf(target, opts, io, chosen);
  for (const note of catalog.notes) io.stderr(`drydock: note: ${note}\n`);
  const rendered = renderSbom(catalog, opts.format, writeOptions);
  if (opts.attest === true) {
    if (catalog.kind !== "image") throw new DrydockError("USAGE", `${target}: --attest needs an image (docker://REF or oci:DIR[:TAG])`);
    const predicate = opts.format === "cyclonedx" || opts.format === "cyclonedx-json" ? rendered : renderSbom(catalog, "cyclonedx", writeOptions);
    await attestOutput(target, Buffer.from(predicate, "utf8"), "cyclonedx", opts, io);
  }
  if (opts.output === undefined) io.stdout(rendered);
  else await writeOutput(opts.output, rendered, io.cwd);
}

/** The catalog in one of the output formats. */
export function renderSbom(catalog: Catalog, format: SbomFormatName, options: SbomWriteOptions = {}): string {
  switch (format) {
    case "table":
      return renderSbomTable(catalog);
    case "cyclonedx":
    case "cyclonedx-json":
      return writeCycloneDx(catalog, options);
    case "spdx":
    case "spdx-json":
      return writeSpdx(catalog, options);
    case "json":
      return `${JSON.stringify(catalog, null, 2)}\n`;
  }
}

/** `--catalogers a,b --catalogers c` → those catalogers, in the order given; an unknown name is a usage error. */
function chooseCatalogers(requested: readonly string[], available: readonly Cataloger[]): readonly Cataloger[] {
  const names = requested.flatMap((r) => r.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) return available;
  const byName = new Map(available.map((c) => [c.name, c]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const known = [...byName.keys()].sort().join(", ");
    throw new DrydockError("USAGE", `--catalogers: no cataloger named ${unknown.map((n) => JSON.stringify(n)).join(", ")}; known: ${known === "" ? "(none)" : known}`);
  }
  return [...new Set(names)].map((n) => byName.get(n) as Cataloger);
}

async function catalogOf(target: string, opts: SbomFlags, io: Io, catalogers: readonly Cataloger[]): Promise<Catalog> {
  const loaded = await loadConfig(io.cwd, opts.config);
  return catalogOfTarget(target, io, {
    catalogers,
    registry: registryOptionsFrom(opts, loaded.config.registries),
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
  });
}

/**
 * What `sbom` and `scan` read: an SBOM file (`sbom:FILE`, or a file that starts like JSON) read back, anything else
 * (an image, a root file system, a project directory) cataloged.
 */
export async function catalogOfTarget(
  target: string, io: Io, options: { catalogers: readonly Cataloger[]; registry: RegistryClientOptions; platform?: string },
): Promise<Catalog> {
  const forced = target.startsWith(SBOM_PREFIX);
  const file = forced ? target.slice(SBOM_PREFIX.length) : target;
  if (forced || (await startsLikeJson(resolve(io.cwd, file)))) return readSbom(await readBoundedFile(file, io.cwd, MAX_SBOM_BYTES, "SBOM"), file);
  return catalogTarget(target, { ...options, cwd: io.cwd });
}
