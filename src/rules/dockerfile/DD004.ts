import type { Span } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { CommandForm, Dockerfile, Instruction, Word } from "../../dockerfile/ast.ts";
import { allInstructions, runScripts } from "../../dockerfile/query.ts";
import { findSecrets, secretInNamedValue, type SecretMatch } from "../../secrets/detect.ts";
import { fileHeredocBodies, wordText } from "../../secrets/dockerfile.ts";
import { shiftMatch } from "../../secrets/match.ts";
import { isSecretName } from "../../secrets/names.ts";
import { parseShell, type ShellAssignment, type ShellCommand, type ShellScript, type ShellWord } from "../../shell/parse.ts";
import { allCommands, commandName, unwrap } from "../../shell/query.ts";
import { sliceWord } from "../../shell/word.ts";

export const rule = defineRule({
  id: "DD004",
  aliases: ["cis:4.10"],
  severity: "error",
  source: "drydock",
  summary: "No secret values (tokens, keys, passwords) in the Dockerfile",
  url: "https://docs.docker.com/build/building/secrets/",
  docs: `
A secret written into a Dockerfile is in every copy of it, and in the image: ENV and LABEL values are stored in
the image configuration, ARG values and RUN command lines in its history (\`docker history --no-trunc\`),
heredoc contents in a layer. Anyone who can pull the image can read them. Remove the secret, **rotate it**
(it has been exposed), and pass it at build time instead:

\`\`\`
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN gh release download ...
\`\`\`
built with \`docker build --secret id=gh_token,env=GH_TOKEN .\`.

This is CIS Docker Benchmark 4.10 ("Ensure secrets are not stored in Dockerfiles"). DD004 looks at
**values**, by their content. BuildKit's SecretsUsedInArgOrEnv looks at **names**
(\`ARG GITHUB_TOKEN\` is reported whatever its value, \`ENV GPG_KEY=<public fingerprint>\` too); DD004 reports
\`ENV URL=https://deploy:<password>@git.example.com\` whatever its name, and stays silent for names without
a secret value. Found:

- tokens by format: AWS access key ids (\`AKIA\`/\`ASIA\` + 16), GitHub tokens (\`ghp_\`, \`gho_\`, \`ghu_\`,
  \`ghs_\`, \`ghr_\`: their CRC32 checksum must verify, so samples such as \`ghp_xxxx...\` are not reported;
  \`github_pat_\`), npm tokens (\`npm_\`, checksum verified), GitLab (\`glpat-\` and the other \`gl*-\` tokens),
  Slack (\`xoxb-\`, \`xoxp-\`, ...), Stripe live keys (\`sk_live_\`, \`rk_live_\`), Google API keys (\`AIza\`),
  JWTs (three base64url parts whose header decodes to JSON with an \`alg\`), PEM private key blocks (with a body
  that decodes as a key);
- secrets by context, when the value is random-looking: assignments to secret names (\`password=\`,
  \`DB_PASSWORD\`, \`_authToken=\`, \`--token <value>\`, \`curl -u user:<password>\`), AWS secret access keys
  (40 characters assigned to \`aws_secret_access_key\`/\`AWS_SECRET_ACCESS_KEY\`), URL user information
  (\`https://user:<password>@host\`), \`Authorization: Bearer|Basic|token\` headers, \`.netrc\` lines.

Not secrets: placeholders (\`changeme\`, \`xxx\`, \`<token>\`, \`your-token-here\`, AWS's \`...EXAMPLE\` keys),
variables (\`\${TOKEN}\`, \`$(cat /run/secrets/x)\`), empty values, paths, short or low-entropy values, and
comments. Looked at: ENV, LABEL and ARG values; RUN, CMD, ENTRYPOINT and HEALTHCHECK command words (shell and
exec form, \`sh -c\` scripts, heredoc scripts); COPY/ADD sources and heredoc contents (also RUN heredocs written to
files). Messages name the kind and the place and mask the value.

\`\`\`dockerfile fires
FROM debian:12
RUN git clone https://deploy:Q7wErTy9Uio2pZ@git.example.com/team/app.git /src
\`\`\`

\`\`\`dockerfile fires
FROM postgres:16
ENV POSTGRES_PASSWORD=Xk9pQ2vL7qRtW4
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ARG GITHUB_TOKEN
ENV POSTGRES_PASSWORD=changeme
RUN --mount=type=secret,id=deploy_token,env=TOKEN git clone "https://oauth2:\${TOKEN}@git.example.com/team/app.git" /src
\`\`\`
`,
  *check(ctx) {
    for (const inst of allInstructions(ctx.model)) {
      const seen = new Set<string>();
      for (const hit of secretsIn(inst, ctx.model)) {
        const key = `${hit.span.start.offset}:${hit.span.end.offset}`;
        if (seen.has(key)) continue;
        seen.add(key);
        yield ctx.finding(hit.span, `${hit.match.description} (${hit.match.masked}) in ${hit.where}: ${hit.why}; remove it, rotate it, and pass it with RUN --mount=type=secret`);
      }
    }
  },
});

interface Hit {
  match: SecretMatch;
  span: Span;
  /** Where in the instruction: "ENV DB_PASSWORD", "a RUN argument". */
  where: string;
  /** Where it ends up. */
  why: string;
}

/** A piece of text to scan and how its offsets map to spans. */
interface Scanned {
  text: string;
  span(start: number, end: number): Span;
}

const IN_CONFIG = "it is stored in the image configuration";
const IN_HISTORY = "it is recorded in the image history";
const IN_LAYER = "it is written into an image layer";

function* secretsIn(inst: Instruction, model: Dockerfile): Generator<Hit> {
  switch (inst.kind) {
    case "env":
    case "label":
      for (const pair of inst.pairs) {
        yield* hits(secretInNamedValue(pair.key.value, pair.value.value), modelWord(model, pair.value), `${inst.keyword} ${pair.key.value}`, IN_CONFIG);
      }
      return;
    case "arg":
      for (const d of inst.declarations) {
        if (d.value === undefined) continue;
        yield* hits(secretInNamedValue(d.name.value, d.value.value), modelWord(model, d.value), `the default of ARG ${d.name.value}`, IN_HISTORY);
      }
      return;
    case "run":
      if (inst.command?.form === "exec") yield* execWords(inst.command.args, model, "RUN", IN_HISTORY);
      else for (const script of runScripts(inst)) yield* scriptWords(script, "RUN", IN_HISTORY);
      for (const body of fileHeredocBodies(inst, model)) yield* hits(findSecrets(body.text), body, "a RUN heredoc", IN_LAYER);
      return;
    case "cmd":
    case "entrypoint":
    case "healthcheck":
      yield* commandWords(inst.command, model, inst.keyword);
      return;
    case "copy":
    case "add":
      for (const src of inst.sources) {
        if (!src.value.startsWith("<<")) yield* hits(findSecrets(src.value), modelWord(model, src), `${inst.kind === "add" ? "an" : "a"} ${inst.keyword} source`, IN_HISTORY);
      }
      for (const body of fileHeredocBodies(inst, model)) yield* hits(findSecrets(body.text), body, `a ${inst.keyword} heredoc`, IN_LAYER);
      return;
    default:
      return;
  }
}

function* hits(matches: readonly SecretMatch[], scanned: Scanned, where: string, why: string): Generator<Hit> {
  for (const match of matches) yield { match, span: scanned.span(match.start, match.end), where, why };
}

/** A model word: exact spans when its value is its source text (or the text in its quotes), else the whole word. */
function modelWord(model: Dockerfile, word: Word): Scanned {
  return {
    text: word.value,
    span: (start, end) => wordText(model, word)?.span(start, end) ?? word.span,
  };
}

function shellWord(word: ShellWord): Scanned {
  return { text: word.text, span: (start, end) => sliceWord(word, start, end).span };
}

function* commandWords(command: CommandForm | undefined, model: Dockerfile, keyword: string): Generator<Hit> {
  if (command === undefined) return;
  if (command.form === "exec") yield* execWords(command.args, model, keyword, IN_CONFIG);
  else yield* scriptWords(parseShell(command.script), keyword, IN_CONFIG);
}

function* execWords(words: readonly Word[], model: Dockerfile, keyword: string, why: string): Generator<Hit> {
  yield* wordList(words.map((w) => modelWord(model, w)), commandNameOf(words[0]?.value), `a ${keyword} argument`, why);
}

function commandNameOf(word: string | undefined): string {
  return word?.slice(word.lastIndexOf("/") + 1) ?? "";
}

function* scriptWords(script: ShellScript, keyword: string, why: string): Generator<Hit> {
  for (const cmd of allCommands(script)) {
    const command = unwrap(cmd);
    const where = `a ${keyword} argument`;
    for (const a of command.assignments) yield* assignmentHits(a, `the ${keyword} variable ${a.name}`, why);
    const plain: ShellWord[] = [];
    for (const arg of command.args) {
      if (isAssignment(arg)) yield* assignmentHits(arg, `the ${keyword} variable ${arg.name}`, why);
      else plain.push(arg);
    }
    // The command word itself too: `RUN ghp_... ` as a mistyped line still puts the token in the history.
    yield* wordList([shellWord(command.name), ...plain.map(shellWord)], commandName(command) ?? "", where, why);
    yield* redirectHits(command, where, why);
  }
}

function* redirectHits(cmd: ShellCommand, where: string, why: string): Generator<Hit> {
  for (const r of cmd.redirects) {
    if (r.op === "<<<" && r.target !== undefined) yield* hits(findSecrets(r.target.text), shellWord(r.target), where, why);
  }
}

function isAssignment(word: ShellWord): word is ShellAssignment {
  return "assigned" in word;
}

function* assignmentHits(a: ShellAssignment, where: string, why: string): Generator<Hit> {
  yield* hits(secretInNamedValue(a.name, a.assigned.text), shellWord(a.assigned), where, why);
}

// `docker login -p <password>`: -p is a password only for these commands' login.
const LOGIN_TOOLS: ReadonlySet<string> = new Set(["docker", "podman", "buildah", "skopeo", "nerdctl", "helm", "oras", "regctl"]);

/**
 * Secrets in a command's words: anything findSecrets sees in a word; the value after a flag named like a secret
 * (`--password <value>`, `--token <value>`); the password of `curl -u user:<password>` and of `docker login -p`.
 */
function* wordList(words: readonly Scanned[], name: string, where: string, why: string): Generator<Hit> {
  const isLogin = LOGIN_TOOLS.has(name) && words.some((w) => w.text === "login");
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === undefined) continue;
    yield* hits(findSecrets(word.text), word, where, why);
    const next = words[i + 1];
    if (next === undefined || next.text.startsWith("-")) continue;
    const flag = /^--?([A-Za-z][A-Za-z0-9_-]*)$/.exec(word.text)?.[1];
    if (flag === undefined) continue;
    if (isSecretName(flag)) yield* hits(secretInNamedValue(flag, next.text), next, `${where} (${word.text})`, why);
    else if (isLogin && flag === "p") yield* hits(secretInNamedValue("password", next.text), next, `${where} (${word.text})`, why);
    else if (name === "curl" && (flag === "u" || flag === "user" || flag === "proxy-user" || flag === "U")) {
      const colon = next.text.indexOf(":");
      if (colon === -1) continue;
      const password = next.text.slice(colon + 1).replace(/["']$/, "");
      yield* hits(secretInNamedValue("password", password).map((m) => shiftMatch(m, colon + 1)), next, `${where} (${word.text})`, why);
    }
  }
}
