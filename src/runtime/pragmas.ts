// Inline suppressions in runtime inputs: `# drydock ignore=DR001,DR015` on a line of its own (YAML, shell,
// Makefile; `<!-- drydock ignore=... -->` in Markdown) covers the next line and, when that line opens an indented
// block (a compose service, a container, a continued `docker run`), the whole block; `drydock global ignore=...`
// covers the file. Read into core/pragmas' shape, so that the policy applies them as it does for Dockerfiles.
import type { Span } from "../core/finding.ts";
import { NO_PRAGMAS, parseIgnoreComment, type IgnorePragma, type Pragmas, type PragmaWarning } from "../core/pragmas.ts";
import type { LineIndex } from "../core/text.ts";

const COMMENT = /^[ \t]*(?:#[ \t]*(drydock\b.*?)|<!--[ \t]*(drydock\b.*?)[ \t]*-->)[ \t]*$/;

export function runtimePragmas(lines: LineIndex): Pragmas {
  if (!lines.text.includes("drydock")) return NO_PRAGMAS;
  const rows = lines.text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const ignores: IgnorePragma[] = [];
  const warnings: PragmaWarning[] = [];
  for (const [i, row] of rows.entries()) {
    const m = COMMENT.exec(row);
    const body = m?.[1] ?? m?.[2];
    if (body === undefined) continue;
    const parsed = parseIgnoreComment(body);
    if (parsed === undefined) continue;
    const start = lines.lineStart(i + 1);
    const span: Span = lines.span(start, start + row.length);
    if ("problem" in parsed) {
      warnings.push({ message: parsed.problem, span });
      continue;
    }
    if (parsed.scope === "global") {
      ignores.push({ ...parsed, span, fromLine: 1, toLine: Infinity });
      continue;
    }
    const target = nextContentLine(rows, i + 1);
    if (target === undefined) {
      warnings.push({ message: `"${body}" is followed by nothing, so it suppresses nothing`, span });
      continue;
    }
    ignores.push({ ...parsed, span, fromLine: target + 1, toLine: blockEnd(rows, target) + 1 });
  }
  return { ignores, check: undefined, warnings };
}

function isBlankOrComment(row: string): boolean {
  const t = row.trim();
  return t === "" || t.startsWith("#") || t.startsWith("<!--");
}

function nextContentLine(rows: readonly string[], from: number): number | undefined {
  for (let i = from; i < rows.length; i++) if (!isBlankOrComment(rows[i] ?? "")) return i;
  return undefined;
}

function indentOf(row: string): number {
  return /^[ \t]*/.exec(row)?.[0].length ?? 0;
}

/** The last line of the block a line opens: following lines indented deeper (or continuing it with `\`). */
function blockEnd(rows: readonly string[], first: number): number {
  const indent = indentOf(rows[first] ?? "");
  let last = first;
  let continued = (rows[first] ?? "").trimEnd().endsWith("\\");
  for (let i = first + 1; i < rows.length; i++) {
    const row = rows[i] ?? "";
    if (continued) {
      last = i;
      continued = row.trimEnd().endsWith("\\");
      continue;
    }
    if (isBlankOrComment(row)) continue;
    if (indentOf(row) <= indent) break;
    last = i;
  }
  return last;
}
