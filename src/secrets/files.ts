// Paths that name secret files: private keys, credential stores and the dot-files tools keep tokens in. Used for
// COPY/ADD sources and destinations and for files found in image layers. Only the path is judged; contents are
// findSecrets' business.
import { nameWords } from "./names.ts";

export interface SecretFile {
  /** What the file is: "an SSH private key", "npm configuration with registry tokens". */
  description: string;
  /** The path is a credentials directory itself (`.ssh`, `.aws`), not a file in one. */
  directory: boolean;
  /** Only the extension says so (`.pem`, `.key`): a public key or certificate may have it too. */
  byExtension: boolean;
}

const SSH_KEYS: ReadonlySet<string> = new Set(["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"]);

const FILE_NAMES: Readonly<Record<string, string>> = {
  ".env": "an environment file",
  ".npmrc": "npm configuration with registry tokens",
  ".pypirc": "PyPI configuration with upload credentials",
  ".netrc": "a netrc file with login credentials",
  "_netrc": "a netrc file with login credentials",
  ".git-credentials": "git's stored credentials",
  ".pgpass": "a PostgreSQL password file",
  ".htpasswd": "an htpasswd file of password hashes",
  ".vault-token": "a Vault token",
  ".s3cfg": "s3cmd configuration with AWS keys",
  ".dockercfg": "Docker registry credentials",
  "credentials.json": "a credentials file",
  "kubeconfig": "a kubeconfig with cluster credentials",
  "kubeconfig.yaml": "a kubeconfig with cluster credentials",
  "kubeconfig.yml": "a kubeconfig with cluster credentials",
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  ".pem": "a PEM file that may hold a private key",
  ".key": "a private key file",
  ".p12": "a PKCS#12 key store",
  ".pfx": "a PKCS#12 key store",
  ".jks": "a Java key store",
  ".keystore": "a key store",
  ".ppk": "a PuTTY private key",
  ".kubeconfig": "a kubeconfig with cluster credentials",
};

// `.env.example` and friends are templates meant to be committed and copied.
const ENV_TEMPLATES: ReadonlySet<string> = new Set(["example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "schema"]);

// A `.pem` or `.key` named like these holds certificates or public keys (package repositories publish theirs as
// `Release.key`, `repo.gpg.key`).
const PUBLIC_WORDS: ReadonlySet<string> = new Set([
  "cert", "certs", "certificate", "certificates", "crt", "ca", "cacert", "cacerts", "chain", "fullchain", "bundle",
  "pub", "public", "pubkey", "root", "rootca", "trust", "truststore", "intermediate", "gpg", "pgp", "asc", "keyring",
  "release", "repo", "archive",
]);

/** Directories whose every file is a credential, and the files in them that are not. */
const CREDENTIAL_DIRS: Readonly<Record<string, { description: string; file: string; harmless: (base: string) => boolean }>> = {
  ".ssh": {
    description: "an SSH directory with private keys",
    file: "an SSH key file",
    harmless: (base) => base === "known_hosts" || base === "known_hosts.old" || base === "authorized_keys" || base === "config" || base.endsWith(".pub"),
  },
  ".aws": { description: "AWS credentials", file: "AWS credentials", harmless: () => false },
  ".gnupg": { description: "a GnuPG keyring with private keys", file: "a GnuPG keyring file", harmless: (base) => base === "gpg.conf" || base === "pubring.kbx" || base === "pubring.gpg" },
  ".kube": { description: "a kubeconfig with cluster credentials", file: "a kubeconfig with cluster credentials", harmless: (base) => base !== "config" },
  ".docker": { description: "Docker registry credentials", file: "Docker registry credentials", harmless: (base) => base !== "config.json" },
  gcloud: { description: "gcloud credentials", file: "gcloud credentials", harmless: () => false },
};

// Every path secretFile reports contains one of these once lower-cased (a directory or file name above, an SSH key
// `id_*`, a `.env.*` file, `client_secret*.json`, or an extension above): the other paths are ruled out at once.
const MAYBE_SECRET_FILE = /\.ssh|\.aws|\.gnupg|\.kube|\.docker|gcloud|id_|\.env|\.npmrc|\.pypirc|netrc|\.git-credentials|\.pgpass|\.htpasswd|\.vault-token|\.s3cfg|credentials\.json|kubeconfig|client_secret|\.pem|\.key|\.p12|\.pfx|\.jks|\.ppk/;

/**
 * What secret file a path names, or undefined. The path may be relative or absolute and end in "/"; glob characters
 * are taken literally (`*.pem` still ends in `.pem`). `.` and `./` name nothing: copying a whole build context is
 * judged by what .dockerignore leaves out, not here.
 */
export function secretFile(path: string): SecretFile | undefined {
  if (!MAYBE_SECRET_FILE.test(path.toLowerCase())) return undefined;
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  const base = segments[segments.length - 1];
  if (base === undefined) return undefined;
  const lower = base.toLowerCase();
  const dirs = segments.slice(0, -1).map((s) => s.toLowerCase());
  // The directory itself (`COPY .ssh /root/.ssh`), then names that are secret anywhere, then files in such a
  // directory (its harmless files are judged by their extension only: `.docker/key.pem`).
  const own = CREDENTIAL_DIRS[lower];
  if (own !== undefined && (lower !== "gcloud" || dirs[dirs.length - 1] === ".config")) return { description: own.description, directory: true, byExtension: false };
  if (SSH_KEYS.has(lower)) return { description: "an SSH private key", directory: false, byExtension: false };
  const named = FILE_NAMES[lower];
  if (named !== undefined) return { description: named, directory: false, byExtension: false };
  if (lower.startsWith(".env.") && !ENV_TEMPLATES.has(lower.slice(lower.lastIndexOf(".") + 1))) {
    return { description: "an environment file", directory: false, byExtension: false };
  }
  if (/^client_secret.*\.json$/.test(lower)) return { description: "an OAuth client secret", directory: false, byExtension: false };
  for (let i = dirs.length - 1; i >= 0; i--) {
    const dir = dirs[i] ?? "";
    const spec = CREDENTIAL_DIRS[dir];
    if (spec === undefined || (dir === "gcloud" && dirs[i - 1] !== ".config")) continue;
    if (spec.harmless(lower)) break;
    return { description: spec.file, directory: false, byExtension: false };
  }
  const dot = lower.lastIndexOf(".");
  const extension = dot > 0 ? lower.slice(dot) : "";
  const described = EXTENSIONS[extension];
  if (described === undefined) return undefined;
  if ((extension === ".pem" || extension === ".key") && nameWords(base.slice(0, dot)).some((w) => PUBLIC_WORDS.has(w))) return undefined;
  return { description: described, directory: false, byExtension: true };
}
