import { posix } from "node:path";
import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { CopyInstruction } from "../../dockerfile/ast.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";
import { redactSecrets } from "../../secrets/detect.ts";
import { secretFile, type SecretFile } from "../../secrets/files.ts";
import { nameWords } from "../../secrets/names.ts";

// Keys and certificates copied here are public ones: CA certificates and package-signing keyrings.
const TRUST_STORES: readonly string[] = [
  "/etc/apt/trusted.gpg.d", "/etc/apt/keyrings", "/usr/share/keyrings", "/etc/pki/rpm-gpg", "/etc/pki/ca-trust/source/anchors",
  "/etc/pki/tls/certs", "/usr/local/share/ca-certificates", "/usr/share/ca-certificates", "/etc/ssl/certs", "/etc/ca-certificates",
];

/** The instructions DD003 looks at (instructionsOfKinds keeps its answer per this array). */
const COPIES = ["copy", "add"] as const;

const ADVICE = "anyone who can pull the image can read it, even after a later step deletes it; mount it only for the step that needs it: RUN --mount=type=secret,id=<id>";

export const rule = defineRule({
  id: "DD003",
  aliases: [],
  severity: "error",
  source: "drydock",
  summary: "Do not COPY or ADD secret files (keys, .env, .npmrc, cloud credentials)",
  url: "https://docs.docker.com/build/building/secrets/",
  docs: `
A file copied into an image is in that layer for good: deleting it in a later step hides it from the final
file system but not from the layer, which anyone who can pull the image (or read the build cache) can unpack.
Private keys, \`.env\` files, \`.npmrc\`/\`.pypirc\`/\`.netrc\` tokens, cloud and cluster credentials do not
belong in any layer, not even in a build stage.

Give the step that needs a secret a secret mount instead; it exists only while that step runs:

\`\`\`
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
RUN --mount=type=ssh git clone git@github.com:org/private.git
\`\`\`
and build with \`docker build --secret id=npmrc,src=$HOME/.npmrc --ssh default .\`.

Reported: COPY/ADD sources (after ARG/ENV expansion, \`--from\` sources too) named \`id_rsa\`, \`id_ed25519\`
(and the other OpenSSH key names), \`*.pem\` (unless named as a certificate: \`cert.pem\`, \`ca.pem\`,
\`fullchain.pem\`), \`*.key\`, \`*.p12\`, \`*.pfx\`, \`*.jks\`, \`*.ppk\`, \`.env\` and \`.env.*\` (not
\`.env.example\`/\`.sample\`/\`.template\`), \`.npmrc\`, \`.pypirc\`, \`.netrc\`, \`.git-credentials\`,
\`.pgpass\`, \`.vault-token\`, \`credentials.json\`, \`client_secret*.json\`, kubeconfigs, and the directories
\`.ssh\`, \`.aws\`, \`.gnupg\`, \`.kube\`, \`.docker\` (its \`config.json\`) and \`.config/gcloud\`. Harmless files in
them (\`known_hosts\`, \`*.pub\`, \`.ssh/config\`) are not. A destination that names such a file
(\`COPY <<EOF /root/.npmrc\`) is reported when no source was. Files copied into a CA or package-keyring
directory (\`/usr/local/share/ca-certificates\`, \`/etc/apt/keyrings\`, ...) are public keys and certificates.

\`COPY . .\` is not reported here: what it copies depends on \`.dockerignore\`.

\`\`\`dockerfile fires
FROM node:22
COPY .npmrc package.json package-lock.json ./
RUN npm ci
\`\`\`

\`\`\`dockerfile silent
FROM node:22
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKinds(ctx.model, COPIES)) {
      const destination = inst.destination === undefined ? undefined : expanded(ctx.stages, inst, inst.destination.value);
      // Most copies name no secret file: the destination's tests are made only for one that does.
      let trusted: boolean | undefined;
      let publicTarget: boolean | undefined;
      const before = out.length;
      for (const src of inst.sources) {
        if (src.value.startsWith("<<")) continue; // a heredoc: its content is DD004's business
        const path = expanded(ctx.stages, inst, src.value);
        const file = path === undefined ? undefined : memoized(sources, path, sourceFile);
        if (path === undefined || file === undefined) continue;
        trusted ??= destination !== undefined && inTrustStore(destination);
        if (trusted) break;
        publicTarget ??= destination !== undefined && namesPublicMaterial(destination);
        if (file.byExtension && publicTarget) continue;
        out.push(ctx.finding(src.span, `${inst.keyword} copies "${redactSecrets(path)}", ${file.description}, into the image: ${ADVICE}`));
      }
      if (trusted === true || out.length > before || destination === undefined || inst.destination === undefined || destination.endsWith("/")) continue;
      const file = memoized(destinations, destination, secretFile);
      if (file !== undefined && !file.directory && !inTrustStore(destination)) {
        out.push(ctx.finding(inst.destination.span, `${inst.keyword} writes ${file.description} to ${destination} in the image: ${ADVICE}`));
      }
    }
    return out;
  },
});

/** The word with ARG/ENV expanded; undefined when a variable in it is not set (it could name anything). */
function expanded(stages: StageGraph, inst: CopyInstruction, word: string): string | undefined {
  const e = stages.expand(inst, word);
  return e.references.some((r) => !r.set) ? undefined : e.value;
}

/** `COPY jenkins.key /war/jenkins-key.pub`: a destination named as a public key or certificate. */
function namesPublicMaterial(destination: string): boolean {
  if (destination.endsWith("/")) return false;
  const base = posix.basename(destination).toLowerCase();
  return /\.(?:pub|asc|gpg|crt|cer)$/.test(base) || nameWords(base).some((w) => w === "pub" || w === "public" || w === "pubkey" || w.startsWith("cert"));
}

function inTrustStore(path: string): boolean {
  const normal = posix.normalize(path);
  return TRUST_STORES.some((dir) => normal === dir || normal.startsWith(`${dir}/`));
}

/** The secret file a source names: a local path, or the path of a downloaded URL (git repositories are not files). */
// Paths repeat within a file and across the files of a run (package.json, requirements.txt, /app/): each is judged
// once. The answers are only read.
const sources = new Map<string, SecretFile | undefined>();
const destinations = new Map<string, SecretFile | undefined>();

function memoized(memo: Map<string, SecretFile | undefined>, path: string, judge: (path: string) => SecretFile | undefined): SecretFile | undefined {
  if (memo.has(path)) return memo.get(path);
  const file = judge(path);
  // Paths are the linted files' own: bounded, so that odd inputs cannot grow it without limit.
  if (memo.size >= 4096) memo.clear();
  memo.set(path, file);
  return file;
}

function sourceFile(path: string): SecretFile | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path)) return /^[A-Za-z0-9_-]+@[A-Za-z0-9.-]+:/.test(path) ? undefined : secretFile(path);
  if (!path.startsWith("http://") && !path.startsWith("https://")) return undefined;
  try {
    const { pathname } = new URL(path);
    return pathname.endsWith(".git") ? undefined : secretFile(decodeURIComponent(pathname));
  } catch {
    return undefined;
  }
}
