// The entry points of the secret detectors, shared by Dockerfile rules, image audit and runtime checks:
// findSecrets over any text (a file, a shell word, an environment value), findSecretsInBytes over file contents, and
// secretInNamedValue for a value whose name is known (ENV NAME=value, a config key, a `--password` flag).
import { Buffer } from "node:buffer";
import { findFormattedSecrets, isChecksumFailingToken, isSampleJwt } from "./formats.ts";
import { maskSecret, resolveOverlaps, shiftMatch, type SecretMatch } from "./match.ts";
import { isAwsSecretKeyName, isSecretName, mayContainSecretName, secretNoun } from "./names.ts";
import { isPlaceholder, looksLikeSecretValue } from "./values.ts";

export type { SecretEvidence, SecretKind, SecretMatch } from "./match.ts";

/** Every secret in text, best match per place, in text order. Offsets are UTF-16 indices into text. */
export function findSecrets(text: string): SecretMatch[] {
  if (text.length < 8) return []; // shorter than any secret the detectors accept
  const formatted = findFormattedSecrets(text);
  const context = findContextSecrets(text);
  if (formatted.length === 0 && context.length === 0) return [];
  return resolveOverlaps([...formatted, ...context]);
}

/**
 * Every secret in a file's bytes. The bytes are read as latin1 (one character per byte), so offsets are byte
 * offsets and any encoding or binary content can be scanned.
 */
export function findSecretsInBytes(bytes: Uint8Array): SecretMatch[] {
  return findSecrets(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"));
}

/**
 * Secrets in a value whose name is known: whatever findSecrets sees in the value, and, when the name says it holds a
 * secret (DB_PASSWORD, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY), the value itself if it is random-looking and no
 * placeholder. One layer of surrounding quotes is not part of the value. Offsets are indices into value.
 */
export function secretInNamedValue(name: string, value: string): SecretMatch[] {
  const found = findSecrets(value);
  if (!isSecretName(name) && !isAwsSecretKeyName(name)) return found;
  const inner = unquoted(value);
  const whole = namedSecret(name, inner.text);
  if (whole === undefined) return found;
  return resolveOverlaps([...found, shiftMatch(whole, inner.start)]);
}

function unquoted(value: string): { text: string; start: number } {
  const q = value[0];
  if (value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q)) return { text: value.slice(1, -1), start: 1 };
  return { text: value, start: 0 };
}

/** The whole value as the secret its name says it is, or undefined when it does not look like one. */
function namedSecret(name: string, value: string): SecretMatch | undefined {
  // A token-shaped value whose checksum fails is a sample; the name does not make it a secret.
  if (isChecksumFailingToken(value)) return undefined;
  // Stripe's publishable keys are public by design and its test-mode keys move no money (its docs are full of them).
  if (/^(?:(?:sk|rk|pk)_test_|pk_live_)/.test(value)) return undefined;
  const base = { start: 0, end: value.length, masked: maskSecret(), evidence: "context" as const, name };
  if (isAwsSecretKeyName(name) && /^[A-Za-z0-9/+]{40}$/.test(value) && !isPlaceholder(value)) {
    return { ...base, kind: "aws-secret-access-key", description: "AWS secret access key" };
  }
  if (!isSecretName(name) || !looksLikeSecretValue(value)) return undefined;
  return { ...base, kind: "assigned-secret", description: secretNoun(name) };
}

/** Secrets that only their surroundings reveal: assignments to secret names, URL userinfo, auth headers, .netrc. */
export function findContextSecrets(text: string): SecretMatch[] {
  // Each needs a separator (`name=`, `scheme://`, `Authorization:`) or a .netrc `password`.
  if (!/[=:]|password|<\//.test(text)) return [];
  // Cheaper tests for what each finder's pattern cannot do without: most texts are ruled out by them.
  const separated = text.includes("=") || text.includes(":");
  const found: SecretMatch[] = [];
  if (separated && mayContainSecretName(text)) found.push(...assignments(text));
  if (text.includes("://") && text.includes("@")) found.push(...urlCredentials(text));
  if (separated && /authorization/i.test(text)) found.push(...authorizationHeaders(text));
  if (text.includes("machine")) found.push(...netrcPasswords(text));
  if (text.includes("</") && mayContainSecretName(text)) found.push(...xmlElements(text));
  return found;
}

// `name=value`, `name: value`, `"name": "value"`, `name := value`. The value is read by valueAt. Names are bounded
// in length so that a long run of `a.a.a...` costs linear time, not quadratic.
const ASSIGNMENT = /(?<![A-Za-z0-9_])(["']?)([A-Za-z_][A-Za-z0-9_.-]{0,63})\1[ \t]*(?::=|=|:)[ \t]*/g;

function* assignments(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(ASSIGNMENT)) {
    const name = m[2] ?? "";
    if (!isSecretName(name) && !isAwsSecretKeyName(name)) continue;
    const value = valueAt(text, m.index + m[0].length);
    if (value === undefined) continue;
    // `token = getToken()`: an unquoted value followed by "(" is a call in code, not a literal.
    if (text[value.start + value.text.length] === "(" && text[value.start - 1] !== '"' && text[value.start - 1] !== "'") continue;
    const found = namedSecret(name, value.text);
    if (found !== undefined) yield shiftMatch(found, value.start);
  }
}

/** The value that starts at i: a quoted string's contents, or everything up to whitespace or punctuation. */
function valueAt(text: string, i: number): { text: string; start: number } | undefined {
  const q = text[i];
  if (q === '"' || q === "'" || q === "`") {
    const close = text.indexOf(q, i + 1);
    if (close === -1 || close - i > 4096) return undefined;
    return { text: text.slice(i + 1, close), start: i + 1 };
  }
  const end = /^[^\s,;&|(){}[\]"'`<>]*/.exec(text.slice(i, i + 4096))?.[0].length ?? 0;
  return end === 0 ? undefined : { text: text.slice(i, i + end), start: i };
}

/** `<password>value</password>` in XML configuration (Maven's settings.xml, NuGet, Tomcat users). */
function* xmlElements(text: string): Generator<SecretMatch> {
  for (const m of text.matchAll(/<([A-Za-z_][\w.-]{0,63})>([^<>\s]{1,4096})<\/\1>/g)) {
    const name = m[1] ?? "";
    if (!isSecretName(name)) continue;
    const found = namedSecret(name, m[2] ?? "");
    if (found !== undefined) yield shiftMatch(found, m.index + name.length + 2);
  }
}

function* urlCredentials(text: string): Generator<SecretMatch> {
  // The user may be empty when a password follows (`redis://:password@host`).
  const re = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/([^\s:@/?#"'`]{0,256})(?::([^\s@/?#"'`]{0,256}))?@/g;
  for (const m of text.matchAll(re)) {
    const user = m[1] ?? "";
    const password = m[2];
    const userStart = m.index + m[0].indexOf("//") + 2;
    if (password !== undefined) {
      if (isChecksumFailingToken(password) || !looksLikeSecretValue(password)) continue;
      const start = userStart + user.length + 1;
      yield { kind: "url-credentials", description: "password in a URL", start, end: start + password.length, masked: maskSecret(), evidence: "context" };
    } else if (user.length >= 20 && !isChecksumFailingToken(user) && looksLikeSecretValue(user)) {
      // `https://<token>@host`: a long random user name is a token used as the user.
      yield { kind: "url-credentials", description: "token in a URL", start: userStart, end: userStart + user.length, masked: maskSecret(), evidence: "context" };
    }
  }
}

function* authorizationHeaders(text: string): Generator<SecretMatch> {
  const re = /(?<![A-Za-z0-9-])(?:proxy-)?authorization[ \t]*[:=][ \t]*(bearer|basic|token|bot)[ \t]+([A-Za-z0-9._~+/=-]+)/gi;
  for (const m of text.matchAll(re)) {
    const scheme = (m[1] ?? "").toLowerCase();
    const credential = m[2] ?? "";
    const start = m.index + m[0].length - credential.length;
    const base = { kind: "authorization-header" as const, start, end: start + credential.length, masked: maskSecret() };
    if (scheme === "basic") {
      const decoded = Buffer.from(credential, "base64").toString("latin1");
      const colon = decoded.indexOf(":");
      if (colon > 0 && /^[\x20-\x7e]+$/.test(decoded) && !isPlaceholder(decoded.slice(colon + 1))) {
        yield { ...base, description: "HTTP Basic credentials", evidence: "structure" };
      }
    } else if (!isChecksumFailingToken(credential) && !isSampleJwt(credential) && looksLikeSecretValue(credential)) {
      yield { ...base, description: `${scheme === "bearer" ? "bearer" : scheme} token in an Authorization header`, evidence: "context" };
    }
  }
}

function* netrcPasswords(text: string): Generator<SecretMatch> {
  // `machine` starts a line (or the file) in a .netrc; inside a sentence or a string it is prose.
  for (const m of text.matchAll(/(?<=^|\n)[ \t]*machine\s+\S+\s+(?:login\s+\S+\s+)?password\s+(\S+)/g)) {
    const password = m[1] ?? "";
    if (!looksLikeSecretValue(password)) continue;
    const start = m.index + m[0].length - password.length;
    yield { kind: "assigned-secret", description: "password", start, end: start + password.length, masked: maskSecret(), evidence: "context", name: "password" };
  }
}

/** text with every secret replaced by its masked form and every URL password by "****": safe to print. */
export function redactSecrets(text: string): string {
  let out = "";
  let at = 0;
  for (const m of findSecrets(text)) {
    out += text.slice(at, m.start) + m.masked;
    at = m.end;
  }
  out += text.slice(at);
  return out.replace(/(:\/\/[^\s/@:]*:)[^\s/@]+@/g, "$1****@");
}
