// Servers the registry tests run on 127.0.0.1: Debian's docker-registry (distribution 2.8) in plain HTTP,
// htpasswd and TLS configurations, a token server of our own (JWTs the registry verifies against our test
// certificate), and a proxy that misbehaves on request. Every child process is killed by its PID.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { sign as cryptoSign, randomBytes, X509Certificate } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDir(prefix = "drydock-reg-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A directory holding ca.crt, as skopeo's --cert-dir wants. */
  certDir: string;
}

/** A test CA and a server certificate for 127.0.0.1/localhost signed by it (EC P-256, two days). */
export function makeTestCa(dir: string): TlsFiles {
  const caKey = join(dir, "ca.key");
  const caFile = join(dir, "ca.crt");
  const keyFile = join(dir, "tls.key");
  const csr = join(dir, "tls.csr");
  const certFile = join(dir, "tls.crt");
  const ext = join(dir, "ext.cnf");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  execFileSync("openssl", ["req", "-x509", ...ec, "-keyout", caKey, "-out", caFile, "-days", "2", "-subj", "/CN=drydock test CA"], { stdio: "ignore" });
  execFileSync("openssl", ["req", ...ec, "-keyout", keyFile, "-out", csr, "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  execFileSync("openssl", ["x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out", certFile, "-days", "2", "-extfile", ext], { stdio: "ignore" });
  const certDir = join(dir, "certs.d");
  execFileSync("mkdir", ["-p", certDir]);
  writeFileSync(join(certDir, "ca.crt"), readFileSync(caFile));
  return { caFile, certFile, keyFile, certDir };
}

export interface RegistryOptions {
  htpasswd?: { user: string; password: string };
  token?: { realm: string; service: string; issuer: string; certFile: string };
  tls?: TlsFiles;
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  pid: number;
  dir: string;
  stop: () => Promise<void>;
}

/** Starts `docker-registry serve` on 127.0.0.1:0 and reads the port from its "listening on" log line. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const { dir, cleanup } = tempDir("drydock-registry-");
  const lines = [
    "version: 0.1",
    "log: {level: info}",
    `storage: {filesystem: {rootdirectory: ${join(dir, "data")}}, delete: {enabled: true}}`,
    "http:",
    "  addr: 127.0.0.1:0",
    "  secret: test-secret",
  ];
  if (options.tls !== undefined) lines.push(`  tls: {certificate: ${options.tls.certFile}, key: ${options.tls.keyFile}}`);
  if (options.htpasswd !== undefined) {
    const file = join(dir, "htpasswd");
    execFileSync("htpasswd", ["-Bbc", file, options.htpasswd.user, options.htpasswd.password], { stdio: "ignore" });
    lines.push(`auth: {htpasswd: {realm: test, path: ${file}}}`);
  }
  if (options.token !== undefined) {
    const t = options.token;
    lines.push(`auth: {token: {realm: "${t.realm}", service: ${t.service}, issuer: ${t.issuer}, rootcertbundle: ${t.certFile}}}`);
  }
  const config = join(dir, "config.yml");
  writeFileSync(config, `${lines.join("\n")}\n`);
  // The log goes to a file, not a pipe: a parent busy elsewhere (or blocked in spawnSync) cannot stall it.
  const logFile = join(dir, "registry.log");
  const logFd = openSync(logFile, "w");
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error("docker-registry did not start (is the docker-registry package installed?)");
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  let port: number | undefined;
  for (let waited = 0; port === undefined; waited += 20) {
    const log = readFileSync(logFile, "utf8");
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
    if (m !== null) port = Number(m[1]);
    else if (exited || waited > 10_000) {
      await killByPid(child, pid);
      throw new Error(`docker-registry did not report its port:\n${log.slice(-4000)}`);
    } else await new Promise((r) => setTimeout(r, 20));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    pid,
    dir,
    stop: async () => {
      await killByPid(child, pid);
      cleanup();
    },
  };
}

async function killByPid(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(pid, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// ---- the token server ----

export interface TokenServerOptions {
  users: Record<string, string>;
  service: string;
  issuer: string;
  /** PEM key and certificate the JWTs are signed with (the registry trusts the certificate). */
  keyFile: string;
  certFile: string;
  /** expires_in in answers (default 300). */
  expiresIn?: number;
  /** Tokens handed out that the registry will refuse as expired, before good ones (tests refresh). */
  expiredTokens?: number;
}

export interface TokenRequest {
  method: string;
  user: string | undefined;
  scopes: string[];
  grant: string | undefined;
}

export interface TokenServer {
  realm: string;
  requests: TokenRequest[];
  close: () => Promise<void>;
}

/** A token server after the distribution token spec: GET with Basic credentials, or the OAuth2 POST. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = readFileSync(options.keyFile, "utf8");
  const certDer = new X509Certificate(readFileSync(options.certFile)).raw.toString("base64");
  const requests: TokenRequest[] = [];
  const refreshTokens = new Map<string, string>();
  let expiredLeft = options.expiredTokens ?? 0;

  const issue = (user: string | undefined, scopes: string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const expired = expiredLeft > 0;
    if (expired) expiredLeft--;
    const access = user === undefined ? [] : scopes.flatMap((s) => {
      const [type, name, actions] = splitScope(s);
      return type === "repository" && name !== undefined ? [{ type, name, actions: (actions ?? "").split(",").filter((a) => a !== "") }] : [];
    });
    const header = { alg: "ES256", typ: "JWT", x5c: [certDer] };
    const claims = {
      iss: options.issuer,
      sub: user ?? "",
      aud: options.service,
      // The registry allows some clock skew, so an "expired" token lies well in the past.
      exp: expired ? now - 3600 : now + 600,
      nbf: expired ? now - 7200 : now - 10,
      iat: expired ? now - 7200 : now,
      jti: randomBytes(8).toString("hex"),
      access,
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = cryptoSign("sha256", Buffer.from(signingInput), { key, dsaEncoding: "ieee-p1363" });
    return `${signingInput}.${signature.toString("base64url")}`;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readAll(req);
    const reply = (status: number, json: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (req.method === "POST") {
      const form = new URLSearchParams(body.toString("utf8"));
      const grant = form.get("grant_type") ?? undefined;
      const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
      let user: string | undefined;
      if (grant === "password") {
        const u = form.get("username") ?? "";
        if (options.users[u] !== form.get("password")) return reply(401, { error: "invalid_grant" });
        user = u;
      } else if (grant === "refresh_token") {
        user = refreshTokens.get(form.get("refresh_token") ?? "");
        if (user === undefined) return reply(401, { error: "invalid_grant" });
      } else {
        return reply(400, { error: "unsupported_grant_type" });
      }
      requests.push({ method: "POST", user, scopes, grant });
      const refresh = randomBytes(16).toString("hex");
      refreshTokens.set(refresh, user);
      return reply(200, { access_token: issue(user, scopes), expires_in: options.expiresIn ?? 300, refresh_token: refresh });
    }
    const scopes = url.searchParams.getAll("scope");
    let user: string | undefined;
    const authz = req.headers.authorization;
    if (authz !== undefined) {
      const decoded = Buffer.from(authz.replace(/^Basic /, ""), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const u = decoded.slice(0, colon);
      if (colon < 0 || options.users[u] !== decoded.slice(colon + 1)) return reply(401, { errors: [{ code: "UNAUTHORIZED" }] });
      user = u;
    }
    requests.push({ method: "GET", user, scopes, grant: undefined });
    reply(200, { token: issue(user, scopes), expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() });
  };
  const port = await listen(server);
  return { realm: `http://127.0.0.1:${port}/token`, requests, close: () => closeServer(server) };
}

/** Allows a registry key pair: the token server signs with key, the registry trusts cert. */
export function makeTokenKey(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, "token.key");
  const certFile = join(dir, "token.crt");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=drydock test token issuer"], { stdio: "ignore" });
  return { keyFile, certFile };
}

function splitScope(scope: string): [string, string | undefined, string | undefined] {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last === first) return [scope, undefined, undefined];
  return [scope.slice(0, first), scope.slice(first + 1, last), scope.slice(last + 1)];
}

function b64url(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// ---- the misbehaving proxy ----

export type FaultKind =
  /** Answer with `status` (and `headers`) without asking the registry. */
  | { kind: "status"; status: number; headers?: Record<string, string> }
  /** Forward, send `afterBytes` of the body, then cut the connection. */
  | { kind: "drop"; afterBytes: number }
  /** Forward with one body byte flipped. */
  | { kind: "corrupt" }
  /** Forward with a header replaced. */
  | { kind: "header"; name: string; value: string }
  /** Send the headers, then one byte every `intervalMs`, forever (slow-loris). */
  | { kind: "trickle"; intervalMs: number }
  /** Cut the connection without answering. */
  | { kind: "reset" }
  /** Answer with this body. */
  | { kind: "respond"; status: number; headers: Record<string, string>; body: string }
  /** Redirect (307) to the same path on the registry itself: another origin. */
  | { kind: "redirect" };

export interface Fault {
  method?: string;
  /** Matched against the request path. */
  path: RegExp;
  /** How many matching requests misbehave (then they pass through). */
  times: number;
  fault: FaultKind;
}

export interface FaultProxy {
  host: string;
  port: number;
  /** Requests each fault has spoiled so far. */
  hits: number[];
  /** Every request seen: "METHOD path". */
  log: string[];
  setFaults: (faults: Fault[]) => void;
  close: () => Promise<void>;
}

/** A forwarding proxy to 127.0.0.1:upstreamPort whose faults are set per test. */
export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  let faults: Fault[] = [];
  let hits: number[] = [];
  const log: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    log.push(`${req.method} ${path}${req.headers.range === undefined ? "" : ` range=${req.headers.range}`}${req.headers.authorization === undefined ? "" : " auth"}`);
    const index = faults.findIndex((f, i) => (f.method === undefined || f.method === req.method) && f.path.test(path) && (hits[i] ?? 0) < f.times);
    const fault = index < 0 ? undefined : faults[index];
    if (fault !== undefined) hits[index] = (hits[index] ?? 0) + 1;
    if (fault?.fault.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.fault.kind === "respond") {
      req.resume();
      res.writeHead(fault.fault.status, fault.fault.headers);
      res.end(fault.fault.body);
      return;
    }
    if (fault?.fault.kind === "redirect") {
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${upstreamPort}${path}`, "content-length": "0" });
      res.end();
      return;
    }
    if (fault?.fault.kind === "status") {
      req.resume();
      res.writeHead(fault.fault.status, { "content-type": "application/json", ...fault.fault.headers });
      res.end(JSON.stringify({ errors: [{ code: "UNAVAILABLE", message: "injected fault" }] }));
      return;
    }
    const upstream = http.request({ host: "127.0.0.1", port: upstreamPort, method: req.method, path, headers: req.headers }, (up) => {
      const headers = { ...up.headers };
      const f = fault?.fault;
      if (f?.kind === "header") headers[f.name.toLowerCase()] = f.value;
      res.writeHead(up.statusCode ?? 502, headers);
      if (f?.kind === "trickle") {
        res.flushHeaders();
        up.destroy();
        const timer = setInterval(() => {
          if (res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write(Buffer.from([0x20]));
        }, f.intervalMs);
        timers.add(timer);
        return;
      }
      let sent = 0;
      let flipped = false;
      up.on("data", (chunk: Buffer) => {
        if (f?.kind === "drop") {
          const room = f.afterBytes - sent;
          if (room <= 0) return;
          res.write(chunk.subarray(0, room));
          sent += Math.min(room, chunk.length);
          if (sent >= f.afterBytes) {
            up.destroy();
            // Let the bytes leave before the connection is cut.
            setTimeout(() => res.socket?.destroy(), 20);
          }
          return;
        }
        if (f?.kind === "corrupt" && !flipped && chunk.length > 0) {
          const copy = Buffer.from(chunk);
          copy[copy.length >> 1] = (copy[copy.length >> 1] ?? 0) ^ 0xff;
          flipped = true;
          res.write(copy);
          return;
        }
        res.write(chunk);
      });
      up.on("end", () => {
        if (f?.kind === "drop") setTimeout(() => res.socket?.destroy(), 20);
        else res.end();
      });
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const port = await listen(server);
  return {
    host: `127.0.0.1:${port}`,
    port,
    get hits() {
      return hits;
    },
    log,
    setFaults: (next) => {
      faults = next;
      hits = next.map(() => 0);
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      await closeServer(server);
    },
  };
}
