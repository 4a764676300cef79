// `drydock base` and `drydock base lock`: minimal Debian base images from verified, locked packages.
import { mkdtemp, readFile, rm, writeFile, rename } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { Option, type Command } from "commander";
import { loadConfig, type RegistrySettings } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { defaultTransport } from "../base/apt.ts";
import { baseImageIndex, buildFromLock, resolveLock, type RepositoryAccess } from "../base/base.ts";
import { defaultCacheDir, directoryCache } from "../base/cache.ts";
import { debianArchitecture, machineMirror, parseArchitectureFlag, parseBaseSettings, type BaseSettings } from "../base/config.ts";
import { baseImageSbom, type BaseSbom } from "../base/sbom.ts";
import { formatLock, lockDifferences, lockDigest, parseLock, type Lock } from "../base/lock.ts";
import { parseSourceDateEpoch } from "../build/build.ts";
import type { AssembledImage } from "../build/assemble.ts";
import { parseOutput, writeImage, writeImageIndex, type OutputSpec } from "../build/image.ts";
import type { LayerCompression } from "../build/layer.ts";
import { RegistryClient } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { formatRepository, parseReference } from "../registry/reference.ts";
import { writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";
import { attestOutput } from "./sign.ts";

interface CommonFlags {
  config?: string;
  arch?: string;
  keyring: string[];
  quiet?: boolean;
}

interface BaseFlags extends CommonFlags {
  locked?: boolean;
  output: string[];
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
    .option("--source-date-epoch <seconds>", "timestamps of files and config (default: $SOURCE_DATE_EPOCH, else the Release date)")
    .addOption(new Option("--compression <kind>", "layer compression").choices(["gzip", "zstd", "none"]).default("gzip"))
    .option("--sbom <file>", "write the image's CycloneDX SBOM here (default: beside the first oci:/oci-archive:/docker-archive: output, as <path>.cdx.json; one per architecture, <path>.<arch>.cdx.json, when there are several)")
    .option("--no-sbom", "write no SBOM file")
    .option("--attest", "attach the SBOM to each oci:DIR and docker:// output as a signed attestation, like `drydock sbom --attest` (an index: each platform its own)")
    .option("--key <file>", "with --attest: the cosign private key; password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("--new-bundle-format [bool]", "with --attest: true: Sigstore bundle referrer; false: cosign's classic .att tag", "true")
    .action(async (flags: BaseFlags) => {
      // Usage mistakes fail before anything is downloaded or built.
      const outputs = flags.output.map((o) => ({ text: o, spec: parseOutput(o, io.cwd, undefined) }));
      const attestTargets = flags.attest === true ? outputs.filter((o) => o.spec.kind === "oci" || o.spec.kind === "registry") : [];
      if (flags.attest === true) {
        if (flags.key === undefined) throw new DrydockError("USAGE", "--attest needs --key (a cosign private key)");
        if (attestTargets.length === 0) throw new DrydockError("USAGE", "--attest needs an oci:DIR[:TAG] or docker://REF output (archives cannot carry attestations)");
      }
      const { settings, file, architectures, registries } = await loadSettings(flags, io);
      checkOutputsFor(architectures, outputs);
      const sbomFile = sbomPath(flags.sbom, outputs.map((o) => o.spec), io.cwd);
      const access = await accessFor(settings, io, flags.quiet === true);
      const { lock, text } = await lockFor(settings, file, architectures, access, flags.locked === true ? "locked" : "reuse", io);
      const epochText = flags.sourceDateEpoch ?? io.env["SOURCE_DATE_EPOCH"];
      const workDir = await mkdtemp(path.join(tmpdir(), "drydock-base-"));
      const client = makeClient(io, registries);
      try {
        const images: AssembledImage[] = [];
        const sboms: { architecture: string; sbom: BaseSbom }[] = [];
        const wantSbom = sbomFile !== undefined || attestTargets.length > 0;
        for (const architecture of architectures) {
          if (architectures.length > 1) access.onStep?.(`building ${architecture}`);
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
          images.push(image);
          // Cataloged before anything is written: an SBOM that disagrees with the lock stops the build.
          if (wantSbom) {
            access.onStep?.(`cataloging the ${architecture} image for its SBOM`);
            sboms.push({ architecture, sbom: await baseImageSbom(image, lock.architectures[architecture] ?? [], { ref: outputs[0]?.text ?? "drydock base" }) });
          }
        }
        const index = images.length > 1 ? baseImageIndex(images) : undefined;
        for (const output of outputs) {
          const result = index === undefined ? await writeImage(images[0] as AssembledImage, output.spec, client) : await writeImageIndex(index, output.spec, client);
          if (flags.quiet !== true) io.stderr(`wrote ${result.description}${index === undefined ? "" : ` (an index of ${architectures.join(", ")})`}\n`);
        }
        if (outputs.length === 0 && flags.quiet !== true) io.stderr("drydock: note: no --output given; nothing was written\n");
        if (sbomFile !== undefined) {
          for (const { architecture, sbom } of sboms) {
            const target = architectures.length > 1 ? sbomPathFor(sbomFile, architecture) : sbomFile;
            await writeOutput(target, sbom.cyclonedx, io.cwd);
            if (flags.quiet !== true) io.stderr(`wrote ${path.relative(io.cwd, target) || target} (CycloneDX, ${sbom.catalog.packages.length} packages)\n`);
          }
        }
        // One image: its SBOM on it. An index: each architecture's SBOM on its platform's manifest, where scanners that
        // pick a platform look for it.
        const attestFlags = { insecureRegistry: [...(registries?.insecure ?? [])], caFile: [], ...(flags.key === undefined ? {} : { key: flags.key }), ...(flags.newBundleFormat === undefined ? {} : { newBundleFormat: flags.newBundleFormat }) };
        for (const target of attestTargets) {
          for (let i = 0; i < sboms.length; i++) {
            const image = images[i] as AssembledImage;
            const where = index === undefined ? target.text : platformTarget(target.spec, image.manifest.digest);
            await attestOutput(where, Buffer.from(sboms[i]?.sbom.cyclonedx ?? "", "utf8"), "cyclonedx", attestFlags, io);
          }
        }
        io.stdout(`${(index?.manifest ?? (images[0] as AssembledImage).manifest).digest}\n`);
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
      if (flags.arch === undefined && parent.arch !== undefined) flags.arch = parent.arch;
      const { settings, file, architectures } = await loadSettings(flags, io);
      const access = await accessFor(settings, io, flags.quiet === true);
      const { lock, written } = await lockFor(settings, file, architectures, access, flags.update === true ? "update" : "reuse", io);
      const counts = Object.entries(lock.architectures).map(([arch, list]) => `${list.length} packages for ${arch}`).join(", ");
      io.stdout(`${written ? "wrote" : "up to date:"} ${path.relative(io.cwd, settings.lock) || settings.lock} (${counts})\n`);
    });
}

function withCommonFlags(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "config file with a base: section (default: nearest drydock.yaml)")
    .option("--keyring <file>", "OpenPGP keyring that repositories must be signed by (repeatable; replaces base.keyring)", collect, [])
    .option("--arch <list>", "Debian architectures to build, comma-separated (default: base.architectures); several make an OCI image index")
    .option("-q, --quiet", "no progress output");
}

/**
 * The base: settings and the architectures this run builds: --arch, else base.architectures. The lock must hold
 * those; when it is (re)written it is resolved for them and for base.architectures, so `--arch` never drops an
 * architecture the config asks for.
 */
async function loadSettings(flags: CommonFlags, io: Io): Promise<{ settings: BaseSettings; file: string; architectures: string[]; registries: RegistrySettings | undefined }> {
  const loaded = await loadConfig(io.cwd, flags.config === undefined ? undefined : path.resolve(io.cwd, flags.config));
  if (loaded.file === undefined) throw new DrydockError("USAGE", "no drydock.yaml found; write one with a base: section (see docs/base.md) or pass --config");
  const text = await readFile(loaded.file, "utf8");
  const settings = parseBaseSettings(text, loaded.file, debianArchitecture(process.arch));
  if (settings === undefined) throw new DrydockError("CONFIG_INVALID", `${loaded.file} has no base: section (see docs/base.md)`, { location: { kind: "ref", ref: loaded.file } });
  const keyrings = flags.keyring.map((k) => path.resolve(io.cwd, k));
  const architectures = flags.arch === undefined ? [...settings.architectures] : parseArchitectureFlag(flags.arch);
  const lockArchitectures = [...new Set([...settings.architectures, ...architectures])].sort();
  return {
    settings: { ...settings, architectures: lockArchitectures, ...(keyrings.length === 0 ? {} : { keyrings }) },
    file: loaded.file,
    architectures,
    registries: loaded.config.registries,
  };
}

/** Outputs that cannot take what this run makes are usage errors, found before anything is downloaded. */
function checkOutputsFor(architectures: readonly string[], outputs: readonly { text: string; spec: OutputSpec }[]): void {
  if (architectures.length < 2) return;
  const archive = outputs.find((o) => o.spec.kind === "docker-archive");
  if (archive !== undefined) {
    throw new DrydockError("USAGE", `${archive.text}: a docker-archive holds one image, and this build makes one per architecture (${architectures.join(", ")}); use oci-archive:, oci: or docker:// for the image index, or --arch ${architectures[0] ?? "amd64"} for a docker-archive of one`);
  }
}

/** One platform's image of an index just written: `docker://REPO@DIGEST`, or `oci:DIR:DIGEST` (a manifest in its index). */
function platformTarget(spec: OutputSpec, digest: string): string {
  if (spec.kind === "registry") return `docker://${formatRepository(parseReference(spec.ref))}@${digest}`;
  if (spec.kind === "oci") return `oci:${spec.path}:${digest}`;
  throw new Error(`no platform target for a ${spec.kind} output`);
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
async function lockFor(settings: BaseSettings, configFile: string, architectures: readonly string[], access: RepositoryAccess, mode: "locked" | "reuse" | "update", io: Io): Promise<{ lock: Lock; text: string; written: boolean }> {
  const existing = mode === "update" ? undefined : await readFile(settings.lock, "utf8").catch(() => undefined);
  if (existing !== undefined) {
    const lock = parseLock(existing, settings.lock);
    const differences = lockDifferences(lock, { variant: settings.variant, packages: settings.packages, exclude: settings.exclude }, settings.sources, architectures);
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

/** The SBOM of one architecture of several: base.cdx.json → base.arm64.cdx.json, sbom.json → sbom.arm64.json. */
export function sbomPathFor(file: string, architecture: string): string {
  const ext = [".cdx.json", ".json"].find((e) => file.endsWith(e) && file.length > e.length) ?? "";
  return `${file.slice(0, file.length - ext.length)}.${architecture}${ext}`;
}

/** The registry client for docker:// outputs, with the config's `registries:` (mirrors, hosts reached without TLS). */
function makeClient(io: Io, registries: RegistrySettings | undefined): RegistryClient {
  return new RegistryClient({
    credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() }),
    userAgent: "drydock",
    ...(registries === undefined ? {} : { insecureRegistries: registries.insecure, mirrors: registries.mirrors }),
  });
}
