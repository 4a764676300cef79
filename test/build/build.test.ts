// Builds real images from real contexts and checks them with real tools (umoci, skopeo, GNU tar) as oracles.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { buildImage, type BuildRequest } from "../../src/build/build.ts";
import { blobPath } from "../../src/registry/layout.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { sha256, tarOf } from "../image/fixtures.ts";
import { buildImage as buildFixtureImage, imageBlobs, writeLayout } from "../registry/images.ts";

const PLATFORM = { os: "linux", architecture: "amd64" };
let root: string;
const client = new RegistryClient();

before(() => {
  root = mkdtempSync(join(tmpdir(), "drydock-build-test-"));
});
after(() => {
  client.close();
  rmSync(root, { recursive: true, force: true });
});

let counter = 0;
function dirFor(name: string): string {
  const d = join(root, `${name}-${counter++}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Writes files into a new context directory, in the order given. */
function context(files: Record<string, string | Buffer>, options: { order?: "forward" | "reverse"; mode?: number; mtime?: Date } = {}): string {
  const d = dirFor("ctx");
  const names = Object.keys(files);
  if (options.order === "reverse") names.reverse();
  for (const name of names) {
    const full = join(d, name);
    mkdirSync(dirname(full), { recursive: true });
    const content = files[name] as string | Buffer;
    if (typeof content === "string" && content.startsWith("symlink:")) symlinkSync(content.slice(8), full);
    else writeFileSync(full, content);
    if (!lstatSync(full).isSymbolicLink()) chmodSync(full, (options.mode ?? 0o644) | (name.endsWith(".sh") ? 0o111 : 0));
    if (options.mtime !== undefined && !lstatSync(full).isSymbolicLink()) utimesSync(full, options.mtime, options.mtime);
  }
  return d;
}

async function build(ctx: string, extra: Partial<BuildRequest> = {}): Promise<{ digest: string; layout: string; config: Record<string, any>; manifest: Record<string, any> }> {
  const layout = join(dirFor("out"), "layout");
  const r = await buildImage({ context: ctx, platform: PLATFORM, reproducible: true, sourceDateEpoch: undefined, outputs: [{ kind: "oci", path: layout, tag: "latest" }], client, cwd: ctx, ...extra });
  const manifest = JSON.parse(readFileSync(join(layout, blobPath(r.digest)), "utf8"));
  const config = JSON.parse(readFileSync(join(layout, blobPath(manifest.config.digest)), "utf8"));
  return { digest: r.digest, layout, config, manifest };
}

/** The merged root file system, as umoci unpacks it (the oracle for what the image contains). */
function unpack(layout: string): string {
  const bundle = join(dirFor("bundle"), "b");
  execFileSync("umoci", ["unpack", "--rootless", "--image", `${layout}:latest`, bundle], { stdio: "pipe" });
  return join(bundle, "rootfs");
}

/** A layer's entries as GNU tar lists them (owners as stored: umoci --rootless maps them to the caller). */
function layerListing(layout: string, digest: string): string[] {
  const out = execFileSync("tar", ["--numeric-owner", "-tzvf", join(layout, blobPath(digest))], { encoding: "utf8" });
  return out.trim().split("\n").map((l) => {
    const f = l.split(/\s+/);
    return `${f[0]} ${f[1]} ${f.slice(5).join(" ")}`;
  });
}

function listing(rootfs: string): string[] {
  return execFileSync("find", [".", "-mindepth", "1", "-printf", "%y %m %U:%G %p%l\n"], { cwd: rootfs, encoding: "utf8" }).trim().split("\n").sort();
}

const DOCKERFILE = `FROM scratch
COPY . /app/
COPY run.sh /usr/local/bin/
ENV GREETING="hello world"
WORKDIR /app
USER 1000:1000
CMD ["/usr/local/bin/run.sh"]
`;
const FILES = {
  Dockerfile: DOCKERFILE,
  ".dockerignore": "secret.txt\n*.log\n!keep.log\n",
  "run.sh": "#!/bin/sh\necho hi\n",
  "src/main.txt": "main\n",
  "src/deep/nested.txt": "nested\n",
  "secret.txt": "do not ship\n",
  "debug.log": "noise\n",
  "keep.log": "kept\n",
  "link": "symlink:src/main.txt",
};

test("the same context on two checkouts (mtimes, umask, creation order) gives the same manifest digest", async () => {
  const a = context(FILES, { order: "forward", mode: 0o644, mtime: new Date("2001-01-01T00:00:00Z") });
  const b = context(FILES, { order: "reverse", mode: 0o664, mtime: new Date("2030-01-01T00:00:00Z") });
  const x = await build(a);
  const y = await build(b);
  assert.equal(x.digest, y.digest);
  // Without normalisation the umask shows: the test above would catch a builder that keeps modes.
  const z = await build(b, { reproducible: false, sourceDateEpoch: 0 });
  assert.notEqual(z.digest, x.digest);
});

test("umoci unpacks it and skopeo inspects it; files, modes, owners and links are as COPY says", async () => {
  const { layout, config, manifest } = await build(context(FILES));
  execFileSync("skopeo", ["inspect", `oci:${layout}:latest`], { stdio: "pipe" });
  const rootfs = unpack(layout);
  assert.deepEqual(listing(rootfs), [
    "d 755 0:0 ./app",
    "d 755 0:0 ./app/src",
    "d 755 0:0 ./app/src/deep",
    "d 755 0:0 ./usr",
    "d 755 0:0 ./usr/local",
    "d 755 0:0 ./usr/local/bin",
    "f 644 0:0 ./app/.dockerignore",
    "f 644 0:0 ./app/Dockerfile",
    "f 644 0:0 ./app/keep.log",
    "f 644 0:0 ./app/src/deep/nested.txt",
    "f 644 0:0 ./app/src/main.txt",
    "f 755 0:0 ./app/run.sh",
    "f 755 0:0 ./usr/local/bin/run.sh",
    "l 777 0:0 ./app/linksrc/main.txt",
  ].sort());
  assert.equal(readlinkSync(join(rootfs, "app/link")), "src/main.txt");
  assert.equal(config.created, "1970-01-01T00:00:00Z");
  assert.deepEqual(config.config.Env, ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello world"]);
  assert.equal(config.config.WorkingDir, "/app");
  assert.equal(config.config.User, "1000:1000");
  assert.deepEqual(config.config.Cmd, ["/usr/local/bin/run.sh"]);
  assert.equal(config.rootfs.diff_ids.length, manifest.layers.length);
  assert.deepEqual(config.history.map((h: { created_by: string; empty_layer?: boolean }) => [h.created_by, h.empty_layer === true]), [
    ["COPY . /app/ # buildkit", false],
    ["COPY run.sh /usr/local/bin/ # buildkit", false],
    ["ENV GREETING=hello world", true],
    ["WORKDIR /app", true],
    ["USER 1000:1000", true],
    ['CMD ["/usr/local/bin/run.sh"]', true],
  ]);
  // Every layer entry's mtime is SOURCE_DATE_EPOCH (0 by default).
  for (const layer of manifest.layers) {
    const out = execFileSync("tar", ["--numeric-owner", "--full-time", "-tzvf", join(layout, blobPath(layer.digest))], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    for (const line of out.trim().split("\n")) assert.match(line, /1970-01-01 00:00:00/);
  }
});

test("docker-archive and oci-archive outputs are read by skopeo", async () => {
  const ctx = context({ Dockerfile: "FROM scratch\nCOPY a /a\n", a: "a" });
  const out = dirFor("archives");
  const r = await buildImage({
    context: ctx, platform: PLATFORM, reproducible: true, sourceDateEpoch: undefined, client, cwd: ctx,
    outputs: [{ kind: "docker-archive", path: join(out, "d.tar"), name: "example/app:1.0" }, { kind: "oci-archive", path: join(out, "o.tar"), tag: "1.0" }],
  });
  const d = JSON.parse(execFileSync("skopeo", ["inspect", `docker-archive:${join(out, "d.tar")}`], { encoding: "utf8" }));
  assert.equal(d.Layers.length, 1);
  const o = JSON.parse(execFileSync("skopeo", ["inspect", `oci-archive:${join(out, "o.tar")}:1.0`], { encoding: "utf8" }));
  assert.equal(o.Digest, r.digest);
  execFileSync("skopeo", ["copy", `docker-archive:${join(out, "d.tar")}`, `oci:${join(out, "copied")}:x`], { stdio: "pipe" });
  const listing = execFileSync("tar", ["-tf", join(out, "d.tar")], { encoding: "utf8" });
  assert.match(listing, /^manifest\.json$/m);
  assert.match(listing, /^repositories$/m);
  assert.deepEqual(JSON.parse(execFileSync("tar", ["-xOf", join(out, "d.tar"), "manifest.json"], { encoding: "utf8" }))[0].RepoTags, ["example/app:1.0"]);
  assert.deepEqual(JSON.parse(execFileSync("tar", ["-xOf", join(out, "d.tar"), "repositories"], { encoding: "utf8" })), { "example/app": { "1.0": JSON.parse(execFileSync("tar", ["-xOf", join(out, "d.tar"), "manifest.json"], { encoding: "utf8" }))[0].Config.slice("blobs/sha256/".length) } });
});

test("COPY semantics: dir contents, trailing slash, wildcards, WORKDIR-relative, --parents, --exclude, --chmod", async () => {
  const ctx = context({
    Dockerfile: [
      "FROM scratch",
      "WORKDIR /w",
      "COPY dir /contents",
      "COPY a.txt /renamed",
      "COPY a.txt /into/",
      "COPY *.md docs/",
      "COPY --parents x/1/f.txt x/2/f.txt /p/",
      "COPY --exclude=*.tmp dir /ex/",
      "COPY --chmod=0700 a.txt /m/octal",
      "COPY --chmod=u+x,g-r a.txt /m/symbolic",
      "COPY <<EOF /here.txt",
      "inline",
      "EOF",
    ].join("\n"),
    "dir/one.txt": "1", "dir/junk.tmp": "j", "dir/sub/two.txt": "2",
    "a.txt": "a", "r1.md": "r", "r2.md": "r",
    "x/1/f.txt": "f1", "x/2/f.txt": "f2",
  });
  const { layout } = await build(ctx);
  const l = listing(unpack(layout)).filter((e) => !e.startsWith("d "));
  assert.deepEqual(l, [
    "f 704 0:0 ./m/symbolic",
    "f 644 0:0 ./contents/junk.tmp",
    "f 644 0:0 ./contents/one.txt",
    "f 644 0:0 ./contents/sub/two.txt",
    "f 644 0:0 ./ex/one.txt",
    "f 644 0:0 ./ex/sub/two.txt",
    "f 644 0:0 ./here.txt",
    "f 644 0:0 ./into/a.txt",
    "f 644 0:0 ./p/x/1/f.txt",
    "f 644 0:0 ./p/x/2/f.txt",
    "f 644 0:0 ./renamed",
    "f 644 0:0 ./w/docs/r1.md",
    "f 644 0:0 ./w/docs/r2.md",
    "f 700 0:0 ./m/octal",
  ].sort());
});

test("errors name the line: missing source, several sources to a file, RUN in a needed stage, ADD URL without checksum", async () => {
  const cases: [string, string, number][] = [
    ["FROM scratch\nCOPY nope /x\n", "BUILD_SOURCE_MISSING", 2],
    ["FROM scratch\nCOPY a b /file\n", "BUILD_SOURCE_MISSING", 2],
    ["FROM scratch\nENV A=1\nRUN echo hi\n", "BUILD_RUN_UNSUPPORTED", 3],
    ["FROM scratch\nADD https://example.invalid/x.tgz /x/\n", "BUILD_INVALID", 2],
    ["FROM scratch\nADD git@github.com:o/r.git /src\n", "BUILD_INVALID", 2],
    ["FROM scratch\nCOPY --chown=nobody a /a\n", "BUILD_INVALID", 2],
  ];
  for (const [dockerfile, code, line] of cases) {
    const ctx = context({ Dockerfile: dockerfile, a: "a", b: "b" });
    await assert.rejects(build(ctx), (e: { code?: string; location?: { start?: { line: number } } }) => {
      assert.equal(e.code, code, dockerfile);
      assert.equal(e.location?.start?.line, line, dockerfile);
      return true;
    });
  }
});

test("multi-stage: --target picks a stage; stages not needed are not built (their RUN is fine); COPY --from a stage", async () => {
  const ctx = context({
    Dockerfile: "FROM scratch AS unused\nRUN exit 1\nFROM scratch AS build\nCOPY a /out/a\nCOPY b /out/b\nFROM scratch AS final\nCOPY --from=build /out /bin/\nLABEL stage=final\nFROM scratch AS other\nCOPY b /b\n",
    a: "a", b: "b",
  });
  const final = await build(ctx, { target: "final" });
  assert.deepEqual(listing(unpack(final.layout)), ["d 755 0:0 ./bin", "f 644 0:0 ./bin/a", "f 644 0:0 ./bin/b"]);
  assert.deepEqual(final.config.config.Labels, { stage: "final" });
  const last = await build(ctx);
  assert.deepEqual(listing(unpack(last.layout)), ["f 644 0:0 ./b"]);
});

test("config: ENTRYPOINT resets an inherited CMD, shell form uses SHELL, HEALTHCHECK, EXPOSE, VOLUME, STOPSIGNAL, ONBUILD, ARG", async () => {
  const ctx = context({
    Dockerfile: [
      "ARG VERSION=1",
      "FROM scratch AS base",
      "CMD [\"base\"]",
      "FROM base",
      "ARG VERSION",
      "ARG TARGETARCH",
      "LABEL version=$VERSION arch=$TARGETARCH",
      "ENTRYPOINT [\"/app\"]",
      "SHELL [\"/bin/bash\", \"-c\"]",
      "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/",
      "EXPOSE 80 53/udp 8000-8001",
      "VOLUME /data",
      "STOPSIGNAL SIGINT",
      "ONBUILD COPY . /src",
    ].join("\n"),
  });
  const { config } = await build(ctx, { buildArgs: { VERSION: "2" } });
  const c = config.config;
  assert.deepEqual(c.Entrypoint, ["/app"]);
  assert.equal(c.Cmd, null);
  assert.deepEqual(c.Labels, { version: "2", arch: "amd64" });
  assert.deepEqual(c.Shell, ["/bin/bash", "-c"]);
  assert.deepEqual(c.Healthcheck, { Test: ["CMD-SHELL", "curl -f http://localhost/"], Interval: 30e9, Timeout: 3e9, Retries: 3 });
  assert.deepEqual(Object.keys(c.ExposedPorts), ["53/udp", "80/tcp", "8000/tcp", "8001/tcp"]);
  assert.deepEqual(c.Volumes, { "/data": {} });
  assert.equal(c.StopSignal, "SIGINT");
  assert.deepEqual(c.OnBuild, ["COPY . /src"]);
  const createdBy = config.history.map((h: { created_by: string }) => h.created_by);
  assert.ok(createdBy.includes('HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/"] "30s" "3s" "0s" "0s" \'\\x03\'}'), createdBy.join("\n"));
  assert.ok(createdBy.includes("EXPOSE map[53/udp:{} 80/tcp:{} 8000/tcp:{} 8001/tcp:{}]"));
});

test("ADD: local gzip and zstd tars are extracted; bzip2 is refused; URL with a matching checksum is fetched, a wrong one fails", async () => {
  const tar = await tarOf([{ name: "pkg/", type: "directory" }, { name: "pkg/file.txt", content: "in tar" }]);
  const { zstdCompressSync } = await import("node:zlib");
  const body = Buffer.from("remote file\n");
  const server = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dl/tool.bin`;
  try {
    const ctx = context({
      Dockerfile: `FROM scratch\nADD a.tar.gz /g/\nADD a.tar.zst /z\nADD plain.txt /plain.txt\nADD --checksum=sha256:${sha256(body).slice(7)} ${url} /bin/\n`,
      "a.tar.gz": gzipSync(tar), "a.tar.zst": zstdCompressSync(tar), "plain.txt": "not an archive",
    });
    const { layout } = await build(ctx);
    const rootfs = unpack(layout);
    assert.equal(readFileSync(join(rootfs, "g/pkg/file.txt"), "utf8"), "in tar");
    assert.equal(readFileSync(join(rootfs, "z/pkg/file.txt"), "utf8"), "in tar");
    assert.equal(readFileSync(join(rootfs, "plain.txt"), "utf8"), "not an archive");
    assert.equal(readFileSync(join(rootfs, "bin/tool.bin"), "utf8"), "remote file\n");
    assert.equal(lstatSync(join(rootfs, "bin/tool.bin")).mode & 0o777, 0o600);
    const wrong = context({ Dockerfile: `FROM scratch\nADD --checksum=sha256:${"0".repeat(64)} ${url} /x\n` });
    await assert.rejects(build(wrong), { code: "BUILD_CHECKSUM_MISMATCH" });
    const bz = context({ Dockerfile: "FROM scratch\nADD a.tar.bz2 /x/\n", "a.tar.bz2": Buffer.concat([Buffer.from("BZh91AY&SY"), Buffer.alloc(100)]) });
    await assert.rejects(build(bz), { code: "BUILD_INVALID" });
  } finally {
    server.close();
  }
});

test("FROM an OCI layout: base layers kept as they are, annotations name the base, --chown names from its /etc/passwd", async () => {
  const base = await buildFixtureImage([
    { "etc/passwd": "root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/sh\n", "etc/group": "root:x:0:\nstaff:x:50:\n" },
  ]);
  const baseDir = join(dirFor("base"), "layout");
  writeLayout(baseDir, base.manifest, imageBlobs(base), "1.0");
  const ctx = context({ Dockerfile: `FROM oci:${baseDir}:1.0\nCOPY --chown=app a /home/app/a\nCOPY --chown=app:staff a /home/app/b\nCOPY --chown=7:8 a /c\n`, a: "a" });
  const { manifest, config, layout } = await build(ctx);
  assert.equal(manifest.layers[0].digest, base.layers[0]?.digest);
  assert.equal(manifest.annotations["org.opencontainers.image.base.digest"], base.manifest.digest);
  assert.equal(manifest.annotations["org.opencontainers.image.base.name"], `oci:${baseDir}:1.0`);
  assert.equal(config.rootfs.diff_ids.length, 4);
  assert.deepEqual(listing(unpack(layout)).filter((e) => e.startsWith("f")), ["f 644 0:0 ./c", "f 644 0:0 ./etc/group", "f 644 0:0 ./etc/passwd", "f 644 0:0 ./home/app/a", "f 644 0:0 ./home/app/b"]);
  // The parent made for /home/app belongs to the --chown user, as BuildKit's mkdir with a user does.
  assert.deepEqual(layerListing(layout, manifest.layers[1].digest), ["drwxr-xr-x 1234/2345 home/", "drwxr-xr-x 1234/2345 home/app/", "-rw-r--r-- 1234/2345 home/app/a"]);
  assert.deepEqual(layerListing(layout, manifest.layers[2].digest), ["drwxr-xr-x 1234/2345 home/", "drwxr-xr-x 1234/2345 home/app/", "-rw-r--r-- 1234/50 home/app/b"]);
  assert.deepEqual(layerListing(layout, manifest.layers[3].digest), ["-rw-r--r-- 7/8 c"]);
});

test("a context with no Dockerfile or an unreadable context is a clear error", async () => {
  await assert.rejects(buildImage({ context: join(root, "missing"), platform: PLATFORM, reproducible: true, sourceDateEpoch: undefined, outputs: [], client, cwd: root }), { code: "INPUT_UNREADABLE" });
  assert.equal(existsSync(join(root, "missing")), false);
});
