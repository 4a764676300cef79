// Auth and TLS against real registries: htpasswd (Basic), bearer tokens from a token server of our own that the
// registry trusts, and TLS with a test CA. Credentials come from real config files and a real helper program.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { credentialProvider, lookupCredential, storeCredential, type CredentialContext } from "../../src/registry/credentials.ts";
import { buildImage, imageBlobs, layoutBlobDigests, writeLayout, type BuiltImage } from "./images.ts";
import { makeTestCa, makeTokenKey, startRegistry, startTokenServer, tempDir, type RunningRegistry, type TlsFiles, type TokenServer } from "./servers.ts";

const run = promisify(execFile);
const USER = "alice";
const PASSWORD = "s3cret-p@ss:with-colon";

let work: { dir: string; cleanup: () => void };
let image: BuiltImage;
let layout: string;

before(async () => {
  work = tempDir();
  image = await buildImage([{ "a": "auth test\n" }, { "b": "second layer\n" }]);
  layout = join(work.dir, "layout");
  writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "v1");
});
after(() => work.cleanup());

async function push(client: RegistryClient, dest: string): Promise<string> {
  const reader = await openReader(await parseEndpoint(`oci:${layout}`, "source", work.dir), client);
  const result = await copyImage(reader, openWriter(await parseEndpoint(dest, "destination", work.dir), client, undefined));
  return result.digest;
}

async function pull(client: RegistryClient, src: string, name: string): Promise<string[]> {
  const out = join(work.dir, name);
  const reader = await openReader(await parseEndpoint(src, "source", work.dir), client);
  await copyImage(reader, openWriter(await parseEndpoint(`oci:${out}`, "destination", work.dir), client, undefined));
  return layoutBlobDigests(out);
}

function contextWithConfig(name: string, config: unknown, env: Record<string, string> = {}): CredentialContext {
  const home = join(work.dir, name);
  mkdirSync(join(home, ".docker"), { recursive: true });
  writeFileSync(join(home, ".docker", "config.json"), JSON.stringify(config));
  return { env: { PATH: process.env["PATH"] ?? "", ...env }, home };
}

function basicAuth(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}

describe("htpasswd (Basic) registry", () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD } });
  });
  after(() => registry.stop());

  test("anonymous access is refused with an error that says to log in", async () => {
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      await assert.rejects(push(client, `docker://${registry.host}/private/app:v1`), (e: Error & { code?: string }) => {
        assert.equal(e.code, "REGISTRY_AUTH");
        assert.match(e.message, /drydock login/);
        return true;
      });
    } finally {
      client.close();
    }
  });

  test("a wrong password is refused, and never appears in the error", async () => {
    const ctx = contextWithConfig("wrong", { auths: { [registry.host]: { auth: basicAuth(USER, "not-the-password") } } });
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      await assert.rejects(push(client, `docker://${registry.host}/private/app:v1`), (e: Error & { code?: string }) => {
        assert.equal(e.code, "REGISTRY_AUTH");
        assert.doesNotMatch(`${e.message} ${String(e.cause)}`, /not-the-password/);
        return true;
      });
    } finally {
      client.close();
    }
  });

  test("credentials from ~/.docker/config.json push and pull", async () => {
    const ctx = contextWithConfig("good", { auths: { [`http://${registry.host}/v2/`]: { auth: basicAuth(USER, PASSWORD) } } });
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      assert.equal(await push(client, `docker://${registry.host}/private/app:v1`), image.manifest.digest);
      assert.deepEqual(await pull(client, `docker://${registry.host}/private/app:v1`, "basic-pulled"), imageBlobs(image).map((b) => b.digest).sort());
      assert.deepEqual(await client.listTags({ registry: registry.host, repository: "private/app" }), ["v1"]);
    } finally {
      client.close();
    }
  });

  test("podman's auth.json is read when docker's config has nothing", async () => {
    const home = join(work.dir, "podman-home");
    mkdirSync(join(home, "run", "containers"), { recursive: true });
    writeFileSync(join(home, "run", "containers", "auth.json"), JSON.stringify({ auths: { [`${registry.host}/private`]: { auth: basicAuth(USER, PASSWORD) } } }));
    const ctx: CredentialContext = { env: { XDG_RUNTIME_DIR: join(home, "run") }, home };
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      await client.getManifest({ registry: registry.host, repository: "private/app" }, "v1");
    } finally {
      client.close();
    }
    // The namespaced key does not cover another namespace.
    assert.equal(await lookupCredential(registry.host, ctx, "public/app"), undefined);
  });

  test("skopeo pulls with the same credentials what drydock pushed", async () => {
    const out = join(work.dir, "skopeo-basic");
    await run("skopeo", ["--insecure-policy", "copy", "-q", "--src-tls-verify=false", "--src-creds", `${USER}:${PASSWORD}`, `docker://${registry.host}/private/app:v1`, `oci:${out}:v1`]);
    assert.deepEqual(layoutBlobDigests(out), imageBlobs(image).map((b) => b.digest).sort());
  });
});

describe("token (Bearer) registry with our token server", () => {
  let registry: RunningRegistry;
  let tokens: TokenServer;
  let key: { keyFile: string; certFile: string };
  const service = "drydock-test-registry";
  const issuer = "drydock-test-issuer";

  before(async () => {
    key = makeTokenKey(work.dir);
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, service, issuer, ...key, expiredTokens: 0 });
    registry = await startRegistry({ token: { realm: tokens.realm, service, issuer, certFile: key.certFile } });
  });
  after(async () => {
    await registry.stop();
    await tokens.close();
  });

  test("credentials from a docker-credential helper; tokens cached per scope", async () => {
    const bin = join(work.dir, "bin");
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, "docker-credential-drydocktest");
    // A real helper program: reads the server URL on stdin, answers JSON, "not found" for other servers.
    writeFileSync(helper, `#!/bin/sh
read url
if [ "$1" = get ] && [ "$url" = "${registry.host}" ]; then
  printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$url"
  exit 0
fi
echo "credentials not found in native keychain"
exit 1
`);
    chmodSync(helper, 0o755);
    const ctx = contextWithConfig("helper", { credHelpers: { [registry.host]: "drydocktest" } }, { PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      const before = tokens.requests.length;
      assert.equal(await push(client, `docker://${registry.host}/tok/app:v1`), image.manifest.digest);
      const afterPush = tokens.requests.length;
      assert.equal(afterPush - before, 1, "one token serves the whole push");
      assert.ok(tokens.requests.slice(before).every((r) => r.user === USER));
      await client.getManifest({ registry: registry.host, repository: "tok/app" }, "v1");
      await client.listTags({ registry: registry.host, repository: "tok/app" });
      assert.deepEqual(await pull(client, `docker://${registry.host}/tok/app:v1`, "token-pulled"), imageBlobs(image).map((b) => b.digest).sort());
      // Pull scope of one repository: at most one more token for all of the above.
      assert.equal(tokens.requests.length - afterPush, 1, "one pull-scoped token serves every read");
    } finally {
      client.close();
    }
    // A server the helper does not know is anonymous, not an error.
    assert.equal(await lookupCredential("other.example", ctx), undefined);
  });

  test("a cross-repository mount asks for pull on the source and push on the target", async () => {
    const ctx = contextWithConfig("mount", { auths: { [registry.host]: { auth: basicAuth(USER, PASSWORD) } } });
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      const before = tokens.requests.length;
      const reader = await openReader(await parseEndpoint(`docker://${registry.host}/tok/app:v1`, "source", work.dir), client);
      const result = await copyImage(reader, openWriter(await parseEndpoint(`docker://${registry.host}/tok/mounted:v1`, "destination", work.dir), client, undefined));
      assert.equal(result.blobs.mounted, 3);
      const scopes = tokens.requests.slice(before).flatMap((r) => r.scopes);
      assert.ok(scopes.includes("repository:tok/app:pull"));
      assert.ok(scopes.includes("repository:tok/mounted:pull,push"));
    } finally {
      client.close();
    }
  });

  test("a token the registry refuses is dropped and a fresh one fetched", async () => {
    const refusing = await startTokenServer({ users: { [USER]: PASSWORD }, service, issuer, ...key, expiredTokens: 1 });
    const reg = await startRegistry({ token: { realm: refusing.realm, service, issuer, certFile: key.certFile } });
    const ctx = contextWithConfig("refresh", { auths: { [reg.host]: { auth: basicAuth(USER, PASSWORD) } } });
    const client = new RegistryClient({ insecureRegistries: [reg.host], credentials: credentialProvider(ctx) });
    try {
      assert.equal(await push(client, `docker://${reg.host}/fresh/app:v1`), image.manifest.digest);
      assert.equal(refusing.requests.length, 2, "one refused token, one fresh");
    } finally {
      client.close();
      await reg.stop();
      await refusing.close();
    }
  });

  test("an identity token goes through the OAuth2 refresh_token grant", async () => {
    // Get a refresh token as `docker login` would store it (identitytoken).
    const res = await fetch(tokens.realm, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: USER, password: PASSWORD, service, client_id: "test", scope: "" }).toString(),
    });
    const { refresh_token: refresh } = (await res.json()) as { refresh_token: string };
    const ctx = contextWithConfig("identity", { auths: { [registry.host]: { identitytoken: refresh } } });
    const client = new RegistryClient({ insecureRegistries: [registry.host], credentials: credentialProvider(ctx) });
    try {
      const before = tokens.requests.length;
      await client.getManifest({ registry: registry.host, repository: "tok/app" }, "v1");
      const used = tokens.requests.slice(before);
      assert.ok(used.length > 0 && used.every((r) => r.method === "POST" && r.grant === "refresh_token" && r.user === USER));
    } finally {
      client.close();
    }
  });

  test("anonymous gets no access and a clear error", async () => {
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      await assert.rejects(client.getManifest({ registry: registry.host, repository: "tok/app" }, "v1"), (e: Error & { code?: string }) => {
        assert.equal(e.code, "REGISTRY_AUTH");
        assert.match(e.message, /anonymous access; log in with drydock login/);
        return true;
      });
    } finally {
      client.close();
    }
  });
});

describe("TLS registry with a test CA", () => {
  let registry: RunningRegistry;
  let tls: TlsFiles;
  before(async () => {
    tls = makeTestCa(work.dir);
    registry = await startRegistry({ tls });
  });
  after(() => registry.stop());

  test("verified with --ca-file: push, pull, and skopeo agrees", async () => {
    const client = new RegistryClient({ caFiles: [tls.caFile] });
    try {
      assert.equal(await push(client, `docker://${registry.host}/tls/app:v1`), image.manifest.digest);
      assert.deepEqual(await pull(client, `docker://${registry.host}/tls/app:v1`, "tls-pulled"), imageBlobs(image).map((b) => b.digest).sort());
    } finally {
      client.close();
    }
    const out = join(work.dir, "skopeo-tls");
    await run("skopeo", ["--insecure-policy", "copy", "-q", "--src-cert-dir", tls.certDir, `docker://${registry.host}/tls/app:v1`, `oci:${out}:v1`]);
    assert.deepEqual(layoutBlobDigests(out), imageBlobs(image).map((b) => b.digest).sort());
  });

  test("without the CA the certificate is refused with advice", async () => {
    const client = new RegistryClient({ retry: { attempts: 1 } });
    try {
      await assert.rejects(client.getManifest({ registry: registry.host, repository: "tls/app" }, "v1"), (e: Error & { code?: string }) => {
        assert.equal(e.code, "REGISTRY_TLS");
        assert.match(e.message, /--ca-file/);
        return true;
      });
    } finally {
      client.close();
    }
  });

  test("--insecure-registry skips verification (HTTPS still used)", async () => {
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      assert.equal((await client.getManifest({ registry: registry.host, repository: "tls/app" }, "v1")).digest, image.manifest.digest);
    } finally {
      client.close();
    }
  });
});

describe("drydock login's store", () => {
  test("writes config.json auths with mode 0600 and keeps other settings", async () => {
    const ctx = contextWithConfig("store", { auths: { "other.example": { auth: basicAuth("bob", "x") } }, psFormat: "table" });
    const where = await storeCredential("registry.example:5000", USER, PASSWORD, ctx);
    const file = join(ctx.home, ".docker", "config.json");
    assert.equal(where, file);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { auths: Record<string, { auth: string }>; psFormat: string };
    assert.equal(saved.psFormat, "table");
    assert.equal(saved.auths["other.example"]?.auth, basicAuth("bob", "x"));
    assert.equal(saved.auths["registry.example:5000"]?.auth, basicAuth(USER, PASSWORD));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const found = await lookupCredential("registry.example:5000", ctx);
    assert.deepEqual(found?.credential, { kind: "basic", username: USER, password: PASSWORD });
    // Docker Hub is keyed as docker does it.
    await storeCredential("docker.io", "hubuser", "hubpass", ctx);
    const hub = JSON.parse(readFileSync(file, "utf8")) as { auths: Record<string, unknown> };
    assert.ok("https://index.docker.io/v1/" in hub.auths);
    assert.deepEqual((await lookupCredential("docker.io", ctx))?.credential, { kind: "basic", username: "hubuser", password: "hubpass" });
  });

  test("with a credsStore, the helper stores (JSON on stdin) and config.json keeps no secret", async () => {
    const bin = join(work.dir, "store-bin");
    mkdirSync(bin, { recursive: true });
    const received = join(work.dir, "helper-received.json");
    writeFileSync(join(bin, "docker-credential-storetest"), `#!/bin/sh
[ "$1" = store ] && cat > "${received}"
`);
    chmodSync(join(bin, "docker-credential-storetest"), 0o755);
    const ctx = contextWithConfig("store-helper", { credsStore: "storetest" }, { PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    assert.equal(await storeCredential("docker.io", USER, PASSWORD, ctx), "docker-credential-storetest");
    assert.deepEqual(JSON.parse(readFileSync(received, "utf8")), { ServerURL: "https://index.docker.io/v1/", Username: USER, Secret: PASSWORD });
    assert.doesNotMatch(readFileSync(join(ctx.home, ".docker", "config.json"), "utf8"), new RegExp(basicAuth(USER, PASSWORD)));
  });

  test("DOCKER_AUTH_CONFIG comes before the files; a broken config.json is a clear error", async () => {
    const ctx = contextWithConfig("env", { auths: { "reg.example": { auth: basicAuth("file", "file") } } }, {
      DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { "reg.example": { auth: basicAuth("env", "env-pass") } } }),
    });
    assert.deepEqual((await lookupCredential("reg.example", ctx))?.credential, { kind: "basic", username: "env", password: "env-pass" });
    const broken = contextWithConfig("broken", {});
    writeFileSync(join(broken.home, ".docker", "config.json"), "{ not json");
    await assert.rejects(lookupCredential("reg.example", broken), { code: "CREDENTIALS_UNREADABLE" });
    const badAuth = contextWithConfig("bad-auth", { auths: { "reg.example": { auth: Buffer.from("no-colon").toString("base64") } } });
    await assert.rejects(lookupCredential("reg.example", badAuth), (e: Error & { code?: string }) => e.code === "CREDENTIALS_UNREADABLE" && !e.message.includes("no-colon"));
  });
});
