import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKinds } from "../../dockerfile/query.ts";
import { dispatchEnv, expandInScope } from "../../context/dispatch.ts";
import { goQuote } from "../../dockerfile/lex.ts";

// BuildKit's heuristic (case-insensitive with Unicode folding, as Go's (?i)): one of these words as a "_"-separated part...
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/iu;
// ...unless one of these words is too.
const ALLOWED = /(?:_|^)(?:public|file|version)(?:_|$)/iu;

// Names repeat (within a file and across the files of a run): each is judged once. Bounded.
const judged = new Map<string, boolean>();

function looksSecret(name: string): boolean {
  let secret = judged.get(name);
  if (secret === undefined) {
    secret = SECRET.test(name) && !ALLOWED.test(name);
    if (judged.size >= 4096) judged.clear();
    judged.set(name, secret);
  }
  return secret;
}

const VARIABLES = ["arg", "env"] as const;

export const rule = defineRule({
  id: "SecretsUsedInArgOrEnv",
  aliases: ["buildkit:SecretsUsedInArgOrEnv"],
  severity: "warning",
  source: "buildkit",
  summary: "Sensitive data should not be used in the ARG or ENV commands",
  url: "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
  docs: `
ENV values are stored in the image config, and build arguments used by a RUN are recorded in the image
history: anyone who can pull the image can read them. Pass secrets with secret mounts
(\`RUN --mount=type=secret,id=token,env=TOKEN ...\` and \`docker build --secret id=token,env=TOKEN\`).

The check goes by the variable's name, as BuildKit's does: a name with a \`_\`-separated part (any case, the
whole name included) that is apikey, auth, credential(s), key, password, pword, passwd, secret or token, unless
a part is public, file or version. So \`GITHUB_TOKEN\`, \`DB_PASSWORD\` and \`MY_TOKEN_NAME\` are reported, and
\`TOKEN_FILE\`, \`PUBLIC_KEY\` and \`KEYCLOAK_URL\` are not. As in BuildKit, ARGs before the first FROM are not checked (they are only visible to FROM lines).

\`\`\`dockerfile fires
FROM alpine
ARG AWS_SECRET_ACCESS_KEY
RUN aws s3 cp s3://my-bucket/file .
\`\`\`

\`\`\`dockerfile silent
FROM alpine
RUN --mount=type=secret,id=aws_key,env=AWS_SECRET_ACCESS_KEY aws s3 cp s3://my-bucket/file .
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (instructionsOfKinds(ctx.model, VARIABLES).length === 0) return out;
    const env = dispatchEnv(ctx);
    for (const stage of ctx.stages.stages) {
      for (const inst of stage.instructions) {
        if (inst.kind === "arg") {
          // ARG names are not expanded.
          for (const d of inst.declarations) {
            if (looksSecret(d.name.value)) out.push(ctx.finding(d.name.span, `Do not use ARG or ENV instructions for sensitive data (ARG ${goQuote(d.name.value)})`));
          }
        } else if (inst.kind === "env") {
          const scope = env.at(inst);
          for (const pair of inst.pairs) {
            const key = scope === undefined ? undefined : expandInScope(scope, pair.key.value, { escapeToken: ctx.model.escapeToken });
            const name = key?.value ?? pair.key.value;
            if (looksSecret(name)) out.push(ctx.finding(pair.key.span, `Do not use ARG or ENV instructions for sensitive data (ENV ${goQuote(name)})`));
          }
        }
      }
    }
    return out;
  },
});
