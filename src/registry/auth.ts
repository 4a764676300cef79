// Registry authentication: the WWW-Authenticate challenge, HTTP Basic, and the bearer token flow of the
// distribution token spec (GET realm?service&scope with Basic credentials, or the OAuth2 POST with an identity
// token), with tokens cached per realm, service and scope set until they expire.
import { DrydockError } from "../core/errors.ts";
import type { Credential, CredentialProvider } from "./credentials.ts";
import { discardBody, header, readBody, type HttpResponse, type RequestBody } from "./http.ts";

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header into its challenges (RFC 9110 §11.6.1): `Bearer realm="…",service="…",
 * scope="…"`, `Basic realm="x"`, or several separated by commas. Scheme names are lower-cased.
 */
export function parseChallenges(value: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const skipSpaces = (): void => {
    while (i < value.length && (value[i] === " " || value[i] === "\t")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < value.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(value[i] ?? "")) i++;
    return value.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < value.length) {
    skipSpaces();
    if (value[i] === ",") {
      i++;
      continue;
    }
    const start = i;
    const token = readToken();
    if (token === "") {
      i++;
      continue;
    }
    skipSpaces();
    if (value[i] === "=" && current !== undefined) {
      i++;
      skipSpaces();
      let v = "";
      if (value[i] === '"') {
        i++;
        while (i < value.length && value[i] !== '"') {
          if (value[i] === "\\" && i + 1 < value.length) i++;
          v += value[i];
          i++;
        }
        i++;
      } else {
        const vs = i;
        while (i < value.length && value[i] !== ",") i++;
        v = value.slice(vs, i).trim();
      }
      current.params[token.toLowerCase()] = v;
    } else if (value[i] === "=" && current === undefined) {
      // token68 or a parameter before any scheme: not a challenge we can use.
      i = start + token.length + 1;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}

/**
 * Scopes merged per resource, actions sorted: ["repository:a:pull", "repository:a:push,pull"] is
 * ["repository:a:pull,push"], so a challenge's scope and ours share one cache entry.
 */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const merged = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(":");
    const first = scope.indexOf(":");
    if (first < 0 || last === first) {
      merged.set(scope, merged.get(scope) ?? new Set());
      continue;
    }
    const resource = scope.slice(0, last);
    const actions = merged.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(",")) if (a !== "") actions.add(a);
    merged.set(resource, actions);
  }
  return [...merged].map(([resource, actions]) => (actions.size === 0 ? resource : `${resource}:${[...actions].sort().join(",")}`)).sort();
}

/** "repository:library/nginx:pull" — the scope a repository operation needs. */
export function repositoryScope(repository: string, actions: "pull" | "push"): string {
  return `repository:${repository}:${actions === "push" ? "pull,push" : "pull"}`;
}

interface TokenEntry {
  token: string;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  credentials: CredentialProvider;
  /** Sends a request to the token server (the client's transport, with its retries). */
  send: (method: string, url: URL, headers: Record<string, string>, body?: RequestBody) => Promise<HttpResponse>;
  now?: () => number;
  clientId?: string;
}

const TOKEN_BODY_LIMIT = 1 << 20;
const DEFAULT_TOKEN_SECONDS = 60;

/** Per-registry auth state: the challenge learnt from the first 401, and tokens by scope. */
export class Authenticator {
  private readonly options: AuthenticatorOptions;
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly pending = new Map<string, Promise<TokenEntry>>();
  /** OAuth2 refresh tokens handed out by token servers, per realm and service. */
  private readonly refreshTokens = new Map<string, string>();

  constructor(options: AuthenticatorOptions) {
    this.options = options;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The Authorization header to send, or undefined while the registry has not asked for any. */
  async authorization(registry: string, repository: string | undefined, scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    if (challenge === undefined) return undefined;
    if (challenge.scheme === "basic") {
      const credential = await this.options.credentials(registry, repository);
      if (credential === undefined) return undefined;
      if (credential.kind !== "basic") throw new DrydockError("REGISTRY_AUTH", `${registry} asks for a user name and password, and the stored credential is an identity token`);
      return basicHeader(credential.username, credential.password);
    }
    const entry = await this.token(registry, repository, challenge, scopes);
    return `Bearer ${entry.token}`;
  }

  /**
   * Learns from a 401. Returns true when another attempt may succeed: a new or changed challenge, or a token
   * that was refused (expired or too narrow) and is now dropped. `sent` is the Authorization header that failed.
   */
  async unauthorized(registry: string, repository: string | undefined, scopes: readonly string[], res: HttpResponse, sent: string | undefined): Promise<{ retry: boolean; scopes: readonly string[]; error: string | undefined }> {
    const value = header(res, "www-authenticate");
    discardBody(res);
    const challenges = value === undefined ? [] : parseChallenges(value);
    const challenge = challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
    if (challenge === undefined) return { retry: false, scopes, error: undefined };
    const error = challenge.params["error"];
    this.challenges.set(registry, challenge);
    let wanted = scopes;
    if (challenge.scheme === "bearer") {
      const asked = (challenge.params["scope"] ?? "").split(" ").filter((s) => s !== "");
      wanted = normalizeScopes([...scopes, ...asked]);
      if (sent?.startsWith("Bearer ") === true) {
        // The token was refused: forget it, so the next attempt fetches a fresh one.
        for (const [k, v] of this.tokens) if (`Bearer ${v.token}` === sent) this.tokens.delete(k);
      }
      return { retry: true, scopes: wanted, error };
    }
    // Basic: worth one attempt when we have a user name and did not already send it.
    const credential = await this.options.credentials(registry, repository);
    return { retry: credential !== undefined && sent === undefined, scopes: wanted, error };
  }

  /** Whether the registry wants credentials at all (after a 401 was seen). */
  scheme(registry: string): string | undefined {
    return this.challenges.get(registry)?.scheme;
  }

  private async token(registry: string, repository: string | undefined, challenge: Challenge, scopes: readonly string[]): Promise<TokenEntry> {
    const realm = challenge.params["realm"];
    if (realm === undefined || realm === "") throw new DrydockError("REGISTRY_AUTH", `${registry} asks for a bearer token without naming a token server (realm)`);
    const service = challenge.params["service"] ?? "";
    const sorted = normalizeScopes(scopes);
    const key = `${realm}\n${service}\n${sorted.join(" ")}`;
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(registry, repository, realm, service, sorted).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    const entry = await pending;
    this.tokens.set(key, entry);
    return entry;
  }

  private async fetchToken(registry: string, repository: string | undefined, realm: string, service: string, scopes: readonly string[]): Promise<TokenEntry> {
    let url: URL;
    try {
      url = new URL(realm);
    } catch (e) {
      throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server ${JSON.stringify(realm)} is not a URL`, { cause: e });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server must be http(s)`);
    const credential = await this.options.credentials(registry, repository);
    const refreshKey = `${realm}\n${service}`;
    const refresh = credential?.kind === "token" ? credential.identityToken : this.refreshTokens.get(refreshKey);
    const started = this.now();
    let res: HttpResponse;
    if (refresh !== undefined) {
      res = await this.oauthPost(url, service, scopes, refresh);
    } else {
      for (const s of scopes) url.searchParams.append("scope", s);
      if (service !== "") url.searchParams.set("service", service);
      const headers: Record<string, string> = {};
      if (credential?.kind === "basic") {
        url.searchParams.set("account", credential.username);
        headers["authorization"] = basicHeader(credential.username, credential.password);
      }
      res = await this.options.send("GET", url, headers);
    }
    if (res.status !== 200) {
      discardBody(res);
      const who = credential === undefined ? "anonymous access" : "the stored credentials";
      if (res.status === 401 || res.status === 403) {
        throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server ${url.host} refused ${who} (HTTP ${res.status})${credential === undefined ? "; log in with drydock login" : ""}`);
      }
      throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server ${url.host} answered HTTP ${res.status}`);
    }
    const body = await readBody(res, TOKEN_BODY_LIMIT);
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server ${url.host} did not answer JSON`, { cause: e });
    }
    const obj = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
    const token = typeof obj["token"] === "string" && obj["token"] !== "" ? obj["token"] : obj["access_token"];
    if (typeof token !== "string" || token === "") throw new DrydockError("REGISTRY_AUTH", `${registry}: the token server ${url.host} answered without a token`);
    if (typeof obj["refresh_token"] === "string" && obj["refresh_token"] !== "") this.refreshTokens.set(refreshKey, obj["refresh_token"]);
    const seconds = typeof obj["expires_in"] === "number" && obj["expires_in"] > 0 ? obj["expires_in"] : DEFAULT_TOKEN_SECONDS;
    // Renew a little early (a tenth of the lifetime, at most 10 s) so a token does not lapse mid-request.
    const skew = Math.min(10_000, seconds * 100);
    return { token, expiresAt: started + seconds * 1000 - skew };
  }

  private oauthPost(url: URL, service: string, scopes: readonly string[], refreshToken: string): Promise<HttpResponse> {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      service,
      client_id: this.options.clientId ?? "drydock",
      scope: scopes.join(" "),
    });
    return this.options.send("POST", url, { "content-type": "application/x-www-form-urlencoded" }, Buffer.from(form.toString(), "utf8"));
  }
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

export type { Credential };
