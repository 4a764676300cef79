// Secrets recognised by their own format: vendor prefixes with a fixed alphabet and length, checksums where the
// format has one (GitHub and npm tokens end in a CRC32 of their random part), and structure that must decode (a
// JWT's header, a PEM private key's body). Each finder scans a whole text and returns every match with offsets.
import { Buffer } from "node:buffer";
import { crc32 } from "node:zlib";
import { maskSecret, type SecretKind, type SecretMatch } from "./match.ts";
import { isPlaceholder, shannonEntropy } from "./values.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** n in base 62 (digits, then upper-case, then lower-case letters), left-padded with "0" to width. */
export function encodeBase62(n: number, width: number): string {
  let out = "";
  let rest = Math.floor(n);
  do {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/** The number a base-62 string stands for; undefined for a character outside the alphabet. */
export function decodeBase62(text: string): number | undefined {
  let n = 0;
  for (const c of text) {
    const digit = BASE62.indexOf(c);
    if (digit === -1) return undefined;
    n = n * 62 + digit;
  }
  return n;
}

/**
 * GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens: a 4-character prefix, 30 random base-62
 * characters, then the CRC32 of those 30 characters in base 62, padded to 6. A token whose checksum fails is not
 * one GitHub or npm issued: documentation samples and hand-made placeholders.
 */
export function hasValidTokenChecksum(token: string): boolean {
  if (!/^(?:gh[pousr]|npm)_[A-Za-z0-9]{36}$/.test(token)) return false;
  return decodeBase62(token.slice(-6)) === crc32(token.slice(4, -6));
}

/** A string with a checksummed token's exact shape whose checksum fails: a sample, not a secret. */
export function isChecksumFailingToken(value: string): boolean {
  return /^(?:gh[pousr]|npm)_[A-Za-z0-9]{36}$/.test(value) && !hasValidTokenChecksum(value);
}

const GITHUB_TOKEN_NAMES: Readonly<Record<string, string>> = {
  ghp: "GitHub personal access token",
  gho: "GitHub OAuth access token",
  ghu: "GitHub App user-to-server token",
  ghs: "GitHub App installation token",
  ghr: "GitHub App refresh token",
};

const GITLAB_TOKEN_NAMES: Readonly<Record<string, string>> = {
  glpat: "GitLab personal access token",
  gldt: "GitLab deploy token",
  glrt: "GitLab runner authentication token",
  glptt: "GitLab pipeline trigger token",
  glft: "GitLab feed token",
  glcbt: "GitLab CI/CD job token",
  gloas: "GitLab OAuth application secret",
  glsoat: "GitLab SCIM token",
  glimt: "GitLab incoming mail token",
  glagent: "GitLab agent token",
};

const SLACK_TOKEN_NAMES: Readonly<Record<string, string>> = {
  b: "Slack bot token",
  p: "Slack user token",
  a: "Slack app token",
  r: "Slack refresh token",
  s: "Slack session token",
};

function formatMatch(kind: SecretKind, description: string, start: number, end: number, evidence: SecretMatch["evidence"], prefix: string): SecretMatch {
  return { kind, description, start, end, masked: maskSecret(prefix), evidence };
}

/** Random-looking enough to be issued by a machine, and no stand-in ("glpat-xxxxxxxxxxxxxxxxxxxx"). */
function randomBody(body: string, minEntropy: number): boolean {
  return !isPlaceholder(body) && shannonEntropy(body) >= minEntropy;
}

function* githubTokens(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])(gh[pousr])_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g)) {
    const prefix = m[1] ?? "";
    if (hasValidTokenChecksum(m[0])) {
      yield formatMatch("github-token", GITHUB_TOKEN_NAMES[prefix] ?? "GitHub token", m.index, m.index + m[0].length, "checksum", `${prefix}_`);
    }
  }
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g)) {
    if (randomBody(m[0].slice(11), 3.5)) {
      yield formatMatch("github-token", "GitHub fine-grained personal access token", m.index, m.index + m[0].length, "format", "github_pat_");
    }
  }
  // Installation tokens since 2026: `ghs_<app id>_<JWT signed by GitHub>`.
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])ghs_\d+_(eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)/g)) {
    if (isJwt(m[1] ?? "")) yield formatMatch("github-token", "GitHub App installation token", m.index, m.index + m[0].length, "structure", "ghs_");
  }
}

function* npmTokens(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g)) {
    if (hasValidTokenChecksum(m[0])) yield formatMatch("npm-token", "npm access token", m.index, m.index + m[0].length, "checksum", "npm_");
  }
}

function* gitlabTokens(text: string): Generator<SecretMatch> {
  const re = /(?<![A-Za-z0-9_-])(glpat|gldt|glrt|glptt|glft|glcbt|gloas|glsoat|glimt|glagent)-([A-Za-z0-9_.-]{20,})/g;
  for (const m of text.matchAll(re)) {
    const prefix = m[1] ?? "";
    const body = (m[2] ?? "").replace(/[.-]+$/, ""); // sentence punctuation is not part of the token
    if (body.length >= 20 && randomBody(body, 3.0)) {
      yield formatMatch("gitlab-token", GITLAB_TOKEN_NAMES[prefix] ?? "GitLab token", m.index, m.index + prefix.length + 1 + body.length, "format", `${prefix}-`);
    }
  }
}

function* slackTokens(text: string): Generator<SecretMatch> {
  // xoxb-<team>-<bot>-<secret>, xoxp-<team>-<user>-<id>-<secret>; configuration tokens carry an `xoxe.` prefix.
  const re = /(?<![A-Za-z0-9_.-])(?:xoxe\.)?xox([baprs])-(?:\d+-)+([A-Za-z0-9]{10,})(?![A-Za-z0-9-])/g;
  for (const m of text.matchAll(re)) {
    const letter = m[1] ?? "";
    if (randomBody(m[2] ?? "", 3.0)) {
      const prefix = m[0].startsWith("xoxe.") ? `xoxe.xox${letter}-` : `xox${letter}-`;
      yield formatMatch("slack-token", SLACK_TOKEN_NAMES[letter] ?? "Slack token", m.index, m.index + m[0].length, "format", prefix);
    }
  }
}

function* stripeKeys(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])(sk|rk)_live_([0-9A-Za-z]{24,})(?![A-Za-z0-9_])/g)) {
    const which = m[1] === "sk" ? "Stripe live secret key" : "Stripe live restricted key";
    if (randomBody(m[2] ?? "", 3.0)) yield formatMatch("stripe-key", which, m.index, m.index + m[0].length, "format", `${m[1] ?? ""}_live_`);
  }
}

function* googleApiKeys(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g)) {
    if (randomBody(m[1] ?? "", 3.0)) yield formatMatch("google-api-key", "Google API key", m.index, m.index + m[0].length, "format", "AIza");
  }
}

function* awsAccessKeyIds(text: string): Generator<SecretMatch> {
  // The 16 characters after the prefix are base 32 (A-Z, 2-7); AKIA is a long-term key, ASIA a temporary (STS) one.
  for (const m of text.matchAll(/(?<![A-Za-z0-9])(AKIA|ASIA)([A-Z2-7]{16})(?![A-Za-z0-9])/g)) {
    if (isPlaceholder(m[0]) || shannonEntropy(m[2] ?? "") < 2.5) continue;
    const which = m[1] === "AKIA" ? "AWS access key ID" : "AWS temporary access key ID";
    yield formatMatch("aws-access-key-id", which, m.index, m.index + m[0].length, "format", m[1] ?? "");
  }
}

function decodeJsonPart(part: string): unknown {
  if (part.length === 0 || part.length > 8192) return undefined;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A JWS compact serialization: the header decodes to a JSON object with an "alg", the payload to JSON. */
export function isJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const header = decodeJsonPart(parts[0] ?? "");
  if (typeof header !== "object" || header === null || typeof (header as Record<string, unknown>)["alg"] !== "string") return false;
  return decodeJsonPart(parts[1] ?? "") !== undefined;
}

function* jwts(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g)) {
    if (isJwt(m[0]) && !isSampleJwt(m[0])) yield formatMatch("jwt", "JSON Web Token", m.index, m.index + m[0].length, "structure", "eyJ");
  }
}

/** jwt.io's and RFC 7519's example tokens, copied into countless READMEs and tests. */
export function isSampleJwt(token: string): boolean {
  const payload = decodeJsonPart(token.split(".")[1] ?? "");
  if (typeof payload !== "object" || payload === null) return false;
  const p = payload as Record<string, unknown>;
  return (p["sub"] === "1234567890" && (p["name"] === "John Doe" || p["admin"] === true)) || p["iss"] === "joe";
}

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
/** How far after a BEGIN line the END line is looked for: keys are a few KiB at most. */
const PEM_MAX_BODY = 16384;
/** A body shorter than this (in base64 characters) is a mention, not a key. */
const PEM_MIN_BODY = 64;

function pemDescription(type: string): string {
  switch (type) {
    case "RSA": return "RSA private key";
    case "EC": return "EC private key";
    case "DSA": return "DSA private key";
    case "OPENSSH": return "OpenSSH private key";
    case "ENCRYPTED": return "encrypted private key";
    case "PGP": return "PGP private key";
    default: return "private key";
  }
}

/**
 * The body of a PEM block from `from`: the base64 up to the END line (or to the first character that cannot be part
 * of a body, when the END line is missing, as in a truncated file). Header lines (`Proc-Type: ...`) and escaped
 * newlines (`\n` written as two characters, as in ENV values and JSON) are allowed in it.
 */
function pemBody(text: string, from: number): { base64: string; end: number; headers: boolean } {
  const nextBlock = text.indexOf("-----BEGIN ", from);
  const limit = Math.min(text.length, from + PEM_MAX_BODY, nextBlock === -1 ? Infinity : nextBlock);
  const window = text.slice(from, limit);
  const endIn = window.indexOf("-----END ");
  const endAt = endIn === -1 ? -1 : from + endIn;
  let stop: number;
  let end: number;
  if (endAt !== -1) {
    stop = endAt;
    const close = text.indexOf("-----", endAt + 9);
    end = close !== -1 && close < endAt + 80 ? close + 5 : endAt + 9;
  } else {
    const body = /^(?:[A-Za-z0-9+/=\s]|\\[nr]|[A-Za-z-]+: [^\n\\]*)*/.exec(window)?.[0] ?? "";
    stop = from + body.trimEnd().length;
    end = stop;
  }
  const lines = text.slice(from, stop).replace(/\\[nr]/g, "\n").split(/\r?\n/);
  const headers = lines.some((l) => /^[A-Za-z-]+: /.test(l.trim()));
  const base64 = lines.filter((l) => !/^[A-Za-z-]+: /.test(l.trim())).join("").replace(/\s+/g, "");
  return { base64: /^[A-Za-z0-9+/=]*$/.test(base64) ? base64 : "", end, headers };
}

/** Whether decoded key bytes start the way the PEM type says: DER's SEQUENCE, or OpenSSH's magic string. */
function bodyFitsType(type: string, base64: string, headers: boolean): boolean {
  if (type === "PGP" || headers) return true; // armored packets; legacy encrypted PEM bodies are ciphertext
  const bytes = Buffer.from(base64.slice(0, 64), "base64");
  if (type === "OPENSSH") return bytes.toString("latin1").startsWith("openssh-key-v1\0");
  return bytes[0] === 0x30;
}

function* privateKeys(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(PEM_BEGIN)) {
    const type = (m[1] ?? "").trim();
    const body = pemBody(text, m.index + m[0].length);
    if (body.base64.length < PEM_MIN_BODY || !bodyFitsType(type, body.base64, body.headers)) continue;
    yield formatMatch("private-key", pemDescription(type), m.index, body.end, "structure", "");
  }
}

/** PuTTY's key files (.ppk, versions 2 and 3): public and private blobs in base64 lines, then a MAC. */
function* puttyKeys(text: string): Generator<SecretMatch> {
  const re = /PuTTY-User-Key-File-([23]): ([\w@.-]+)\r?\nEncryption: ([\w-]+)\r?\n[\s\S]{0,600}?Private-Lines: (\d{1,3})\r?\n((?:[A-Za-z0-9+/=]{1,64}\r?\n)+)Private-MAC: [0-9a-f]{40,64}/g;
  for (const m of text.matchAll(re)) {
    const lines = (m[5] ?? "").split(/\r?\n/).filter((l) => l !== "");
    if (lines.length !== Number(m[4])) continue;
    const encrypted = m[3] !== "none";
    yield formatMatch("private-key", `PuTTY private key${encrypted ? " (encrypted)" : ""}`, m.index, m.index + m[0].length, "structure", "");
  }
}

/** A PEM private key in base64 (kubeconfig `client-key-data`, Kubernetes secrets, CI variables): "LS0tLS1CRUdJTi" is "-----BEGIN". */
function* base64PrivateKeys(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2}/g)) {
    const decoded = Buffer.from(m[0], "base64").toString("latin1");
    const inner = [...privateKeys(decoded)][0];
    if (inner !== undefined) yield formatMatch("private-key", `base64-encoded ${inner.description}`, m.index, m.index + m[0].length, "structure", "");
  }
}

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/** BIP 173's checksum over the human-readable part and the data characters. */
export function isValidBech32(text: string): boolean {
  const lower = text.toLowerCase();
  const sep = lower.lastIndexOf("1");
  if (sep < 1 || sep + 7 > lower.length) return false;
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (const c of lower.slice(sep + 1)) {
    const v = BECH32.indexOf(c);
    if (v === -1) return false;
    data.push(v);
  }
  const values = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if (((top >>> i) & 1) === 1) chk ^= GEN[i] ?? 0;
  }
  return chk === 1;
}

/** Tokens with a vendor prefix whose alphabet and length are fixed: one table, one pass each. */
const PREFIXED: readonly { re: RegExp; kind: SecretKind; description: string; prefix: (m: RegExpMatchArray) => string; entropy?: number; group?: number; verify?: (token: string) => boolean }[] = [
  { re: /(?<![A-Za-z0-9_])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}/g, kind: "pypi-token", description: "PyPI API token", prefix: () => "pypi-" },
  { re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g, kind: "openai-key", description: "OpenAI API key", prefix: () => "sk-" },
  { re: /(?<![A-Za-z0-9_-])sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,100}AA(?![A-Za-z0-9_-])/g, kind: "anthropic-key", description: "Anthropic API key", prefix: () => "sk-ant-" },
  { re: /(?<![A-Za-z0-9_])hf_([A-Za-z]{34})(?![A-Za-z0-9_])/g, kind: "huggingface-token", description: "Hugging Face access token", prefix: () => "hf_", entropy: 3.8, group: 1 },
  { re: /(?<![A-Za-z0-9_])do[por]_v1_([a-f0-9]{64})(?![A-Za-z0-9_])/g, kind: "digitalocean-token", description: "DigitalOcean token", prefix: (m) => m[0].slice(0, 7), entropy: 3.0, group: 1 },
  { re: /(?<![A-Za-z0-9_.])hv[sb]\.([A-Za-z0-9_-]{90,})(?![A-Za-z0-9_-])/g, kind: "vault-token", description: "HashiCorp Vault token", prefix: (m) => m[0].slice(0, 4), entropy: 4.0, group: 1 },
  { re: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}\.atlasv1\.([A-Za-z0-9_-]{60,70})(?![A-Za-z0-9_-])/g, kind: "terraform-token", description: "Terraform Cloud API token", prefix: () => "", entropy: 4.0, group: 1 },
  { re: /(?<![A-Za-z0-9_])dckr_pat_([A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/g, kind: "docker-hub-token", description: "Docker Hub access token", prefix: () => "dckr_pat_", entropy: 3.5, group: 1 },
  { re: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_([a-fA-F0-9]{32})(?![A-Za-z0-9_])/g, kind: "shopify-token", description: "Shopify access token", prefix: (m) => m[0].slice(0, 6), entropy: 3.0, group: 1 },
  { re: /(?<![A-Za-z0-9_.-])SG\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g, kind: "sendgrid-key", description: "SendGrid API key", prefix: () => "SG.", entropy: 3.5, group: 2 },
  { re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[AB][A-Z0-9]{8,12}\/([A-Za-z0-9]{24,32})/g, kind: "slack-webhook", description: "Slack webhook URL", prefix: () => "https://hooks.slack.com/", entropy: 3.5, group: 1 },
  { re: /(?<![A-Za-z0-9_-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g, kind: "age-secret-key", description: "age secret key", prefix: () => "AGE-SECRET-KEY-1", verify: isValidBech32 },
];

function* prefixedTokens(text: string): Generator<SecretMatch> {
  for (const p of PREFIXED) {
    for (const m of text.matchAll(p.re)) {
      const body = m[p.group ?? 0] ?? "";
      if (p.entropy !== undefined && !randomBody(body, p.entropy)) continue;
      if (p.verify !== undefined && !p.verify(m[0])) continue;
      yield formatMatch(p.kind, p.description, m.index, m.index + m[0].length, p.verify === undefined ? "format" : "checksum", p.prefix(m));
    }
  }
}

// Every format above starts with one of these; a text without any is skipped in one pass.
const ANY_FORMAT = /gh[pousr]_|github_pat_|npm_|gl[a-z]+-|xox|_live_|AIza|AKIA|ASIA|eyJ|PRIVATE KEY|PuTTY-User-Key|LS0tLS1CRUdJTi|pypi-|sk-|hf_|_v1_|hv[sb]\.|atlasv1|dckr_pat_|shp|SG\.|hooks\.slack|AGE-SECRET/;

/** Whether text could contain a secret findFormattedSecrets recognises: false rules every piece of text out. */
export function mayContainFormattedSecret(text: string): boolean {
  return ANY_FORMAT.test(text);
}

/** Every secret recognised by its format in text (overlaps not yet resolved). */
export function findFormattedSecrets(text: string): SecretMatch[] {
  if (!ANY_FORMAT.test(text)) return [];
  return [
    ...githubTokens(text), ...npmTokens(text), ...gitlabTokens(text), ...slackTokens(text), ...stripeKeys(text),
    ...googleApiKeys(text), ...awsAccessKeyIds(text), ...jwts(text), ...privateKeys(text), ...puttyKeys(text),
    ...base64PrivateKeys(text), ...prefixedTokens(text),
  ];
}
