// Realistic-looking but fake credentials for the detector and rule tests. They are made at run time from a seeded
// generator, so no token-shaped literal sits in the repository, and checksums are computed here, independently of
// src/secrets, from the formats' published descriptions.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

const DIGITS = "0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = UPPER.toLowerCase();
export const ALNUM = DIGITS + UPPER + LOWER;
const BASE32 = `${UPPER}234567`;

/** A deterministic stream of characters: the same seed gives the same fakes on every run. */
export class FakeSource {
  private counter = 0;
  private readonly seed: string;

  constructor(seed: string) {
    this.seed = seed;
  }

  string(length: number, alphabet: string = ALNUM): string {
    let out = "";
    while (out.length < length) {
      const block = createHash("sha256").update(`${this.seed}/${this.counter++}`).digest();
      for (const byte of block) {
        if (out.length === length) break;
        // Rejection sampling keeps the characters uniform.
        if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
      }
    }
    return out;
  }
}

/** Base 62 as GitHub describes its token checksum: digits, A-Z, a-z, most significant first, zero-padded. */
export function base62(n: number, width: number): string {
  const digits: string[] = [];
  for (let rest = BigInt(n); rest > 0n; rest /= 62n) digits.unshift(ALNUM.charAt(Number(rest % 62n)));
  return digits.join("").padStart(width, "0");
}

/** A GitHub (ghp_/gho_/ghu_/ghs_/ghr_) or npm (npm_) token: 30 random characters and their CRC32 in base 62. */
export function checksummedToken(prefix: string, fakes: FakeSource): string {
  const entropy = fakes.string(30);
  return `${prefix}_${entropy}${base62(crc32(entropy), 6)}`;
}

/** The same token with its last checksum character changed: the shape of a token, but not one. */
export function withBrokenChecksum(token: string): string {
  const last = token.slice(-1);
  return token.slice(0, -1) + (last === "A" ? "B" : "A");
}

export function awsAccessKeyId(fakes: FakeSource, prefix = "AKIA"): string {
  return prefix + fakes.string(16, BASE32);
}

export function awsSecretAccessKey(fakes: FakeSource): string {
  return fakes.string(40, `${ALNUM}/+`);
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWS compact token with the given header (it needs an "alg" to be one). */
export function jwt(fakes: FakeSource, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }): string {
  return `${base64url(header)}.${base64url({ sub: fakes.string(8), iat: 1700000000 })}.${fakes.string(43, `${ALNUM}-_`)}`;
}
