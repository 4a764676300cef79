// Secrets in one file of an image, judged by content with the path as context: what DI006 reports for every
// file of every layer, and what the labeled quality set (test/secrets/labeled) measures.
import { Buffer } from "node:buffer";
import { credentialFileSecrets } from "../../../secrets/credential-files.ts";
import { findFormattedSecrets } from "../../../secrets/formats.ts";
import { findSecrets } from "../../../secrets/detect.ts";
import { resolveOverlaps, type SecretMatch } from "../../../secrets/match.ts";
import { inDependencyTree, inThirdPartyFixtures } from "./paths.ts";

export interface FileSecret {
  kind: SecretMatch["kind"];
  description: string;
  /** The public prefix and asterisks: never the secret. */
  masked: string;
  evidence: SecretMatch["evidence"];
  /** 1-based line of the secret's start, and its byte offset. */
  line: number;
  start: number;
  end: number;
}

/** Bytes looked at to tell text from binary, as grep and git do. */
const SNIFF_BYTES = 8000;

export function isBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

/**
 * Secrets in a file's content (its first bytes, as the walker read them). In a binary only secrets with their own
 * format are looked for; in a third-party package's tests, docs and examples nothing is reported, and elsewhere in
 * third-party package trees only secrets proven by format (a name such as `password=` in library code is not).
 */
export function secretsInFile(path: string, head: Uint8Array): FileSecret[] {
  if (head.length === 0 || inThirdPartyFixtures(path)) return [];
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("latin1");
  let matches: SecretMatch[];
  if (isBinary(head)) {
    matches = resolveOverlaps(findFormattedSecrets(text));
  } else {
    matches = resolveOverlaps([...findSecrets(text), ...credentialFileSecrets(path, text)]);
    if (inDependencyTree(path)) matches = matches.filter((m) => m.evidence !== "context");
  }
  if (matches.length === 0) return [];
  const lines = lineStarts(text);
  return matches.map((m) => ({
    kind: m.kind, description: m.description, masked: m.masked, evidence: m.evidence, line: lineOf(lines, m.start), start: m.start, end: m.end,
  }));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
