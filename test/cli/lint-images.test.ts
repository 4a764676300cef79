// `drydock lint --resolve-images` against a real registry (docker-registry on loopback) holding an image published
// for linux/amd64 only and a two-platform index, both pushed by skopeo from OCI layouts built by code.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { main, type Io } from "../../src/cli/main.ts";
import { resolveBaseImagePlatforms } from "../../src/lint/images.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles } from "../image/fixtures.ts";
import { startRegistry, type RunningRegistry } from "../registry/servers.ts";

const run = promisify(execFile);
const RULE = "InvalidBaseImagePlatform";

interface JsonFinding {
  rule: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe("drydock lint --resolve-images", () => {
  let registry: RunningRegistry;
  let work: { dir: string; cleanup: () => void };

  before(async () => {
    registry = await startRegistry();
    work = tempDir();
    const layer = async (arch: string) => ({ tar: await tarOf([{ name: "arch", content: `${arch}\n` }]) });
    const amd = buildImage({ layers: [await layer("amd64")], architecture: "amd64" });
    const arm = buildImage({ layers: [await layer("arm64")], architecture: "arm64", variant: "v8" });
    writeFiles(join(work.dir, "single"), ociLayoutFiles([{ image: amd, tag: "1.0" }]));
    writeFiles(join(work.dir, "multi"), ociLayoutFiles([
      { image: amd, platform: { os: "linux", architecture: "amd64" } },
      { image: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
    ], { nestedIndex: true }));
    const push = ["--insecure-policy", "copy", "-q", "--dest-tls-verify=false"];
    await run("skopeo", [...push, `oci:${join(work.dir, "single")}:1.0`, `docker://${registry.host}/tools/amd64-only:1.0`]);
    await run("skopeo", [...push, "--all", `oci:${join(work.dir, "multi")}:multi`, `docker://${registry.host}/tools/multi:1.0`]);
  });
  after(async () => {
    await registry.stop();
    work.cleanup();
  });

  /** Runs main() in this process on a Dockerfile with the given text (JSON report, no ShellCheck). */
  async function lint(dockerfile: string, args: readonly string[]): Promise<Result> {
    writeFileSync(join(work.dir, "Dockerfile"), dockerfile);
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (t) => { stdout += t; },
      stderr: (t) => { stderr += t; },
      isTTY: false,
      env: { HOME: join(work.dir, "home"), PATH: process.env["PATH"] ?? "" },
      cwd: work.dir,
    };
    const code = await main(["lint", "Dockerfile", "--format", "json", "--no-shellcheck", ...args], io);
    return { code, stdout, stderr };
  }
  const found = (r: Result): JsonFinding[] => (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === RULE);
  const spans = (fs: readonly JsonFinding[]): number[][] => fs.map((f) => [f.line, f.column, f.endLine, f.endColumn]);
  const resolving = (): string[] => ["--resolve-images", "--insecure-registry", registry.host, "--platform", "linux/amd64"];

  test("FROM --platform=linux/arm64 of an amd64-only image: a finding with BuildKit's message", async () => {
    const ref = `${registry.host}/tools/amd64-only:1.0`;
    const r = await lint(`FROM --platform=linux/arm64 ${ref}\n`, resolving());
    assert.equal(r.stderr, "");
    assert.equal(r.code, 1);
    const fs = found(r);
    assert.deepEqual(spans(fs), [[1, 29, 1, 29 + ref.length]]);
    assert.deepEqual(fs.map((f) => f.message), [`Base image ${ref} was pulled with platform "linux/amd64", expected "linux/arm64" for current build`]);
    assert.deepEqual(found(await lint(`FROM --platform=linux/arm64 ${ref}\n`, [])), [], "offline without the flag");
  });

  test("the two-platform index has linux/arm64: silent", async () => {
    const r = await lint(`FROM --platform=linux/arm64 ${registry.host}/tools/multi:1.0\n`, resolving());
    assert.equal(r.stderr, "");
    assert.deepEqual(found(r), []);
  });

  test("a reference built from an ARG is looked up after expansion", async () => {
    const r = await lint(`ARG REGISTRY=${registry.host}\nFROM --platform=linux/arm64 \${REGISTRY}/tools/amd64-only:1.0 AS app\n`, resolving());
    assert.equal(r.stderr, "");
    assert.deepEqual(spans(found(r)), [[2, 29, 2, 29 + "${REGISTRY}/tools/amd64-only:1.0".length]]);
    const overridden = await lint(`ARG IMAGE=${registry.host}/tools/amd64-only:1.0\nFROM \$IMAGE\n`,
      [...resolving(), "--platform", "linux/arm64", "--build-arg", `IMAGE=${registry.host}/tools/multi:1.0`]);
    assert.deepEqual(found(overridden), [], "--build-arg picks the index, which has linux/arm64");
  });

  test("without FROM --platform the stage is built for lint's --platform", async () => {
    const text = `FROM ${registry.host}/tools/amd64-only:1.0\n`;
    const arm = await lint(text, [...resolving(), "--platform", "linux/arm64"]);
    assert.deepEqual(found(arm).map((f) => f.message), [
      `Base image ${registry.host}/tools/amd64-only:1.0 was pulled with platform "linux/amd64", expected "linux/arm64" for current build`,
    ]);
    assert.deepEqual(found(await lint(text, resolving())), []);
  });

  test("an image the registry does not have, or a registry that is down: a note, and the outcome of an offline run", async () => {
    const closed = await unusedPort();
    const text = `FROM --platform=linux/arm64 ${registry.host}/tools/missing:1.0\nFROM --platform=linux/arm64 127.0.0.1:${closed}/tools/x:1.0\nCOPY --from=0 /x /x\n`;
    const offline = await lint(text, []);
    const r = await lint(text, [...resolving(), "--insecure-registry", `127.0.0.1:${closed}`]);
    assert.equal(r.code, offline.code);
    assert.equal(r.stdout, offline.stdout);
    const notes = r.stderr.trimEnd().split("\n");
    assert.equal(notes.length, 2, r.stderr);
    assert.match(notes[0] ?? "", new RegExp(`^drydock: note: could not look up base image ${registry.host}/tools/missing:1\\.0 \\(.*manifest.*\\): ${RULE} skipped it$`));
    assert.match(notes[1] ?? "", new RegExp(`^drydock: note: could not look up base image 127\\.0\\.0\\.1:${closed}/tools/x:1\\.0 \\(.*ECONNREFUSED.*\\)`));
  });

  test("an invalid --platform is a usage error", async () => {
    const r = await lint("FROM alpine:3.20\n", ["--resolve-images", "--platform", "linux//arm64"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\[USAGE\]/);
  });
});

describe("resolveBaseImagePlatforms", () => {
  test("a registry that never answers is cut off by the timeout", async () => {
    const server = http.createServer(() => {
      // Accepts the request and never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const out = await resolveBaseImagePlatforms([{ file: "Dockerfile", text: `FROM ${host}/slow:1\nFROM ${host}/slow:1\n` }], {},
        { registry: { insecureRegistries: [host] }, timeoutMs: 300, platform: "linux/amd64" });
      assert.ok(Date.now() - started < 3000);
      assert.equal(out.platforms.platformsOf(`${host}/slow:1`), undefined);
      assert.deepEqual(out.notices, [`could not look up base image ${host}/slow:1 (no answer within 0.3 s): ${RULE} skipped it`]);
      assert.equal(out.platforms.target, "linux/amd64");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("only registry images of stages that reach the target are looked up", async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? "");
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const text = [
        `FROM ${host}/unused:1 AS unused`, "FROM scratch AS empty", `FROM ${host}/base:1 AS base`,
        "FROM base", `ARG UNSET`, `FROM ${host}/app:\${UNSET}`, "COPY --from=empty / /", "COPY --from=base / /", "",
      ].join("\n");
      const out = await resolveBaseImagePlatforms([{ file: "Dockerfile", text }], {}, { registry: { insecureRegistries: [host] } });
      assert.deepEqual(requests.filter((u) => u.includes("/manifests/")).sort(), ["/v2/base/manifests/1"]);
      assert.equal(out.notices.length, 1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
