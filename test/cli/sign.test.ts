// `drydock sign | verify | attest | verify-attestation` end to end: real key files, a real registry (and a
// failing proxy in front of it), OCI layouts, drydock.yaml policies; exit codes and what is printed.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Command, CommanderError } from "commander";
import { registerInspect } from "../../src/cli/inspect.ts";
import { registerRegistryCommands } from "../../src/cli/registry.ts";
import { registerSignCommands } from "../../src/cli/sign.ts";
import { isDrydockError } from "../../src/core/errors.ts";
import { RegistryClient } from "../../src/registry/client.ts";
import { copyImage, openReader, openWriter, parseEndpoint } from "../../src/registry/copy.ts";
import { generateKeyPair } from "../../src/sign/keys.ts";
import { buildImage, imageBlobs, writeLayout, type BuiltImage } from "../registry/images.ts";
import { startFaultProxy, startRegistry, tempDir, type FaultProxy, type RunningRegistry } from "../registry/servers.ts";

const PASSWORD = "correct horse battery";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The commands as main() runs them: DrydockErrors print "drydock: message [CODE]" and exit 2. */
async function drydock(cwd: string, args: string[], env: Record<string, string> = { COSIGN_PASSWORD: PASSWORD }): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isTTY: false, env, cwd };
  const program = new Command("drydock").exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const state = registerSignCommands(program, io, { readPassword: () => Promise.reject(new Error("tests never prompt")) });
  registerRegistryCommands(program, io);
  registerInspect(program, io);
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: state.exitCode ?? 0, stdout, stderr };
  } catch (e) {
    if (e instanceof CommanderError) return { code: 2, stdout, stderr };
    if (isDrydockError(e)) return { code: 2, stdout, stderr: `${stderr}drydock: ${e.message} [${e.code}]\n` };
    throw e;
  }
}

describe("drydock sign / verify / attest", () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let work: { dir: string; cleanup: () => void };
  let image: BuiltImage;
  let privatePem: string;
  const ref = (repo: string): string => `docker://${registry.host}/${repo}:1`;
  const insecure = (): string[] => ["--insecure-registry", registry.host];

  before(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.port);
    work = tempDir("drydock-cli-sign-");
    const keys = generateKeyPair(PASSWORD);
    privatePem = keys.privatePem;
    writeFileSync(join(work.dir, "cosign.key"), keys.privatePem);
    writeFileSync(join(work.dir, "cosign.pub"), keys.publicPem);
    const otherKeys = generateKeyPair("");
    writeFileSync(join(work.dir, "other.pub"), otherKeys.publicPem);
    image = await buildImage([{ "etc/cli": "cli\n" }]);
    const layout = join(work.dir, "layout");
    writeLayout(layout, image.manifest, imageBlobs(image).slice(1), "1");
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    try {
      for (const repo of ["cli/bundle", "cli/legacy", "cli/attest", "cli/policy", "cli/fault"]) {
        const src = await parseEndpoint(`oci:${layout}:1`, "source", work.dir);
        await copyImage(await openReader(src, client), openWriter(await parseEndpoint(ref(repo), "destination", work.dir), client, undefined));
      }
    } finally {
      client.close();
    }
  });
  after(async () => {
    await proxy.close();
    await registry.stop();
    work.cleanup();
  });

  test("sign (bundle) then verify: exit 0 and what verified; wrong annotation or key: exit 1 with the reason", async () => {
    const signed = await drydock(work.dir, ["sign", ref("cli/bundle"), "--key", "cosign.key", "-a", "env=prod", ...insecure(), "--tlog-upload=false", "--output-signature", "sig.b64", "--output-payload", "payload.json"]);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stderr, /signed .*cli\/bundle:1 \(sha256:[0-9a-f]{64}\); stored as referrer sha256:/);
    assert.equal((JSON.parse(readFileSync(join(work.dir, "payload.json"), "utf8")) as { predicateType: string }).predicateType, "https://sigstore.dev/cosign/sign/v1");
    assert.ok(readFileSync(join(work.dir, "sig.b64"), "utf8").length > 60);

    const ok = await drydock(work.dir, ["verify", ref("cli/bundle"), "--key", "cosign.pub", "-a", "env=prod", "--insecure-ignore-tlog", ...insecure()]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^Verified .*cli/bundle:1@${image.manifest.digest}: bundle referrer sha256:[0-9a-f]{64}, annotations \\{"env":"prod"\\}\\n$`));

    const wrongAnnotation = await drydock(work.dir, ["verify", ref("cli/bundle"), "--key", "cosign.pub", "-a", "env=dev", ...insecure()]);
    assert.equal(wrongAnnotation.code, 1);
    assert.match(wrongAnnotation.stderr, /annotation env=dev missing \(the signature has env=prod\)/);
    const wrongKey = await drydock(work.dir, ["verify", ref("cli/bundle"), "--key", "other.pub", "--output", "json", ...insecure()]);
    assert.equal(wrongKey.code, 1);
    const json = JSON.parse(wrongKey.stdout) as { verified: unknown[]; rejected: { reason: string }[] };
    assert.deepEqual(json.verified, []);
    assert.deepEqual(json.rejected.map((r) => r.reason), ["signature does not verify with other.pub"]);
    for (const out of [signed, ok, wrongAnnotation, wrongKey]) {
      assert.ok(!out.stdout.includes(PASSWORD) && !out.stderr.includes(PASSWORD));
      assert.ok(!out.stdout.includes(privatePem.split("\n")[1] ?? "-") && !out.stderr.includes(privatePem.split("\n")[1] ?? "-"));
    }
  });

  test("the classic format: --new-bundle-format=false signs the .sig tag; unsigned images say where they looked", async () => {
    const none = await drydock(work.dir, ["verify", ref("cli/legacy"), "--key", "cosign.pub", ...insecure()]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, new RegExp(`no signatures found \\(looked at referrers of ${image.manifest.digest} .* and tag sha256-${image.manifest.digest.slice(7)}\\.sig\\)`));
    const signed = await drydock(work.dir, ["sign", ref("cli/legacy"), "--key", "cosign.key", "--new-bundle-format=false", ...insecure()]);
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stderr, new RegExp(`stored as tag sha256-${image.manifest.digest.slice(7)}\\.sig`));
    const ok = await drydock(work.dir, ["verify", ref("cli/legacy"), "--key", "cosign.pub", ...insecure()]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /: legacy sha256-[0-9a-f]{64}\.sig layer 0/);
  });

  test("a wrong password and an unreadable key are input errors (exit 2) that never echo the password", async () => {
    const wrong = await drydock(work.dir, ["sign", ref("cli/legacy"), "--key", "cosign.key", ...insecure()], { COSIGN_PASSWORD: "not it" });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /\[KEY_PASSWORD_WRONG\]/);
    assert.ok(!wrong.stderr.includes("not it"));
    const missing = await drydock(work.dir, ["verify", ref("cli/legacy"), "--key", "nope.pub", ...insecure()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.pub: cannot read the key file \[INPUT_UNREADABLE\]/);
    const bad = await drydock(work.dir, ["sign", ref("cli/legacy"), "--key", "cosign.key", "--new-bundle-format=maybe", ...insecure()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[USAGE\]/);
  });

  test("attest and verify-attestation, with --type and --print-predicate", async () => {
    writeFileSync(join(work.dir, "vuln.json"), JSON.stringify({ scanner: { uri: "drydock" }, metadata: {} }));
    const attested = await drydock(work.dir, ["attest", ref("cli/attest"), "--key", "cosign.key", "--predicate", "vuln.json", "--type", "vuln", ...insecure()]);
    assert.equal(attested.code, 0, attested.stderr);
    assert.match(attested.stderr, /with https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1/);
    const printed = await drydock(work.dir, ["verify-attestation", ref("cli/attest"), "--key", "cosign.pub", "--type", "vuln", "--print-predicate", ...insecure()]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.deepEqual(JSON.parse(printed.stdout), { scanner: { uri: "drydock" }, metadata: {} });
    const otherType = await drydock(work.dir, ["verify-attestation", ref("cli/attest"), "--key", "cosign.pub", "--type", "slsaprovenance", ...insecure()]);
    assert.equal(otherType.code, 1);
    assert.match(otherType.stderr, /predicate type https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1, not https:\/\/slsa\.dev\/provenance\/v0\.2/);
  });

  test("verify --policy: a matching entry needs one of its keys; an unmatched image is refused", async () => {
    const signed = await drydock(work.dir, ["sign", ref("cli/policy"), "--key", "cosign.key", "-a", "env=prod", ...insecure()]);
    assert.equal(signed.code, 0, signed.stderr);
    writeFileSync(join(work.dir, "drydock.yaml"), [
      "verify:",
      "  images:",
      `    - pattern: "${registry.host}/cli/*"`,
      "      keys: [other.pub, cosign.pub]",
      "      annotations: {env: prod}",
      `    - pattern: "${registry.host}/strict/**"`,
      "      keys: [other.pub]",
      "",
    ].join("\n"));
    const ok = await drydock(work.dir, ["verify", ref("cli/policy"), "--policy", ...insecure()]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /by cosign\.pub/);
    const unmatched = await drydock(work.dir, ["verify", `docker://${registry.host}/elsewhere/app:1`, "--policy", ...insecure()]);
    assert.equal(unmatched.code, 1);
    assert.match(unmatched.stderr, /no entry of verify\.images/);
    writeFileSync(join(work.dir, "strict.yaml"), `verify:\n  images:\n    - pattern: "${registry.host}/cli/policy"\n      keys: [other.pub]\n`);
    const refused = await drydock(work.dir, ["verify", ref("cli/policy"), "--policy", "strict.yaml", ...insecure()]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /other\.pub: signature does not verify with other\.pub/);
  });

  test("a registry failing mid-sign: exit 2 naming the registry, nothing half-written", async () => {
    const viaProxy = `docker://${proxy.host}/cli/fault:1`;
    const first = await drydock(work.dir, ["sign", viaProxy, "--key", "cosign.key", "--new-bundle-format=false", "--insecure-registry", proxy.host, "--retries", "1"]);
    assert.equal(first.code, 0, first.stderr);
    proxy.setFaults([{ method: "PUT", path: /\/manifests\//, times: 5, fault: { kind: "status", status: 503 } }]);
    const failed = await drydock(work.dir, ["sign", viaProxy, "--key", "cosign.key", "-a", "try=2", "--new-bundle-format=false", "--insecure-registry", proxy.host, "--retries", "1"]);
    proxy.setFaults([]);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, new RegExp(`${proxy.host.replace(/\./g, "\\.")}.*\\[REGISTRY_UNAVAILABLE\\]`));
    const after = await drydock(work.dir, ["verify", ref("cli/fault"), "--key", "cosign.pub", "--output", "json", ...insecure()]);
    assert.equal((JSON.parse(after.stdout) as { verified: unknown[] }).verified.length, 1);
  });

  test("pull --verify pulls a signed image by its verified digest and refuses an unsigned one before writing", async () => {
    const dir = join(work.dir, "pull");
    mkdirSync(dir);
    writeFileSync(join(dir, "drydock.yaml"), `verify:\n  images:\n    - pattern: "${registry.host}/cli/*"\n      keys: [../cosign.pub]\n`);
    assert.equal((await drydock(work.dir, ["sign", ref("cli/bundle"), "--key", "cosign.key", ...insecure()])).code, 0);
    const ok = await drydock(dir, ["pull", `${registry.host}/cli/bundle:1`, "-o", "oci:signed:1", "--verify", "-q", ...insecure()]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${image.manifest.digest}\n`);
    assert.match(ok.stderr, /signatures satisfy the verify policy/);
    const refused = await drydock(dir, ["pull", `${registry.host}/cli/attest:1`, "-o", "oci:unsigned:1", "--verify", "-q", ...insecure()]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /the verify policy refuses the image; nothing was pulled: .*no signatures found/);
    assert.equal(existsSync(join(dir, "unsigned")), false);
  });

  test("an OCI layout is signed and verified in place", async () => {
    const dir = join(work.dir, "signed-layout");
    writeLayout(dir, image.manifest, imageBlobs(image).slice(1), "1");
    assert.equal((await drydock(work.dir, ["sign", `oci:${dir}:1`, "--key", "cosign.key"])).code, 0);
    assert.equal((await drydock(work.dir, ["sign", `oci:${dir}:1`, "--key", "cosign.key", "--new-bundle-format=false"])).code, 0);
    const ok = await drydock(work.dir, ["verify", `oci:${dir}:1`, "--key", "cosign.pub"]);
    assert.equal(ok.code, 0, ok.stderr);
    // The signatures stored beside the image do not make the layout ambiguous for commands that read the image.
    const inspected = await drydock(work.dir, ["inspect", `oci:${dir}`]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const copied = await drydock(work.dir, ["copy", `oci:${dir}`, `oci:${join(work.dir, "copied-layout")}:1`, "-q"]);
    assert.equal(copied.code, 0, copied.stderr);
    const archive = await drydock(work.dir, ["sign", `docker-archive:${join(work.dir, "cosign.pub")}`, "--key", "cosign.key"]);
    assert.equal(archive.code, 2);
  });
});
