// docker://REF as an image source: the same image pushed to a real registry (Debian's docker-registry on
// 127.0.0.1) reads and walks exactly as its OCI layout does, streamed, with every blob verified.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { openImage } from "../../src/image/source.ts";
import { walkImage, type LayerEntry } from "../../src/image/walk.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { auditImage } from "../../src/audit.ts";
import { buildImage, ociLayoutFiles, tarOf } from "./fixtures.ts";
import { startRegistry, tempDir, type RunningRegistry } from "../registry/servers.ts";
import { runCli } from "../helpers/cli.ts";

async function entriesOf(ref: string, registry?: { insecureRegistries: string[] }): Promise<string[]> {
  const source = await openImage(ref, registry === undefined ? {} : { registry });
  const seen: string[] = [];
  try {
    await walkImage(source, [{ wants: () => true, entry: (e: LayerEntry) => seen.push(`${e.layer}:${e.kind}:${e.path}:${e.size}`) }]);
  } finally {
    await source.close();
  }
  return seen;
}

describe("docker:// image source", () => {
  let registry: RunningRegistry;
  const work = tempDir("drydock-remote-");
  const layout = join(work.dir, "layout");
  before(async () => {
    registry = await startRegistry();
    const image = buildImage({
      layers: [
        { tar: await tarOf([{ name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\n" }, { name: "app/", type: "directory" }]) },
        { tar: await tarOf([{ name: "app/server.js", content: "console.log('hi')\n" }]), compression: "zstd" },
      ],
      config: { User: "root", Env: ["PATH=/usr/bin:/bin", "API_TOKEN=ghp_notarealtokenbutlooksthepart"] },
    });
    for (const [path, bytes] of ociLayoutFiles([{ image, tag: "1.0" }])) {
      mkdirSync(dirname(join(layout, path)), { recursive: true });
      writeFileSync(join(layout, path), bytes);
    }
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    const from = await openReader(await parseEndpoint(`oci:${layout}:1.0`, "source", work.dir), client);
    const to = openWriter(await parseEndpoint(`docker://${registry.host}/team/app:1.0`, "destination", work.dir), client, undefined);
    await copyImage(from, to);
  });
  after(async () => {
    await registry?.stop();
    work.cleanup();
  });

  test("reads the config and walks every layer as the OCI layout does", async () => {
    const ref = `docker://${registry.host}/team/app:1.0`;
    const source = await openImage(ref, { registry: { insecureRegistries: [registry.host] } });
    assert.equal(source.transport, "docker");
    assert.equal(source.config?.user, "root");
    assert.equal(source.layers.length, 2);
    await source.close();
    const remote = await entriesOf(ref, { insecureRegistries: [registry.host] });
    assert.ok(remote.length >= 3);
    assert.deepEqual(remote, await entriesOf(`oci:${layout}:1.0`));
  });

  test("audit works on a registry reference directly", async () => {
    const { report } = await auditImage({ ref: `docker://${registry.host}/team/app:1.0`, registry: { insecureRegistries: [registry.host] } });
    assert.deepEqual(report.errors, []);
    assert.ok(report.findings.some((f) => f.ruleId === "DI001"), "runs as root");
  });

  test("a missing tag is a clear error", async () => {
    await assert.rejects(openImage(`docker://${registry.host}/team/app:nope`, { registry: { insecureRegistries: [registry.host] } }), (e: unknown) => {
      assert.ok(e instanceof Error && /nope|not found|unknown/i.test(e.message), String(e));
      return true;
    });
  });
});

describe("docker:// from the command line", () => {
  test("inspect and audit take --insecure-registry", async () => {
    const registry = await startRegistry();
    const work = tempDir("drydock-remote-cli-");
    try {
      const layout = join(work.dir, "layout");
      const image = buildImage({ layers: [{ tar: await tarOf([{ name: "etc/hostname", content: "x\n" }]) }], config: { User: "1000" } });
      for (const [path, bytes] of ociLayoutFiles([{ image, tag: "2" }])) {
        mkdirSync(dirname(join(layout, path)), { recursive: true });
        writeFileSync(join(layout, path), bytes);
      }
      const client = new RegistryClient({ insecureRegistries: [registry.host] });
      await copyImage(await openReader(await parseEndpoint(`oci:${layout}:2`, "source", work.dir), client),
        openWriter(await parseEndpoint(`docker://${registry.host}/x/y:2`, "destination", work.dir), client, undefined));
      const inspect = await runCli(["inspect", `docker://${registry.host}/x/y:2`, "--insecure-registry", registry.host, "--format", "json"]);
      assert.equal(inspect.code, 0, inspect.stderr);
      assert.equal((JSON.parse(inspect.stdout) as { transport: string }).transport, "docker");
      const audit = await runCli(["audit", `docker://${registry.host}/x/y:2`, "--insecure-registry", registry.host, "--format", "json"]);
      assert.equal((JSON.parse(audit.stdout) as { errors: unknown[] }).errors.length, 0, audit.stdout);
    } finally {
      await registry.stop();
      work.cleanup();
    }
  });
});
