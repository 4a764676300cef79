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

const RFC_EXAMPLES: ReadonlySet<string> = new Set([
  "gX1fBat3bV", "open sesame", "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", // RFC 6749 §2.3.1, RFC 7617
  "mF_9.B5f-4.1JqM", "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "SplxlOBeZQQYbYS6WxSbIA", "SlAV32hkKG", "h480djs93hd8", // RFC 6749/6750, OpenID Connect Core
]);

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
  // The client credentials of OAuth's RFC 6749 and HTTP Basic's RFC 7617, copied into libraries' docs and tests.
  if (RFC_EXAMPLES.has(v)) return true;
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
  // Lower-case words joined by punctuation, digits inside words allowed: `google-auth-library-oauth2-http`, `pass:insta`.
  if (/^[a-z][a-z0-9]*(?:[-_.:][a-z][a-z0-9]*)+$/.test(value)) return false;
  // URL-encoded words (`lock%26key`, `secret%3Dpassword`).
  if (/%[0-9A-Fa-f]{2}/.test(value) && /^[a-z]+(?:%[0-9A-Fa-f]{2}[a-z]+)+$/.test(value)) return false;
  if (isIdentifier(value) || isRegexSource(value)) return false;
  return characterClasses(value) >= 2 && shannonEntropy(value) >= 2.5;
}

/**
 * Names from code rather than values: camel-case and snake-case identifiers made of words (`getToken`,
 * `URLPatternComponentResult`, `_SSH_PRIVATE_KEY_TYPES`) and property paths (`process.env.DB_PASSWORD`), none with
 * a digit. Random mixed-case strings split into one- and two-letter pieces, so they are not taken for names.
 */
export function isIdentifier(value: string): boolean {
  // A vim script's scope prefix (`s:netrw_passwd`, `a:dict.istemp`) and a trailing `=` (`scmVersion=`) do not change it.
  const v = value.replace(/^[bwtglsav]:(?=[A-Za-z_])/, "").replace(/=$/, "");
  if (v === "" || /[^A-Za-z_$.]/.test(v)) return false;
  return v.split(".").every((segment) => segment.split(/[_$]+/).every((part) => part === "" || isWordyName(part)));
}

/** `getToken`, `URLPattern`, `EndOfFile`, `PRIVATE`, `n`: words, acronyms, short function words, one-letter variables. */
function isWordyName(part: string): boolean {
  if (part.length === 1) return true;
  const pieces = part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
  if (pieces.join("") !== part) return false;
  return pieces.every((p) => {
    if (/^[A-Z]+$/.test(p)) return p.length >= 2 || pieces.length === 1;
    if (/^[a-z]+$/.test(p)) return p.length >= 2;
    return p.length >= 3 || SHORT_WORDS.has(p);
  });
}

const SHORT_WORDS: ReadonlySet<string> = new Set(["Of", "To", "In", "On", "By", "Is", "At", "As", "Or", "If", "No", "Id", "Up", "Do", "Go", "Me", "My"]);

/** A regular expression's source (`\s*`, `\(`, `\|`): patterns in code and editor scripts, not values. */
export function isRegexSource(value: string): boolean {
  // `[0-9A-Fa-f]{1,4}`, `(?:...)`: a class with a quantifier, or a non-capturing group.
  if (/\[[^\]]{2,}\][*+?{]|\(\?[:=!<P]/.test(value)) return true;
  const escapes = value.match(/\\[sdwSDWbB(){}|.+*?^$[\]%<>]/g)?.length ?? 0;
  return escapes >= 2 || (escapes === 1 && /[\^$*+?|()[\]]/.test(value.replace(/\\./g, "")));
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
