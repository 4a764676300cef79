import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  encryptPrivateKey, generateKeyPair, keyHint, loadPrivateKey, loadPublicKey, passwordFrom, publicKeyPem, signBytes, verifyBytes,
} from "../../src/sign/keys.ts";
import { encodePem } from "../../src/sign/media.ts";
import {
  ECDSA_MESSAGE, ECDSA_PRIV, ECDSA_PUB, ECDSA_SIG_DER, ECDSA_SIG_P1363, ED25519_PKCS8, PEM_COSIGN_EC_KEY, PEM_COSIGN_KEY,
  PEM_SIGSTORE_KEY, SEC1_P224, SEC1_P256, SEC1_P384,
} from "./vectors.ts";

// Debian's python3 (python3-nacl, python3-cryptography), not a pyenv shim that may lack them.
const PYTHON = "/usr/bin/python3";

/** Independent cosign.key decryption: PyNaCl's SecretBox + hashlib.scrypt; prints the plaintext as hex. */
const PY_DECRYPT = `
import sys, json, base64, hashlib, nacl.secret
pem = sys.stdin.read().strip().splitlines()
body = json.loads(base64.b64decode("".join(pem[1:-1])))
kdf = body["kdf"]; params = kdf["params"]
key = hashlib.scrypt(sys.argv[1].encode(), salt=base64.b64decode(kdf["salt"]), n=params["N"], r=params["r"], p=params["p"], maxmem=512*1024*1024, dklen=32)
box = nacl.secret.SecretBox(key)
print(box.decrypt(base64.b64decode(body["ciphertext"]), base64.b64decode(body["cipher"]["nonce"])).hex())
`;

/** Independent cosign.key encryption with chosen scrypt parameters; reads PKCS#8 DER hex on stdin. */
const PY_ENCRYPT = `
import sys, json, base64, hashlib, os, nacl.secret
der = bytes.fromhex(sys.stdin.read().strip())
n, r, p = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
salt = os.urandom(32); nonce = os.urandom(24)
key = hashlib.scrypt(sys.argv[1].encode(), salt=salt, n=n, r=r, p=p, maxmem=512*1024*1024, dklen=32)
ct = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
print(json.dumps({"kdf":{"name":"scrypt","params":{"N":n,"r":r,"p":p},"salt":base64.b64encode(salt).decode()},"cipher":{"name":"nacl/secretbox","nonce":base64.b64encode(nonce).decode()},"ciphertext":base64.b64encode(ct).decode()}))
`;

function pythonDecrypt(pem: string, password: string): Buffer {
  return Buffer.from(execFileSync(PYTHON, ["-c", PY_DECRYPT, password], { input: pem }).toString().trim(), "hex");
}

function pythonEncrypt(pkcs8: Buffer, password: string, n: number, r: number, p: number): string {
  const json = execFileSync(PYTHON, ["-c", PY_ENCRYPT, password, String(n), String(r), String(p)], { input: pkcs8.toString("hex") });
  return encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from(json.toString().trim()));
}

function rejectsWith(fn: () => unknown, code: string, secret?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error && e.name === "DrydockError", `expected a DrydockError, got ${String(e)}`);
    assert.equal((e as Error & { code: string }).code, code, (e as Error).message);
    if (secret !== undefined) assert.ok(!e.message.includes(secret), "the message must not contain the password");
    return true;
  });
}

const bodyJson = (pem: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(pem.trim().split("\n").slice(1, -1).join(""), "base64").toString()) as Record<string, unknown>;

test("cosign's pemsigstorekey and pemcosignkey decrypt with their password and can sign", () => {
  for (const pem of [PEM_SIGSTORE_KEY, PEM_COSIGN_KEY]) {
    const key = loadPrivateKey(pem, "hello", "cosign.key");
    assert.equal(key.privateKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    const sig = signBytes(key, Buffer.from("payload"));
    assert.ok(verifyBytes(key.publicKey, Buffer.from("payload"), sig));
    assert.ok(!verifyBytes(key.publicKey, Buffer.from("payloaD"), sig));
    // The same plaintext as the independent implementation recovers.
    assert.deepEqual(key.privateKey.export({ type: "pkcs8", format: "der" }), pythonDecrypt(pem, "hello"));
  }
});

test("a wrong password is KEY_PASSWORD_WRONG, and the password never appears in the message", () => {
  rejectsWith(() => loadPrivateKey(PEM_SIGSTORE_KEY, "hunter2-secret", "cosign.key"), "KEY_PASSWORD_WRONG", "hunter2-secret");
  rejectsWith(() => loadPrivateKey(PEM_SIGSTORE_KEY, "", "cosign.key"), "KEY_PASSWORD_WRONG");
});

test("cosign's pemcosigneckey (SEC1 inside the encryption) is rejected with the reason", () => {
  assert.throws(() => loadPrivateKey(PEM_COSIGN_EC_KEY, "hello", "ec.key"), (e: Error & { code?: string }) => {
    assert.equal(e.code, "KEY_UNSUPPORTED");
    assert.match(e.message, /SEC1/);
    assert.match(e.message, /PKCS#8/);
    return true;
  });
});

test("sigstore's ECDSA vector verifies in DER and in IEEE P1363 form", () => {
  const pub = loadPublicKey(ECDSA_PUB, "ecdsa.pub");
  const msg = Buffer.from(ECDSA_MESSAGE);
  assert.ok(verifyBytes(pub, msg, Buffer.from(ECDSA_SIG_DER, "base64")));
  assert.ok(verifyBytes(pub, msg, Buffer.from(ECDSA_SIG_P1363, "base64")));
  assert.ok(!verifyBytes(pub, Buffer.from("sign me!"), Buffer.from(ECDSA_SIG_DER, "base64")));
  assert.ok(!verifyBytes(pub, msg, Buffer.from("not a signature")));
  // The unencrypted PKCS#8 private key of the vector loads and pairs with the published public key.
  const key = loadPrivateKey(ECDSA_PRIV, "", "ecdsa.key");
  assert.equal(publicKeyPem(key.publicKey).trim(), ECDSA_PUB.trim());
});

test("keys drydock generates decrypt with PyNaCl + hashlib.scrypt, and openssl reads the PKCS#8 inside", () => {
  const { privatePem, publicPem } = generateKeyPair("s3cret pässword");
  assert.match(privatePem, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
  assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----\n/);
  const body = bodyJson(privatePem);
  assert.deepEqual(Object.keys(body), ["kdf", "cipher", "ciphertext"]);
  assert.deepEqual((body.kdf as { params: unknown }).params, { N: 65536, r: 8, p: 1 });
  assert.equal(Buffer.from((body.kdf as { salt: string }).salt, "base64").length, 32);
  assert.equal(Buffer.from((body.cipher as { nonce: string }).nonce, "base64").length, 24);
  assert.equal(Buffer.from(body.ciphertext as string, "base64").length, 154, "16-byte tag + 138-byte P-256 PKCS#8");

  const pkcs8 = pythonDecrypt(privatePem, "s3cret pässword");
  const opensslPub = execFileSync("openssl", ["pkey", "-inform", "DER", "-pubout"], { input: pkcs8 }).toString();
  assert.equal(opensslPub, publicPem);
  const text = execFileSync("openssl", ["pkey", "-inform", "DER", "-noout", "-text"], { input: pkcs8 }).toString();
  assert.match(text, /NIST CURVE: P-256/);
});

test("keys encrypted by the independent implementation load, at the other scrypt costs cosign accepts", () => {
  const pkcs8 = createPrivateKey(ECDSA_PRIV).export({ type: "pkcs8", format: "der" });
  for (const n of [32768, 131072]) {                 // 65536 is what generateKeyPair writes, checked above
    const pem = pythonEncrypt(pkcs8, "pw", n, 8, 1);
    const key = loadPrivateKey(pem, "pw", "py.key");
    assert.equal(publicKeyPem(key.publicKey).trim(), ECDSA_PUB.trim());
  }
});

test("scrypt parameters cosign does not accept are refused before any work", () => {
  const withParams = (params: unknown): string => {
    const body = bodyJson(PEM_SIGSTORE_KEY);
    (body.kdf as { params: unknown }).params = params;
    return encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from(JSON.stringify(body)));
  };
  for (const params of [{ N: 16384, r: 8, p: 1 }, { N: 1048576, r: 8, p: 1 }, { N: 32768, r: 16, p: 1 }, { N: 32768, r: 8, p: 2 }, { N: "32768", r: 8, p: 1 }]) {
    rejectsWith(() => loadPrivateKey(withParams(params), "hello", "k"), "KEY_UNSUPPORTED");
  }
});

test("damaged key files are clear errors, never crashes", () => {
  const lines = PEM_SIGSTORE_KEY.split("\n");
  rejectsWith(() => loadPrivateKey(lines.slice(0, 5).join("\n"), "hello", "k"), "KEY_INVALID");               // truncated
  rejectsWith(() => loadPrivateKey("", "hello", "k"), "KEY_INVALID");
  rejectsWith(() => loadPrivateKey(ECDSA_PUB, "hello", "k"), "KEY_INVALID");                                  // wrong label
  rejectsWith(() => loadPrivateKey(PEM_SIGSTORE_KEY.replace("SIGSTORE PRIVATE", "FOO PRIVATE").replace("SIGSTORE PRIVATE", "FOO PRIVATE"), "hello", "k"), "KEY_INVALID");
  rejectsWith(() => loadPrivateKey(encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from("{not json")), "hello", "k"), "KEY_INVALID");
  rejectsWith(() => loadPrivateKey(encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from("[1,2]")), "hello", "k"), "KEY_INVALID");
  const badCipher = bodyJson(PEM_SIGSTORE_KEY);
  (badCipher.cipher as { name: string }).name = "aes-gcm";
  rejectsWith(() => loadPrivateKey(encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from(JSON.stringify(badCipher))), "hello", "k"), "KEY_UNSUPPORTED");
  const shortNonce = bodyJson(PEM_SIGSTORE_KEY);
  (shortNonce.cipher as { nonce: string }).nonce = "AAAA";
  rejectsWith(() => loadPrivateKey(encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", Buffer.from(JSON.stringify(shortNonce))), "hello", "k"), "KEY_INVALID");
  rejectsWith(() => loadPrivateKey(PEM_SIGSTORE_KEY.replace("eyJrZGYi", "ey!rZGYi"), "hello", "k"), "KEY_INVALID"); // not base64
  rejectsWith(() => loadPrivateKey(encodePem("PRIVATE KEY", Buffer.from("garbage")), "", "k"), "KEY_INVALID");
  rejectsWith(() => loadPublicKey(encodePem("PUBLIC KEY", Buffer.from("garbage")), "k"), "KEY_INVALID");
  rejectsWith(() => loadPublicKey(SEC1_P256, "k"), "KEY_INVALID");
  // Every truncation point of a key file: a DrydockError each time (the body is cut before scrypt runs).
  for (let i = 0; i < PEM_SIGSTORE_KEY.length - 20; i += 7) {
    assert.throws(() => loadPrivateKey(PEM_SIGSTORE_KEY.slice(0, i), "hello", "k"), { name: "DrydockError" });
  }
});

test("plain SEC1, PKCS#8 and Ed25519 keys load; curves cosign refuses are refused", () => {
  const p256 = loadPrivateKey(SEC1_P256, "", "p256.key");
  assert.ok(verifyBytes(p256.publicKey, Buffer.from("m"), signBytes(p256, Buffer.from("m"))));
  const p384 = loadPrivateKey(SEC1_P384, "", "p384.key");
  const sig384 = signBytes(p384, Buffer.from("m"));
  // sigstore pairs P-384 with SHA-384: check with that hash named explicitly.
  assert.equal(p384.publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1");
  assert.ok(verify("sha384", Buffer.from("m"), p384.publicKey, sig384));
  assert.ok(verifyBytes(p384.publicKey, Buffer.from("m"), sig384));
  const ed = loadPrivateKey(ED25519_PKCS8, "", "ed.key");
  const edSig = signBytes(ed, Buffer.from("m"));
  assert.equal(edSig.length, 64);
  assert.ok(verifyBytes(ed.publicKey, Buffer.from("m"), edSig));
  rejectsWith(() => loadPrivateKey(SEC1_P224, "", "p224.key"), "KEY_UNSUPPORTED");
});

test("an imported key re-encrypted in cosign form loads back to the same key", () => {
  const original = loadPrivateKey(SEC1_P256, "", "in.key");
  const pem = encryptPrivateKey(original.privateKey, "new password");
  const back = loadPrivateKey(pem, "new password", "out.key");
  assert.equal(publicKeyPem(back.publicKey), publicKeyPem(original.publicKey));
  assert.deepEqual(pythonDecrypt(pem, "new password"), original.privateKey.export({ type: "pkcs8", format: "der" }));
});

test("a certificate PEM gives its public key", () => {
  const dir = mkdtempSync(join(tmpdir(), "drydock-cert-"));
  writeFileSync(join(dir, "k.pem"), ECDSA_PRIV);
  const cert = execFileSync("openssl", ["req", "-x509", "-new", "-key", join(dir, "k.pem"), "-subj", "/CN=t", "-days", "1"]).toString();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(publicKeyPem(loadPublicKey(cert, "cert.pem")).trim(), ECDSA_PUB.trim());
});

test("keyHint is base64(sha256(SPKI DER)), computed here with openssl", () => {
  const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "DER"], { input: ECDSA_PUB });
  assert.equal(keyHint(loadPublicKey(ECDSA_PUB, "p")), createHash("sha256").update(der).digest("base64"));
});

test("passwordFrom: COSIGN_PASSWORD even when empty, then DRYDOCK_PASSWORD, then the prompt", async () => {
  const prompt = async (): Promise<string> => "prompted";
  assert.equal(await passwordFrom({ COSIGN_PASSWORD: "", DRYDOCK_PASSWORD: "d" }, prompt), "");
  assert.equal(await passwordFrom({ DRYDOCK_PASSWORD: "d" }, prompt), "d");
  assert.equal(await passwordFrom({}, prompt), "prompted");
});
