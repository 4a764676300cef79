// The commands (login, push, tags, pull, copy, logout) against a real htpasswd registry, run through
// commander as main.ts runs them, with output captured; and the progress renderer on its own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Command, CommanderError } from "commander";
import { isDrydockError } from "../../src/core/errors.ts";
import type { Io } from "../../src/cli/main.ts";
import { formatBytes, ProgressRenderer, registerRegistryCommands } from "../../src/cli/registry.ts";
import { buildImage, buildIndex, imageBlobs, layoutBlobDigests, writeLayout, type BuiltImage } from "./images.ts";
import { startRegistry, tempDir, type RunningRegistry } from "./servers.ts";

const run = promisify(execFile);
const USER = "carol";
const PASSWORD = "cli-secret-123";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe("registry commands", () => {
  let registry: RunningRegistry;
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let home: string;

  before(async () => {
    registry = await startRegistry({ htpasswd: { user: USER, password: PASSWORD } });
    work = tempDir();
    home = join(work.dir, "home");
    const amd = await buildImage([{ "cli": "amd64\n" }], { os: "linux", architecture: "amd64" });
    const arm = await buildImage([{ "cli": "arm64\n" }], { os: "linux", architecture: "arm64" });
    image = amd;
    writeLayout(join(work.dir, "single"), amd.manifest, imageBlobs(amd).slice(1), "s");
    writeLayout(join(work.dir, "multi"), buildIndex([amd, arm]), [...imageBlobs(amd), ...imageBlobs(arm)], "m");
  });
  after(async () => {
    await registry.stop();
    work.cleanup();
  });

  async function drydock(args: string[], stdin = ""): Promise<Result> {
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (t) => { stdout += t; },
      stderr: (t) => { stderr += t; },
      isTTY: false,
      env: { HOME: home, PATH: process.env["PATH"] ?? "" },
      cwd: work.dir,
    };
    const program = new Command("drydock").exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    registerRegistryCommands(program, io, { readStdin: () => Promise.resolve(stdin) });
    try {
      await program.parseAsync(args, { from: "user" });
      return { code: 0, stdout, stderr };
    } catch (e) {
      if (e instanceof CommanderError) return { code: 2, stdout, stderr };
      if (isDrydockError(e)) return { code: 2, stdout, stderr: `${stderr}drydock: ${e.message} [${e.code}]\n` };
      throw e;
    }
  }
  const insecure = (): string[] => ["--insecure-registry", registry.host];

  test("login: a wrong password fails and saves nothing; the right one is checked and saved", async () => {
    const bad = await drydock(["login", registry.host, "-u", USER, "--password-stdin", ...insecure()], "wrong-password\n");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /REGISTRY_AUTH/);
    assert.doesNotMatch(bad.stderr + bad.stdout, /wrong-password/);
    assert.ok(!existsSync(join(home, ".docker", "config.json")));

    const good = await drydock(["login", registry.host, "-u", USER, "--password-stdin", ...insecure()], `${PASSWORD}\n`);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout, "Login Succeeded\n");
    assert.doesNotMatch(good.stderr + good.stdout, new RegExp(PASSWORD));
    const saved = JSON.parse(readFileSync(join(home, ".docker", "config.json"), "utf8")) as { auths: Record<string, { auth: string }> };
    assert.equal(Buffer.from(saved.auths[registry.host]?.auth ?? "", "base64").toString(), `${USER}:${PASSWORD}`);
  });

  test("push prints the digest; progress lines go to stderr; tags lists", async () => {
    const pushed = await drydock(["push", "oci:single", `${registry.host}/cli/app:1`, ...insecure()]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stdout, `${image.manifest.digest}\n`);
    assert.match(pushed.stderr, /oci:.*single → 127\.0\.0\.1:\d+\/cli\/app:1: 2 blobs/);
    assert.equal(pushed.stderr.split("\n").filter((l) => / done$/.test(l)).length, 2);

    const multi = await drydock(["push", "multi", `${registry.host}/cli/app:multi`, "-q", ...insecure()]);
    assert.equal(multi.code, 0, multi.stderr);
    assert.equal(multi.stderr, "");

    const tags = await drydock(["tags", `${registry.host}/cli/app`, ...insecure()]);
    assert.deepEqual(tags.stdout.trim().split("\n").sort(), ["1", "multi"]);
    const json = await drydock(["tags", `${registry.host}/cli/app`, "--format", "json", ...insecure()]);
    assert.deepEqual((JSON.parse(json.stdout) as { tags: string[] }).tags.sort(), ["1", "multi"]);
  });

  test("drydock.yaml registries.insecure stands in for --insecure-registry", async () => {
    const config = join(work.dir, "drydock.yaml");
    writeFileSync(config, `registries:\n  insecure: ["${registry.host}"]\n  mirrors:\n    docker.io: []\n`);
    try {
      const tags = await drydock(["tags", `${registry.host}/cli/app`]);
      assert.equal(tags.code, 0, tags.stderr);
      assert.deepEqual(tags.stdout.trim().split("\n").sort(), ["1", "multi"]);
    } finally {
      rmSync(config);
    }
    const refused = await drydock(["tags", `${registry.host}/cli/app`, "--retries", "1"]);
    assert.equal(refused.code, 2, "without the setting the registry is spoken to over TLS, which it does not offer");
  });

  test("pull to a docker-archive picks a platform; skopeo reads the result", async () => {
    const file = join(work.dir, "pulled.tar");
    const pulled = await drydock(["pull", `${registry.host}/cli/app:multi`, "--output", `docker-archive:${file}`, "--platform", "linux/amd64", "-q", ...insecure()]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(pulled.stdout, `${image.manifest.digest}\n`);
    const { stdout } = await run("skopeo", ["inspect", `docker-archive:${file}`]);
    const info = JSON.parse(stdout) as { Architecture: string; RepoTags: string[] };
    assert.equal(info.Architecture, "amd64");

    const dir = join(work.dir, "pulled-oci");
    const oci = await drydock(["pull", `docker://${registry.host}/cli/app:1`, "-o", `oci:${dir}:mine`, "-q", ...insecure()]);
    assert.equal(oci.code, 0, oci.stderr);
    assert.deepEqual(layoutBlobDigests(dir), imageBlobs(image).map((b) => b.digest).sort());
  });

  test("copy between repositories, then logout", async () => {
    const copied = await drydock(["copy", `docker://${registry.host}/cli/app:multi`, `docker://${registry.host}/cli/other:multi`, ...insecure()]);
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(copied.stderr, /0 copied, 0 already there, 4 mounted/);

    const out = await drydock(["logout", registry.host]);
    assert.equal(out.stdout, `Removed login credentials for ${registry.host}\n`);
    const denied = await drydock(["tags", `${registry.host}/cli/app`, ...insecure()]);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /REGISTRY_AUTH/);
  });

  test("usage errors exit 2 with a message", async () => {
    const missing = await drydock(["push", "./no-such-layout", `${registry.host}/x/y:1`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /IMAGE_NOT_FOUND/);
    const badRef = await drydock(["pull", "UPPER/Case", "-o", "oci:x"]);
    assert.match(badRef.stderr, /REFERENCE_INVALID/);
    const badParallel = await drydock(["copy", "oci:single", "oci:elsewhere", "--parallel", "0"]);
    assert.match(badParallel.stderr, /--parallel expects a positive whole number/);
    const noPassword = await drydock(["login", registry.host, "-u", USER]);
    assert.match(noPassword.stderr, /--password-stdin/);
  });
});

describe("progress rendering", () => {
  const digest = `sha256:${"ab".repeat(32)}`;

  test("quiet lines when not on a terminal", () => {
    let out = "";
    const r = new ProgressRenderer((t) => { out += t; }, false);
    r.update({ type: "image", source: "a", destination: "b", digest, mediaType: "x", platforms: [], blobs: 1, bytes: 2048 });
    r.update({ type: "blob-start", digest, size: 2048, mediaType: "x" });
    r.update({ type: "blob-bytes", digest, done: 1024, size: 2048 });
    r.update({ type: "blob-done", digest, size: 2048, outcome: "copied" });
    r.update({ type: "retry", host: "h", what: "blob", attempt: 1, delayMs: 200, reason: "HTTP 503" });
    r.finish("finished");
    assert.equal(out, `a → b: 1 blobs, 2.0 KiB\nsha256:abababababab 2.0 KiB done\nretrying blob at h in 200 ms (HTTP 503)\nfinished\n`);
  });

  test("bars redrawn in place on a terminal, throttled", () => {
    const writes: string[] = [];
    let now = 0;
    const r = new ProgressRenderer((t) => writes.push(t), true, () => now);
    r.update({ type: "blob-start", digest, size: 1000, mediaType: "x" });
    now = 500;
    r.update({ type: "blob-bytes", digest, done: 500, size: 1000 });
    now = 550;
    r.update({ type: "blob-bytes", digest, done: 600, size: 1000 }); // within 100 ms: not drawn
    now = 700;
    r.update({ type: "blob-done", digest, size: 1000, outcome: "copied" });
    assert.equal(writes.length, 3);
    assert.match(writes[1] ?? "", /^\x1b\[1A\x1b\[2Ksha256:abababababab \[=+> +\] 500 B\/1000 B\n$/);
    assert.match(writes[2] ?? "", /\[={24}\] 1000 B done/);
  });

  test("byte sizes", () => {
    assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024 * 1024, 5 * 1024 ** 3].map(formatBytes), ["0 B", "1023 B", "1.0 KiB", "1.5 KiB", "10 MiB", "5.0 GiB"]);
  });
});
