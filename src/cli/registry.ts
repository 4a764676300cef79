// `drydock pull | push | copy | tags | login | logout`: the registry client on the command line. Results go to
// stdout (a digest, a tag list); progress goes to stderr — per-layer bars on a terminal, one line per event
// otherwise. Credentials are read from files, helpers or stdin and never printed.
import { homedir } from "node:os";
import { Command, Option } from "commander";
import { DrydockError } from "../core/errors.ts";
import { parsePlatform } from "../image/platform.ts";
import { RegistryClient, type RegistryClientOptions } from "../registry/client.ts";
import { copyImage, describeEndpoint, openReader, openWriter, parseEndpoint, type Endpoint, type ProgressEvent } from "../registry/copy.ts";
import { credentialProvider, eraseCredential, storeCredential, type Credential, type CredentialContext } from "../registry/credentials.ts";
import { DOCKER_HUB, familiarReference, isValidRegistryHost, parseRepositoryName, withDefaultTag } from "../registry/reference.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";
import { verifiedForPull } from "./sign.ts";
import { loadConfig } from "../core/config.ts";

export interface RegistryCommandDeps {
  /** Reads all of standard input (for --password-stdin). */
  readStdin?: () => Promise<string>;
}

interface CommonOptions {
  insecureRegistry: string[];
  caFile: string[];
  authfile?: string;
  parallel: string;
  retries: string;
  timeout: string;
  quiet?: boolean;
}

interface TransferOptions extends CommonOptions {
  platform?: string;
}

export function registerRegistryCommands(program: Command, io: Io, deps: RegistryCommandDeps = {}): void {
  withCommon(program
    .command("pull")
    .description("download an image from a registry into an OCI layout or a docker-archive")
    .argument("<image>", "a registry reference (nginx:1.27, ghcr.io/o/app@sha256:…)")
    .requiredOption("-o, --output <dest>", "oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]")
    .option("--platform <os/arch[/variant]>", "pull only this platform's image (a docker-archive gets the host's by default)")
    .option("--verify", "pull only if the image's signatures satisfy drydock.yaml's verify: policy (checked before anything is written)"))
    .action(async (image: string, opts: TransferOptions & { output: string; verify?: boolean }) => {
      let source = await parseEndpoint(image.startsWith("docker://") ? image : `docker://${image}`, "source", io.cwd);
      const dest = await parseEndpoint(opts.output, "destination", io.cwd);
      if (dest.kind === "registry") throw new DrydockError("USAGE", "--output is a local destination (oci:DIR or docker-archive:FILE); use drydock copy between registries");
      if (opts.verify === true && source.kind === "registry") source = { kind: "registry", ref: await verifiedForPull(source.ref, opts, io) };
      await transfer(source, dest, opts, io);
    });

  withCommon(program
    .command("push")
    .description("upload an OCI layout or a docker-archive to a registry")
    .argument("<source>", "oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG], or a path (a directory is an OCI layout)")
    .argument("<image>", "the registry reference to push to")
    .option("--platform <os/arch[/variant]>", "push only this platform's image out of an index"))
    .action(async (src: string, image: string, opts: TransferOptions) => {
      const source = await parseEndpoint(src, "source", io.cwd);
      if (source.kind === "registry") throw new DrydockError("USAGE", `${src}: no such file or directory (push reads an OCI layout or a docker-archive; use drydock copy between registries)`);
      const dest = await parseEndpoint(image.startsWith("docker://") ? image : `docker://${image}`, "destination", io.cwd);
      await transfer(source, dest, opts, io);
    });

  withCommon(program
    .command("copy")
    .description("copy an image between registries, OCI layouts and docker-archives (registry to registry without touching disk)")
    .argument("<source>", "docker://REF, oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG]; a bare reference is a registry")
    .argument("<destination>", "docker://REF, oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG]")
    .option("--platform <os/arch[/variant]>", "copy only this platform's image out of an index"))
    .action(async (src: string, dst: string, opts: TransferOptions) => {
      await transfer(await parseEndpoint(src, "source", io.cwd), await parseEndpoint(dst, "destination", io.cwd), opts, io);
    });

  withCommon(program
    .command("tags")
    .description("list a repository's tags")
    .argument("<repository>", "a repository (nginx, ghcr.io/org/app)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text")))
    .action(async (repository: string, opts: CommonOptions & { format: "text" | "json" }) => {
      const repo = parseRepositoryName(repository.replace(/^docker:\/\//, ""));
      const client = await makeClient(opts, io);
      try {
        const tags = await client.listTags(repo);
        io.stdout(opts.format === "json" ? `${JSON.stringify({ repository: `${repo.registry}/${repo.repository}`, tags }, null, 2)}\n` : tags.map((t) => `${t}\n`).join(""));
      } finally {
        client.close();
      }
    });

  withCommon(program
    .command("login")
    .description("check credentials against a registry and save them (credential helper if configured, else config.json)")
    .argument("[registry]", "host[:port] (default: Docker Hub)", DOCKER_HUB)
    .requiredOption("-u, --username <name>", "user name")
    .option("--password-stdin", "read the password (or token) from standard input")
    .option("-p, --password <password>", "the password (visible to other users in the process list: prefer --password-stdin)"))
    .action(async (registry: string, opts: CommonOptions & { username: string; passwordStdin?: boolean; password?: string }) => {
      const host = registryHost(registry);
      let password: string;
      if (opts.passwordStdin === true) {
        if (opts.password !== undefined) throw new DrydockError("USAGE", "--password and --password-stdin are mutually exclusive");
        password = (await (deps.readStdin ?? readProcessStdin)()).replace(/\r?\n$/, "");
      } else if (opts.password !== undefined) {
        io.stderr("drydock: warning: --password is visible to other users; use --password-stdin\n");
        password = opts.password;
      } else {
        throw new DrydockError("USAGE", "give the password with --password-stdin (or --password)");
      }
      if (password === "") throw new DrydockError("USAGE", "the password is empty");
      const credential: Credential = { kind: "basic", username: opts.username, password };
      const client = await makeClient(opts, io, () => Promise.resolve(credential));
      try {
        await client.ping(host);
      } finally {
        client.close();
      }
      const where = await storeCredential(host, opts.username, password, credentialContext(opts, io));
      io.stderr(where.startsWith("docker-credential-") ? `drydock: credentials saved with ${where}\n` : `drydock: credentials saved unencrypted (base64) in ${where}; configure a credential helper (credsStore) to avoid that\n`);
      io.stdout("Login Succeeded\n");
    });

  program
    .command("logout")
    .description("remove a registry's saved credentials")
    .argument("[registry]", "host[:port] (default: Docker Hub)", DOCKER_HUB)
    .option("--authfile <path>", "auth file to change instead of ~/.docker/config.json")
    .action(async (registry: string, opts: { authfile?: string }) => {
      const removed = await eraseCredential(registryHost(registry), credentialContext(opts, io));
      io.stdout(removed ? `Removed login credentials for ${registry}\n` : `Not logged in to ${registry}\n`);
    });
}

function withCommon(cmd: Command): Command {
  return cmd
    .option("--insecure-registry <host:port>", "skip TLS verification for this registry and allow plain HTTP (repeatable)", collect, [])
    .option("--ca-file <pem>", "trust this certificate authority (PEM) besides the system's (repeatable)", collect, [])
    .option("--authfile <path>", "read credentials from this file (docker config.json or podman auth.json format) only")
    .option("--parallel <n>", "blobs transferred at once", "4")
    .option("--retries <n>", "attempts per request on 429, 5xx and dropped connections", "5")
    .option("--timeout <seconds>", "give up on a connection silent for this long", "30")
    .option("-q, --quiet", "no progress output");
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new DrydockError("USAGE", `${flag} expects a positive whole number; got ${JSON.stringify(value)}`);
  return n;
}

function registryHost(text: string): string {
  const host = text.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (!isValidRegistryHost(host)) throw new DrydockError("USAGE", `${JSON.stringify(text)} is not a registry host[:port]`);
  return host === "index.docker.io" || host === "registry-1.docker.io" ? DOCKER_HUB : host;
}

function credentialContext(opts: { authfile?: string }, io: Io): CredentialContext {
  return { env: io.env, home: io.env["HOME"] ?? homedir(), ...(opts.authfile === undefined ? {} : { authFile: opts.authfile }) };
}

/** A client from the flags, plus drydock.yaml's `registries:` (mirrors; insecure hosts added to the flags'). */
async function makeClient(opts: CommonOptions, io: Io, credentials?: (registry: string) => Promise<Credential | undefined>, onProgress?: (e: ProgressEvent) => void): Promise<RegistryClient> {
  const settings = (await loadConfig(io.cwd)).config.registries;
  const options: RegistryClientOptions = {
    insecureRegistries: [...opts.insecureRegistry, ...(settings?.insecure ?? [])].map(registryHost),
    ...(settings === undefined ? {} : { mirrors: settings.mirrors }),
    caFiles: opts.caFile,
    credentials: credentials ?? credentialProvider(credentialContext(opts, io)),
    retry: { attempts: positiveInteger(opts.retries, "--retries") },
    idleTimeoutMs: positiveInteger(opts.timeout, "--timeout") * 1000,
    userAgent: "drydock",
    ...(onProgress === undefined ? {} : { onRetry: (e) => onProgress({ type: "retry", ...e }) }),
  };
  return new RegistryClient(options);
}

async function transfer(source: Endpoint, dest: Endpoint, opts: TransferOptions, io: Io): Promise<void> {
  const progress = opts.quiet === true ? undefined : new ProgressRenderer(io.stderr, io.isTTY);
  const onProgress = progress === undefined ? undefined : (e: ProgressEvent): void => progress.update(e);
  const client = await makeClient(opts, io, undefined, onProgress);
  try {
    const reader = await openReader(source, client);
    const name = source.kind === "registry" ? familiarReference(withDefaultTag(source.ref)) : undefined;
    const writer = openWriter(dest, client, name);
    const result = await copyImage(reader, writer, {
      parallel: positiveInteger(opts.parallel, "--parallel"),
      ...(opts.platform === undefined ? {} : { platform: parsePlatform(opts.platform) }),
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    progress?.finish(`${describeEndpoint(dest)}: ${result.blobs.copied} copied, ${result.blobs.exists} already there, ${result.blobs.mounted} mounted (${formatBytes(result.bytes)})`);
    io.stdout(`${result.digest}\n`);
  } finally {
    client.close();
  }
}

// ---- progress ----

interface BlobLine {
  digest: string;
  size: number;
  done: number;
  state: "active" | "copied" | "exists" | "mounted";
}

/**
 * Renders progress events. On a terminal: one bar per blob, redrawn in place (at most ten times a second);
 * otherwise a line when a blob finishes, and one per retry.
 */
export class ProgressRenderer {
  private readonly write: (text: string) => void;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly lines: BlobLine[] = [];
  private drawn = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(write: (text: string) => void, tty: boolean, now: () => number = Date.now) {
    this.write = write;
    this.tty = tty;
    this.now = now;
  }

  update(e: ProgressEvent): void {
    switch (e.type) {
      case "image":
        this.print(`${e.source} → ${e.destination}: ${e.blobs} blobs, ${formatBytes(e.bytes)}${e.platforms.length > 1 ? `, platforms ${e.platforms.join(" ")}` : ""}`);
        return;
      case "blob-start":
        this.lines.push({ digest: e.digest, size: e.size, done: 0, state: "active" });
        this.redraw(false);
        return;
      case "blob-bytes": {
        const line = this.lines.find((l) => l.digest === e.digest);
        if (line !== undefined) line.done = Math.max(0, e.done);
        this.redraw(false);
        return;
      }
      case "blob-done": {
        const line = this.lines.find((l) => l.digest === e.digest);
        if (line !== undefined) {
          line.state = e.outcome;
          line.done = e.size;
        }
        if (this.tty) this.redraw(true);
        else this.write(`${short(e.digest)} ${formatBytes(e.size)} ${e.outcome === "copied" ? "done" : e.outcome === "exists" ? "already there" : "mounted"}\n`);
        return;
      }
      case "manifest":
        return;
      case "retry":
        this.print(`retrying ${e.what} at ${e.host} in ${Math.round(e.delayMs)} ms (${e.reason})`);
        return;
    }
  }

  finish(summary: string): void {
    this.redraw(true);
    this.write(`${summary}\n`);
  }

  /** A line above the bars (they are redrawn below it). */
  private print(text: string): void {
    if (this.tty && this.drawn > 0) this.write(`\x1b[${this.drawn}A\x1b[J`);
    this.write(`${text}\n`);
    this.drawn = 0;
    if (this.tty) this.redraw(true);
  }

  private redraw(force: boolean): void {
    if (!this.tty || this.lines.length === 0) return;
    const now = this.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    for (const l of this.lines) out += `\x1b[2K${renderBar(l)}\n`;
    this.write(out);
    this.drawn = this.lines.length;
  }
}

function renderBar(l: BlobLine): string {
  const width = 24;
  const fraction = l.size === 0 ? 1 : Math.min(1, l.done / l.size);
  const filled = Math.round(fraction * width);
  const bar = `[${"=".repeat(filled)}${filled < width && l.state === "active" ? ">" : ""}${" ".repeat(Math.max(0, width - filled - (filled < width && l.state === "active" ? 1 : 0)))}]`;
  const state = l.state === "active" ? `${formatBytes(l.done)}/${formatBytes(l.size)}` : l.state === "copied" ? `${formatBytes(l.size)} done` : l.state === "exists" ? "already there" : "mounted";
  return `${short(l.digest)} ${bar} ${state}`;
}

function short(digest: string): string {
  return digest.slice(0, digest.indexOf(":") + 13);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    if (chunks.reduce((n, c) => n + c.length, 0) > 1 << 20) throw new DrydockError("USAGE", "standard input is too long for a password");
  }
  return Buffer.concat(chunks).toString("utf8");
}
