// Secrets that only the file they are in reveals: credential files whose format gives no names (`.pgpass` lines,
// a `.vault-token` holding nothing but the token), and Docker's `auths` entries, whose base64 must decode to
// `user:password`. Used on files found in images, where the path is known.
import { Buffer } from "node:buffer";
import { maskSecret, type SecretMatch } from "./match.ts";
import { isPlaceholder, looksLikeSecretValue } from "./values.ts";

/** Secrets in text that the file's path (its base name) gives the meaning of. Offsets are indices into text. */
export function credentialFileSecrets(path: string, text: string): SecretMatch[] {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const out: SecretMatch[] = [...dockerAuths(text)];
  if (base === ".pgpass" || base === "pgpass.conf") out.push(...pgpassPasswords(text));
  if (base === ".vault-token") out.push(...wholeFileToken(text, "Vault token"));
  return out;
}

/** `"auth": "<base64 of user:password>"` in Docker's config.json, podman's auth.json and Kubernetes pull secrets. */
export function* dockerAuths(text: string): Generator<SecretMatch> {
  if (!text.includes('"auth"')) return;
  for (const m of text.matchAll(/"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})"/g)) {
    const value = m[1] ?? "";
    const decoded = Buffer.from(value, "base64").toString("latin1");
    const colon = decoded.indexOf(":");
    if (colon <= 0 || !/^[\x20-\x7e]+$/.test(decoded) || isPlaceholder(decoded.slice(colon + 1))) continue;
    const start = m.index + m[0].length - 1 - value.length;
    yield { kind: "registry-auth", description: "registry credentials (Docker auths)", start, end: start + value.length, masked: maskSecret(), evidence: "structure" };
  }
}

/** `hostname:port:database:username:password`, with `\:` and `\\` escapes. */
function* pgpassPasswords(text: string): Generator<SecretMatch> {
  let at = 0;
  for (const line of text.split("\n")) {
    const start = at;
    at += line.length + 1;
    if (line.startsWith("#")) continue;
    const fields = splitEscaped(line.replace(/\r$/, ""));
    if (fields.length !== 5) continue;
    const password = fields[4] ?? { text: "", offset: 0 };
    if (!looksLikeSecretValue(password.text, { minLength: 6 })) continue;
    const s = start + password.offset;
    yield { kind: "assigned-secret", description: "PostgreSQL password", start: s, end: start + line.replace(/\r$/, "").length, masked: maskSecret(), evidence: "context", name: "password" };
  }
}

function splitEscaped(line: string): { text: string; offset: number }[] {
  const fields: { text: string; offset: number }[] = [];
  let current = "";
  let offset = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length) {
      current += line[++i];
    } else if (c === ":") {
      fields.push({ text: current, offset });
      current = "";
      offset = i + 1;
    } else {
      current += c;
    }
  }
  fields.push({ text: current, offset });
  return fields;
}

/** A file that holds one token and nothing else. */
function* wholeFileToken(text: string, description: string): Generator<SecretMatch> {
  const token = text.trim();
  if (/\s/.test(token) || !looksLikeSecretValue(token, { minLength: 16 })) return;
  const start = text.indexOf(token);
  yield { kind: "assigned-secret", description, start, end: start + token.length, masked: maskSecret(), evidence: "context", name: "token" };
}
