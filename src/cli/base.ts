// `drydock base` and `drydock base lock`: minimal Debian base images from verified, locked packages.
import { mkdtemp, readFile, rm, writeFile, rename } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { Option, type Command } from "commander";
import { loadConfig } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { defaultTransport } from "../base/apt.ts";
import { buildFromLock, resolveLock, type RepositoryAccess } from "../base/base.ts";
import { defaultCacheDir, directoryCache } from "../base/cache.ts";
import { debianArchitecture, machineMirror, parseBaseSettings, type BaseSettings } from "../base/config.ts";
import { baseImageSbom } from "../base/sbom.ts";
import { formatLock, lockDifferences, lockDigest, parseLock, type Lock } from "../base/lock.ts";
import { parseSourceDateEpoch } from "../build/build.ts";
import { parseOutput, writeImage, type OutputSpec } from "../build/image.ts";
import type { LayerCompression } from "../build/layer.ts";
import { RegistryClient } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";
import { attestOutput } from "./sign.ts";

interface CommonFlags {
  config?: string;
  keyring: string[];
  quiet?: boolean;
}

interface BaseFlags extends CommonFlags {
  locked?: boolean;
  output: string[];
  arch?: string;
  sourceDateEpoch?: string;
  compression: string;
  /** A file name, or false for --no-sbom. */
  sbom?: string | false;
  attest?: boolean;
  key?: string;
  newBundleFormat?: string | boolean;
}

interface LockFlags extends CommonFlags {
  update?: boolean;
}

export function registerBase(program: Command, io: Io): void {
  const base = withCommonFlags(program.command("base").description("build a minimal Debian base image from verified, locked packages (no maintainer scripts are run)"))
    .option("--locked", "build only from drydock.lock; fail when it is missing or does not match the config")
    .option("-o, --output <dest>", "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], docker://REF (repeatable)", collect, [])
    .option("--arch <arch>", "Debian architecture to build (default: this machine's when locked, else the first locked)")
    .option("--source-date-epoch <seconds>", "timestamps of files and config (default: $SOURCE_DATE_EPOCH, else the Release date)")
    .addOption(new Option("--compression <kind>", "layer compression").choices(["gzip", "zstd", "none"]).default("gzip"))
    .option("--sbom <file>", "write the image's CycloneDX SBOM here (default: beside the first oci:/oci-archive:/docker-archive: output, as <path>.cdx.json)")
    .option("--no-sbom", "write no SBOM file")
    .option("--attest", "attach the SBOM to each oci:DIR and docker:// output as a signed attestation, like `drydock sbom --attest`")
    .option("--key <file>", "with --attest: the cosign private key; password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("--new-bundle-format [bool]", "with --attest: true: Sigstore bundle referrer; false: cosign's classic .att tag", "true")
    .action(async (flags: BaseFlags) => {
      // Usage mistakes fail before anything is downloaded or built.
      const outputs = flags.output.map((o) => ({ text: o, spec: parseOutput(o, io.cwd, undefined) }));
      const attestTargets = flags.attest === true ? outputs.filter((o) => o.spec.kind === "oci" || o.spec.kind === "registry").map((o) => o.text) : [];
      if (flags.attest === true) {
        if (flags.key === undefined) throw new DrydockError("USAGE", "--attest needs --key (a cosign private key)");
        if (attestTargets.length === 0) throw new DrydockError("USAGE", "--attest needs an oci:DIR[:TAG] or docker://REF output (archives cannot carry attestations)");
      }
      const sbomFile = sbomPath(flags.sbom, outputs.map((o) => o.spec), io.cwd);
      const { settings, file } = await loadSettings(flags, io);
      const access = await accessFor(settings, io, flags.quiet === true);
      const { lock, text } = await lockFor(settings, file, access, flags.locked === true ? "locked" : "reuse", io);
      const architecture = pickArchitecture(lock, flags.arch);
      const epochText = flags.sourceDateEpoch ?? io.env["SOURCE_DATE_EPOCH"];
      const workDir = await mkdtemp(path.join(tmpdir(), "drydock-base-"));
      const client = makeClient(io);
      try {
        const image = await buildFromLock({
          lock,
          lockDigest: lockDigest(text),
          settings,
          access,
          architecture,
          ...(epochText === undefined || epochText === "" ? {} : { sourceDateEpoch: parseSourceDateEpoch(epochText) }),
          compression: flags.compression as LayerCompression,
          workDir,
        });
        // Cataloged before anything is written: an SBOM that disagrees with the lock stops the build.
        const wantSbom = sbomFile !== undefined || attestTargets.length > 0;
        if (wantSbom) access.onStep?.("cataloging the image for its SBOM");
        const sbom = wantSbom ? await baseImageSbom(image, lock.architectures[architecture] ?? [], { ref: outputs[0]?.text ?? "drydock base" }) : undefined;
        for (const output of outputs) {
          const result = await writeImage(image, output.spec, client);
          if (flags.quiet !== true) io.stderr(`wrote ${result.description}\n`);
        }
        if (outputs.length === 0 && flags.quiet !== true) io.stderr("drydock: note: no --output given; nothing was written\n");
        if (sbom !== undefined && sbomFile !== undefined) {
          await writeOutput(sbomFile, sbom.cyclonedx, io.cwd);
          if (flags.quiet !== true) io.stderr(`wrote ${path.relative(io.cwd, sbomFile) || sbomFile} (CycloneDX, ${sbom.catalog.packages.length} packages)\n`);
        }
        for (const target of attestTargets) {
          await attestOutput(target, Buffer.from(sbom?.cyclonedx ?? "", "utf8"), "cyclonedx", { insecureRegistry: [], caFile: [], ...(flags.key === undefined ? {} : { key: flags.key }), ...(flags.newBundleFormat === undefined ? {} : { newBundleFormat: flags.newBundleFormat }) }, io);
        }
        io.stdout(`${image.manifest.digest}\n`);
      } finally {
        client.close();
        await rm(workDir, { recursive: true, force: true });
      }
    });
  withCommonFlags(base.command("lock").description("resolve the base: section against verified repositories and write drydock.lock"))
    .option("--update", "re-resolve even when the lock already matches the config")
    .action(async (own: LockFlags, cmd: Command) => {
      // Options written after `lock` that `base` also has are taken by `base`: read both.
      const parent = (cmd.parent?.opts() ?? {}) as Partial<CommonFlags>;
      const flags: LockFlags = { ...own, keyring: [...(parent.keyring ?? []), ...own.keyring] };
      if (flags.config === undefined && parent.config !== undefined) flags.config = parent.config;
      if (parent.quiet === true) flags.quiet = true;
      const { settings, file } = await loadSettings(flags, io);
      const access = await accessFor(settings, io, flags.quiet === true);
      const { lock, written } = await lockFor(settings, file, access, flags.update === true ? "update" : "reuse", io);
      const counts = Object.entries(lock.architectures).map(([arch, list]) => `${list.length} packages for ${arch}`).join(", ");
      io.stdout(`${written ? "wrote" : "up to date:"} ${path.relative(io.cwd, settings.lock) || settings.lock} (${counts})\n`);
    });
}

function withCommonFlags(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "config file with a base: section (default: nearest drydock.yaml)")
    .option("--keyring <file>", "OpenPGP keyring that repositories must be signed by (repeatable; replaces base.keyring)", collect, [])
    .option("-q, --quiet", "no progress output");
}

async function loadSettings(flags: CommonFlags, io: Io): Promise<{ settings: BaseSettings; file: string }> {
  const loaded = await loadConfig(io.cwd, flags.config === undefined ? undefined : path.resolve(io.cwd, flags.config));
  if (loaded.file === undefined) throw new DrydockError("USAGE", "no drydock.yaml found; write one with a base: section (see docs/base.md) or pass --config");
  const text = await readFile(loaded.file, "utf8");
  const settings = parseBaseSettings(text, loaded.file, debianArchitecture(process.arch));
  if (settings === undefined) throw new DrydockError("CONFIG_INVALID", `${loaded.file} has no base: section (see docs/base.md)`, { location: { kind: "ref", ref: loaded.file } });
  const keyrings = flags.keyring.map((k) => path.resolve(io.cwd, k));
  return { settings: keyrings.length === 0 ? settings : { ...settings, keyrings }, file: loaded.file };
}

async function accessFor(settings: BaseSettings, io: Io, quiet: boolean): Promise<RepositoryAccess> {
  const mirrors: string[] = [];
  for (const s of settings.sources) mirrors.push(s.mirror ?? (await machineMirror(s.suite)));
  return {
    transport: defaultTransport(),
    mirrors,
    debCache: directoryCache(defaultCacheDir(io.env, "debs")),
    indexCache: directoryCache(defaultCacheDir(io.env, "indexes")),
    ...(quiet ? {} : { onStep: (s: string) => io.stderr(`${s}\n`) }),
  };
}

/**
 * The lock to build from. "locked": the file must exist and answer the config. "reuse": kept when it answers the
 * config, else resolved and written. "update": always resolved and written.
 */
async function lockFor(settings: BaseSettings, configFile: string, access: RepositoryAccess, mode: "locked" | "reuse" | "update", io: Io): Promise<{ lock: Lock; text: string; written: boolean }> {
  const existing = mode === "update" ? undefined : await readFile(settings.lock, "utf8").catch(() => undefined);
  if (existing !== undefined) {
    const lock = parseLock(existing, settings.lock);
    const differences = lockDifferences(lock, { variant: settings.variant, packages: settings.packages, exclude: settings.exclude }, settings.sources, settings.architectures);
    if (differences.length === 0) return { lock, text: existing, written: false };
    if (mode === "locked") {
      throw new DrydockError("BASE_LOCK_STALE", `${settings.lock} does not match ${configFile}: ${differences.join("; ")}; run \`drydock base lock\``, { location: { kind: "ref", ref: settings.lock } });
    }
  } else if (mode === "locked") {
    throw new DrydockError("BASE_LOCK_STALE", `--locked: ${settings.lock} does not exist; run \`drydock base lock\` first`, { location: { kind: "ref", ref: settings.lock } });
  }
  const lock = await resolveLock(settings, access, new Date());
  const text = formatLock(lock);
  const temp = `${settings.lock}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, settings.lock);
  } catch (e) {
    await rm(temp, { force: true });
    throw new DrydockError("OUTPUT_UNWRITABLE", `cannot write ${settings.lock}`, { cause: e });
  }
  access.onStep?.(`wrote ${path.relative(io.cwd, settings.lock) || settings.lock}`);
  return { lock, text, written: true };
}

/**
 * Where the SBOM goes: --sbom FILE; none with --no-sbom; else beside the first output that is a file or directory
 * (oci:out → out.cdx.json). Only registry outputs, or none at all: no file unless asked.
 */
export function sbomPath(flag: string | false | undefined, outputs: readonly OutputSpec[], cwd: string): string | undefined {
  if (flag === false) return undefined;
  if (flag !== undefined) return path.resolve(cwd, flag);
  const local = outputs.find((o) => o.kind !== "registry");
  return local === undefined || !("path" in local) ? undefined : `${local.path}.cdx.json`;
}

function pickArchitecture(lock: Lock, requested: string | undefined): string {
  const archs = Object.keys(lock.architectures).sort();
  if (requested !== undefined) {
    if (!archs.includes(requested)) throw new DrydockError("USAGE", `--arch ${requested}: the lock has ${archs.join(", ")}`);
    return requested;
  }
  const host = debianArchitecture(process.arch);
  return archs.includes(host) ? host : (archs[0] as string);
}

function makeClient(io: Io): RegistryClient {
  return new RegistryClient({ credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() }), userAgent: "drydock" });
}
