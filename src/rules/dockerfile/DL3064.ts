import type { TextFinding } from "../../core/finding.ts";
import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { Word } from "../../dockerfile/ast.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";

// hadolint's lists: well-known names of credentials, and parts of names that suggest one.
const KNOWN_SECRETS: ReadonlySet<string> = new Set([
  "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD",
  "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
  "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN",
  "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN", "HEROKU_API_KEY",
  "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN",
  "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME",
  "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME",
  "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN",
]);
const SUSPICIOUS_PARTS: readonly string[] = ["api_key", "client_key", "password", "private", "secret", "token", "username"];

export const rule = defineRule({
  id: "DL3064",
  aliases: ["hadolint:DL3064"],
  severity: "warning",
  source: "hadolint",
  summary: "Potentially sensitive data should not be used in the ARG or ENV commands",
  url: "https://github.com/hadolint/hadolint/wiki/DL3064",
  docs: `
ENV values are stored in the image config, and ARG values in the image history of every step that uses
them: anyone who can pull the image can read them. Pass credentials with build secrets
(\`RUN --mount=type=secret,id=npm_token ...\`) and give them to containers at run time.

Reported, as in hadolint: an ARG or ENV whose name is a well-known credential variable (\`GITHUB_TOKEN\`,
\`AWS_SECRET_ACCESS_KEY\`, \`POSTGRES_PASSWORD\`, ...) or contains \`api_key\`, \`client_key\`, \`password\`,
\`private\`, \`secret\`, \`token\` or \`username\` (any case). BuildKit's SecretsUsedInArgOrEnv is a similar check
with its own word list.

The list is hadolint's, kept as it is so that results match: \`username\` is on it, so the dev-container
convention \`ARG USERNAME=vscode\` (a login name, no secret) is reported too. Where such a name holds no
credential, silence the line with \`# hadolint ignore=DL3064\` (or disable the rule in the config).

\`\`\`dockerfile fires
FROM node:22
ARG NPM_TOKEN
RUN npm ci
\`\`\`

\`\`\`dockerfile silent
FROM node:22
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKinds(ctx.model, NAMING)) {
      if (inst.kind === "arg") for (const d of inst.declarations) report(out, ctx, inst.keyword, d.name);
      else for (const p of inst.pairs) report(out, ctx, inst.keyword, p.key);
    }
    return out;
  },
});

/** The instructions that name variables. */
const NAMING = ["arg", "env"] as const;

function report(out: TextFinding[], ctx: DockerfileContext, keyword: string, name: Word): void {
  const why = sensitivity(name.value);
  if (why !== undefined) out.push(ctx.finding(name.span, `Potentially sensitive data should not be used in the ${keyword} command: "${name.value}" ${why}; use a build secret instead`));
}

// Names repeat across the files of a run (PATH, NODE_ENV, ...): each is judged once.
const judged = new Map<string, string | undefined>();

function sensitivity(name: string): string | undefined {
  if (judged.has(name)) return judged.get(name);
  const why = judge(name);
  // Names are the linted files' own: bounded, so that odd inputs cannot grow it without limit.
  if (judged.size >= 4096) judged.clear();
  judged.set(name, why);
  return why;
}

function judge(name: string): string | undefined {
  if (KNOWN_SECRETS.has(name.toUpperCase())) return "is a well-known credential variable";
  const lower = name.toLowerCase();
  const part = SUSPICIOUS_PARTS.find((p) => lower.includes(p));
  return part === undefined ? undefined : `contains "${part}"`;
}
