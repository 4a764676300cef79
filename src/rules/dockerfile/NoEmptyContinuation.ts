import type { TextFinding } from "../../core/finding.ts";
import type { Span } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { Dockerfile } from "../../dockerfile/ast.ts";

export const rule = defineRule({
  id: "NoEmptyContinuation",
  aliases: ["buildkit:NoEmptyContinuation"],
  severity: "warning",
  source: "buildkit",
  summary: "Empty continuation lines will become errors in a future release",
  url: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
  docs: `
An empty line inside a line continuation is skipped today, but the syntax is deprecated and a future release
of the Dockerfile frontend will reject it. Remove the empty line, or put a comment on it (a comment line does
not count as empty). The finding points at the escape character (a backslash, or a backtick in files that choose it
with the escape directive) that continues the instruction into its first empty line.

\`\`\`dockerfile fires
FROM alpine
RUN apk add \\

    curl
\`\`\`

\`\`\`dockerfile silent
FROM alpine
RUN apk add \\
# the HTTP client
    curl
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const warning of ctx.model.warnings) {
      if (warning.code !== "EMPTY_CONTINUATION") continue;
      out.push(ctx.finding(continuingEscape(ctx.model, warning.span.start.line) ?? warning.span, "Empty continuation line"));
    }
    return out;
  },
});

/**
 * The escape character that continues into an empty line: the last non-blank character of the nearest line above
 * it that is not a comment (comment lines inside a continuation are skipped). The parser's warning gives only the
 * empty line, so the line above is read from the source.
 */
function continuingEscape(model: Dockerfile, emptyLine: number): Span | undefined {
  const { source } = model;
  const text = source.text;
  for (let line = emptyLine - 1; line >= 1; line--) {
    const start = source.lineStart(line);
    const end = source.lineStart(line + 1);
    if (text.slice(start, end).trimStart().startsWith("#")) continue;
    let last = end - 1;
    while (last >= start && /\s/.test(text[last] ?? "")) last--;
    return last >= start && text[last] === model.escapeToken ? source.span(last, last + 1) : undefined;
  }
  return undefined;
}
