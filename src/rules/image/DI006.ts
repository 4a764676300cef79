import { defineImageCheck, type ImageCheckContext } from "../../core/image-check.ts";
import type { Finding } from "../../core/finding.ts";
import type { PathVersion } from "../../image/merged.ts";
import type { LayerEntry } from "../../image/walk.ts";
import { findSecrets, secretInNamedValue, type SecretMatch } from "../../secrets/detect.ts";
import { historySteps, stepLabel } from "./lib/history.ts";
import { allowList } from "./lib/paths.ts";
import { secretsInFile, type FileSecret } from "./lib/secret-scan.ts";

/** How much of each file is searched: keys and credential files are small; a secret past this in a huge file is missed. */
export const SECRET_HEAD_BYTES = 1024 * 1024;

export const check = defineImageCheck({
  id: "DI006",
  aliases: ["dockle:CIS-DI-0010", "cis:4.10"],
  severity: "error",
  source: "dockle",
  summary: "No secrets in any layer, ENV, label or build history",
  docs: `
Anyone who can pull an image can read every layer of it, and its configuration. A private key, token or password
in any of them is published with the image — also when a later layer deletes the file: the layer that added it is
still part of the image, and \`docker save\` or \`skopeo copy\` hands it out. Environment variables, labels and the
build history (\`created_by\`, which records \`--build-arg\` values of RUN steps) are in the image configuration.

drydock reads the content of every file of every layer (the first MiB of each), and reports secrets proven by their
format (private keys of every common format, vendor tokens with their prefixes and checksums), by the structure of
credential files (\`.npmrc\`, \`.pypirc\`, \`.netrc\`, \`.git-credentials\`, Docker \`config.json\` auths, kubeconfig,
AWS credentials, \`.pgpass\`) or by a random-looking value assigned to a secret's name. A name alone is never enough,
and placeholders, public keys and certificates, documented sample keys and hashes are not secrets. Values are never
printed. Tests, docs and examples inside third-party package trees (\`node_modules\`, \`site-packages\`, \`/usr/share/doc\`)
are skipped; in the rest of those trees only secrets proven by format count.

Fix: remove the secret from the build (BuildKit secret mounts: \`RUN --mount=type=secret\`), rebuild without the layer
that held it, and rotate it — it has been published. Paths that hold fixtures on purpose go in \`drydock.yaml\`:

\`\`\`yaml
audit:
  secretPathAllow: [/app/test/fixtures]
\`\`\`

dockle's CIS-DI-0010 looks at the names of ENV variables and files; drydock reads values and contents instead.
`,
  headBytes: SECRET_HEAD_BYTES,
  wants: (e) => e.kind === "file" && e.size > 0,
  create(ctx) {
    const allowed = allowList(ctx.settings.secretPathAllow);
    const found: { entry: LayerEntry; secrets: FileSecret[] }[] = [];
    return {
      entry(e, head) {
        if (head === undefined || allowed(e.path)) return;
        const secrets = secretsInFile(e.path, head);
        if (secrets.length > 0) found.push({ entry: e, secrets });
      },
      *finish() {
        for (const { entry, secrets } of found) {
          const version = versionOf(ctx.fs.history(entry.path), entry.layer);
          yield ctx.finding(ctx.at(entry), `${secretsText(secrets)} in /${entry.path}${removalText(version, entry.layer)}`);
        }
        yield* configSecrets(ctx);
      },
    };
  },
});

/** The version a layer added at a path (the last, when a layer has two entries for it). */
function versionOf(history: readonly PathVersion[], layer: number): PathVersion | undefined {
  return history.filter((v) => v.layer === layer).pop();
}

function removalText(v: PathVersion | undefined, layer: number): string {
  if (v?.removedIn === undefined) return "";
  if (v.removedBy === "overwritten") return `: replaced in layer ${v.removedIn}, the version of layer ${layer} is still extractable`;
  return `: deleted in layer ${v.removedIn}, still extractable from layer ${layer}`;
}

function secretsText(secrets: readonly FileSecret[]): string {
  const one = (s: FileSecret): string => `${s.description}${s.masked === "****" ? "" : ` (${s.masked})`} at line ${s.line}`;
  if (secrets.length === 1) return one(secrets[0] as FileSecret);
  const shown = secrets.slice(0, 5).map(one).join(", ");
  return `${secrets.length} secrets (${shown}${secrets.length > 5 ? ", ..." : ""})`;
}

function matchText(m: SecretMatch): string {
  return `${m.description}${m.masked === "****" ? "" : ` (${m.masked})`}`;
}

/** ENV values, labels and the build history: the configuration anyone can read with `inspect`. */
function* configSecrets(ctx: ImageCheckContext): Generator<Finding> {
  const config = ctx.config;
  if (config === undefined) return;
  // A value set by ENV shows in Env and again in the ENV history step: reported once, where it is in force.
  const reported = new Set<string>();
  const note = (value: string, m: SecretMatch): boolean => {
    const secret = value.slice(m.start, m.end);
    const fresh = !reported.has(secret);
    reported.add(secret);
    return fresh;
  };
  for (const pair of config.env) {
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    for (const m of secretInNamedValue(name, value)) {
      if (note(value, m)) yield ctx.finding(ctx.imageLocation, `${matchText(m)} in ENV ${name}`);
    }
  }
  for (const [name, value] of Object.entries(config.labels)) {
    for (const m of secretInNamedValue(name, value)) {
      if (note(value, m)) yield ctx.finding(ctx.imageLocation, `${matchText(m)} in label ${JSON.stringify(name)}`);
    }
  }
  for (const step of historySteps(config)) {
    for (const [name, value] of step.buildArgs) {
      for (const m of secretInNamedValue(name, value)) {
        if (note(value, m)) yield ctx.finding(ctx.imageLocation, `${matchText(m)} in build argument ${name} of history step ${step.index} (${stepLabel(step)})`);
      }
    }
    const text = step.entry.createdBy ?? "";
    for (const m of findSecrets(text)) {
      if (note(text, m)) yield ctx.finding(ctx.imageLocation, `${matchText(m)} in history step ${step.index} (${stepLabel(step)})`);
    }
  }
}
