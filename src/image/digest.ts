// Content digests ("sha256:<hex>"): validated before they become file names, computed while streaming.
import { createHash, type Hash } from "node:crypto";
import { DrydockError } from "../core/errors.ts";

/** Digest algorithms the OCI image spec registers, with the length of their hex encoding. */
const ALGORITHMS = { sha256: 64, sha512: 128 } as const;
export type DigestAlgorithm = keyof typeof ALGORITHMS;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Lower-case hex only: the spec's registered algorithms forbid upper case, and the value becomes a file name. */
export function parseDigest(value: unknown): ParsedDigest | undefined {
  if (typeof value !== "string") return undefined;
  const colon = value.indexOf(":");
  if (colon < 0) return undefined;
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm !== "sha256" && algorithm !== "sha512") return undefined;
  if (hex.length !== ALGORITHMS[algorithm] || !/^[0-9a-f]+$/.test(hex)) return undefined;
  return { algorithm, hex };
}

/** The digest, or MANIFEST_INVALID naming where it came from. */
export function requireDigest(value: unknown, where: string): ParsedDigest {
  const parsed = parseDigest(value);
  if (parsed === undefined) {
    throw new DrydockError("MANIFEST_INVALID", `${where}: ${JSON.stringify(value)} is not a sha256 or sha512 digest`);
  }
  return parsed;
}

export function formatDigest(d: ParsedDigest): string {
  return `${d.algorithm}:${d.hex}`;
}

export function digestHasher(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function sha256Of(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

/** "sha256:0123456789ab" — enough to tell layers apart in messages. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon < 0 ? digest : digest.slice(0, colon + 13);
}
