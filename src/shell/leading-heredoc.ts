// `<<EOT bash -x` — a heredoc written before the command name, the form of the Dockerfile reference's
// `RUN <<EOT bash` — is valid shell that tree-sitter-bash misreads: it sees `<` as an error and reads the body lines
// as commands. parse.ts parses such a script as if written `bash -x <<EOT` instead (each character keeps its source
// offset, so every span still points into the Dockerfile), then puts the spans back in source order.
import { concatMapped, type MappedText } from "../core/text.ts";
import type { ShellScript } from "./parse.ts";

/**
 * The script with the first command's words moved before a heredoc that opens it (`<<EOT bash -x\n...` →
 * `bash -x <<EOT\n...`); undefined when the script does not start with a heredoc followed by a command on the
 * same line, or when that line is more than the fast-to-read kind (substitutions, a second heredoc, ...).
 */
export function commandBeforeLeadingHeredoc(script: MappedText): MappedText | undefined {
  const s = script.text;
  const opStart = skipBlanks(s, 0);
  let i = opStart;
  while (isDigit(s.charCodeAt(i))) i++;
  if (!s.startsWith("<<", i) || s.startsWith("<<<", i)) return undefined;
  i += s[i + 2] === "-" ? 3 : 2;
  const delimiterEnd = wordEnd(s, skipBlanks(s, i));
  if (delimiterEnd === undefined || delimiterEnd === skipBlanks(s, i)) return undefined;
  const commandStart = skipBlanks(s, delimiterEnd);
  if (commandStart === delimiterEnd) return undefined;
  const commandEnd = firstCommandEnd(s, commandStart);
  if (commandEnd === undefined || commandEnd === commandStart) return undefined; // `<<EOT | cat`: no command
  // A blank after the delimiter too: tree-sitter-bash reads `<<EOT;` as a delimiter `EOT;`.
  const blank = script.slice(delimiterEnd, delimiterEnd + 1);
  return concatMapped(
    [
      script.slice(0, opStart),
      script.slice(commandStart, commandEnd),
      script.slice(delimiterEnd, commandStart),
      script.slice(opStart, delimiterEnd),
      blank,
      script.slice(commandEnd),
    ],
    script.source,
  );
}

/**
 * After parsing the re-ordered text: a command's span starts at its first redirect when that comes first in the
 * source, its redirects are in source order, and so are the spans of the pipeline stages it starts.
 */
export function restoreSourceOrder(result: ShellScript): void {
  for (const cmd of result.commands) {
    let start = cmd.span.start;
    for (const r of cmd.redirects) if (r.span.start.offset < start.offset) start = r.span.start;
    if (start !== cmd.span.start) {
      cmd.span = { start, end: cmd.span.end };
      cmd.redirects.sort((a, b) => a.span.start.offset - b.span.start.offset);
    }
  }
  for (const pipeline of result.pipelines) {
    for (const stage of pipeline.stages) {
      for (const cmd of stage.commands) {
        if (cmd.span.start.offset < stage.span.start.offset) stage.span = { start: cmd.span.start, end: stage.span.end };
      }
    }
    const first = pipeline.stages[0];
    if (first !== undefined && first.span.start.offset < pipeline.span.start.offset) {
      pipeline.span = { start: first.span.start, end: pipeline.span.end };
    }
  }
}

function skipBlanks(s: string, i: number): number {
  while (s[i] === " " || s[i] === "\t") i++;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Where the first command ends (before `|`, `&&`, `;`, `&` or the end of the line, blanks trimmed); undefined for
 * what this re-ordering does not read: substitutions, parentheses, backticks, another heredoc, a quote that runs
 * past the line.
 */
function firstCommandEnd(s: string, start: number): number | undefined {
  let k = start;
  for (;;) {
    const c = s[k];
    if (c === undefined || c === "\n" || c === ";") break;
    if (c === "|" || c === "&") {
      // `>|`, `>&`, `<&` and `&>` are redirect operators.
      if (s[k - 1] !== ">" && s[k - 1] !== "<" && !(c === "&" && s[k + 1] === ">")) break;
      k++;
    } else if (c === "(" || c === ")" || c === "`" || (c === "$" && s[k + 1] === "(") || (c === "<" && s[k + 1] === "<")) {
      return undefined;
    } else if (c === "'" || c === '"') {
      const close = closingQuote(s, k);
      if (close === undefined) return undefined;
      k = close + 1;
    } else if (c === "\\") {
      if (s[k + 1] === "\n" || s[k + 1] === undefined) return undefined;
      k += 2;
    } else {
      k++;
    }
  }
  while (k > start && (s[k - 1] === " " || s[k - 1] === "\t" || s[k - 1] === "\r")) k--;
  return k;
}

/** The end of the heredoc's delimiter word at i; undefined when it has a quote that runs past the line. */
function wordEnd(s: string, i: number): number | undefined {
  for (;;) {
    const c = s[i];
    if (c === undefined || /[ \t\n|&;<>()]/.test(c)) return i;
    if (c === "'" || c === '"') {
      const close = closingQuote(s, i);
      if (close === undefined) return undefined;
      i = close + 1;
    } else {
      i += c === "\\" ? 2 : 1;
    }
  }
}

/** The index of the quote closing the one at i, on the same line. */
function closingQuote(s: string, i: number): number | undefined {
  const quote = s[i];
  for (let k = i + 1; k < s.length; k++) {
    const c = s[k];
    if (c === "\n") return undefined;
    if (c === quote) return k;
    if (c === "\\" && quote === '"') k++;
  }
  return undefined;
}
