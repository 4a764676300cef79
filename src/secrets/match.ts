// What a secret detector returns. Detectors are pure functions over text (or bytes read as latin1, so that offsets
// are byte offsets); a match says what was found and where, never carries the secret itself beyond its offsets.

export type SecretKind =
  | "aws-access-key-id"
  | "aws-secret-access-key"
  | "github-token"
  | "gitlab-token"
  | "slack-token"
  | "stripe-key"
  | "google-api-key"
  | "npm-token"
  | "private-key"
  | "jwt"
  | "pypi-token"
  | "openai-key"
  | "anthropic-key"
  | "huggingface-token"
  | "slack-webhook"
  | "sendgrid-key"
  | "digitalocean-token"
  | "vault-token"
  | "terraform-token"
  | "docker-hub-token"
  | "age-secret-key"
  | "shopify-token"
  | "registry-auth"
  | "url-credentials"
  | "authorization-header"
  | "assigned-secret";

/**
 * Why the text is taken for a secret, strongest first:
 * - checksum: the format carries a checksum and it verified (GitHub `ghp_`, npm `npm_`);
 * - structure: the text decoded and parsed as the format requires (a JWT header with "alg", a PEM body of a key);
 * - format: a vendor prefix with the right length and alphabet (`AKIA...`, `glpat-...`, `AIza...`);
 * - context: a high-entropy value that its surroundings call a secret (`password=`, `AWS_SECRET_ACCESS_KEY=`, URL
 *   userinfo, an Authorization header).
 */
export type SecretEvidence = "checksum" | "structure" | "format" | "context";

export interface SecretMatch {
  kind: SecretKind;
  /** What was found, for messages: "GitHub personal access token", "RSA private key", "password". */
  description: string;
  /** [start, end) of the secret in the scanned text: UTF-16 indices for a string, byte offsets for bytes. */
  start: number;
  end: number;
  /** Safe to print: the format's public prefix (if any) followed by asterisks, e.g. "ghp_****". */
  masked: string;
  evidence: SecretEvidence;
  /** For context matches: the name that made the value a secret ("DB_PASSWORD", "_authToken", "password"). */
  name?: string;
}

const EVIDENCE_RANK: Readonly<Record<SecretEvidence, number>> = { checksum: 4, structure: 3, format: 2, context: 1 };

/** A secret's printable stand-in: its public prefix and asterisks. Nothing of the secret part is kept. */
export function maskSecret(publicPrefix = ""): string {
  return `${publicPrefix}****`;
}

/**
 * Keeps the best of overlapping matches (stronger evidence, then the longer one, then the earlier one) and returns
 * the kept ones in text order. A token inside a `password=` assignment is reported once, as the token.
 */
export function resolveOverlaps(candidates: readonly SecretMatch[]): SecretMatch[] {
  const ranked = [...candidates].sort((a, b) =>
    EVIDENCE_RANK[b.evidence] - EVIDENCE_RANK[a.evidence] || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: SecretMatch[] = [];
  for (const m of ranked) {
    if (kept.every((k) => m.end <= k.start || m.start >= k.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The same match moved by delta (for a match found in a piece of a larger text). */
export function shiftMatch(m: SecretMatch, delta: number): SecretMatch {
  return { ...m, start: m.start + delta, end: m.end + delta };
}
