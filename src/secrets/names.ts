// Does a name (an environment variable, a config key, a flag) say that its value is a secret? Only the value
// decides whether a secret is there (values.ts); the name is the context that makes a random-looking value a secret.

/** The words of a name: `AWS_SECRET_ACCESS_KEY`, `_authToken`, `X-Api-Key`, `spring.datasource.password`. */
export function nameWords(name: string): string[] {
  return [...wordsOf(name)];
}

// The same names come up again and again (PATH, HOME, API_KEY): their words are split once. Bounded, so that
// scanning many distinct names (an image's files) cannot grow it without limit.
const MEMO_LIMIT = 4096;
const wordMemo = new Map<string, readonly string[]>();

function wordsOf(name: string): readonly string[] {
  let words = wordMemo.get(name);
  if (words === undefined) {
    words = name
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== "");
    if (wordMemo.size >= MEMO_LIMIT) wordMemo.clear();
    wordMemo.set(name, words);
  }
  return words;
}

/** A name ending in one of these holds a secret: DB_PASSWORD, GITHUB_TOKEN, CLIENT_SECRET, NPM_AUTH, API_KEY. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  "password", "passwd", "pwd", "pword", "pass", "passphrase", "secret", "token", "apikey", "auth", "credential",
  "credentials", "pat",
]);

/** `<word>_KEY` is a secret for these words only: GPG_KEY (a fingerprint) and SSH_KEY_PATH are not. */
const SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  "api", "access", "secret", "private", "signing", "encryption", "master", "client", "account", "license", "app",
  "service", "auth", "subscription", "admin", "session", "hmac",
]);

/** `SECRET_KEY_BASE`, `TOKEN_VALUE`: a secret word followed by one of these is still the secret. */
const VALUE_SUFFIXES: ReadonlySet<string> = new Set(["base", "value", "b64", "base64", "hex", "raw", "string"]);

/** Any of these words makes the name something else: a public key, a path, a user name, a length. */
const NOT_SECRET_WORDS: ReadonlySet<string> = new Set(["public", "publishable", "pub"]);

function endsWithSecret(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  const previous = words[words.length - 2];
  return last === "key" && previous !== undefined && SECRET_KEY_QUALIFIERS.has(previous);
}

// Every secret name contains one of these; most names are ruled out by this one test.
const MAYBE_SECRET = /pass|pwd|pword|secret|token|key|auth|cred|pat/i;

/** Whether text could contain a secret name (isSecretName, isAwsSecretKeyName): false rules every name in it out. */
export function mayContainSecretName(text: string): boolean {
  return MAYBE_SECRET.test(text);
}

/** Whether a value assigned to this name would be a secret: the secret word must end the name. */
export function isSecretName(name: string): boolean {
  if (!MAYBE_SECRET.test(name)) return false;
  const words = wordsOf(name);
  if (words.some((w) => NOT_SECRET_WORDS.has(w))) return false;
  if (endsWithSecret(words)) return true;
  const last = words[words.length - 1];
  return last !== undefined && VALUE_SUFFIXES.has(last) && endsWithSecret(words.slice(0, -1));
}

/** AWS_SECRET_ACCESS_KEY, aws_secret_access_key, SecretAccessKey, AWS_SECRET_KEY. */
export function isAwsSecretKeyName(name: string): boolean {
  if (!/secret/i.test(name)) return false;
  const words = wordsOf(name);
  return words.includes("secret") && words[words.length - 1] === "key" && (words.includes("aws") || words.includes("access"));
}

/** What a secret of this name is called in messages: "password", "token", "API key", "secret", "credential". */
export function secretNoun(name: string): string {
  const words = wordsOf(name).filter((w) => !VALUE_SUFFIXES.has(w));
  const last = words[words.length - 1] ?? "";
  if (["password", "passwd", "pwd", "pword", "pass", "passphrase"].includes(last)) return "password";
  if (last === "token" || last === "pat") return "token";
  if (last === "apikey" || (last === "key" && words[words.length - 2] === "api")) return "API key";
  if (last === "key") return "key";
  if (last === "secret") return "secret";
  return "credential";
}
