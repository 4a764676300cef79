import { defineRule } from "../../core/rule.ts";
import type { Span, TextFinding } from "../../core/finding.ts";
import type { DockerfileContext } from "../../core/rule.ts";
import {
  dispatchEnv, expandInScope, NON_ENV_ARGS, spanInWord, suggestName, type DispatchScope,
} from "../../context/dispatch.ts";
import type { EscapeToken, Instruction, Word } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "UndefinedVar",
  aliases: ["buildkit:UndefinedVar"],
  severity: "warning",
  source: "buildkit",
  summary: "Variables should be defined before their use",
  url: "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
  docs: `
A variable that no ARG or ENV defined expands to nothing, so a typo (\`$PAHT\`) or a forgotten \`ARG\` in the
stage silently changes what the instruction does. The message suggests the closest defined name (edit
distance under 3, as BuildKit does).

What BuildKit checks: the words it expands itself, in the stages: ENV and LABEL keys and values, ARG
defaults, ADD/COPY sources, destination, \`--chown\`/\`--chmod\` (and ADD's \`--checksum\`) and the bodies of
their unquoted heredocs, WORKDIR, USER, VOLUME, STOPSIGNAL, and the values of \`RUN --mount\` options. RUN, CMD
and ENTRYPOINT commands are left to the shell and not checked, nor is EXPOSE. Defined are: the stage's ENV
and ARG before the instruction (an \`ARG NAME\` without a value counts), those of the stage it is built FROM,
and PATH. The global ARGs are not defined in a stage until an \`ARG NAME\` there brings them in. ENV pairs of
one instruction do not see each other (\`ENV A=1 B=$A\` uses the A from before); the declarations of one ARG do.

Unlike BuildKit, drydock cannot see the ENV of a base image pulled from a registry: a variable only the base
image defines (\`$GOPATH\` in golang images, say) is reported. Declare it with \`ARG GOPATH\` (no value: the
image's value stays) or skip the check for that line.

\`\`\`dockerfile fires
FROM alpine
ENV PATH=${"$"}PAHT:/app/bin
\`\`\`

\`\`\`dockerfile silent
FROM alpine AS base
ARG foo
COPY ${"$"}foo .
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const env = dispatchEnv(ctx);
    const escapeToken = ctx.model.escapeToken;
    for (const stage of ctx.stages.stages) {
      for (const inst of stage.instructions) {
        if (inst.kind === "arg") {
          const declarations = inst.declarations;
          for (let i = 0; i < declarations.length; i++) {
            const value = declarations[i]?.value;
            // Without a `$` nothing is expanded, so nothing can be undefined.
            if (value === undefined || !value.value.includes("$")) continue;
            const scope = env.atDeclaration(inst, i);
            if (scope !== undefined) undefinedIn(out, ctx, scope, wordText(ctx, value), escapeToken);
          }
          continue;
        }
        if (!mayReferenceVariable(inst)) continue;
        const texts = expandedTexts(ctx, inst);
        if (texts.length === 0) continue;
        const scope = env.at(inst);
        if (scope === undefined) continue;
        for (const text of texts) undefinedIn(out, ctx, scope, text, text.escapeToken ?? escapeToken);
      }
    }
    return out;
  },
});

interface ExpandedText {
  text: string;
  /** Source span of text[start, end). */
  at(start: number, end: number): Span;
  escapeToken?: EscapeToken;
  raw?: boolean;
}

function wordText(ctx: DockerfileContext, word: Word): ExpandedText {
  return { text: word.value, at: (s, e) => spanInWord(ctx, word, s, e) };
}

const NO_TEXTS: readonly ExpandedText[] = [];

/**
 * Whether any text the instruction expands can hold a `$`: its line (every word and flag value comes from it; a
 * JSON array's escapes can spell one that the line does not show) or a heredoc body.
 */
function mayReferenceVariable(inst: Instruction): boolean {
  if (inst.json || inst.original.includes("$")) return true;
  for (const h of inst.heredocs) if (h.body.text.includes("$")) return true;
  return false;
}

/**
 * The texts BuildKit expands for an instruction (its Expand and ExpandRaw methods) that can reference a variable:
 * a text without a `$` expands to itself, with nothing undefined in it.
 */
function expandedTexts(ctx: DockerfileContext, inst: Instruction): readonly ExpandedText[] {
  const words: Word[] = [];
  const word = (w: Word): void => {
    if (w.value.includes("$")) words.push(w);
  };
  const flagWords = (names: string[]): void => {
    for (const f of inst.flags) {
      if (names.includes(f.name) && f.value !== undefined && f.valueSpan !== undefined) word({ value: f.value, span: f.valueSpan });
    }
  };
  const out: ExpandedText[] = [];
  switch (inst.kind) {
    case "env":
    case "label":
      for (const p of inst.pairs) {
        word(p.key);
        word(p.value);
      }
      break;
    case "add":
    case "copy": {
      flagWords(inst.kind === "add" ? ["chown", "chmod", "checksum"] : ["chown", "chmod"]);
      const heredocSources = inst.heredocs.length > 0;
      for (const s of inst.sources) if (!(heredocSources && s.value.startsWith("<<"))) word(s);
      if (inst.destination !== undefined) word(inst.destination);
      // Unquoted heredoc bodies are expanded raw: quotes are plain characters, `\` escapes.
      for (const h of inst.heredocs) {
        if (h.expand && h.body.text.includes("$")) out.push({ text: h.body.text, at: (s, e) => h.body.span(s, e), escapeToken: "\\", raw: true });
      }
      break;
    }
    case "workdir":
    case "user":
    case "stopsignal":
      if (inst.value !== undefined) word(inst.value);
      break;
    case "volume":
      for (const item of inst.items) word(item);
      break;
    case "run":
      for (const f of inst.flags) {
        if (f.name !== "mount" || f.value === undefined || f.valueSpan === undefined || !f.value.includes("$")) continue;
        const flag: Word = { value: f.value, span: f.valueSpan };
        let offset = 0;
        for (const field of f.value.split(",")) {
          const eq = field.indexOf("=");
          if (eq !== -1) {
            const start = offset + eq + 1;
            const text = field.slice(eq + 1);
            if (text.includes("$")) out.push({ text, at: (s, e) => spanInWord(ctx, flag, start + s, start + e) });
          }
          offset += field.length + 1;
        }
      }
      break;
    default:
      return NO_TEXTS;
  }
  if (words.length === 0 && out.length === 0) return NO_TEXTS;
  return [...words.map((w) => wordText(ctx, w)), ...out];
}

// The undefined references in one text, pushed onto out (no generator per text).
function undefinedIn(out: TextFinding[], ctx: DockerfileContext, scope: DispatchScope, text: ExpandedText, escapeToken: EscapeToken): void {
  const e = expandInScope(scope, text.text, { escapeToken, skipProcessQuotes: text.raw === true });
  if (e === undefined) return;
  const reported = new Set<string>();
  for (const ref of e.references) {
    if (ref.set || scope.args.has(ref.name) || NON_ENV_ARGS.has(ref.name) || reported.has(ref.name)) continue;
    reported.add(ref.name);
    const suggestion = suggestName(ref.name, scope.env.keys());
    const hint = suggestion === undefined ? "" : ` (did you mean $${suggestion}?)`;
    out.push(ctx.finding(text.at(ref.start, ref.end), `Usage of undefined variable '$${ref.name}'${hint}`));
  }
}
