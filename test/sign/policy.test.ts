// The verify: section of drydock.yaml: parsing with positions, pattern matching, and the policy decision on a
// signed OCI layout (any listed key satisfies an entry; every matching entry must be satisfied).
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseConfig, type VerifySettings } from "../../src/core/config.ts";
import { signImage } from "../../src/sign/image.ts";
import type { SigningKey } from "../../src/sign/keys.ts";
import { checkImagePolicy, matchesPattern, policiesFor } from "../../src/sign/policy.ts";
import { LayoutArtifactStore } from "../../src/sign/store.ts";
import { buildImage, imageBlobs, writeLayout } from "../registry/images.ts";
import { tempDir } from "../registry/servers.ts";

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicKey };
}

describe("verify: in drydock.yaml", () => {
  test("parses entries with keys as a string or list and annotations as strings", () => {
    const config = parseConfig([
      "verify:",
      "  images:",
      "    - pattern: registry.example/team/*",
      "      keys: [a.pub, b.pub]",
      "      annotations: {env: prod, build: 42}",
      "    - pattern: \"**\"",
      "      keys: c.pub",
      "",
    ].join("\n"), "drydock.yaml");
    assert.deepEqual(config.verify, {
      images: [
        { pattern: "registry.example/team/*", keys: ["a.pub", "b.pub"], annotations: { env: "prod", build: "42" }, where: "drydock.yaml:3" },
        { pattern: "**", keys: ["c.pub"], annotations: {}, where: "drydock.yaml:6" },
      ],
    });
  });

  test("mistakes are reported at their line", () => {
    const cases: [string, RegExp, number][] = [
      ["verify:\n  images:\n    - pattern: x\n", /lists no keys/, 3],
      ["verify:\n  images:\n    - keys: [a.pub]\n", /need a pattern/, 3],
      ["verify:\n  images:\n    - pattern: x\n      key: a.pub\n", /unknown verify\.images field "key" \(expected one of: pattern, keys, annotations\)/, 4],
      ["verify:\n  image: []\n", /unknown verify setting "image"/, 2],
      ["verify:\n  images: {pattern: x}\n", /must be a list/, 2],
    ];
    for (const [text, message, line] of cases) {
      assert.throws(() => parseConfig(text, "drydock.yaml"), (e: Error & { code?: string; location?: { start: { line: number } } }) => {
        assert.equal(e.code, "CONFIG_INVALID");
        assert.match(e.message, message);
        assert.equal(e.location?.start.line, line, text);
        return true;
      });
    }
  });
});

describe("image patterns", () => {
  test("* stays within a component, ** crosses them, ? is one character, the rest is literal", () => {
    assert.ok(matchesPattern("registry.example/team/*", "registry.example/team/app"));
    assert.ok(!matchesPattern("registry.example/team/*", "registry.example/team/sub/app"));
    assert.ok(matchesPattern("registry.example/team/**", "registry.example/team/sub/app"));
    assert.ok(!matchesPattern("registry.example/team/*", "registryXexample/team/app"));
    assert.ok(matchesPattern("registry.example/app?", "registry.example/app1"));
    assert.ok(!matchesPattern("registry.example/app", "registry.example/app2"));
    const settings: VerifySettings = { images: [{ pattern: "r.io/app:1.*", keys: ["k"], annotations: {}, where: "x:1" }] };
    assert.equal(policiesFor(settings, "r.io/app", "r.io/app:1.2").length, 1);
    assert.equal(policiesFor(settings, "r.io/app", "r.io/app:2.0").length, 0);
  });
});

describe("checkImagePolicy", () => {
  let work: { dir: string; cleanup: () => void };
  let layout: string;
  const signer = newKey();
  const stranger = newKey();
  const keys: Record<string, KeyObject> = { "signer.pub": signer.publicKey, "stranger.pub": stranger.publicKey };
  const loadKey = (file: string): Promise<KeyObject> => {
    const k = keys[file];
    return k === undefined ? Promise.reject(new Error(`no key ${file}`)) : Promise.resolve(k);
  };
  const names = { repository: "oci:/x/app", reference: "oci:/x/app:1" };

  before(async () => {
    work = tempDir("drydock-policy-");
    const image = await buildImage([{ "etc/policy": "p\n" }]);
    layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1");
    await signImage(new LayoutArtifactStore(layout, "1"), signer, { format: "legacy", annotations: { env: "prod" } });
  });
  after(() => work.cleanup());

  const entry = (keysList: string[], annotations: Record<string, string> = {}, pattern = "oci:/x/*") => ({ pattern, keys: keysList, annotations, where: "drydock.yaml:1" });

  test("any listed key satisfies an entry; all matching entries must be satisfied", async () => {
    const store = new LayoutArtifactStore(layout, "1");
    const anyKey = await checkImagePolicy(store, { images: [entry(["stranger.pub", "signer.pub"], { env: "prod" })] }, names, loadKey);
    assert.equal(anyKey.allowed, true);
    assert.equal(anyKey.entries[0]?.key, "signer.pub");
    assert.deepEqual(anyKey.entries[0]?.rejected.map((r) => [r.key, r.reason]), [["stranger.pub", "signature does not verify with stranger.pub"]]);

    const both = await checkImagePolicy(store, { images: [entry(["signer.pub"]), entry(["stranger.pub"], {}, "**")] }, names, loadKey);
    assert.equal(both.allowed, false);
    assert.deepEqual(both.entries.map((e) => e.key), ["signer.pub", undefined]);

    const annotation = await checkImagePolicy(store, { images: [entry(["signer.pub"], { env: "dev" })] }, names, loadKey);
    assert.equal(annotation.allowed, false);

    const unmatched = await checkImagePolicy(store, { images: [entry(["signer.pub"], {}, "registry.example/*")] }, names, loadKey);
    assert.deepEqual([unmatched.allowed, unmatched.unmatched], [false, true]);
  });
});
