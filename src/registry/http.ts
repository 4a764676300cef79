// HTTP for the registry client, over node:http/https rather than fetch: TLS settings differ per registry (a CA
// file, or verification off for a registry the user named insecure) without an extra dependency, bodies stream
// both ways with backpressure, and a stalled socket is detected by inactivity, not a total deadline.
import { readFileSync } from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import tls from "node:tls";
import { DrydockError } from "../core/errors.ts";

export interface TransportOptions {
  /** "host[:port]" registries whose certificates are not verified (and which may speak plain HTTP). */
  insecureRegistries?: readonly string[];
  /** PEM files of extra certificate authorities, trusted beside the system's and Node's bundled ones. */
  caFiles?: readonly string[];
  /** Abort when a connection carries no byte for this long (default 30 s). */
  idleTimeoutMs?: number;
  /** Most connections per host (default 16). */
  maxSockets?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered. */
  url: URL;
  body: IncomingMessage;
}

/** A body given as bytes, or as a function that streams it (called once per attempt). */
export type RequestBody = Uint8Array | (() => AsyncIterable<Uint8Array>);

export class HttpTransport {
  private readonly insecure: ReadonlySet<string>;
  private readonly caFiles: readonly string[];
  private readonly idleTimeoutMs: number;
  private readonly maxSockets: number;
  private httpAgent: http.Agent | undefined;
  private verifyingAgent: https.Agent | undefined;
  private insecureAgent: https.Agent | undefined;

  constructor(options: TransportOptions = {}) {
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
    this.caFiles = options.caFiles ?? [];
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.maxSockets = options.maxSockets ?? 16;
  }

  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  /** Sends one request; the caller reads or drains the body. Network failures reject with the socket's error. */
  request(method: string, url: URL, headers: Record<string, string>, body?: RequestBody): Promise<HttpResponse> {
    const isHttps = url.protocol === "https:";
    if (!isHttps && url.protocol !== "http:") {
      return Promise.reject(new DrydockError("REGISTRY_PROTOCOL", `${url.host}: unsupported URL scheme ${url.protocol}`));
    }
    const agent = isHttps ? this.httpsAgent(url.host) : this.plainAgent();
    const mod = isHttps ? https : http;
    return new Promise<HttpResponse>((resolve, reject) => {
      let bodyError: unknown;
      // `timeout` also bounds the connect; setTimeout below covers the connected socket.
      const req = mod.request(url, { method, headers, agent, timeout: this.idleTimeoutMs });
      let response: IncomingMessage | undefined;
      req.setTimeout(this.idleTimeoutMs, () => {
        const timeout = Object.assign(new Error(`no data from ${url.host} for ${this.idleTimeoutMs} ms`), { code: "ETIMEDOUT" });
        // The body's reader sees the timeout itself, not a bare "aborted".
        response?.destroy(timeout);
        req.destroy(timeout);
      });
      req.on("error", (e) => reject(bodyError ?? e));
      req.on("response", (res) => {
        response = res;
        // The idle timer stays on the socket while the body is read, so a server that stalls mid-body is cut off.
        res.on("error", () => {});
        resolve({ status: res.statusCode ?? 0, headers: res.headers, url, body: res });
      });
      if (body === undefined) {
        req.end();
      } else if (body instanceof Uint8Array) {
        req.end(body);
      } else {
        const source = Readable.from(body(), { objectMode: false });
        source.on("error", (e) => {
          bodyError = e;
          req.destroy(e);
        });
        source.pipe(req);
      }
    });
  }

  close(): void {
    this.httpAgent?.destroy();
    this.verifyingAgent?.destroy();
    this.insecureAgent?.destroy();
  }

  private plainAgent(): http.Agent {
    this.httpAgent ??= new http.Agent({ keepAlive: true, maxSockets: this.maxSockets });
    return this.httpAgent;
  }

  private httpsAgent(host: string): https.Agent {
    if (this.isInsecure(host)) {
      this.insecureAgent ??= new https.Agent({ keepAlive: true, maxSockets: this.maxSockets, rejectUnauthorized: false });
      return this.insecureAgent;
    }
    // One secure context for every connection: parsing hundreds of roots per handshake would cost more than the request.
    this.verifyingAgent ??= new https.Agent({
      keepAlive: true,
      maxSockets: this.maxSockets,
      secureContext: tls.createSecureContext({ ca: trustedCertificates(this.caFiles) }),
    });
    return this.verifyingAgent;
  }
}

/** Node's bundled roots, the system's store, and the user's CA files. */
function trustedCertificates(caFiles: readonly string[]): string[] {
  const certs = new Set<string>(tls.getCACertificates("default"));
  try {
    for (const c of tls.getCACertificates("system")) certs.add(c);
  } catch {
    // No readable system store: the bundled roots still apply.
  }
  for (const file of caFiles) {
    let pem: string;
    try {
      pem = readFileSync(file, "utf8");
    } catch (e) {
      throw new DrydockError("REGISTRY_TLS", `--ca-file ${file}: cannot read it`, { cause: e });
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new DrydockError("REGISTRY_TLS", `--ca-file ${file}: no PEM certificate in it`);
    certs.add(pem);
  }
  return [...certs];
}

/** Reads a whole body, refusing more than `limit` bytes (a hostile server can send forever). */
export async function readBody(res: HttpResponse, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      res.body.destroy();
      throw new DrydockError("REGISTRY_PROTOCOL", `${res.url.host}: response to ${res.url.pathname} is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Discards a body so the connection can be reused (small bodies) or closes it (large or unknown ones). */
export function discardBody(res: HttpResponse): void {
  const length = Number(res.headers["content-length"] ?? "NaN");
  if (Number.isFinite(length) && length <= 65536) res.body.resume();
  else res.body.destroy();
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Network-level failures worth another attempt, as opposed to certificate or name-resolution errors. */
export function isTransientNetworkError(e: unknown): boolean {
  const code = errorCode(e);
  if (code === undefined) return e instanceof Error && /socket hang up|aborted|premature close/i.test(e.message);
  return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH",
    "ERR_STREAM_PREMATURE_CLOSE", "UND_ERR_SOCKET", "ERR_HTTP_PARSER"].includes(code) || code.startsWith("HPE_");
}

export function isTlsError(e: unknown): boolean {
  const code = errorCode(e);
  if (code === undefined) return false;
  return code.startsWith("ERR_SSL_") || code.startsWith("CERT_") || code === "EPROTO" || code === "ERR_TLS_CERT_ALTNAME_INVALID"
    || ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN",
      "UNABLE_TO_GET_ISSUER_CERT"].includes(code);
}

export function errorCode(e: unknown): string | undefined {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return undefined;
}
