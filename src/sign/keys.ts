// Key pairs in cosign's formats: cosign.key (scrypt + NaCl secretbox around PKCS#8), cosign.pub (PKIX PEM).
import {
  createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, sign, verify, X509Certificate,
  type KeyObject,
} from "node:crypto";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { DrydockError } from "../core/errors.ts";
import { decodeStdBase64, encodePem, firstPemBlock, isRecord, parseJsonBytes } from "./media.ts";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** cosign.key (ENCRYPTED SIGSTORE PRIVATE KEY) and cosign.pub (PUBLIC KEY), as PEM text. */
export interface GeneratedKeys {
  privatePem: string;
  publicPem: string;
}

/** The label every current cosign writes; the older COSIGN label is still read (and kept on import). */
export const SIGSTORE_PRIVATE_KEY_LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";
export const COSIGN_PRIVATE_KEY_LABEL = "ENCRYPTED COSIGN PRIVATE KEY";

// go-securesystemslib's "Standard" scrypt cost, the one cosign writes; decryption accepts its three presets only.
const SCRYPT_N = 65536;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const ACCEPTED_SCRYPT_N = new Set([32768, 65536, 131072]);
const SALT_BYTES = 32;
const NONCE_BYTES = 24;
const SECRETBOX_TAG_BYTES = 16;

/** A fresh ECDSA P-256 key pair, the private half encrypted under password exactly as `cosign generate-key-pair` does. */
export function generateKeyPair(password: string): GeneratedKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privatePem: encryptPrivateKey(privateKey, password), publicPem: publicKeyPem(publicKey) };
}

/** PKIX "PUBLIC KEY" PEM, as cosign.pub holds it. */
export function publicKeyPem(key: KeyObject): string {
  return encodePem("PUBLIC KEY", key.export({ type: "spki", format: "der" }));
}

/** Encrypts a private key into cosign.key form (ENCRYPTED SIGSTORE PRIVATE KEY); used by generate and import. */
export function encryptPrivateKey(key: KeyObject, password: string, label: string = SIGSTORE_PRIVATE_KEY_LABEL): string {
  if (key.type !== "private") throw new DrydockError("KEY_INVALID", "only a private key can be encrypted into a cosign key file");
  checkKeyType(key, "the key");
  const plaintext = key.export({ type: "pkcs8", format: "der" });
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const secret = deriveSecret(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
  const ciphertext = xsalsa20poly1305(secret, nonce).encrypt(plaintext);
  // Field order of go-securesystemslib's struct; []byte fields are standard base64.
  const body = JSON.stringify({
    kdf: { name: "scrypt", params: { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P }, salt: salt.toString("base64") },
    cipher: { name: "nacl/secretbox", nonce: nonce.toString("base64") },
    ciphertext: Buffer.from(ciphertext).toString("base64"),
  });
  return encodePem(label, Buffer.from(body, "utf8"));
}

/**
 * Loads a private key: cosign's encrypted formats (either PEM label), unencrypted PKCS#8 ("PRIVATE KEY"),
 * password-protected PKCS#8 ("ENCRYPTED PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). `where` names the file in errors.
 */
export function loadPrivateKey(pem: string, password: string, where: string): SigningKey {
  const block = firstPemBlock(pem, "KEY_INVALID", where);
  if (block === undefined) throw new DrydockError("KEY_INVALID", `${where}: no complete PEM block (missing BEGIN/END line, or the file is truncated)`);
  let privateKey: KeyObject;
  switch (block.label) {
    case SIGSTORE_PRIVATE_KEY_LABEL:
    case COSIGN_PRIVATE_KEY_LABEL:
      privateKey = pkcs8FromCosign(decryptCosignKey(block.der, password, where), where);
      break;
    case "PRIVATE KEY":
      privateKey = parsePrivateDer(block.der, "pkcs8", where);
      break;
    case "EC PRIVATE KEY":
      privateKey = parsePrivateDer(block.der, "sec1", where);
      break;
    case "RSA PRIVATE KEY":
      privateKey = parsePrivateDer(block.der, "pkcs1", where);
      break;
    case "ENCRYPTED PRIVATE KEY":
      try {
        privateKey = createPrivateKey({ key: block.der, format: "der", type: "pkcs8", passphrase: password });
      } catch (e) {
        throw new DrydockError("KEY_PASSWORD_WRONG", `${where}: cannot decrypt the PKCS#8 key: wrong password, or the file is damaged`, { cause: e });
      }
      break;
    default:
      throw new DrydockError("KEY_INVALID",
        `${where}: PEM block "${block.label}" is not a private key (expected ${SIGSTORE_PRIVATE_KEY_LABEL}, PRIVATE KEY or EC PRIVATE KEY)`);
  }
  checkKeyType(privateKey, where);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Loads a PKIX "PUBLIC KEY" PEM, or the public key of a "CERTIFICATE" PEM. */
export function loadPublicKey(pem: string, where: string): KeyObject {
  const block = firstPemBlock(pem, "KEY_INVALID", where);
  if (block === undefined) throw new DrydockError("KEY_INVALID", `${where}: no complete PEM block (missing BEGIN/END line, or the file is truncated)`);
  let key: KeyObject;
  try {
    if (block.label === "PUBLIC KEY") key = createPublicKey({ key: block.der, format: "der", type: "spki" });
    else if (block.label === "RSA PUBLIC KEY") key = createPublicKey({ key: block.der, format: "der", type: "pkcs1" });
    else if (block.label === "CERTIFICATE") key = new X509Certificate(block.der).publicKey;
    else throw new DrydockError("KEY_INVALID", `${where}: PEM block "${block.label}" is not a public key (expected PUBLIC KEY or CERTIFICATE)`);
  } catch (e) {
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("KEY_INVALID", `${where}: the ${block.label} PEM block does not hold a readable key`, { cause: e });
  }
  checkKeyType(key, where);
  return key;
}

/**
 * Signs data as sigstore's signers do: ECDSA with the curve's hash (SHA-256 for P-256) in ASN.1 DER,
 * RSA PKCS#1 v1.5 with SHA-256, Ed25519 pure.
 */
export function signBytes(key: SigningKey, data: Uint8Array): Buffer {
  const k = key.privateKey;
  if (k.asymmetricKeyType === "ed25519") return sign(null, data, k);
  return sign(hashFor(k), data, k.asymmetricKeyType === "ec" ? { key: k, dsaEncoding: "der" } : k);
}

/** Whether signature is valid over data; ECDSA signatures may be DER or raw r||s (IEEE P1363), as sigstore accepts. */
export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const attempt = (fn: () => boolean): boolean => {
    try {
      return fn();
    } catch {
      return false;                          // a malformed signature is simply not a valid one
    }
  };
  if (publicKey.asymmetricKeyType === "ed25519") return attempt(() => verify(null, data, publicKey, signature));
  if (publicKey.asymmetricKeyType !== "ec") return attempt(() => verify(hashFor(publicKey), data, publicKey, signature));
  const hash = hashFor(publicKey);
  return attempt(() => verify(hash, data, { key: publicKey, dsaEncoding: "der" }, signature))
    || attempt(() => verify(hash, data, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature));
}

/** The key hint of a key-based Sigstore bundle: base64(sha256(SPKI DER)). */
export function keyHint(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * The key password, as cosign reads it: COSIGN_PASSWORD (then DRYDOCK_PASSWORD) when set, even to the empty
 * string; otherwise the prompt's answer.
 */
export async function passwordFrom(env: Readonly<Record<string, string | undefined>>, prompt: () => Promise<string>): Promise<string> {
  return env.COSIGN_PASSWORD ?? env.DRYDOCK_PASSWORD ?? await prompt();
}

/** Hash sigstore pairs with a key: by curve for ECDSA, SHA-256 for RSA. */
function hashFor(key: KeyObject): string {
  if (key.asymmetricKeyType !== "ec") return "sha256";
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === "secp384r1" ? "sha384" : curve === "secp521r1" ? "sha512" : "sha256";
}

const ALLOWED_CURVES = new Set(["prime256v1", "secp384r1", "secp521r1"]);

/** The key kinds cosign signs with: ECDSA P-256/384/521, RSA 2048-4096, Ed25519. */
function checkKeyType(key: KeyObject, where: string): void {
  const type = key.asymmetricKeyType;
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "unknown";
    if (!ALLOWED_CURVES.has(curve)) throw new DrydockError("KEY_UNSUPPORTED", `${where}: ECDSA curve ${curve} is not supported (use P-256, P-384 or P-521)`);
    return;
  }
  if (type === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048 || bits > 4096) throw new DrydockError("KEY_UNSUPPORTED", `${where}: RSA key size ${bits} is not supported (2048 to 4096 bits)`);
    return;
  }
  if (type === "ed25519") return;
  throw new DrydockError("KEY_UNSUPPORTED", `${where}: ${type ?? "unknown"} keys are not supported (use ECDSA P-256, RSA or Ed25519)`);
}

function parsePrivateDer(der: Buffer, type: "pkcs8" | "sec1" | "pkcs1", where: string): KeyObject {
  try {
    return createPrivateKey({ key: der, format: "der", type });
  } catch (e) {
    throw new DrydockError("KEY_INVALID", `${where}: the ${type.toUpperCase()} private key cannot be parsed (damaged or an unsupported curve)`, { cause: e });
  }
}

/** The plaintext of a cosign key must be PKCS#8; cosign rejects SEC1 there, and so do we, with the reason. */
function pkcs8FromCosign(der: Buffer, where: string): KeyObject {
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch (e) {
    let isSec1 = false;
    try {
      createPrivateKey({ key: der, format: "der", type: "sec1" });
      isSec1 = true;
    } catch {
      // neither form: reported below
    }
    if (isSec1) {
      throw new DrydockError("KEY_UNSUPPORTED",
        `${where}: the encrypted key holds a SEC1 "EC PRIVATE KEY", not PKCS#8; cosign rejects such files too. ` +
        "Decrypt it to PEM and re-import it with `drydock key import`", { cause: e });
    }
    throw new DrydockError("KEY_INVALID", `${where}: the decrypted key is not a PKCS#8 private key`, { cause: e });
  }
}

/** Opens the JSON inside an ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY block; returns the plaintext (PKCS#8 DER). */
function decryptCosignKey(body: Buffer, password: string, where: string): Buffer {
  const json = parseJsonBytes(body, "KEY_INVALID", `${where}: the encrypted key`);
  const kdf = isRecord(json) ? json.kdf : undefined;
  const cipher = isRecord(json) ? json.cipher : undefined;
  const params = isRecord(kdf) ? kdf.params : undefined;
  if (!isRecord(json) || !isRecord(kdf) || !isRecord(cipher) || !isRecord(params) || typeof json.ciphertext !== "string"
    || typeof kdf.salt !== "string" || typeof cipher.nonce !== "string") {
    throw new DrydockError("KEY_INVALID", `${where}: the encrypted key lacks kdf, cipher or ciphertext fields`);
  }
  if (kdf.name !== "scrypt") throw new DrydockError("KEY_UNSUPPORTED", `${where}: key derivation ${JSON.stringify(kdf.name)} is not supported (only scrypt)`);
  if (cipher.name !== "nacl/secretbox") throw new DrydockError("KEY_UNSUPPORTED", `${where}: cipher ${JSON.stringify(cipher.name)} is not supported (only nacl/secretbox)`);
  const { N, r, p } = params;
  if (typeof N !== "number" || !ACCEPTED_SCRYPT_N.has(N) || r !== SCRYPT_R || p !== SCRYPT_P) {
    throw new DrydockError("KEY_UNSUPPORTED",
      `${where}: scrypt parameters N=${String(N)}, r=${String(r)}, p=${String(p)} are not accepted ` +
      "(cosign accepts N of 32768, 65536 or 131072 with r=8, p=1)");
  }
  const salt = decodeStdBase64(kdf.salt, "KEY_INVALID", `${where}: kdf.salt`);
  const nonce = decodeStdBase64(cipher.nonce, "KEY_INVALID", `${where}: cipher.nonce`);
  const ciphertext = decodeStdBase64(json.ciphertext, "KEY_INVALID", `${where}: ciphertext`);
  if (nonce.length !== NONCE_BYTES) throw new DrydockError("KEY_INVALID", `${where}: cipher.nonce is ${nonce.length} bytes, not ${NONCE_BYTES}`);
  if (ciphertext.length <= SECRETBOX_TAG_BYTES) throw new DrydockError("KEY_INVALID", `${where}: ciphertext is too short to hold a key`);
  const secret = deriveSecret(password, salt, N, r, p);
  try {
    return Buffer.from(xsalsa20poly1305(secret, nonce).decrypt(ciphertext));
  } catch (e) {
    throw new DrydockError("KEY_PASSWORD_WRONG", `${where}: cannot decrypt the key: wrong password, or the file is damaged`, { cause: e });
  }
}

function deriveSecret(password: string, salt: Uint8Array, N: number, r: number, p: number): Buffer {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below N=65536, so raise it to what the params need.
  return scryptSync(Buffer.from(password, "utf8"), salt, 32, { N, r, p, maxmem: 256 * N * r });
}
