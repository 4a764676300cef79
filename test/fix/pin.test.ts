// --pin against a real registry (docker-registry on loopback), filled by skopeo with a multi-platform image:
// the pin is the index digest the tag names, the tag is kept, and ARG-based, pinned and scratch bases are skipped.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { fixDockerfile } from "../../src/fix/apply.ts";
import { registryDigestResolver } from "../../src/fix/pin.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { buildImage, buildIndex, imageBlobs, writeLayout } from "../registry/images.ts";
import { startRegistry, tempDir, type RunningRegistry } from "../registry/servers.ts";

const run = promisify(execFile);
let registry: RunningRegistry;
let work: { dir: string; cleanup: () => void };
let indexDigest: string;
let client: RegistryClient;

before(async () => {
  registry = await startRegistry();
  work = tempDir("drydock-pin-");
  const amd64 = await buildImage([{ "etc/os-release": "ID=test\n" }], { os: "linux", architecture: "amd64" });
  const arm64 = await buildImage([{ "etc/os-release": "ID=test\n" }], { os: "linux", architecture: "arm64", variant: "v8" });
  const index = buildIndex([amd64, arm64]);
  indexDigest = index.digest;
  const layout = join(work.dir, "layout");
  writeLayout(layout, index, [...imageBlobs(amd64), ...imageBlobs(arm64)], "22");
  await run("skopeo", ["--insecure-policy", "copy", "-q", "--all", "--preserve-digests", "--dest-tls-verify=false", `oci:${layout}:22`, `docker://${registry.host}/library/node:22`]);
  client = new RegistryClient({ insecureRegistries: [registry.host] });
});

after(async () => {
  client.close();
  await registry.stop();
  work.cleanup();
});

test("FROM and COPY --from get the index digest; the tag stays", async () => {
  const host = registry.host;
  const text = `FROM ${host}/library/node:22 AS build\nRUN make\nFROM ${host}/library/node:22\nCOPY --from=${host}/library/node:22 /etc/os-release /etc/\nUSER 1000\n`;
  const result = await fixDockerfile({ file: "Dockerfile", text }, { resolveDigest: registryDigestResolver(client), rules: ["DD002"] });
  assert.equal(result.after, text.replaceAll(`${host}/library/node:22`, `${host}/library/node:22@${indexDigest}`));
  assert.equal(result.applied.length, 3);
  assert.ok(!result.remaining.some((f) => f.ruleId === "DD002"));
});

test("ARG-based, already pinned and scratch bases are left; no --pin, no pins", async () => {
  const host = registry.host;
  const pinned = `${host}/library/node:22@${indexDigest}`;
  const text = `ARG BASE=${host}/library/node:22\nFROM $BASE AS a\nFROM ${pinned} AS b\nFROM scratch\nCOPY --from=b /etc/os-release /etc/\n`;
  const result = await fixDockerfile({ file: "Dockerfile", text }, { resolveDigest: registryDigestResolver(client), rules: ["DD002"] });
  assert.equal(result.after, text);
  const unasked = await fixDockerfile({ file: "Dockerfile", text: `FROM ${host}/library/node:22\n` }, { rules: ["DD002"] });
  assert.equal(unasked.after, unasked.before);
});

test("a tag the registry does not have is an error naming it", async () => {
  await assert.rejects(
    fixDockerfile({ file: "Dockerfile", text: `FROM ${registry.host}/library/node:404\n` }, { resolveDigest: registryDigestResolver(client) }),
    { name: "DrydockError", code: "MANIFEST_NOT_FOUND" },
  );
});
