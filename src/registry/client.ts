// The OCI distribution API (distribution-spec v1.1): manifests, blobs, uploads, mounts, tags and referrers,
// with auth, bounded retries and digest checks. Nothing a registry sends is trusted before it is verified:
// manifests by their digest, blobs by digest and size while they stream.
import { createHash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { MEDIA } from "../image/media.ts";
import { Authenticator, repositoryScope } from "./auth.ts";
import type { CredentialProvider } from "./credentials.ts";
import {
  discardBody, header, HttpTransport, isTlsError, isTransientNetworkError, readBody, type HttpResponse, type RequestBody, type TransportOptions,
} from "./http.ts";
import { digestAlgorithm, isRecord, parseRegistryJson, digestOfBytes, referrersTag, type Descriptor, type ManifestBlob } from "./manifest.ts";
import { formatRepository, registryEndpointHost, type RepositoryName } from "./reference.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryPolicy, wait, type RetryPolicy } from "./retry.ts";

/** Every manifest type drydock reads; without the v2 types some registries would down-convert to schema 1. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerManifestList, MEDIA.dockerManifest];
const SCHEMA1_TYPES = new Set([
  "application/vnd.docker.distribution.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
]);
/** Bigger manifests are refused, as containerd does. */
export const MAX_MANIFEST_BYTES = 4 << 20;
const MAX_ERROR_BODY = 64 << 10;
const MAX_REDIRECTS = 5;
const MAX_AUTH_ROUNDS = 3;
const MAX_PAGES = 10_000;
/** A resumed download must bring at least this much before its attempt counts as progress. */
const MIN_PROGRESS = 64 << 10;

export interface RetryEvent {
  host: string;
  what: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface LowSpeedLimit {
  /** Fewer bytes than bytesPerSecond × windowMs / 1000 within a window aborts the transfer (then retried). */
  bytesPerSecond: number;
  windowMs: number;
}

export interface RegistryClientOptions extends TransportOptions {
  credentials?: CredentialProvider;
  retry?: Partial<RetryPolicy>;
  /** Cuts off a server that trickles bytes (default 1 KiB/s over 30 s). */
  lowSpeed?: LowSpeedLimit;
  /** Blob uploads: one streamed PATCH (default), PATCHes of chunkSize bytes, or a single PUT. */
  uploadMode?: "stream" | "chunked" | "monolithic";
  chunkSize?: number;
  /** Registry host → mirror hosts tried first for pulls (a mirror that fails or lacks the content is skipped). */
  mirrors?: Readonly<Record<string, readonly string[]>>;
  userAgent?: string;
  onRetry?: (event: RetryEvent) => void;
}

export type UploadOutcome = "exists" | "mounted" | "uploaded";

/** A blob to upload: opened again for each attempt. */
export interface BlobSource {
  open(): AsyncIterable<Uint8Array>;
  /**
   * The iteration itself checks size and digest and throws at its end on a mismatch (a registry or layout
   * reader's blob): the bytes are then not hashed a second time, and nothing is committed before it ends.
   */
  verified?: boolean;
  /**
   * A local file holding exactly the blob's bytes, written and hashed by its producer (a build's layer): a writer
   * on this machine may link or copy it instead of streaming it through.
   */
  file?: string;
}

interface Call {
  method: string;
  registry: string;
  /** A path under the registry ("/v2/…"), or an absolute URL (upload locations, pagination links). */
  target: string | URL;
  repository: string | undefined;
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Retries on 5xx/429/network errors; off for requests whose failure leaves server state behind. */
  retry?: boolean;
  followRedirects?: boolean;
  what: string;
}

export class RegistryClient {
  private readonly transport: HttpTransport;
  private readonly auth: Authenticator;
  private readonly policy: RetryPolicy;
  private readonly options: RegistryClientOptions;
  /** The scheme that worked per registry (http only for insecure registries). */
  private readonly schemes = new Map<string, "https:" | "http:">();

  constructor(options: RegistryClientOptions = {}) {
    this.options = options;
    this.transport = new HttpTransport(options);
    this.policy = retryPolicy(options.retry);
    this.auth = new Authenticator({
      credentials: options.credentials ?? (() => Promise.resolve(undefined)),
      send: (method, url, headers, body) => this.sendRaw(method, url, headers, body, true, `token from ${url.host}`),
    });
  }

  close(): void {
    this.transport.close();
  }

  // ---- manifests ----

  /** GETs a manifest by tag or digest; verifies its digest and rejects schema 1 and unknown types. */
  async getManifest(repo: RepositoryName, reference: string): Promise<ManifestBlob> {
    const res = await this.sendWithMirrors(repo, {
      method: "GET",
      target: `/v2/${repo.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT.join(", ") },
      what: `manifest ${reference}`,
    });
    if (res.status === 404) {
      discardBody(res);
      throw new DrydockError("MANIFEST_NOT_FOUND", `${formatRepository(repo)}: no manifest ${reference}`, { location: { kind: "ref", ref: refOf(repo, reference) } });
    }
    if (res.status !== 200) throw await statusError(res, repo, `fetching manifest ${reference}`);
    const bytes = await readBodyWithin(res, MAX_MANIFEST_BYTES, `${formatRepository(repo)}: manifest ${reference}`);
    return checkManifest(bytes, res, repo, reference);
  }

  /** HEADs a manifest: its descriptor, or undefined when the registry does not have it. */
  async headManifest(repo: RepositoryName, reference: string): Promise<Descriptor | undefined> {
    const res = await this.send({
      method: "HEAD",
      registry: repo.registry,
      target: `/v2/${repo.repository}/manifests/${reference}`,
      repository: repo.repository,
      scopes: [repositoryScope(repo.repository, "pull")],
      headers: { accept: MANIFEST_ACCEPT.join(", ") },
      what: `manifest ${reference}`,
    });
    discardBody(res);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await statusError(res, repo, `checking manifest ${reference}`);
    const digest = header(res, "docker-content-digest");
    const size = Number(header(res, "content-length"));
    const mediaType = (header(res, "content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (digest === undefined || !Number.isSafeInteger(size)) return undefined;
    if (reference.includes(":") && digest !== reference) {
      throw new DrydockError("MANIFEST_INVALID", `${formatRepository(repo)}: asked for manifest ${reference}, the registry answered for ${digest}`);
    }
    return { mediaType, digest, size };
  }

  /**
   * PUTs a manifest under a tag or its digest. When it has a subject and the registry does not say it indexed
   * it (no OCI-Subject header), the referrers tag-schema index is updated as the spec asks of clients.
   */
  async putManifest(repo: RepositoryName, reference: string, manifest: ManifestBlob): Promise<{ digest: string }> {
    const res = await this.send({
      method: "PUT",
      registry: repo.registry,
      target: `/v2/${repo.repository}/manifests/${reference}`,
      repository: repo.repository,
      scopes: [repositoryScope(repo.repository, "push")],
      headers: { "content-type": manifest.mediaType },
      body: manifest.bytes,
      what: `manifest ${reference}`,
    });
    if (res.status !== 201 && res.status !== 200 && res.status !== 202) throw await statusError(res, repo, `pushing manifest ${reference}`);
    discardBody(res);
    const returned = header(res, "docker-content-digest");
    if (returned !== undefined && returned !== manifest.digest && digestAlgorithm(returned) === digestAlgorithm(manifest.digest)) {
      throw new DrydockError("MANIFEST_INVALID", `${formatRepository(repo)}: pushed manifest ${manifest.digest}, the registry stored ${returned}`);
    }
    const subject = subjectOf(manifest);
    if (subject !== undefined && header(res, "oci-subject") === undefined) {
      await this.addToReferrersTag(repo, subject, referrerDescriptor(manifest));
    }
    return { digest: manifest.digest };
  }

  // ---- blobs ----

  /**
   * The blob's size when the repository has it, else undefined. `forPush` asks with the push scope, so one
   * token serves the checks and the uploads of a push.
   */
  async blobSize(repo: RepositoryName, digest: string, options: { forPush?: boolean } = {}): Promise<number | undefined> {
    const res = await this.send({
      method: "HEAD",
      registry: repo.registry,
      target: `/v2/${repo.repository}/blobs/${digest}`,
      repository: repo.repository,
      scopes: [repositoryScope(repo.repository, options.forPush === true ? "push" : "pull")],
      followRedirects: true,
      what: `blob ${digest}`,
    });
    discardBody(res);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await statusError(res, repo, `checking blob ${digest}`);
    const size = Number(header(res, "content-length"));
    return Number.isSafeInteger(size) ? size : undefined;
  }

  /**
   * Streams a blob, resuming with Range after a dropped connection, and throws at the end unless exactly
   * `size` bytes with the right digest arrived: consumers commit what they wrote only after the loop ends.
   */
  async *fetchBlob(repo: RepositoryName, desc: Pick<Descriptor, "digest" | "size">): AsyncGenerator<Uint8Array, void, undefined> {
    const hash = createHash(digestAlgorithm(desc.digest));
    let received = 0;
    let stalls = 0;
    let resumes = 0;
    for (;;) {
      const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
      const res = await this.sendWithMirrors(repo, {
        method: "GET",
        target: `/v2/${repo.repository}/blobs/${desc.digest}`,
        headers,
        followRedirects: true,
        what: `blob ${desc.digest}`,
      });
      if (res.status === 404) {
        discardBody(res);
        throw new DrydockError("BLOB_MISSING", `${formatRepository(repo)}: blob ${desc.digest} is not in the registry`);
      }
      let skip = 0;
      if (res.status === 206) {
        const start = /^bytes (\d+)-/.exec(header(res, "content-range") ?? "")?.[1];
        if (start === undefined || Number(start) !== received) {
          discardBody(res);
          throw new DrydockError("REGISTRY_PROTOCOL", `${res.url.host}: asked to resume blob ${desc.digest} at byte ${received} and got another range`);
        }
      } else if (res.status === 200) {
        skip = received; // The server ignored Range: read past what we already have.
      } else {
        throw await statusError(res, repo, `fetching blob ${desc.digest}`);
      }
      const before = received;
      let failure: unknown;
      let arrived = 0;
      const guard = lowSpeedGuard(res, this.options.lowSpeed ?? { bytesPerSecond: 1024, windowMs: 30_000 }, () => arrived);
      try {
        for await (const raw of res.body as AsyncIterable<Buffer>) {
          arrived += raw.length;
          let chunk: Buffer = raw;
          if (skip > 0) {
            const n = Math.min(skip, chunk.length);
            skip -= n;
            chunk = chunk.subarray(n);
            if (chunk.length === 0) continue;
          }
          received += chunk.length;
          if (received > desc.size) {
            throw new DrydockError("BLOB_DIGEST_MISMATCH", `${formatRepository(repo)}: blob ${desc.digest} is longer than the ${desc.size} bytes its descriptor says; nothing of it is kept`);
          }
          hash.update(chunk);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof DrydockError) throw e;
        failure = e;
      } finally {
        guard.stop();
        res.body.destroy();
      }
      if (failure === undefined && received === desc.size) break;
      if (failure !== undefined && !isTransientNetworkError(failure)) {
        throw new DrydockError("REGISTRY_UNAVAILABLE", `${res.url.host}: reading blob ${desc.digest} failed`, { cause: failure });
      }
      // A drop, a stall, or a body that ended early: resume from what arrived. Attempts that bring little
      // (a trickle) count against the retry budget; every resume counts against a larger one.
      stalls = received - before >= MIN_PROGRESS ? 0 : stalls + 1;
      resumes++;
      if (stalls >= this.policy.attempts || resumes >= this.policy.attempts * 4) {
        throw new DrydockError("REGISTRY_UNAVAILABLE", `${res.url.host}: blob ${desc.digest} stopped at byte ${received} of ${desc.size} after ${resumes} attempts`, { cause: failure });
      }
      const delay = backoffDelay(this.policy, stalls + 1);
      this.options.onRetry?.({ host: res.url.host, what: `blob ${desc.digest}`, attempt: stalls + 1, delayMs: delay, reason: failure === undefined ? "the body ended early" : describeError(failure) });
      await wait(delay);
    }
    const actual = `${digestAlgorithm(desc.digest)}:${hash.digest("hex")}`;
    if (actual !== desc.digest) {
      throw new DrydockError("BLOB_DIGEST_MISMATCH", `${formatRepository(repo)}: blob ${desc.digest} arrived with digest ${actual}; nothing of it is kept`);
    }
  }

  /** Tries a cross-repository mount; true when the registry mounted it (false: it must be uploaded). */
  async mountBlob(repo: RepositoryName, digest: string, from: RepositoryName): Promise<boolean> {
    const session = await this.startUpload(repo, { mount: digest, from: from.repository });
    if (session.mounted) return true;
    await this.cancelUpload(repo, session.location);
    return false;
  }

  /**
   * Uploads a blob unless the repository has it: a HEAD first, then a cross-repository mount when a source
   * repository on the same registry is named, then POST + PATCH(es) + PUT. The bytes are hashed on the way
   * and the upload is committed only when they match the digest; failures start a fresh session (bounded).
   */
  async uploadBlob(repo: RepositoryName, desc: Pick<Descriptor, "digest" | "size">, source: BlobSource, options: { mountFrom?: RepositoryName; onBytes?: (n: number) => void; checked?: boolean } = {}): Promise<UploadOutcome> {
    // `checked`: the caller has just HEADed the blob and found it missing.
    if (options.checked !== true && (await this.blobSize(repo, desc.digest, { forPush: true })) === desc.size) return "exists";
    const mountFrom = options.mountFrom !== undefined && options.mountFrom.registry === repo.registry && options.mountFrom.repository !== repo.repository
      ? options.mountFrom : undefined;
    for (let attempt = 1; ; attempt++) {
      let location: URL | undefined;
      let sent = 0;
      try {
        const session = await this.startUpload(repo, mountFrom === undefined ? undefined : { mount: desc.digest, from: mountFrom.repository });
        if (session.mounted) return "mounted";
        location = session.location;
        location = await this.sendBlobBytes(repo, location, desc, source, session.minChunk, (n) => {
          sent += n;
          options.onBytes?.(n);
        });
        return "uploaded";
      } catch (e) {
        if (location !== undefined) await this.cancelUpload(repo, location).catch(() => {});
        if (sent > 0) options.onBytes?.(-sent);
        const transient = isTransientNetworkError(e) || (e instanceof DrydockError && e.code === "REGISTRY_UNAVAILABLE");
        if (!transient || attempt >= this.policy.attempts) throw asUnavailable(e, repo, `uploading blob ${desc.digest}`);
        const delay = backoffDelay(this.policy, attempt);
        this.options.onRetry?.({ host: repo.registry, what: `upload of ${desc.digest}`, attempt, delayMs: delay, reason: describeError(e) });
        await wait(delay);
      }
    }
  }

  private async startUpload(repo: RepositoryName, mount: { mount: string; from: string } | undefined): Promise<{ mounted: boolean; location: URL; minChunk: number }> {
    const query = mount === undefined ? "" : `?mount=${encodeURIComponent(mount.mount)}&from=${encodeURIComponent(mount.from)}`;
    const scopes = [repositoryScope(repo.repository, "push"), ...(mount === undefined ? [] : [repositoryScope(mount.from, "pull")])];
    const res = await this.send({
      method: "POST",
      registry: repo.registry,
      target: `/v2/${repo.repository}/blobs/uploads/${query}`,
      repository: repo.repository,
      scopes,
      headers: { "content-length": "0" },
      what: "upload session",
    });
    if (res.status === 201 && mount !== undefined) {
      discardBody(res);
      return { mounted: true, location: res.url, minChunk: 0 };
    }
    if (res.status !== 202) throw await statusError(res, repo, "starting an upload");
    discardBody(res);
    return { mounted: false, location: uploadLocation(res), minChunk: Number(header(res, "oci-chunk-min-length") ?? "0") || 0 };
  }

  private async sendBlobBytes(repo: RepositoryName, start: URL, desc: Pick<Descriptor, "digest" | "size">, source: BlobSource, minChunk: number, onBytes: (n: number) => void): Promise<URL> {
    const mode = this.options.uploadMode ?? "stream";
    const hash = source.verified === true ? undefined : createHash(digestAlgorithm(desc.digest));
    let total = 0;
    let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
    // Settles when the source's iteration has ended: only then has a self-verifying source checked its digest.
    const ended = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    ended.catch(() => {});
    const stream = async function* (): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of source.open()) {
          total += chunk.length;
          if (total > desc.size) throw new DrydockError("BLOB_DIGEST_MISMATCH", `blob ${desc.digest} is longer than its ${desc.size} bytes`);
          hash?.update(chunk);
          onBytes(chunk.length);
          yield chunk;
        }
        settle?.resolve();
      } catch (e) {
        settle?.reject(e);
        throw e;
      }
    };
    // A body is sent once per session: were an auth round to ask for it again, the session starts over.
    let opened = false;
    const counted = (): AsyncIterable<Uint8Array> => {
      if (opened) throw new DrydockError("REGISTRY_UNAVAILABLE", `blob ${desc.digest}: the upload must start again`);
      opened = true;
      return stream();
    };
    const verify = async (): Promise<void> => {
      await ended;
      const actual = hash === undefined ? desc.digest : `${digestAlgorithm(desc.digest)}:${hash.digest("hex")}`;
      if (total !== desc.size || actual !== desc.digest) {
        throw new DrydockError("BLOB_DIGEST_MISMATCH", `blob ${desc.digest}: the source gave ${total} bytes with digest ${actual}; the upload is cancelled`);
      }
    };
    const commit = (location: URL, body: RequestBody | undefined, length: number): Promise<HttpResponse> => {
      const url = new URL(location);
      url.searchParams.append("digest", desc.digest);
      return this.send({
        method: "PUT",
        registry: repo.registry,
        target: url,
        repository: repo.repository,
        scopes: [repositoryScope(repo.repository, "push")],
        headers: { "content-type": "application/octet-stream", "content-length": String(length) },
        ...(body === undefined ? {} : { body }),
        retry: false,
        what: `blob ${desc.digest}`,
      });
    };
    if (mode === "monolithic") {
      // The registry checks the digest of what it received before it commits; we check ours as well.
      const res = await commit(start, counted, desc.size);
      if (res.status !== 201) throw await statusError(res, repo, `uploading blob ${desc.digest}`);
      discardBody(res);
      await verify();
      return start;
    }
    let location = start;
    if (mode === "stream") {
      // One PATCH carrying the whole stream, as docker and skopeo upload.
      location = await this.patch(repo, location, desc.digest, counted, desc.size, undefined);
    } else {
      const chunkSize = Math.max(this.options.chunkSize ?? 8 << 20, minChunk, 1);
      let offset = 0;
      for await (const piece of chunked(counted(), chunkSize)) {
        location = await this.patch(repo, location, desc.digest, piece, piece.length, `${offset}-${offset + piece.length - 1}`);
        offset += piece.length;
      }
    }
    await verify();
    const res = await commit(location, undefined, 0);
    if (res.status !== 201) throw await statusError(res, repo, `committing blob ${desc.digest}`);
    discardBody(res);
    return location;
  }

  private async patch(repo: RepositoryName, location: URL, digest: string, body: RequestBody, length: number, range: string | undefined): Promise<URL> {
    const headers: Record<string, string> = { "content-type": "application/octet-stream", "content-length": String(length) };
    if (range !== undefined) headers["content-range"] = range;
    const res = await this.send({
      method: "PATCH",
      registry: repo.registry,
      target: location,
      repository: repo.repository,
      scopes: [repositoryScope(repo.repository, "push")],
      headers,
      body,
      retry: false,
      what: `blob ${digest}`,
    });
    if (res.status !== 202 && res.status !== 204) throw await statusError(res, repo, `uploading blob ${digest}`);
    discardBody(res);
    return uploadLocation(res);
  }

  private async cancelUpload(repo: RepositoryName, location: URL): Promise<void> {
    const res = await this.send({
      method: "DELETE",
      registry: repo.registry,
      target: location,
      repository: repo.repository,
      scopes: [repositoryScope(repo.repository, "push")],
      retry: false,
      what: "upload cancel",
    });
    discardBody(res);
  }

  // ---- tags and referrers ----

  /** Every tag of a repository, following `Link: <…>; rel="next"` pages. */
  async listTags(repo: RepositoryName, options: { pageSize?: number } = {}): Promise<string[]> {
    const tags: string[] = [];
    const seen = new Set<string>();
    let target: string | URL = `/v2/${repo.repository}/tags/list${options.pageSize === undefined ? "" : `?n=${options.pageSize}`}`;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.send({
        method: "GET",
        registry: repo.registry,
        target,
        repository: repo.repository,
        scopes: [repositoryScope(repo.repository, "pull")],
        what: "tag list",
      });
      if (res.status === 404) {
        discardBody(res);
        throw new DrydockError("IMAGE_NOT_FOUND", `${formatRepository(repo)}: no such repository`, { location: { kind: "ref", ref: formatRepository(repo) } });
      }
      if (res.status !== 200) throw await statusError(res, repo, "listing tags");
      const json = parseRegistryJson(await readBodyWithin(res, 64 << 20, `${formatRepository(repo)}: tag list`), `${formatRepository(repo)}: tag list`);
      const list = isRecord(json) ? json["tags"] : undefined;
      if (list !== null && list !== undefined && !Array.isArray(list)) throw new DrydockError("REGISTRY_PROTOCOL", `${formatRepository(repo)}: the tag list is not a list`);
      for (const t of list ?? []) if (typeof t === "string") tags.push(t);
      const next = nextLink(res);
      if (next === undefined) return tags;
      if (next.host !== res.url.host || seen.has(next.href)) {
        throw new DrydockError("REGISTRY_PROTOCOL", `${formatRepository(repo)}: the tag list's next page ${next.host !== res.url.host ? "is on another host" : "loops"}`);
      }
      seen.add(next.href);
      target = next;
    }
    throw new DrydockError("REGISTRY_PROTOCOL", `${formatRepository(repo)}: more than ${MAX_PAGES} pages of tags`);
  }

  /**
   * The manifests that name `digest` as their subject: the referrers API, or, where the registry has none
   * (404), the tag-schema index `sha256-<hex>`. Optionally filtered by artifactType.
   */
  async listReferrers(repo: RepositoryName, digest: string, options: { artifactType?: string } = {}): Promise<Descriptor[]> {
    const filter = options.artifactType;
    const out: Descriptor[] = [];
    let target: string | URL = `/v2/${repo.repository}/referrers/${digest}${filter === undefined ? "" : `?artifactType=${encodeURIComponent(filter)}`}`;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.send({
        method: "GET",
        registry: repo.registry,
        target,
        repository: repo.repository,
        scopes: [repositoryScope(repo.repository, "pull")],
        headers: { accept: MEDIA.ociIndex },
        what: "referrers",
      });
      if (page === 0 && (res.status === 404 || res.status === 405)) {
        discardBody(res);
        const fallback = await this.readReferrersTag(repo, digest);
        return (fallback ?? []).filter((d) => filter === undefined || d.artifactType === filter);
      }
      if (res.status !== 200) throw await statusError(res, repo, "listing referrers");
      const json = parseRegistryJson(await readBodyWithin(res, MAX_MANIFEST_BYTES, `${formatRepository(repo)}: referrers`), `${formatRepository(repo)}: referrers`);
      const applied = (header(res, "oci-filters-applied") ?? "").split(",").map((s) => s.trim());
      for (const d of referrerList(json, repo)) {
        if (filter === undefined || applied.includes("artifactType") || d.artifactType === filter) out.push(d);
      }
      const next = nextLink(res);
      if (next === undefined) return out;
      target = next;
    }
    return out;
  }

  private async readReferrersTag(repo: RepositoryName, digest: string): Promise<Descriptor[] | undefined> {
    try {
      const index = await this.getManifest(repo, referrersTag(digest));
      return referrerList(parseRegistryJson(index.bytes, `${formatRepository(repo)}: referrers index`), repo);
    } catch (e) {
      if (e instanceof DrydockError && e.code === "MANIFEST_NOT_FOUND") return undefined;
      throw e;
    }
  }

  /** The spec's client-side upkeep of `<alg>-<hex>` for registries without the referrers API. */
  private async addToReferrersTag(repo: RepositoryName, subject: string, descriptor: Descriptor): Promise<void> {
    const existing = (await this.readReferrersTag(repo, subject)) ?? [];
    if (existing.some((d) => d.digest === descriptor.digest)) return;
    const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [...existing, descriptor] };
    const bytes = Buffer.from(JSON.stringify(index), "utf8");
    await this.putManifest(repo, referrersTag(subject), { bytes, mediaType: MEDIA.ociIndex, digest: digestOfBytes(bytes, "sha256") });
  }

  /** Checks credentials against a registry (`drydock login`): GET /v2/ through the auth flow. */
  async ping(registry: string): Promise<void> {
    const res = await this.send({ method: "GET", registry, target: "/v2/", repository: undefined, scopes: [], what: "API check" });
    discardBody(res);
    if (res.status !== 200) throw await statusError(res, { registry, repository: "" }, "checking the API");
  }

  // ---- the request machinery ----

  private async sendWithMirrors(repo: RepositoryName, call: Omit<Call, "registry" | "repository" | "scopes">): Promise<HttpResponse> {
    const scopes = [repositoryScope(repo.repository, "pull")];
    for (const mirror of this.options.mirrors?.[repo.registry] ?? []) {
      try {
        const res = await this.send({ ...call, registry: mirror, repository: repo.repository, scopes });
        if (res.status === 200 || res.status === 206) return res;
        discardBody(res);
      } catch {
        // A mirror is an optimisation: on any failure the registry itself is asked.
      }
    }
    return this.send({ ...call, registry: repo.registry, repository: repo.repository, scopes });
  }

  /** One logical request: auth rounds, retries with backoff, redirects. The caller reads or drains the body. */
  private async send(call: Call): Promise<HttpResponse> {
    let scopes = call.scopes;
    for (let round = 1; ; round++) {
      const authorization = await this.auth.authorization(call.registry, call.repository, scopes);
      const res = await this.sendRetrying(call, authorization);
      if (res.status !== 401) {
        if (res.status === 403) throw await authError(res, call, "denied access");
        return res;
      }
      const learnt = await this.auth.unauthorized(call.registry, call.repository, scopes, res, authorization);
      scopes = learnt.scopes;
      if (!learnt.retry || round >= MAX_AUTH_ROUNDS) {
        const scheme = this.auth.scheme(call.registry);
        const anonymous = (await this.options.credentials?.(call.registry, call.repository)) === undefined;
        const why = learnt.error === "insufficient_scope" ? `does not grant ${scopes.join(" ")} to ${anonymous ? "anonymous access; log in with drydock login" : "these credentials"}`
          : authorization === undefined && scheme !== "bearer" ? "requires authentication; log in with drydock login"
          : authorization?.startsWith("Bearer ") === true && learnt.error === undefined ? "refused the token; check the credentials (drydock login)"
          : "refused the credentials";
        throw new DrydockError("REGISTRY_AUTH", `${call.registry}: ${why} (${call.what}, HTTP 401${learnt.error === undefined ? "" : `, ${learnt.error}`})`);
      }
    }
  }

  private async sendRetrying(call: Call, authorization: string | undefined): Promise<HttpResponse> {
    const url = await this.urlFor(call);
    const headers: Record<string, string> = { "user-agent": this.options.userAgent ?? "drydock", ...call.headers };
    // Credentials go to the registry's own host only, never to an upload or pagination URL elsewhere.
    if (authorization !== undefined && url.host.toLowerCase() === registryEndpointHost(call.registry).toLowerCase()) headers["authorization"] = authorization;
    const retry = call.retry ?? true;
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let failure: unknown;
      try {
        res = await this.follow(call, url, headers);
      } catch (e) {
        failure = e;
      }
      if (res !== undefined && !(retry && isRetryableStatus(res.status))) return res;
      const canRetry = retry && attempt < this.policy.attempts && (res !== undefined || isTransientNetworkError(failure));
      let delay = backoffDelay(this.policy, attempt);
      if (res !== undefined) {
        const asked = parseRetryAfter(header(res, "retry-after"));
        if (asked !== undefined && asked > this.policy.maxRetryAfterMs) {
          discardBody(res);
          throw new DrydockError("REGISTRY_UNAVAILABLE", `${url.host}: ${call.what}: the registry asks to wait ${Math.ceil(asked / 1000)} s (HTTP ${res.status}); try again later`);
        }
        if (asked !== undefined) delay = asked;
      }
      if (!canRetry) {
        if (res !== undefined) {
          if (!retry) return res;
          discardBody(res);
          throw new DrydockError("REGISTRY_UNAVAILABLE", `${url.host}: ${call.what}: HTTP ${res.status} after ${attempt} attempts`);
        }
        throw networkError(failure, url, call.what, attempt);
      }
      if (res !== undefined) discardBody(res);
      this.options.onRetry?.({ host: url.host, what: call.what, attempt, delayMs: delay, reason: res !== undefined ? `HTTP ${res.status}` : describeError(failure) });
      await wait(delay);
    }
  }

  /** Follows redirects for GET/HEAD; the Authorization header goes to the registry's origin only. */
  private async follow(call: Call, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    let current = url;
    let currentHeaders = headers;
    for (let hop = 0; ; hop++) {
      const res = await this.transport.request(call.method, current, currentHeaders, call.body);
      const redirect = [301, 302, 303, 307, 308].includes(res.status) && call.followRedirects === true;
      if (!redirect) return res;
      discardBody(res);
      const location = header(res, "location");
      if (location === undefined || hop >= MAX_REDIRECTS) {
        throw new DrydockError("REGISTRY_PROTOCOL", `${current.host}: ${call.what}: ${location === undefined ? "a redirect without Location" : "too many redirects"}`);
      }
      const next = new URL(location, current);
      if (next.protocol !== "https:" && next.protocol !== "http:") throw new DrydockError("REGISTRY_PROTOCOL", `${current.host}: redirect to a ${next.protocol} URL`);
      if (next.origin !== url.origin) {
        const { authorization: _dropped, ...rest } = currentHeaders;
        currentHeaders = rest;
      }
      current = next;
    }
  }

  /** The URL for a call: https, or for an insecure registry whichever of https/http answers first. */
  private async urlFor(call: Call): Promise<URL> {
    if (call.target instanceof URL) return call.target;
    const host = registryEndpointHost(call.registry);
    let scheme = this.schemes.get(call.registry);
    if (scheme === undefined) {
      scheme = "https:";
      if (this.transport.isInsecure(call.registry)) scheme = await this.probeScheme(host);
      this.schemes.set(call.registry, scheme);
    }
    return new URL(`${scheme}//${host}${call.target}`);
  }

  private async probeScheme(host: string): Promise<"https:" | "http:"> {
    try {
      const res = await this.transport.request("GET", new URL(`https://${host}/v2/`), { "user-agent": this.options.userAgent ?? "drydock" });
      discardBody(res);
      return "https:";
    } catch (e) {
      if (isTlsError(e) || isTransientNetworkError(e)) return "http:";
      throw e;
    }
  }

  /** For the token server: retries, no auth, no redirects. */
  private async sendRaw(method: string, url: URL, headers: Record<string, string>, body: RequestBody | undefined, retry: boolean, what: string): Promise<HttpResponse> {
    return this.sendRetrying({ method, registry: url.host, target: url, repository: undefined, scopes: [], headers, ...(body === undefined ? {} : { body }), retry, what }, undefined);
  }
}

function refOf(repo: RepositoryName, reference: string): string {
  return `${formatRepository(repo)}${reference.includes(":") ? "@" : ":"}${reference}`;
}

/** Digest, type and schema checks on a fetched manifest. */
function checkManifest(bytes: Buffer, res: HttpResponse, repo: RepositoryName, reference: string): ManifestBlob {
  const where = `${formatRepository(repo)}: manifest ${reference}`;
  const contentType = (header(res, "content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (SCHEMA1_TYPES.has(contentType)) throw schema1Error(where);
  const json = parseRegistryJson(bytes, where);
  if (isRecord(json) && json["schemaVersion"] === 1) throw schema1Error(where);
  const declared = isRecord(json) && typeof json["mediaType"] === "string" ? json["mediaType"] : undefined;
  const mediaType = declared ?? (MANIFEST_ACCEPT.includes(contentType as (typeof MANIFEST_ACCEPT)[number]) ? contentType : inferMediaType(json));
  if (!MANIFEST_ACCEPT.includes(mediaType as (typeof MANIFEST_ACCEPT)[number])) {
    throw new DrydockError("MANIFEST_UNSUPPORTED", `${where}: media type ${JSON.stringify(mediaType)} is not an image manifest or index drydock reads`);
  }
  if (declared !== undefined && MANIFEST_ACCEPT.includes(contentType as (typeof MANIFEST_ACCEPT)[number]) && contentType !== declared) {
    throw new DrydockError("MANIFEST_INVALID", `${where}: served as ${contentType} but declares ${declared}`);
  }
  const algorithm = reference.includes(":") ? digestAlgorithm(reference) : "sha256";
  const digest = digestOfBytes(bytes, algorithm);
  if (reference.includes(":") && digest !== reference) {
    throw new DrydockError("BLOB_DIGEST_MISMATCH", `${where}: the registry sent a manifest whose digest is ${digest}; it is not used`);
  }
  const claimed = header(res, "docker-content-digest");
  if (claimed !== undefined && claimed !== "") {
    const actual = digestAlgorithm(claimed) === algorithm ? digest : digestOfBytes(bytes, digestAlgorithm(claimed));
    if (claimed !== actual) throw new DrydockError("BLOB_DIGEST_MISMATCH", `${where}: Docker-Content-Digest says ${claimed}, the bytes hash to ${actual}; it is not used`);
  }
  return { bytes, mediaType, digest };
}

function inferMediaType(json: unknown): string {
  if (!isRecord(json)) return "";
  if (Array.isArray(json["manifests"])) return MEDIA.ociIndex;
  if (isRecord(json["config"])) return MEDIA.ociManifest;
  return "";
}

function schema1Error(where: string): DrydockError {
  return new DrydockError("MANIFEST_UNSUPPORTED", `${where} is Docker schema 1, deprecated since 2017 and not supported; re-push the image with a current client (docker, buildah, skopeo) to get a schema 2 or OCI manifest`);
}

function subjectOf(manifest: ManifestBlob): string | undefined {
  const json = parseRegistryJson(manifest.bytes, "manifest");
  if (!isRecord(json) || !isRecord(json["subject"])) return undefined;
  const d = json["subject"]["digest"];
  return typeof d === "string" ? d : undefined;
}

/** The descriptor a referrers index lists for a manifest: artifactType (or the config's type) and annotations. */
export function referrerDescriptor(manifest: ManifestBlob): Descriptor {
  const json = parseRegistryJson(manifest.bytes, "manifest");
  const obj = isRecord(json) ? json : {};
  const config = isRecord(obj["config"]) ? obj["config"] : {};
  const artifactType = typeof obj["artifactType"] === "string" ? obj["artifactType"] : typeof config["mediaType"] === "string" ? config["mediaType"] : undefined;
  const d: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
  if (artifactType !== undefined) d.artifactType = artifactType;
  if (isRecord(obj["annotations"])) {
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj["annotations"])) if (typeof v === "string") annotations[k] = v;
    d.annotations = annotations;
  }
  return d;
}

function referrerList(json: unknown, repo: RepositoryName): Descriptor[] {
  if (!isRecord(json) || !Array.isArray(json["manifests"])) throw new DrydockError("REGISTRY_PROTOCOL", `${formatRepository(repo)}: the referrers answer is not an image index`);
  const out: Descriptor[] = [];
  for (const m of json["manifests"]) {
    if (!isRecord(m) || typeof m["digest"] !== "string" || typeof m["mediaType"] !== "string" || typeof m["size"] !== "number") continue;
    const d: Descriptor = { mediaType: m["mediaType"], digest: m["digest"], size: m["size"] };
    if (typeof m["artifactType"] === "string") d.artifactType = m["artifactType"];
    if (isRecord(m["annotations"])) d.annotations = Object.fromEntries(Object.entries(m["annotations"]).filter((e): e is [string, string] => typeof e[1] === "string"));
    out.push(d);
  }
  return out;
}

function uploadLocation(res: HttpResponse): URL {
  const location = header(res, "location");
  if (location === undefined || location === "") throw new DrydockError("REGISTRY_PROTOCOL", `${res.url.host}: an upload answer without Location`);
  return new URL(location, res.url);
}

function nextLink(res: HttpResponse): URL | undefined {
  const link = header(res, "link");
  if (link === undefined) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m !== null && /rel="?next"?/.test(m[2] ?? "")) return new URL(m[1] ?? "", res.url);
  }
  return undefined;
}

/** Splits a stream into pieces of at most `size` bytes, each a body of its own (for chunked uploads). */
async function* chunked(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let buffer: Buffer[] = [];
  let buffered = 0;
  for await (const chunk of source) {
    let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (buffered + rest.length >= size) {
      const take = size - buffered;
      buffer.push(rest.subarray(0, take));
      rest = rest.subarray(take);
      const piece = Buffer.concat(buffer);
      buffer = [];
      buffered = 0;
      yield piece;
    }
    if (rest.length > 0) {
      buffer.push(Buffer.from(rest));
      buffered += rest.length;
    }
  }
  if (buffered > 0) {
    yield Buffer.concat(buffer);
  }
}

/** Destroys the body when fewer bytes than the limit arrived in a window; `count` reads the running total. */
function lowSpeedGuard(res: HttpResponse, limit: LowSpeedLimit, count: () => number): { stop: () => void } {
  let last = count();
  const minimum = (limit.bytesPerSecond * limit.windowMs) / 1000;
  const timer = setInterval(() => {
    const bytes = count() - last;
    last = count();
    if (bytes < minimum) {
      res.body.destroy(Object.assign(new Error(`${res.url.host} sent ${bytes} bytes in ${limit.windowMs} ms, below ${limit.bytesPerSecond} B/s`), { code: "ETIMEDOUT" }));
    }
  }, limit.windowMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function readBodyWithin(res: HttpResponse, limit: number, where: string): Promise<Buffer> {
  try {
    return await readBody(res, limit);
  } catch (e) {
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("REGISTRY_UNAVAILABLE", `${where}: the connection failed while reading`, { cause: e });
  }
}

/** A registry error: the status and the registry's own error code and message (never any header). */
async function statusError(res: HttpResponse, repo: RepositoryName, doing: string): Promise<DrydockError> {
  let detail = "";
  try {
    const body = await readBody(res, MAX_ERROR_BODY);
    const json: unknown = JSON.parse(body.toString("utf8"));
    const first = isRecord(json) && Array.isArray(json["errors"]) ? json["errors"][0] : undefined;
    if (isRecord(first)) {
      const code = typeof first["code"] === "string" ? first["code"] : "";
      const message = typeof first["message"] === "string" ? first["message"].slice(0, 200) : "";
      detail = `: ${[code, message].filter((s) => s !== "").join(" ")}`;
    }
  } catch {
    res.body.destroy();
  }
  const code = isRetryableStatus(res.status) ? "REGISTRY_UNAVAILABLE" : "REGISTRY_PROTOCOL";
  return new DrydockError(code, `${res.url.host}: ${doing} in ${repo.repository === "" ? "the registry" : repo.repository} failed with HTTP ${res.status}${detail}`);
}

async function authError(res: HttpResponse, call: Call, what: string): Promise<DrydockError> {
  discardBody(res);
  return new DrydockError("REGISTRY_AUTH", `${call.registry}: ${what} (${call.what}${call.repository === undefined ? "" : ` in ${call.repository}`}, HTTP ${res.status})`);
}

function networkError(e: unknown, url: URL, what: string, attempts: number): DrydockError {
  if (e instanceof DrydockError) return e;
  if (isTlsError(e)) {
    return new DrydockError("REGISTRY_TLS", `${url.host}: TLS failed (${describeError(e)}); pass --ca-file for a private CA, or --insecure-registry ${url.host} to skip verification`, { cause: e });
  }
  return new DrydockError("REGISTRY_UNAVAILABLE", `${url.host}: ${what}: ${describeError(e)}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`, { cause: e });
}

function asUnavailable(e: unknown, repo: RepositoryName, doing: string): unknown {
  if (e instanceof DrydockError) return e;
  return new DrydockError("REGISTRY_UNAVAILABLE", `${repo.registry}: ${doing}: ${describeError(e)}`, { cause: e });
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = "code" in e && typeof e.code === "string" ? `${e.code}: ` : "";
    return `${code}${e.message}`.slice(0, 200);
  }
  return String(e).slice(0, 200);
}
