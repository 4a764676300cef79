// Is a value a secret or a stand-in for one? Values that only their context calls secret (`password=...`) are judged
// here: placeholders, variables and templates are not secrets; a short or low-entropy value is not reported.

/** Shannon entropy in bits per character (UTF-16 code units): 0 for "aaaa", log2(n) for n distinct characters. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Compared after lower-casing and dropping everything but letters, and trailing digits ("Password123" → "password").
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  "", "changeme", "changeit", "change", "password", "passwd", "pass", "pwd", "secret", "secrets", "token", "key", "apikey",
  "example", "sample", "dummy", "test", "testing", "tester", "placeholder", "redacted", "masked", "hidden", "none", "null",
  "nil", "undefined", "unset", "empty", "todo", "fixme", "tbd", "default", "admin", "administrator", "root", "user",
  "username", "guest", "demo", "foo", "bar", "baz", "foobar", "qwerty", "letmein", "abc", "abcdef", "abcdefgh", "xyz",
  "mysecretpassword", "secretpassword", "supersecret", "topsecret", "mypassword", "mysecret", "mytoken", "notasecret",
  "notsecret", "insecure", "hunter", "true", "false", "yes", "no", "on", "off", "value", "string", "required", "optional",
]);

// Lower-cased fragments that mark a value as a stand-in wherever they occur.
const PLACEHOLDER_FRAGMENTS: readonly string[] = [
  "changeme", "changeit", "example", "placeholder", "dummy", "redacted", "replaceme", "replacewith", "insertyour",
  "enteryour", "putyour", "yourtoken", "yourpassword", "yoursecret", "yourkey", "yourapikey", "notreal", "notarealtoken",
  "fake", "xxxx", "****", "....", "<", ">",
];

// `$VAR`, `${VAR}`, `$(cmd)`, `{{ tmpl }}`, `%s`, `%(name)s`, `@VAR@`, `__VAR__`, `#{var}`.
const TEMPLATE = /\$[A-Za-z_{(]|\{\{|\}\}|%[sd]|%\([A-Za-z_]+\)|@[A-Z_]{2,}@|__[A-Z_]{2,}__|#\{/;

/** Values that stand for a secret without being one: empty, variables, templates, "changeme", "xxx", "<token>". */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "" || TEMPLATE.test(v)) return true;
  const lower = v.toLowerCase();
  const letters = lower.replace(/[^a-z]/g, "");
  const withoutDigits = lower.replace(/[^a-z0-9]/g, "").replace(/\d+$/, "");
  if (PLACEHOLDER_WORDS.has(withoutDigits) || PLACEHOLDER_WORDS.has(letters)) return true;
  const squashed = lower.replace(/[^a-z0-9*.<>]/g, "");
  if (PLACEHOLDER_FRAGMENTS.some((f) => squashed.includes(f))) return true;
  // AWS documents its sample credentials with an EXAMPLE suffix (AKIAIOSFODNN7EXAMPLE).
  if (v.includes("EXAMPLE")) return true;
  return new Set(v).size <= 2; // "xxx", "0000", "aaaa-aaaa"
}

export interface SecretValueOptions {
  /** Shortest value taken for a secret (default 8). */
  minLength?: number;
}

/**
 * Whether a value that its context calls secret looks like one: not a placeholder, no whitespace, not a path or a
 * URL, long enough, and random-looking: at least two character classes (so a word or an identifier such as
 * `my-db-password` is not one) and an entropy of at least 2.5 bits per character.
 */
export function looksLikeSecretValue(value: string, options: SecretValueOptions = {}): boolean {
  const minLength = options.minLength ?? 8;
  if (value.length < minLength || value.length > 4096) return false;
  if (/\s/.test(value) || isPlaceholder(value)) return false;
  if (/^(?:\/|\.\.?\/|~\/)/.test(value) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(value) || /^[A-Z]+(?:[-_.][A-Z]+)*$/.test(value)) return false;
  return characterClasses(value) >= 2 && shannonEntropy(value) >= 2.5;
}

/** How many of lower-case letters, upper-case letters, digits and other characters the value uses. */
export function characterClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (const c of value) {
    if (c >= "a" && c <= "z") lower = 1;
    else if (c >= "A" && c <= "Z") upper = 1;
    else if (c >= "0" && c <= "9") digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}
