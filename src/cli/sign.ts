// `drydock sign | verify | attest | verify-attestation`: cosign's key-based commands for images in a registry
// (docker://REF or a bare reference) or an OCI layout (oci:DIR[:TAG]). Flags keep cosign's names where the
// meaning is the same; tlog flags are accepted and ignored (drydock never talks to Rekor). Exit codes: 0 verified
// or stored, 1 nothing verified (each candidate's reason on stderr), 2 usage, input or registry errors.
import type { KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { Command, Option } from "commander";
import { loadConfig } from "../core/config.ts";
import { DrydockError } from "../core/errors.ts";
import { RegistryClient } from "../registry/client.ts";
import { parseEndpoint } from "../registry/copy.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { formatReference, formatRepository, withDefaultTag, type ImageReference } from "../registry/reference.ts";
import { attestImage, signImage, verifyImage, verifyImageAttestations, type RejectedCandidate, type SignatureFormat, type VerifyOutcome } from "../sign/image.ts";
import { loadPublicKey } from "../sign/keys.ts";
import { checkImagePolicy, type PolicyResult } from "../sign/policy.ts";
import { LayoutArtifactStore, RegistryArtifactStore, type ArtifactStore } from "../sign/store.ts";
import type { Io } from "./main.ts";
import { privateKeyFrom, promptPassword } from "./keys.ts";
import { collect } from "./options.ts";

export interface SignCommandDeps {
  /** Asked for the key password when COSIGN_PASSWORD / DRYDOCK_PASSWORD are unset (default: all of stdin). */
  readPassword?: (prompt: string) => Promise<string>;
}

interface RegistryFlags {
  insecureRegistry: string[];
  caFile: string[];
  authfile?: string;
  retries: string;
  timeout: string;
}

interface SignFlags extends RegistryFlags {
  key: string;
  annotations: string[];
  newBundleFormat: string;
  outputSignature?: string;
  outputPayload?: string;
}

interface VerifyFlags extends RegistryFlags {
  key?: string;
  annotations: string[];
  output: "text" | "json";
  policy?: string | boolean;
}

interface AttestFlags extends RegistryFlags {
  key: string;
  predicate: string;
  type: string;
  newBundleFormat: string;
  replace?: boolean;
}

interface VerifyAttestationFlags extends RegistryFlags {
  key: string;
  type?: string;
  printPredicate?: boolean;
  output: "text" | "json";
}

/** Adds the commands; exitCode is set once one of them has run (1 when nothing verified). */
export function registerSignCommands(program: Command, io: Io, deps: SignCommandDeps = {}): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  const readPassword = deps.readPassword ?? promptPassword;

  withRegistryFlags(program
    .command("sign")
    .description("sign an image with a cosign key: a Sigstore bundle referrer (default) or a .sig tag (--new-bundle-format=false)")
    .argument("<image>", "docker://REF, a registry reference, or oci:DIR[:TAG]")
    .requiredOption("--key <file>", "private key (cosign.key, PKCS#8 or SEC1 PEM); password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("-a, --annotations <key=value>", "annotation to sign with the image (repeatable)", collect, [])
    .option("--new-bundle-format [bool]", "true: Sigstore bundle as an OCI 1.1 referrer; false: cosign's classic .sig tag", "true")
    .option("--output-signature <file>", "also write the base64 signature to this file")
    .option("--output-payload <file>", "also write the signed payload to this file")
    .addOption(new Option("--tlog-upload [bool]", "accepted for cosign compatibility; drydock never uploads to a transparency log").hideHelp())
    .addOption(new Option("-y, --yes", "accepted for cosign compatibility").hideHelp()))
    .action(async (image: string, opts: SignFlags) => {
      const format = formatFlag(opts.newBundleFormat);
      const annotations = annotationFlags(opts.annotations);
      const key = await privateKeyFrom(opts.key, io, readPassword);
      await withStore(image, opts, io, async (store) => {
        const result = await signImage(store, key, { format, annotations });
        if (opts.outputSignature !== undefined) await writeFile(path.resolve(io.cwd, opts.outputSignature), result.signature.toString("base64"));
        if (opts.outputPayload !== undefined) await writeFile(path.resolve(io.cwd, opts.outputPayload), result.payload);
        const where = format === "legacy" ? `tag ${result.stored}` : `referrer ${result.stored}`;
        io.stderr(result.alreadySigned
          ? `drydock: ${store.description} (${result.digest}) is already signed with this key and payload in ${where}\n`
          : `drydock: signed ${store.description} (${result.digest}); stored as ${where}\n`);
      });
      state.exitCode = 0;
    });

  withRegistryFlags(program
    .command("verify")
    .description("verify an image's signatures with a public key (bundles first, then the .sig tag), or against drydock.yaml's verify policy")
    .argument("<image>", "docker://REF, a registry reference, or oci:DIR[:TAG]")
    .option("--key <file>", "public key (cosign.pub) or certificate PEM")
    .option("-a, --annotations <key=value>", "annotation the signature must carry (repeatable)", collect, [])
    .option("--policy [file]", "check against the verify: section of drydock.yaml (nearest one, or this file)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(new Option("--insecure-ignore-tlog [bool]", "accepted for cosign compatibility; there is no tlog to check").hideHelp())
    .addOption(new Option("--check-claims [bool]", "accepted for cosign compatibility; claims are always checked").hideHelp()))
    .action(async (image: string, opts: VerifyFlags) => {
      if (opts.policy !== undefined) {
        if (opts.key !== undefined) throw new DrydockError("USAGE", "give either --key or --policy, not both");
        state.exitCode = await verifyWithPolicy(image, opts, io);
        return;
      }
      if (opts.key === undefined) throw new DrydockError("USAGE", "verify needs --key FILE (or --policy)");
      const keyFile = opts.key;
      const publicKey = await publicKeyFrom(keyFile, io);
      const annotations = annotationFlags(opts.annotations);
      state.exitCode = await withStore(image, opts, io, async (store) => {
        const outcome = await verifyImage(store, publicKey, { annotations, keyName: keyFile });
        return report(outcome, store, "signatures", opts.output, io, (v) => ({ format: v.format, source: v.source, annotations: v.annotations }));
      });
    });

  withRegistryFlags(program
    .command("attest")
    .description("attach a signed in-toto attestation to an image: a bundle referrer (default) or a .att tag layer")
    .argument("<image>", "docker://REF, a registry reference, or oci:DIR[:TAG]")
    .requiredOption("--key <file>", "private key; password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .requiredOption("--predicate <file>", "the predicate (JSON; any text for --type custom)")
    .option("--type <type>", "custom, slsaprovenance, slsaprovenance02, slsaprovenance1, spdx, spdxjson, cyclonedx, link, vuln, openvex, or a predicate type URI", "custom")
    .option("--new-bundle-format [bool]", "true: Sigstore bundle referrer; false: cosign's classic .att tag", "true")
    .option("--replace", "classic format: drop earlier attestations of the same predicate type")
    .addOption(new Option("--tlog-upload [bool]", "accepted for cosign compatibility; drydock never uploads to a transparency log").hideHelp())
    .addOption(new Option("-y, --yes", "accepted for cosign compatibility").hideHelp()))
    .action(async (image: string, opts: AttestFlags) => {
      const format = formatFlag(opts.newBundleFormat);
      const predicate = await readInputFile(opts.predicate, io, "predicate");
      const key = await privateKeyFrom(opts.key, io, readPassword);
      await withStore(image, opts, io, async (store) => {
        const result = await attestImage(store, key, { format, type: opts.type, predicate, replace: opts.replace === true });
        const where = format === "legacy" ? `tag ${result.stored}` : `referrer ${result.stored}`;
        io.stderr(`drydock: attested ${store.description} (${result.digest}) with ${result.predicateType}; stored as ${where}${result.replaced > 0 ? ` (replaced ${result.replaced})` : ""}\n`);
      });
      state.exitCode = 0;
    });

  withRegistryFlags(program
    .command("verify-attestation")
    .description("verify an image's attestations with a public key (bundles first, then the .att tag)")
    .argument("<image>", "docker://REF, a registry reference, or oci:DIR[:TAG]")
    .requiredOption("--key <file>", "public key (cosign.pub) or certificate PEM")
    .option("--type <type>", "only attestations of this predicate type (cosign --type names or a URI)")
    .option("--print-predicate", "print the predicate of each verified attestation (JSON lines)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(new Option("--insecure-ignore-tlog [bool]", "accepted for cosign compatibility; there is no tlog to check").hideHelp()))
    .action(async (image: string, opts: VerifyAttestationFlags) => {
      const publicKey = await publicKeyFrom(opts.key, io);
      state.exitCode = await withStore(image, opts, io, async (store) => {
        const outcome = await verifyImageAttestations(store, publicKey, { keyName: opts.key, ...(opts.type === undefined ? {} : { type: opts.type }) });
        if (opts.printPredicate === true && outcome.verified.length > 0) {
          for (const v of outcome.verified) io.stdout(`${JSON.stringify(v.statement.predicate)}\n`);
          return 0;
        }
        return report(outcome, store, "attestations", opts.output, io, (v) => ({ format: v.format, source: v.source, predicateType: v.predicateType }));
      });
    });

  return state;
}

function withRegistryFlags(cmd: Command): Command {
  return cmd
    .option("--insecure-registry <host:port>", "skip TLS verification for this registry and allow plain HTTP (repeatable)", collect, [])
    .option("--ca-file <pem>", "trust this certificate authority (PEM) besides the system's (repeatable)", collect, [])
    .option("--authfile <path>", "read credentials from this file (docker config.json or podman auth.json format) only")
    .option("--retries <n>", "attempts per request on 429, 5xx and dropped connections", "5")
    .option("--timeout <seconds>", "give up on a connection silent for this long", "30");
}

function formatFlag(value: string | boolean): SignatureFormat {
  if (value === true || value === "true") return "bundle";
  if (value === "false") return "legacy";
  throw new DrydockError("USAGE", `--new-bundle-format expects true or false; got ${JSON.stringify(value)}`);
}

function annotationFlags(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new DrydockError("USAGE", `-a expects KEY=VALUE; got ${JSON.stringify(v)}`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

async function readInputFile(file: string, io: Io, what: string): Promise<Buffer> {
  try {
    return await readFile(path.resolve(io.cwd, file));
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${file}: cannot read the ${what} file`, { cause: e });
  }
}


async function publicKeyFrom(file: string, io: Io): Promise<KeyObject> {
  return loadPublicKey((await readInputFile(file, io, "key")).toString("utf8"), file);
}

/** Runs `fn` with the store the argument names (and a registry client when it is remote). */
async function withStore<T>(image: string, opts: RegistryFlags, io: Io, fn: (store: ArtifactStore, names: { repository: string; reference: string }) => Promise<T>): Promise<T> {
  const endpoint = await parseEndpoint(image, "source", io.cwd);
  if (endpoint.kind === "docker-archive") throw new DrydockError("USAGE", `${image}: a docker-archive cannot hold signatures; sign the image in a registry or an OCI layout (oci:DIR[:TAG])`);
  if (endpoint.kind === "oci") {
    const store = new LayoutArtifactStore(endpoint.path, endpoint.selector);
    return fn(store, { repository: `oci:${endpoint.path}`, reference: store.description });
  }
  const client = await makeClient(opts, io);
  try {
    const ref = withDefaultTag(endpoint.ref);
    return await fn(new RegistryArtifactStore(client, ref), { repository: formatRepository(ref), reference: formatReference(ref) });
  } finally {
    client.close();
  }
}

async function makeClient(opts: RegistryFlags, io: Io): Promise<RegistryClient> {
  const settings = (await loadConfig(io.cwd)).config.registries;
  return new RegistryClient({
    insecureRegistries: [...opts.insecureRegistry, ...(settings?.insecure ?? [])],
    ...(settings === undefined ? {} : { mirrors: settings.mirrors }),
    caFiles: opts.caFile,
    credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir(), ...(opts.authfile === undefined ? {} : { authFile: opts.authfile }) }),
    retry: { attempts: positiveInteger(opts.retries, "--retries") },
    idleTimeoutMs: positiveInteger(opts.timeout, "--timeout") * 1000,
    userAgent: "drydock",
  });
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new DrydockError("USAGE", `${flag} expects a positive whole number; got ${JSON.stringify(value)}`);
  return n;
}

/** Prints what verified (stdout) or why nothing did (stderr); the exit code. */
function report<T>(outcome: VerifyOutcome<T>, store: ArtifactStore, what: string, output: "text" | "json", io: Io, describe: (v: T) => Record<string, unknown>): number {
  const ok = outcome.verified.length > 0;
  if (output === "json") {
    io.stdout(`${JSON.stringify({ image: store.description, digest: outcome.digest, verified: outcome.verified.map(describe), rejected: outcome.rejected }, null, 2)}\n`);
  } else if (ok) {
    for (const v of outcome.verified) {
      const d = describe(v);
      const extra = Object.entries(d).filter(([k]) => k !== "format" && k !== "source").map(([k, val]) => `${k} ${JSON.stringify(val)}`).join(", ");
      io.stdout(`Verified ${store.description}@${outcome.digest}: ${String(d["format"])} ${String(d["source"])}${extra === "" ? "" : `, ${extra}`}\n`);
    }
  }
  if (!ok) io.stderr(failureText(outcome.rejected, what, outcome.looked, store.description));
  return ok ? 0 : 1;
}

function failureText(rejected: readonly RejectedCandidate[], what: string, looked: string, image: string): string {
  if (rejected.length === 0) return `drydock: ${image}: no ${what} found (looked at ${looked})\n`;
  return `drydock: ${image}: no ${what} verified:\n${rejected.map((r) => `  ${r.source} (${r.format}): ${r.reason}\n`).join("")}`;
}

async function verifyWithPolicy(image: string, opts: VerifyFlags, io: Io): Promise<number> {
  const loaded = await loadConfig(io.cwd, typeof opts.policy === "string" ? path.resolve(io.cwd, opts.policy) : undefined);
  const settings = loaded.config.verify;
  if (loaded.file === undefined || settings === undefined) throw new DrydockError("USAGE", `--policy: ${loaded.file ?? "no drydock.yaml found"} has no verify: section`);
  const base = path.dirname(loaded.file);
  const keys = new Map<string, KeyObject>();
  const loadKey = async (file: string): Promise<KeyObject> => {
    const full = path.resolve(base, file);
    const cached = keys.get(full);
    if (cached !== undefined) return cached;
    const key = loadPublicKey((await readInputFile(full, io, "key")).toString("utf8"), file);
    keys.set(full, key);
    return key;
  };
  return withStore(image, opts, io, async (store, names) => {
    const result = await checkImagePolicy(store, settings, names, loadKey);
    if (opts.output === "json") io.stdout(`${JSON.stringify(policyJson(result, store), null, 2)}\n`);
    if (result.unmatched) {
      io.stderr(`drydock: ${store.description}: no entry of verify.images in ${loaded.file} matches ${names.repository}\n`);
      return 1;
    }
    for (const e of result.entries) {
      if (e.key !== undefined) {
        if (opts.output === "text") io.stdout(`Verified ${store.description}@${result.digest ?? ""}: ${e.policy.pattern} (${e.policy.where}) by ${e.key}\n`);
      } else {
        io.stderr(failureText(e.rejected.map((r) => ({ ...r, reason: `${r.key}: ${r.reason}` })), `signatures satisfying ${e.policy.pattern} (${e.policy.where})`, e.looked, store.description));
      }
    }
    return result.allowed ? 0 : 1;
  });
}

/**
 * `drydock pull --verify`: checks the image against drydock.yaml's verify policy before anything is written and
 * returns the reference pinned to the verified digest, so what is pulled is what was verified.
 */
export async function verifiedForPull(ref: ImageReference, opts: RegistryFlags, io: Io): Promise<ImageReference> {
  const loaded = await loadConfig(io.cwd);
  const settings = loaded.config.verify;
  if (loaded.file === undefined || settings === undefined) throw new DrydockError("USAGE", `--verify: ${loaded.file ?? "no drydock.yaml found"} has no verify: section`);
  const base = path.dirname(loaded.file);
  const loadKey = async (file: string): Promise<KeyObject> => loadPublicKey((await readInputFile(path.resolve(base, file), io, "key")).toString("utf8"), file);
  const pinned = withDefaultTag(ref);
  const client = await makeClient(opts, io);
  try {
    const store = new RegistryArtifactStore(client, pinned);
    const names = { repository: formatRepository(pinned), reference: formatReference(pinned) };
    const result = await checkImagePolicy(store, settings, names, loadKey);
    if (result.unmatched) throw new DrydockError("SIGNATURE_INVALID", `${store.description}: no entry of verify.images in ${loaded.file} matches ${names.repository}; nothing was pulled`);
    if (!result.allowed || result.digest === undefined) {
      const reasons = result.entries.filter((e) => e.key === undefined).map((e) => `${e.policy.pattern} (${e.policy.where}): ${e.rejected.length === 0 ? `no signatures found (looked at ${e.looked})` : e.rejected.map((r) => `${r.key}: ${r.reason}`).join("; ")}`);
      throw new DrydockError("SIGNATURE_INVALID", `${store.description}: the verify policy refuses the image; nothing was pulled: ${reasons.join("; ")}`);
    }
    io.stderr(`drydock: ${store.description}@${result.digest}: signatures satisfy the verify policy\n`);
    return { ...pinned, digest: result.digest };
  } finally {
    client.close();
  }
}

function policyJson(result: PolicyResult, store: ArtifactStore): unknown {
  return {
    image: store.description,
    digest: result.digest,
    allowed: result.allowed,
    entries: result.entries.map((e) => ({ pattern: e.policy.pattern, where: e.policy.where, key: e.key ?? null, rejected: e.rejected })),
  };
}

/** What `sbom --attest` and `scan --attest` need to attach their output as a signed attestation. */
export interface AttestOutputFlags {
  key?: string;
  newBundleFormat?: string | boolean;
  insecureRegistry: string[];
  caFile: string[];
}

/**
 * Attaches a predicate made in memory (an SBOM, a scan report) to the image as `drydock attest --type TYPE` would.
 * The image is named as for `attest` (docker://REF, a registry reference, oci:DIR[:TAG]).
 */
export async function attestOutput(image: string, predicate: Buffer, type: string, flags: AttestOutputFlags, io: Io): Promise<void> {
  if (flags.key === undefined) throw new DrydockError("USAGE", "--attest needs --key (a cosign private key)");
  const format = formatFlag(flags.newBundleFormat ?? "true");
  const key = await privateKeyFrom(flags.key, io, promptPassword);
  const registry: RegistryFlags = { insecureRegistry: flags.insecureRegistry, caFile: flags.caFile, retries: "3", timeout: "60" };
  await withStore(image, registry, io, async (store) => {
    const result = await attestImage(store, key, { format, type, predicate, replace: format === "legacy" });
    io.stderr(`drydock: attested ${store.description} (${result.digest}) with ${result.predicateType}; stored as ${format === "legacy" ? `tag ${result.stored}` : `referrer ${result.stored}`}\n`);
  });
}

