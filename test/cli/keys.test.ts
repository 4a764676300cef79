// The key and blob commands, run in-process the way main.ts runs them (exit codes, stdout/stderr, files).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { isDrydockError } from "../../src/core/errors.ts";
import { registerKeyCommands } from "../../src/cli/keys.ts";
import type { Io } from "../../src/cli/main.ts";
import { loadPrivateKey, loadPublicKey, publicKeyPem } from "../../src/sign/keys.ts";
import { parseBundle } from "../../src/sign/bundle.ts";
import { tempTree } from "../helpers/cli.ts";
import { SEC1_P256 } from "../sign/vectors.ts";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const PASSWORD = "correct horse battery staple";

async function run(args: string[], cwd: string, env: Record<string, string> = { COSIGN_PASSWORD: PASSWORD }): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, env, cwd };
  const program = new Command("drydock").exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const state = registerKeyCommands(program, io, { readPassword: async () => { throw new Error("tests never prompt"); } });
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: state.exitCode ?? 0, stdout, stderr };
  } catch (e) {
    if (e instanceof CommanderError) return { code: 2, stdout, stderr };
    if (isDrydockError(e)) return { code: 2, stdout, stderr: `${stderr}drydock: ${e.message} [${e.code}]\n` };
    throw e;
  }
}

function assertNoSecrets(r: Result, dir: string): void {
  assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD), "the password must never be printed");
  const key = readFileSync(join(dir, "cosign.key"), "utf8").split("\n")[1] ?? "";
  assert.ok(key.length > 0 && !`${r.stdout}${r.stderr}`.includes(key), "the private key must never be printed");
}

test("key generate writes cosign.key (0600) and cosign.pub, refuses to overwrite without --force", async () => {
  const t = tempTree({});
  try {
    const r = await run(["key", "generate"], t.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Private key written to cosign\.key/);
    assert.equal(statSync(join(t.dir, "cosign.key")).mode & 0o777, 0o600);
    const pem = readFileSync(join(t.dir, "cosign.key"), "utf8");
    const pub = readFileSync(join(t.dir, "cosign.pub"), "utf8");
    assert.equal(publicKeyPem(loadPrivateKey(pem, PASSWORD, "cosign.key").publicKey), pub);
    assertNoSecrets(r, t.dir);

    const again = await run(["generate-key-pair"], t.dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--force.*\[USAGE\]/);
    assert.equal(readFileSync(join(t.dir, "cosign.key"), "utf8"), pem, "the existing key is untouched");

    const forced = await run(["generate-key-pair", "--force"], t.dir, { DRYDOCK_PASSWORD: "" });
    assert.equal(forced.code, 0, forced.stderr);
    loadPrivateKey(readFileSync(join(t.dir, "cosign.key"), "utf8"), "", "cosign.key");          // empty password, as cosign allows

    const prefixed = await run(["key", "generate", "--output-key-prefix", "release"], t.dir);
    assert.equal(prefixed.code, 0);
    loadPublicKey(readFileSync(join(t.dir, "release.pub"), "utf8"), "release.pub");
  } finally {
    t.cleanup();
  }
});

test("key import re-encrypts a PEM key in cosign's format, same public key", async () => {
  const t = tempTree({ "ec.pem": SEC1_P256 });
  try {
    const r = await run(["key", "import", "--key", "ec.pem"], t.dir);
    assert.equal(r.code, 0, r.stderr);
    const imported = loadPrivateKey(readFileSync(join(t.dir, "import-cosign.key"), "utf8"), PASSWORD, "import-cosign.key");
    assert.equal(publicKeyPem(imported.publicKey), publicKeyPem(loadPrivateKey(SEC1_P256, "", "ec.pem").publicKey));
    assert.equal(readFileSync(join(t.dir, "import-cosign.pub"), "utf8"), publicKeyPem(imported.publicKey));
    const missing = await run(["import-key-pair", "--key", "nope.pem"], t.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.pem.*\[INPUT_UNREADABLE\]/);
  } finally {
    t.cleanup();
  }
});

test("sign-blob prints a base64 signature that openssl verifies; verify-blob says Verified OK or exit 1 with the reason", async () => {
  const t = tempTree({ "sbom.json": `{"bomFormat":"CycloneDX"}\n` });
  try {
    assert.equal((await run(["key", "generate"], t.dir)).code, 0);
    const signed = await run(["sign-blob", "sbom.json", "--key", "cosign.key"], t.dir);
    assert.equal(signed.code, 0, signed.stderr);
    assertNoSecrets(signed, t.dir);
    const b64 = signed.stdout.trim();
    writeFileSync(join(t.dir, "sig.der"), Buffer.from(b64, "base64"));
    writeFileSync(join(t.dir, "sbom.sig"), `${b64}\n`);
    execFileSync("openssl", ["dgst", "-sha256", "-verify", "cosign.pub", "-signature", "sig.der", "sbom.json"], { cwd: t.dir, stdio: "pipe" });

    const ok = await run(["verify-blob", "sbom.json", "--key", "cosign.pub", "--signature", "sbom.sig"], t.dir, {});
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, "Verified OK\n");

    writeFileSync(join(t.dir, "sbom.json"), `{"bomFormat":"CycloneDX" }\n`);
    const bad = await run(["verify-blob", "sbom.json", "--key", "cosign.pub", "--signature", "sbom.sig"], t.dir, {});
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /verification failed: the signature does not match the file/);

    const neither = await run(["verify-blob", "sbom.json", "--key", "cosign.pub"], t.dir, {});
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /exactly one of --signature/);
  } finally {
    t.cleanup();
  }
});

test("sign-blob --bundle writes a Sigstore bundle (or cosign's legacy one) that verify-blob checks", async () => {
  const t = tempTree({ "report.txt": "all clean\n", "other.txt": "not the report\n" });
  try {
    assert.equal((await run(["key", "generate"], t.dir)).code, 0);
    const r = await run(["sign-blob", "report.txt", "--key", "cosign.key", "--bundle", "report.bundle", "--output-signature", "report.sig"], t.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const bundle = parseBundle(readFileSync(join(t.dir, "report.bundle")), "report.bundle");
    assert.equal(bundle.mediaType, "application/vnd.dev.sigstore.bundle.v0.3+json");
    assert.ok(bundle.messageSignature !== undefined);
    assert.equal((await run(["verify-blob", "report.txt", "--key", "cosign.pub", "--bundle", "report.bundle"], t.dir, {})).code, 0);
    assert.equal((await run(["verify-blob", "report.txt", "--key", "cosign.pub", "--signature", "report.sig"], t.dir, {})).code, 0);
    const wrongFile = await run(["verify-blob", "other.txt", "--key", "cosign.pub", "--bundle", "report.bundle"], t.dir, {});
    assert.equal(wrongFile.code, 1);
    assert.match(wrongFile.stderr, /different file/);

    const legacy = await run(["sign-blob", "report.txt", "--key", "cosign.key", "--bundle", "legacy.bundle", "--new-bundle-format=false"], t.dir);
    assert.equal(legacy.code, 0, legacy.stderr);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(t.dir, "legacy.bundle"), "utf8"))), ["base64Signature"]);
    assert.equal((await run(["verify-blob", "report.txt", "--key", "cosign.pub", "--bundle", "legacy.bundle"], t.dir, {})).code, 0);

    const garbage = await run(["verify-blob", "report.txt", "--key", "cosign.pub", "--bundle", "other.txt"], t.dir, {});
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /\[BUNDLE_INVALID\]/);
  } finally {
    t.cleanup();
  }
});

test("a wrong password is exit 2 with KEY_PASSWORD_WRONG and no secret in the output", async () => {
  const t = tempTree({ "f": "x" });
  try {
    assert.equal((await run(["key", "generate"], t.dir)).code, 0);
    const r = await run(["sign-blob", "f", "--key", "cosign.key"], t.dir, { COSIGN_PASSWORD: "wrong-password-123" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\[KEY_PASSWORD_WRONG\]/);
    assert.ok(!r.stderr.includes("wrong-password-123"));
    assertNoSecrets(r, t.dir);
  } finally {
    t.cleanup();
  }
});
