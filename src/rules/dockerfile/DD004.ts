import type { Span, TextFinding } from "../../core/finding.ts";
import type { MappedText } from "../../core/text.ts";
import { defineRule } from "../../core/rule.ts";
import type { CommandForm, Dockerfile, Instruction, RunInstruction, Word } from "../../dockerfile/ast.ts";
import { commandsOf, instructionsOfKinds, parsedShell, runScripts } from "../../dockerfile/query.ts";
import { findSecrets, secretInNamedValue, type SecretMatch } from "../../secrets/detect.ts";
import { mayContainFormattedSecret } from "../../secrets/formats.ts";
import { fileHeredocBodies, wordText } from "../../secrets/dockerfile.ts";
import { shiftMatch } from "../../secrets/match.ts";
import { isSecretName, mayContainSecretName } from "../../secrets/names.ts";
import type { ShellAssignment, ShellCommand, ShellWord } from "../../shell/parse.ts";
import { allCommands, commandName, unwrap, WRAPPERS } from "../../shell/query.ts";
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
  check(ctx) {
    const out: TextFinding[] = [];
    const model = ctx.model;
    for (const inst of instructionsOfKinds(model, SCANNED)) {
      const found = secretsIn(inst, model);
      if (found.length === 0) continue;
      const seen = new Set<string>();
      for (const hit of found) {
        const key = `${hit.span.start.offset}:${hit.span.end.offset}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(ctx.finding(hit.span, `${hit.match.description} (${hit.match.masked}) in ${hit.where}: ${hit.why}; remove it, rotate it, and pass it with RUN --mount=type=secret`));
      }
    }
    return out;
  },
});

/** The instructions secretsIn looks at. */
const SCANNED = ["env", "label", "arg", "run", "cmd", "entrypoint", "healthcheck", "copy", "add"] as const;

interface Hit {
  match: SecretMatch;
  span: Span;
  /** Where in the instruction: "ENV DB_PASSWORD", "a RUN argument". */
  where: string;
  /** Where it ends up. */
  why: string;
}

const IN_CONFIG = "it is stored in the image configuration";
const IN_HISTORY = "it is recorded in the image history";
const IN_LAYER = "it is written into an image layer";

// Most words hold no secret: they are scanned first, and a word's span is only worked out for a match.

/** The secrets of one instruction, in the order they are reported (duplicates of one place included). */
function secretsIn(inst: Instruction, model: Dockerfile): Hit[] {
  const out: Hit[] = [];
  switch (inst.kind) {
    case "env":
    case "label":
      for (const pair of inst.pairs) {
        const matches = secretInNamedValue(pair.key.value, pair.value.value);
        if (matches.length > 0) modelWordHits(out, matches, model, pair.value, `${inst.keyword} ${pair.key.value}`, IN_CONFIG);
      }
      break;
    case "arg":
      for (const d of inst.declarations) {
        if (d.value === undefined) continue;
        const matches = secretInNamedValue(d.name.value, d.value.value);
        if (matches.length > 0) modelWordHits(out, matches, model, d.value, `the default of ARG ${d.name.value}`, IN_HISTORY);
      }
      break;
    case "run":
      if (inst.command?.form === "exec") execWords(out, inst.command.args, model, "RUN", IN_HISTORY);
      else if (runMayHoldSecret(inst)) commandsWords(out, commandsOf(inst), "RUN", IN_HISTORY);
      if (inst.heredocs.length > 0) {
        for (const body of fileHeredocBodies(inst, model)) mappedHits(out, findSecrets(body.text), body, "a RUN heredoc", IN_LAYER);
      }
      break;
    case "cmd":
    case "entrypoint":
    case "healthcheck":
      commandWords(out, inst.command, model, inst.keyword);
      break;
    case "copy":
    case "add":
      for (const src of inst.sources) {
        if (src.value.startsWith("<<")) continue;
        const matches = findSecrets(src.value);
        if (matches.length > 0) modelWordHits(out, matches, model, src, `${inst.kind === "add" ? "an" : "a"} ${inst.keyword} source`, IN_HISTORY);
      }
      if (inst.heredocs.length > 0) {
        for (const body of fileHeredocBodies(inst, model)) mappedHits(out, findSecrets(body.text), body, `a ${inst.keyword} heredoc`, IN_LAYER);
      }
      break;
    default:
      break;
  }
  return out;
}

// Besides formats and secret names, what commandsWords can report needs one of these: URL userinfo (`://` and
// `@`, tested apart), a .netrc `machine` line, `docker login -p`, and for `curl -u/-U/--user/--proxy-user` the flag as
// a whole word (`--upgrade`, `--update` and `pnpm@8` are no reason to look at every word).
const MAYBE_CONTEXT = /machine|login|(?<![A-Za-z0-9_-])--?(?:u|user|proxy-user)(?![A-Za-z0-9_-])/i;
// A script that opens with a heredoc may be parsed reordered (shell/leading-heredoc.ts): its words are then not
// simply pieces of its text, so it is never ruled out.
const LEADING_HEREDOC = /^\s*\d*<</;

/**
 * False when no word of the RUN's commands can hold a secret commandsWords reports. Every word is a piece of its
 * script's text (or of a `sh -c` script's), so a text none of whose pieces can match is ruled out in one pass
 * (~80% of RUNs). A wrapper (`env A=b`) makes assignments from quote-removed values: never ruled out.
 */
function runMayHoldSecret(run: RunInstruction): boolean {
  for (const script of runScripts(run)) if (textMayHoldSecret(script.text.text)) return true;
  return commandsMayHoldSecret(commandsOf(run));
}

/** The rest of runMayHoldSecret's test, given every command of the scripts (`sh -c` ones included). */
function commandsMayHoldSecret(commands: readonly ShellCommand[]): boolean {
  for (const cmd of commands) {
    if (cmd.nested !== undefined && textMayHoldSecret(cmd.nested.text.text)) return true;
    if (WRAPPERS[commandName(cmd) ?? ""] !== undefined) return true;
  }
  return false;
}

function textMayHoldSecret(text: string): boolean {
  return mayContainFormattedSecret(text) || mayContainSecretName(text) || (text.includes("@") && text.includes("://"))
    || MAYBE_CONTEXT.test(text) || LEADING_HEREDOC.test(text);
}

function mappedHits(out: Hit[], matches: readonly SecretMatch[], text: MappedText, where: string, why: string): void {
  for (const match of matches) out.push({ match, span: text.span(match.start, match.end), where, why });
}

/** A model word's matches: exact spans when its value is its source text (or the text in its quotes), else the whole word. */
function modelWordHits(out: Hit[], matches: readonly SecretMatch[], model: Dockerfile, word: Word, where: string, why: string): void {
  for (const match of matches) out.push({ match, span: wordText(model, word)?.span(match.start, match.end) ?? word.span, where, why });
}

function shellWordHits(out: Hit[], matches: readonly SecretMatch[], word: ShellWord, where: string, why: string): void {
  for (const match of matches) out.push({ match, span: sliceWord(word, match.start, match.end).span, where, why });
}

function commandWords(out: Hit[], command: CommandForm | undefined, model: Dockerfile, keyword: string): void {
  if (command === undefined) return;
  if (command.form === "exec") execWords(out, command.args, model, keyword, IN_CONFIG);
  else {
    // The same test as a RUN's (runMayHoldSecret): most commands are ruled out without looking at their words.
    const script = parsedShell(command.script);
    const commands = allCommands(script);
    if (textMayHoldSecret(script.text.text) || commandsMayHoldSecret(commands)) commandsWords(out, commands, keyword, IN_CONFIG);
  }
}

/** How wordList reads a kind of word and reports matches in it. */
interface WordKind<W> {
  text(word: W): string;
  hits(out: Hit[], matches: readonly SecretMatch[], word: W, where: string, why: string): void;
}

function execWords(out: Hit[], words: readonly Word[], model: Dockerfile, keyword: string, why: string): void {
  const kind: WordKind<Word> = {
    text: (w) => w.value,
    hits: (o, matches, w, where, y) => modelWordHits(o, matches, model, w, where, y),
  };
  wordList(out, words, kind, commandNameOf(words[0]?.value), `a ${keyword} argument`, why);
}

const SHELL_WORDS: WordKind<ShellWord> = { text: (w) => w.text, hits: shellWordHits };

function commandNameOf(word: string | undefined): string {
  return word?.slice(word.lastIndexOf("/") + 1) ?? "";
}

function commandsWords(out: Hit[], commands: readonly ShellCommand[], keyword: string, why: string): void {
  const where = `a ${keyword} argument`;
  for (const cmd of commands) {
    // A command that is no wrapper is its own unwrapped command.
    const command = WRAPPERS[commandName(cmd) ?? ""] === undefined ? cmd : unwrap(cmd);
    for (const a of command.assignments) assignmentHits(out, a, keyword, why);
    const words: ShellWord[] = [command.name];
    for (const arg of command.args) {
      if (isAssignment(arg)) assignmentHits(out, arg, keyword, why);
      else words.push(arg);
    }
    // The command word itself too: `RUN ghp_... ` as a mistyped line still puts the token in the history.
    wordList(out, words, SHELL_WORDS, commandName(command) ?? "", where, why);
    for (const r of command.redirects) {
      if (r.op !== "<<<" || r.target === undefined) continue;
      const matches = findSecrets(r.target.text);
      if (matches.length > 0) shellWordHits(out, matches, r.target, where, why);
    }
  }
}

function isAssignment(word: ShellWord): word is ShellAssignment {
  return "assigned" in word;
}

function assignmentHits(out: Hit[], a: ShellAssignment, keyword: string, why: string): void {
  const matches = secretInNamedValue(a.name, a.assigned.text);
  if (matches.length > 0) shellWordHits(out, matches, a.assigned, `the ${keyword} variable ${a.name}`, why);
}

// `docker login -p <password>`: -p is a password only for these commands' login.
const LOGIN_TOOLS: ReadonlySet<string> = new Set(["docker", "podman", "buildah", "skopeo", "nerdctl", "helm", "oras", "regctl"]);

const FLAG = /^--?([A-Za-z][A-Za-z0-9_-]*)$/;

/**
 * Secrets in a command's words: anything findSecrets sees in a word; the value after a flag named like a secret
 * (`--password <value>`, `--token <value>`); the password of `curl -u user:<password>` and of `docker login -p`.
 */
function wordList<W>(out: Hit[], words: readonly W[], kind: WordKind<W>, name: string, where: string, why: string): void {
  const isLogin = LOGIN_TOOLS.has(name) && words.some((w) => kind.text(w) === "login");
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === undefined) continue;
    const text = kind.text(word);
    const matches = findSecrets(text);
    if (matches.length > 0) kind.hits(out, matches, word, where, why);
    if (text.charCodeAt(0) !== 0x2d) continue; // not a flag
    const next = words[i + 1];
    if (next === undefined) continue;
    const nextText = kind.text(next);
    if (nextText.startsWith("-")) continue;
    const flag = FLAG.exec(text)?.[1];
    if (flag === undefined) continue;
    let value: SecretMatch[];
    if (isSecretName(flag)) value = secretInNamedValue(flag, nextText);
    else if (isLogin && flag === "p") value = secretInNamedValue("password", nextText);
    else if (name === "curl" && (flag === "u" || flag === "user" || flag === "proxy-user" || flag === "U")) {
      const colon = nextText.indexOf(":");
      if (colon === -1) continue;
      const password = nextText.slice(colon + 1).replace(/["']$/, "");
      value = secretInNamedValue("password", password).map((m) => shiftMatch(m, colon + 1));
    } else continue;
    if (value.length > 0) kind.hits(out, value, next, `${where} (${text})`, why);
  }
}
