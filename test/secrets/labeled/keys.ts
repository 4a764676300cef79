// Private keys in every common format, made by the test: node:crypto for PEM (PKCS#1, SEC1, PKCS#8, encrypted
// PKCS#8, legacy encrypted PEM), the OpenSSH and PuTTY formats built by code from their specifications (PROTOCOL.key,
// PuTTY's ppk documentation), and ssh-keygen / openssl for more when they are installed.
import { execFileSync } from "node:child_process";
import { createHmac, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const sshString = (data: Buffer | string): Buffer => {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([u32(bytes.length), bytes]);
};
const wrap = (b64: string, width: number): string => b64.match(new RegExp(`.{1,${width}}`, "g"))?.join("\n") ?? "";

export interface Ed25519Raw {
  seed: Buffer;
  pub: Buffer;
}

export function ed25519Raw(): Ed25519Raw {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return { seed: Buffer.from(jwk.d ?? "", "base64url"), pub: Buffer.from(jwk.x ?? "", "base64url") };
}

const publicBlob = (k: Ed25519Raw): Buffer => Buffer.concat([sshString("ssh-ed25519"), sshString(k.pub)]);

/** An unencrypted OpenSSH private key (openssh-key-v1), as ssh-keygen writes it. */
export function openSshEd25519(k: Ed25519Raw, comment = "deploy@ci"): string {
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString("ssh-ed25519"), sshString(k.pub), sshString(Buffer.concat([k.seed, k.pub])), sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), u32(1), sshString(publicBlob(k)), sshString(priv)]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString("base64"), 70)}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** The one-line public key (`ssh-ed25519 AAAA... comment`) of the same key: not a secret. */
export function openSshPublic(k: Ed25519Raw, comment = "deploy@ci"): string {
  return `ssh-ed25519 ${publicBlob(k).toString("base64")} ${comment}`;
}

/** A PuTTY .ppk file, version 3 (unencrypted, HMAC-SHA-256 with an empty key) or 2 (HMAC-SHA-1). */
export function puttyKey(k: Ed25519Raw, version: 2 | 3, encryption: "none" | "aes256-cbc" = "none"): string {
  const comment = "eddsa-key-20240101";
  const pub = publicBlob(k);
  const priv = encryption === "none" ? sshString(k.seed) : randomBytes(48);
  const macData = Buffer.concat([sshString("ssh-ed25519"), sshString(encryption), sshString(comment), sshString(pub), sshString(priv)]);
  const mac = version === 3 ? createHmac("sha256", Buffer.alloc(0)).update(macData).digest("hex") : createHmac("sha1", "putty-private-key-file-mac-key").update(macData).digest("hex");
  const pubLines = wrap(pub.toString("base64"), 64).split("\n");
  const privLines = wrap(priv.toString("base64"), 64).split("\n");
  const kdf = version === 3 && encryption !== "none" ? "Key-Derivation: Argon2id\nArgon2-Memory: 8192\nArgon2-Passes: 13\nArgon2-Parallelism: 1\nArgon2-Salt: 0123456789abcdef0123456789abcdef\n" : "";
  return [
    `PuTTY-User-Key-File-${version}: ssh-ed25519`, `Encryption: ${encryption}`, `Comment: ${comment}`, `Public-Lines: ${pubLines.length}`, ...pubLines,
    ...(kdf === "" ? [] : [kdf.trimEnd()]), `Private-Lines: ${privLines.length}`, ...privLines, `Private-MAC: ${mac}`, "",
  ].join("\n");
}

/** CRC-24 of RFC 4880 (armor checksum). */
function crc24(data: Buffer): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if ((crc & 0x1000000) !== 0) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** An armored OpenPGP secret key packet (tag 5, version 4, EdDSA), with its CRC-24 line. */
export function pgpPrivateKey(k: Ed25519Raw): string {
  const oid = Buffer.from([0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]);
  const mpi = (b: Buffer): Buffer => Buffer.concat([Buffer.from([(b.length * 8) >> 8, (b.length * 8) & 0xff]), b]);
  const body = Buffer.concat([Buffer.from([4]), u32(1_700_000_000), Buffer.from([22]), oid, mpi(Buffer.concat([Buffer.from([0x40]), k.pub])), Buffer.from([0]), mpi(k.seed), Buffer.from([0x12, 0x34])]);
  const packet = Buffer.concat([Buffer.from([0xc5, body.length]), body]);
  const crc = Buffer.from([(crc24(packet) >> 16) & 0xff, (crc24(packet) >> 8) & 0xff, crc24(packet) & 0xff]).toString("base64");
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${wrap(packet.toString("base64"), 64)}\n=${crc}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}

export interface NamedKey {
  name: string;
  pem: string;
}

/** PEM private keys from node:crypto. */
export function nodeKeys(): NamedKey[] {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const ed = generateKeyPairSync("ed25519").privateKey;
  const pem = (k: KeyObject, type: "pkcs1" | "pkcs8" | "sec1", cipher?: string): string =>
    cipher === undefined ? k.export({ format: "pem", type }).toString() : k.export({ format: "pem", type, cipher, passphrase: "correct horse" }).toString();
  return [
    { name: "RSA PKCS#1 PEM", pem: pem(rsa, "pkcs1") },
    { name: "RSA PKCS#8 PEM", pem: pem(rsa, "pkcs8") },
    { name: "EC SEC1 PEM", pem: pem(ec, "sec1") },
    { name: "EC PKCS#8 PEM", pem: pem(ec, "pkcs8") },
    { name: "Ed25519 PKCS#8 PEM", pem: pem(ed, "pkcs8") },
    { name: "encrypted PKCS#8", pem: pem(rsa, "pkcs8", "aes-256-cbc") },
    { name: "legacy encrypted PEM (Proc-Type)", pem: pem(rsa, "pkcs1", "aes-128-cbc") },
  ];
}

function has(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Keys from the real tools, when installed: ssh-keygen (RSA, ECDSA, passphrase-protected) and openssl (DSA). */
export function toolKeys(): NamedKey[] {
  const out: NamedKey[] = [];
  const dir = mkdtempSync(join(tmpdir(), "drydock-keys-"));
  try {
    if (has("ssh-keygen")) {
      for (const [name, args] of [
        ["OpenSSH RSA (ssh-keygen)", ["-t", "rsa", "-b", "1024", "-N", ""]],
        ["OpenSSH ECDSA (ssh-keygen)", ["-t", "ecdsa", "-b", "256", "-N", ""]],
        ["OpenSSH ed25519 with a passphrase (ssh-keygen)", ["-t", "ed25519", "-N", "correct horse battery"]],
      ] as const) {
        const file = join(dir, `k${out.length}`);
        execFileSync("ssh-keygen", ["-q", ...args, "-C", "ci@build", "-f", file], { stdio: "ignore" });
        out.push({ name, pem: readFileSync(file, "utf8") });
      }
    }
    if (has("openssl")) {
      // OpenSSL 3 writes PKCS#8; `pkey -traditional` gives the classic "DSA PRIVATE KEY" form.
      const pem = execFileSync("sh", ["-c", "openssl dsaparam -genkey -noout 1024 2>/dev/null | openssl pkey -traditional"], { encoding: "utf8" });
      out.push({ name: "DSA PEM (openssl)", pem });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** A self-signed certificate from openssl, when installed (public: not a secret). */
export function certificate(): string | undefined {
  if (!has("openssl")) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "drydock-cert-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "k"), "-out", join(dir, "c"), "-days", "1", "-subj", "/CN=app.example"], { stdio: "ignore" });
    return readFileSync(join(dir, "c"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
