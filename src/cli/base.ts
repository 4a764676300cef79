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
import { formatLock, lockDifferences, lockDigest, parseLock, type Lock } from "../base/lock.ts";
import { parseSourceDateEpoch } from "../build/build.ts";
import { parseOutput, writeImage } from "../build/image.ts";
import type { LayerCompression } from "../build/layer.ts";
import { RegistryClient } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";

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
    .action(async (flags: BaseFlags) => {
      const { settings, file } = await loadSettings(flags, io);
      const access = await accessFor(settings, io, flags.quiet === true);
      const { lock, text } = await lockFor(settings, file, access, flags.locked === true ? "locked" : "reuse", io);
      const architecture = pickArchitecture(lock, flags.arch);
      const epochText = flags.sourceDateEpoch ?? io.env["SOURCE_DATE_EPOCH"];
      const workDir = await mkdtemp(path.join(tmpdir(), "drydock-base-"));
      const client = makeClient(io);
      try {
        const outputs = flags.output.map((o) => parseOutput(o, io.cwd, undefined));
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
        for (const output of outputs) {
          const result = await writeImage(image, output, client);
          if (flags.quiet !== true) io.stderr(`wrote ${result.description}\n`);
        }
        if (outputs.length === 0 && flags.quiet !== true) io.stderr("drydock: note: no --output given; nothing was written\n");
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
