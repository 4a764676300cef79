// A misbehaving proxy in front of a real registry: dropped connections mid-blob, 500s, 429 with Retry-After,
// corrupted bytes, a lying Docker-Content-Digest, slow-loris bodies, resets during uploads, redirects and a
// schema 1 manifest. Each case either recovers with the right image or fails with a clear error — and a failed
// pull leaves no output behind.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { RegistryClient, type RegistryClientOptions, type RetryEvent } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { buildImage, imageBlobs, layoutBlobDigests, noise, writeLayout, type BuiltImage } from "./images.ts";
import { startFaultProxy, startRegistry, tempDir, type FaultProxy, type RunningRegistry } from "./servers.ts";

describe("faults between the client and the registry", () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let big: string;
  let counter = 0;

  before(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.port);
    work = tempDir();
    image = await buildImage([{ "small": "x\n" }, { "big.bin": noise(400_000, "fault") }]);
    const layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "v1");
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      const reader = await openReader(await parseEndpoint(`oci:${layout}`, "source", work.dir), client);
      await copyImage(reader, openWriter(await parseEndpoint(`docker://${registry.host}/fault/app:v1`, "destination", work.dir), client, undefined));
    } finally {
      client.close();
    }
    const layer = image.layers[1];
    assert.ok(layer !== undefined);
    big = layer.digest;
  });
  after(async () => {
    await proxy.close();
    await registry.stop();
    work.cleanup();
  });
  beforeEach(() => {
    proxy.setFaults([]);
    proxy.log.length = 0;
  });

  const makeClient = (retries: RetryEvent[], extra: Partial<RegistryClientOptions> = {}): RegistryClient =>
    new RegistryClient({
      insecureRegistries: [proxy.host],
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5000 },
      idleTimeoutMs: 1000,
      lowSpeed: { bytesPerSecond: 20_000, windowMs: 300 },
      onRetry: (e) => retries.push(e),
      ...extra,
    });

  /** Pulls through the proxy into a new OCI layout; returns its path. */
  const pull = async (client: RegistryClient): Promise<string> => {
    const out = join(work.dir, `pull-${++counter}`);
    const reader = await openReader(await parseEndpoint(`docker://${proxy.host}/fault/app:v1`, "source", work.dir), client);
    await copyImage(reader, openWriter(await parseEndpoint(`oci:${out}`, "destination", work.dir), client, undefined), { parallel: 2 });
    return out;
  };
  const expectNoOutput = (): void => {
    assert.ok(!existsSync(join(work.dir, `pull-${counter}`)), "no output for a failed pull");
    assert.deepEqual(readdirSync(work.dir).filter((n) => n.includes(".drydock-")), [], "no staging directory left");
  };
  const withClient = async <T>(retries: RetryEvent[], fn: (c: RegistryClient) => Promise<T>, extra: Partial<RegistryClientOptions> = {}): Promise<T> => {
    const client = makeClient(retries, extra);
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  };
  const want = (): string[] => imageBlobs(image).map((b) => b.digest).sort();

  test("a connection dropped mid-blob resumes with Range and yields the right image", async () => {
    proxy.setFaults([{ method: "GET", path: new RegExp(big), times: 2, fault: { kind: "drop", afterBytes: 100_000 } }]);
    const retries: RetryEvent[] = [];
    const out = await withClient(retries, pull);
    assert.deepEqual(layoutBlobDigests(out), want());
    assert.deepEqual(proxy.hits, [2]);
    const ranged = proxy.log.filter((l) => l.includes(big) && l.includes("range=bytes="));
    assert.deepEqual(ranged.map((l) => l.replace(/.*range=/, "")), ["bytes=100000-", "bytes=200000-"]);
    assert.equal(retries.length, 2);
  });

  test("500s are retried with backoff; too many fail clearly after a bounded number of attempts", async () => {
    proxy.setFaults([{ method: "GET", path: /\/manifests\//, times: 2, fault: { kind: "status", status: 500 } }]);
    const retries: RetryEvent[] = [];
    const out = await withClient(retries, pull);
    assert.deepEqual(layoutBlobDigests(out), want());
    assert.deepEqual(retries.map((r) => r.reason), ["HTTP 500", "HTTP 500"]);

    proxy.setFaults([{ method: "GET", path: /\/manifests\//, times: 1000, fault: { kind: "status", status: 503 } }]);
    await assert.rejects(withClient([], pull), (e: Error & { code?: string }) => {
      assert.equal(e.code, "REGISTRY_UNAVAILABLE");
      assert.match(e.message, /HTTP 503 after 3 attempts/);
      return true;
    });
    assert.equal(proxy.hits[0], 3);
    expectNoOutput();
  });

  test("429 with Retry-After is waited out; an unreasonable Retry-After fails at once", async () => {
    proxy.setFaults([{ method: "GET", path: new RegExp(big), times: 1, fault: { kind: "status", status: 429, headers: { "retry-after": "1" } } }]);
    const retries: RetryEvent[] = [];
    const started = Date.now();
    const out = await withClient(retries, pull);
    assert.ok(Date.now() - started >= 950, "waited for Retry-After");
    assert.deepEqual(layoutBlobDigests(out), want());
    assert.deepEqual(retries.map((r) => [r.reason, r.delayMs]), [["HTTP 429", 1000]]);

    proxy.setFaults([{ method: "GET", path: /\/manifests\//, times: 1, fault: { kind: "status", status: 429, headers: { "retry-after": "3600" } } }]);
    await assert.rejects(withClient([], pull), /asks to wait 3600 s/);
    expectNoOutput();
  });

  test("a corrupted blob is refused (digest mismatch) and nothing is written", async () => {
    proxy.setFaults([{ method: "GET", path: new RegExp(big), times: 1, fault: { kind: "corrupt" } }]);
    await assert.rejects(withClient([], pull), { code: "BLOB_DIGEST_MISMATCH" });
    expectNoOutput();
  });

  test("a Docker-Content-Digest that does not match the manifest's bytes is refused", async () => {
    const wrong = `sha256:${"0".repeat(64)}`;
    proxy.setFaults([{ method: "GET", path: /\/manifests\/v1$/, times: 1, fault: { kind: "header", name: "docker-content-digest", value: wrong } }]);
    await assert.rejects(withClient([], pull), (e: Error & { code?: string }) => {
      assert.equal(e.code, "BLOB_DIGEST_MISMATCH");
      assert.match(e.message, /Docker-Content-Digest/);
      return true;
    });
    expectNoOutput();
  });

  test("a slow-loris body is cut off and retried, then fails within the bounds", async () => {
    proxy.setFaults([{ method: "GET", path: new RegExp(big), times: 1000, fault: { kind: "trickle", intervalMs: 50 } }]);
    const started = Date.now();
    const retries: RetryEvent[] = [];
    await assert.rejects(withClient(retries, pull), (e: Error & { code?: string }) => {
      assert.equal(e.code, "REGISTRY_UNAVAILABLE");
      assert.match(e.message, /after 3 attempts/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, "bounded");
    assert.ok(retries.every((r) => /B\/s/.test(r.reason)), "cut off for being too slow");
    expectNoOutput();
  });

  test("a server that stalls after the headers hits the idle timeout; one stall is recovered", async () => {
    proxy.setFaults([{ method: "GET", path: new RegExp(big), times: 1, fault: { kind: "trickle", intervalMs: 60_000 } }]);
    const retries: RetryEvent[] = [];
    const out = await withClient(retries, pull, { lowSpeed: { bytesPerSecond: 1, windowMs: 60_000 }, idleTimeoutMs: 300 });
    assert.deepEqual(layoutBlobDigests(out), want());
    assert.equal(retries.length, 1);
    assert.match(retries[0]?.reason ?? "", /ETIMEDOUT/);
  });

  test("a redirect to another origin is followed without the Authorization header", async () => {
    proxy.setFaults([{ method: "GET", path: /\/blobs\/sha256:/, times: 10, fault: { kind: "redirect" } }]);
    const out = await withClient([], pull);
    assert.deepEqual(layoutBlobDigests(out), want());
    assert.equal(proxy.hits[0], 3);
  });

  test("pushes: a reset during the upload and a 500 on the commit start a fresh session", async () => {
    const other = await buildImage([{ "push": noise(200_000, "push-fault") }]);
    const layout = join(work.dir, "push-layout");
    writeLayout(layout, other.manifest, imageBlobs(other).slice(1), "p");
    proxy.setFaults([
      { method: "PATCH", path: /\/blobs\/uploads\//, times: 1, fault: { kind: "reset" } },
      { method: "PUT", path: /\/blobs\/uploads\/.*digest=/, times: 1, fault: { kind: "status", status: 500 } },
    ]);
    const retries: RetryEvent[] = [];
    await withClient(retries, async (client) => {
      const reader = await openReader(await parseEndpoint(`oci:${layout}`, "source", work.dir), client);
      const result = await copyImage(reader, openWriter(await parseEndpoint(`docker://${proxy.host}/fault/pushed:p`, "destination", work.dir), client, undefined), { parallel: 1 });
      assert.equal(result.digest, other.manifest.digest);
    });
    assert.deepEqual(proxy.hits, [1, 1]);
    assert.ok(retries.length >= 2);
    const direct = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      for (const b of imageBlobs(other).slice(1)) assert.equal(await direct.blobSize({ registry: registry.host, repository: "fault/pushed" }, b.digest), b.size);
    } finally {
      direct.close();
    }
  });

  test("a schema 1 manifest is refused with a message that says what to do", async () => {
    const body = JSON.stringify({ schemaVersion: 1, name: "fault/app", tag: "v1", fsLayers: [], history: [] });
    proxy.setFaults([{ method: "GET", path: /\/manifests\/v1$/, times: 1, fault: { kind: "respond", status: 200, headers: { "content-type": "application/vnd.docker.distribution.manifest.v1+prettyjws" }, body } }]);
    await assert.rejects(withClient([], pull), (e: Error & { code?: string }) => {
      assert.equal(e.code, "MANIFEST_UNSUPPORTED");
      assert.match(e.message, /schema 1/);
      return true;
    });
    expectNoOutput();
  });

  test("mirrors: pulls go to a mirror first; a failing mirror falls back to the registry", async () => {
    // The "registry" here is the proxy's name for itself under another host name; the mirror is the proxy.
    const upstream = `localhost:${proxy.port}`;
    const viaMirror = new RegistryClient({ insecureRegistries: [upstream, proxy.host], mirrors: { [upstream]: [proxy.host] }, retry: { attempts: 1 } });
    try {
      const repo = { registry: upstream, repository: "fault/app" };
      proxy.log.length = 0;
      assert.equal((await viaMirror.getManifest(repo, "v1")).digest, image.manifest.digest);
      assert.equal(proxy.log.length, 1, "one request: the mirror answered");
      proxy.setFaults([{ method: "GET", path: /\/manifests\/v1$/, times: 1, fault: { kind: "status", status: 500 } }]);
      assert.equal((await viaMirror.getManifest(repo, "v1")).digest, image.manifest.digest);
      assert.deepEqual(proxy.hits, [1], "the mirror failed once, then the registry answered");
    } finally {
      viaMirror.close();
    }
  });

  test("a connection refused is retried and then reported", async () => {
    const client = new RegistryClient({ insecureRegistries: ["127.0.0.1:1"], retry: { attempts: 2, baseDelayMs: 5 } });
    try {
      await assert.rejects(client.getManifest({ registry: "127.0.0.1:1", repository: "x/y" }, "v1"), { code: "REGISTRY_UNAVAILABLE" });
    } finally {
      client.close();
    }
  });
});
