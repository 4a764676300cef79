// Where registry credentials live: Docker's config.json (auths, credsStore, credHelpers through
// docker-credential-* programs), the DOCKER_AUTH_CONFIG variable, and podman's auth.json. Secrets are returned
// to the auth code and nowhere else: no message, log line or report ever carries one.
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { DOCKER_HUB } from "./reference.ts";

export type Credential =
  | { kind: "basic"; username: string; password: string }
  /** An identity (OAuth2 refresh) token, exchanged at the token endpoint with grant_type=refresh_token. */
  | { kind: "token"; username: string | undefined; identityToken: string };

/** Finds the credential for a registry (and repository, for auth files keyed by namespace). */
export type CredentialProvider = (registry: string, repository?: string) => Promise<Credential | undefined>;

export interface CredentialContext {
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
  /** --authfile: this file alone (config.json or auth.json shape) is read and written. */
  authFile?: string;
  /** Longest a credential helper may run (default 30 s). */
  helperTimeoutMs?: number;
}

/** The key config.json uses for Docker Hub; every other registry is keyed by host[:port]. */
export const DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface AuthFile {
  path: string;
  auths: Record<string, AuthEntry>;
  credsStore: string | undefined;
  credHelpers: Record<string, string>;
}

export function dockerConfigPath(ctx: CredentialContext): string {
  const dir = ctx.env["DOCKER_CONFIG"];
  return dir !== undefined && dir !== "" ? join(dir, "config.json") : join(ctx.home, ".docker", "config.json");
}

/** podman/skopeo's files, in the order containers/image reads them. */
export function podmanAuthPaths(ctx: CredentialContext): string[] {
  const paths: string[] = [];
  const explicit = ctx.env["REGISTRY_AUTH_FILE"];
  if (explicit !== undefined && explicit !== "") paths.push(explicit);
  const runtime = ctx.env["XDG_RUNTIME_DIR"];
  if (runtime !== undefined && runtime !== "") paths.push(join(runtime, "containers", "auth.json"));
  const config = ctx.env["XDG_CONFIG_HOME"];
  paths.push(join(config !== undefined && config !== "" ? config : join(ctx.home, ".config"), "containers", "auth.json"));
  return paths;
}

/** "https://index.docker.io/v1/" → "docker.io"; "https://ghcr.io/v2/" → "ghcr.io"; namespaced keys keep their path. */
export function normalizeAuthKey(key: string): string {
  let k = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/+$/, "");
  k = k.replace(/\/v[12]$/, "");
  const slash = k.indexOf("/");
  const host = (slash < 0 ? k : k.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? "" : k.slice(slash);
  const hub = host === "index.docker.io" || host === "registry-1.docker.io" || host === "docker.io";
  return (hub ? DOCKER_HUB : host) + path;
}

/** The server URL helpers and config.json expect for a registry. */
export function authKeyFor(registry: string): string {
  return normalizeAuthKey(registry) === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
}

/** A provider that looks each registry up once per run. */
export function credentialProvider(ctx: CredentialContext): CredentialProvider {
  const cache = new Map<string, Promise<Credential | undefined>>();
  return (registry, repository) => {
    const key = `${registry}/${repository ?? ""}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = lookupCredential(registry, ctx, repository).then((r) => r?.credential);
      cache.set(key, found);
    }
    return found;
  };
}

/** The credential for a registry and where it came from (a file path or a helper name, never the secret). */
export async function lookupCredential(registry: string, ctx: CredentialContext, repository?: string): Promise<{ credential: Credential; source: string } | undefined> {
  if (ctx.authFile !== undefined) {
    const file = await readAuthFile(ctx.authFile, true);
    return file === undefined ? undefined : fromFile(file, registry, repository, ctx);
  }
  const fromEnv = ctx.env["DOCKER_AUTH_CONFIG"];
  if (fromEnv !== undefined && fromEnv !== "") {
    const file = parseAuthFile(fromEnv, "DOCKER_AUTH_CONFIG");
    const entry = matchEntry(file.auths, registry, repository);
    if (entry !== undefined) return { credential: entryCredential(entry, "DOCKER_AUTH_CONFIG"), source: "DOCKER_AUTH_CONFIG" };
  }
  const docker = await readAuthFile(dockerConfigPath(ctx), false);
  if (docker !== undefined) {
    const found = await fromFile(docker, registry, repository, ctx);
    if (found !== undefined) return found;
  }
  for (const path of podmanAuthPaths(ctx)) {
    const file = await readAuthFile(path, false);
    if (file === undefined) continue;
    const found = await fromFile(file, registry, repository, ctx);
    if (found !== undefined) return found;
  }
  return undefined;
}

async function fromFile(file: AuthFile, registry: string, repository: string | undefined, ctx: CredentialContext): Promise<{ credential: Credential; source: string } | undefined> {
  const helper = helperFor(file, registry);
  if (helper !== undefined) {
    const credential = await runHelperGet(helper, authKeyFor(registry), ctx);
    if (credential !== undefined) return { credential, source: `docker-credential-${helper}` };
    // A helper that knows nothing leaves plaintext auths as the fallback, as docker does for credsStore.
  }
  const entry = matchEntry(file.auths, registry, repository);
  return entry === undefined ? undefined : { credential: entryCredential(entry, file.path), source: file.path };
}

function helperFor(file: AuthFile, registry: string): string | undefined {
  const wanted = normalizeAuthKey(registry);
  for (const [key, helper] of Object.entries(file.credHelpers)) {
    if (normalizeAuthKey(key) === wanted && helper !== "") return helper;
  }
  return file.credsStore !== undefined && file.credsStore !== "" ? file.credsStore : undefined;
}

/** The most specific key: "quay.io/org/repo" before "quay.io/org" before "quay.io". */
function matchEntry(auths: Record<string, AuthEntry>, registry: string, repository: string | undefined): AuthEntry | undefined {
  const host = normalizeAuthKey(registry);
  const full = repository === undefined ? host : `${host}/${repository}`;
  let best: { entry: AuthEntry; length: number } | undefined;
  for (const [key, entry] of Object.entries(auths)) {
    const k = normalizeAuthKey(key);
    const matches = k === full || k === host || (full.startsWith(k) && full[k.length] === "/");
    if (matches && (best === undefined || k.length > best.length)) best = { entry, length: k.length };
  }
  return best?.entry;
}

function entryCredential(entry: AuthEntry, where: string): Credential {
  const identity = typeof entry.identitytoken === "string" && entry.identitytoken !== "" ? entry.identitytoken : undefined;
  let username = typeof entry.username === "string" ? entry.username : undefined;
  let password = typeof entry.password === "string" ? entry.password : undefined;
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) throw new DrydockError("CREDENTIALS_UNREADABLE", `${where}: an "auth" value is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (identity !== undefined) return { kind: "token", username, identityToken: identity };
  if (username === undefined || username === "" || password === undefined) {
    throw new DrydockError("CREDENTIALS_UNREADABLE", `${where}: an entry has neither "auth" nor username and password`);
  }
  return { kind: "basic", username, password };
}

async function readAuthFile(path: string, required: boolean): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (!required && isMissing(e)) return undefined;
    throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: cannot read the auth file`, { cause: e });
  }
  if (text.trim() === "") return { path, auths: {}, credsStore: undefined, credHelpers: {} };
  return parseAuthFile(text, path);
}

function parseAuthFile(text: string, path: string): AuthFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: not valid JSON`, { cause: e });
  }
  if (!isRecord(json)) throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: expected a JSON object`);
  const auths: Record<string, AuthEntry> = {};
  if (isRecord(json["auths"])) {
    for (const [k, v] of Object.entries(json["auths"])) if (isRecord(v)) auths[k] = v;
  }
  const credHelpers: Record<string, string> = {};
  if (isRecord(json["credHelpers"])) {
    for (const [k, v] of Object.entries(json["credHelpers"])) if (typeof v === "string") credHelpers[k] = v;
  }
  const credsStore = typeof json["credsStore"] === "string" ? json["credsStore"] : undefined;
  return { path, auths, credsStore, credHelpers };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isMissing(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e.code === "ENOENT" || e.code === "ENOTDIR");
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NOT_FOUND = "credentials not found";

/** `docker-credential-<name> get`: the server URL on stdin, JSON on stdout; "not found" means anonymous. */
async function runHelperGet(name: string, serverUrl: string, ctx: CredentialContext): Promise<Credential | undefined> {
  const { code, stdout } = await runHelper(name, "get", serverUrl, ctx);
  if (code !== 0) {
    if (stdout.toLowerCase().includes(NOT_FOUND)) return undefined;
    throw new DrydockError("CREDENTIALS_UNREADABLE", `docker-credential-${name} get failed (exit ${code}) for ${serverUrl}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (e) {
    throw new DrydockError("CREDENTIALS_UNREADABLE", `docker-credential-${name} get printed something that is not JSON`, { cause: e });
  }
  if (!isRecord(json) || typeof json["Secret"] !== "string") {
    throw new DrydockError("CREDENTIALS_UNREADABLE", `docker-credential-${name} get printed JSON without a Secret`);
  }
  const username = typeof json["Username"] === "string" ? json["Username"] : "";
  if (username === "<token>") return { kind: "token", username: undefined, identityToken: json["Secret"] };
  if (username === "") throw new DrydockError("CREDENTIALS_UNREADABLE", `docker-credential-${name} get returned an empty user name`);
  return { kind: "basic", username, password: json["Secret"] };
}

function runHelper(name: string, verb: "get" | "store" | "erase", input: string, ctx: CredentialContext): Promise<{ code: number; stdout: string }> {
  if (!HELPER_NAME.test(name)) {
    return Promise.reject(new DrydockError("CREDENTIALS_UNREADABLE", `credential helper name ${JSON.stringify(name)} is not a program name`));
  }
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [verb], { env: { ...ctx.env }, stdio: ["pipe", "pipe", "ignore"] });
    const out: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), ctx.helperTimeoutMs ?? 30_000);
    child.stdout.on("data", (b: Buffer) => {
      size += b.length;
      if (size <= 1 << 20) out.push(b);
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new DrydockError("CREDENTIALS_UNREADABLE", `${program} could not be run: is it on PATH?`, { cause: e }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== null) reject(new DrydockError("CREDENTIALS_UNREADABLE", `${program} ${verb} was stopped (${signal})`));
      else resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8") });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/**
 * Saves a credential as `docker login` does: through the registry's helper or credsStore when config.json names
 * one, else base64 in config.json's auths (mode 0600, written to a temporary file and renamed). Returns where.
 */
export async function storeCredential(registry: string, username: string, secret: string, ctx: CredentialContext): Promise<string> {
  const path = ctx.authFile ?? dockerConfigPath(ctx);
  const raw = await readRawConfig(path);
  const file = parseAuthFile(JSON.stringify(raw), path);
  const serverUrl = authKeyFor(registry);
  const helper = helperFor(file, registry);
  if (helper !== undefined) {
    const { code } = await runHelper(helper, "store", JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }), ctx);
    if (code !== 0) throw new DrydockError("CREDENTIALS_UNREADABLE", `docker-credential-${helper} store failed (exit ${code})`);
    return `docker-credential-${helper}`;
  }
  const auths = isRecord(raw["auths"]) ? raw["auths"] : {};
  for (const key of Object.keys(auths)) if (normalizeAuthKey(key) === normalizeAuthKey(registry)) delete auths[key];
  auths[serverUrl] = { auth: Buffer.from(`${username}:${secret}`, "utf8").toString("base64") };
  raw["auths"] = auths;
  await writePrivateJson(path, raw);
  return path;
}

/** Removes a registry's credential from the helper or config.json; true when there was one. */
export async function eraseCredential(registry: string, ctx: CredentialContext): Promise<boolean> {
  const path = ctx.authFile ?? dockerConfigPath(ctx);
  const raw = await readRawConfig(path);
  const file = parseAuthFile(JSON.stringify(raw), path);
  const helper = helperFor(file, registry);
  if (helper !== undefined) await runHelper(helper, "erase", authKeyFor(registry), ctx);
  const auths = isRecord(raw["auths"]) ? raw["auths"] : {};
  let removed = false;
  for (const key of Object.keys(auths)) {
    if (normalizeAuthKey(key) === normalizeAuthKey(registry)) {
      delete auths[key];
      removed = true;
    }
  }
  if (removed) await writePrivateJson(path, { ...raw, auths });
  return removed || helper !== undefined;
}

async function readRawConfig(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (isMissing(e)) return {};
    throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: cannot read it`, { cause: e });
  }
  if (text.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: not valid JSON; fix or remove it before logging in`, { cause: e });
  }
  if (!isRecord(json)) throw new DrydockError("CREDENTIALS_UNREADABLE", `${path}: expected a JSON object`);
  return json;
}

async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, "\t")}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new DrydockError("OUTPUT_UNWRITABLE", `${path}: cannot write it`, { cause: e });
  }
}
