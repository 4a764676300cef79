// `drydock build` / `drydock repro` through their commander definitions, as main() runs them: a base pushed to a
// local docker-registry with skopeo, outputs read back by skopeo, exit codes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runMain, type MainResult } from "../helpers/main.ts";
import { blobPath } from "../../src/registry/layout.ts";
import { startRegistry, tempDir, type RunningRegistry } from "../registry/servers.ts";
import { buildImage as buildFixtureImage, imageBlobs, writeLayout } from "../registry/images.ts";

let registry: RunningRegistry;
let tmp: { dir: string; cleanup: () => void };

before(async () => {
  tmp = tempDir("drydock-cli-build-");
  registry = await startRegistry();
  const base = await buildFixtureImage([{ "etc/passwd": "root:x:0:0::/root:/bin/sh\nweb:x:33:33::/var/www:/bin/sh\n", "etc/group": "root:x:0:\nweb:x:33:\n" }]);
  const layout = join(tmp.dir, "base");
  writeLayout(layout, base.manifest, imageBlobs(base), "1");
  execFileSync("skopeo", ["copy", "--dest-tls-verify=false", `oci:${layout}:1`, `docker://${registry.host}/base/web:1`], { stdio: "pipe" });
});
after(async () => {
  await registry.stop();
  tmp.cleanup();
});

function run(args: string[], env: Record<string, string> = {}): Promise<MainResult> {
  return runMain(args, { cwd: tmp.dir, env: { HOME: tmp.dir, ...env } });
}

function project(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test("build FROM a registry base, --chown by name, output oci: with -t's tag; skopeo reads it; base recorded by digest", async () => {
  const ctx = project("reg", { Dockerfile: `FROM ${registry.host}/base/web:1\nCOPY --chown=web index.html /var/www/\n`, "index.html": "<h1>hi</h1>\n" });
  const out = join(tmp.dir, "reg-out");
  const r = await run(["build", ctx, "-t", "site:2.0", "--output", `oci:${out}`, "--insecure-registry", registry.host, "--platform", "linux/amd64"]);
  assert.equal(r.code, 0, r.stderr);
  const digest = r.stdout.trim();
  assert.match(digest, /^sha256:[a-f0-9]{64}$/);
  const inspected = JSON.parse(execFileSync("skopeo", ["inspect", `oci:${out}:2.0`], { encoding: "utf8" }));
  assert.equal(inspected.Digest, digest);
  assert.equal(inspected.Layers.length, 2);
  const manifest = JSON.parse(readFileSync(join(out, blobPath(digest)), "utf8"));
  assert.equal(manifest.annotations["org.opencontainers.image.base.name"], `${registry.host}/base/web:1`);
  const pushed = JSON.parse(execFileSync("skopeo", ["inspect", "--raw", "--tls-verify=false", `docker://${registry.host}/base/web:1`], { encoding: "utf8" }));
  assert.equal(manifest.layers[0].digest, pushed.layers[0].digest);
  const listing = execFileSync("tar", ["--numeric-owner", "-tzvf", join(out, blobPath(manifest.layers[1].digest))], { encoding: "utf8" });
  assert.match(listing, /33\/33 .* var\/www\/index\.html/);
});

test("build pushes to docker:// and the same inputs give the same digest twice; SOURCE_DATE_EPOCH sets created", async () => {
  const ctx = project("push", { Dockerfile: "FROM scratch\nCOPY a /a\n", a: "a" });
  const first = await run(["build", ctx, "--output", `docker://${registry.host}/built/app:1`, "--insecure-registry", registry.host, "-q"], { SOURCE_DATE_EPOCH: "1700000000" });
  assert.equal(first.code, 0, first.stderr);
  const second = await run(["build", ctx, "--source-date-epoch", "1700000000", "-q"]);
  assert.equal(second.stdout, first.stdout);
  const config = JSON.parse(execFileSync("skopeo", ["inspect", "--config", "--tls-verify=false", `docker://${registry.host}/built/app:1`], { encoding: "utf8" }));
  assert.equal(config.created, "2023-11-14T22:13:20Z");
  const bad = await run(["build", ctx, "--source-date-epoch", "yesterday"]);
  assert.equal(bad.code, 2);
});

test("a RUN in the target exits 2 naming its line; --target around it builds", async () => {
  const ctx = project("run", { Dockerfile: "FROM scratch AS files\nCOPY a /a\nFROM scratch\nRUN make\n", a: "a" });
  const r = await run(["build", ctx]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /RUN cannot be built without a container runtime.*FROM <image>@<digest>/);
  assert.equal((await run(["build", ctx, "--target", "files", "-q"])).code, 0);
});

test("repro: reproducible prints the digest; a build that is not (no --reproducible, file modes differ) exits 1 with the entry", async () => {
  const ctx = project("repro", { Dockerfile: "FROM scratch\nCOPY . /src/\nCMD [\"/src/run\"]\n", run: "#!/bin/sh\n", "lib/x.txt": "x" });
  const ok = await run(["repro", ctx]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^reproducible sha256:[a-f0-9]{64}\n$/);
  const noisy = await run(["repro", ctx, "--no-reproducible", "--source-date-epoch", "0"]);
  assert.equal(noisy.code, 1);
  assert.match(noisy.stdout, /not reproducible/);
  // Explained as `drydock diff` explains it: the aspect, then each entry and why it differs.
  assert.match(noisy.stdout, /different: mode\n/);
  assert.match(noisy.stdout, /~ \/src\/run: mode 0644 -> 0664\n/);
});
