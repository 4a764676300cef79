import { defineRule } from "../../core/rule.ts";
import type { Span, TextFinding } from "../../core/finding.ts";
import { dispatchEnv, expandInScope, spanInWord, suggestName } from "../../context/dispatch.ts";
import type { Word } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "UndefinedArgInFrom",
  aliases: ["buildkit:UndefinedArgInFrom"],
  severity: "warning",
  source: "buildkit",
  summary: "FROM command must use declared ARGs",
  url: "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
  docs: `
A FROM line (its image and its \`--platform\`) can only use the ARGs declared before the first FROM and
BuildKit's predefined ones (\`BUILDPLATFORM\`, \`TARGETARCH\`, ... and \`TARGETSTAGE\`). Any other variable
is empty, which usually means a typo or a missing global \`ARG\`; the message suggests the closest declared
name (edit distance under 3, as BuildKit does).

\`\`\`dockerfile fires
FROM node:22${"$"}{VARIANT} AS jsbuilder
\`\`\`

\`\`\`dockerfile silent
ARG VARIANT="-alpine3.20"
FROM node:22${"$"}{VARIANT} AS jsbuilder
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const global = dispatchEnv(ctx).global;
    // Only needed for a suggestion, which most files never make.
    let known: string[] | undefined;
    for (const stage of ctx.stages.stages) {
      const from = stage.from;
      const words: { text: string; at: (start: number, end: number) => Span }[] = [];
      // A word without a `$` references nothing.
      if (from.image !== undefined && from.image.value.includes("$")) {
        const image: Word = from.image;
        words.push({ text: image.value, at: (s, e) => spanInWord(ctx, image, s, e) });
      }
      const platform = from.flags.find((f) => f.name === "platform");
      if (platform?.value !== undefined && platform.value.includes("$") && platform.valueSpan !== undefined) {
        const word: Word = { value: platform.value, span: platform.valueSpan };
        words.push({ text: platform.value, at: (s, e) => spanInWord(ctx, word, s, e) });
      }
      for (const { text, at } of words) {
        const expansion = expandInScope(global, text, { escapeToken: ctx.model.escapeToken });
        const reported = new Set<string>();
        for (const ref of expansion?.references ?? []) {
          if (ref.set || global.declared.has(ref.name) || reported.has(ref.name)) continue;
          reported.add(ref.name);
          known ??= [...global.env.keys(), ...[...global.declared].filter((n) => !global.env.has(n))];
          const suggestion = suggestName(ref.name, known);
          const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`;
          out.push(ctx.finding(at(ref.start, ref.end), `FROM argument '${ref.name}' is not declared${hint}`));
        }
      }
    }
    return out;
  },
});
