// Where a Dockerfile keeps text that ends up in files or in the image's configuration, as mapped text, so that a
// detector's offsets become exact spans: heredoc bodies written to files, and instruction words.
import type { Span } from "../core/finding.ts";
import { MappedText } from "../core/text.ts";
import type { CopyInstruction, Dockerfile, RunInstruction, Word } from "../dockerfile/ast.ts";
import { runScripts } from "../dockerfile/query.ts";
import { allCommands } from "../shell/query.ts";

/**
 * The heredoc bodies an instruction writes into files: every COPY/ADD heredoc, a RUN's heredocs unless the heredoc
 * is the script itself (`RUN <<EOF`), and the heredocs inside such a script (`cat <<EOT > /etc/x`).
 */
export function fileHeredocBodies(inst: RunInstruction | CopyInstruction, model: Dockerfile): MappedText[] {
  if (inst.heredocs.length === 0) return [];
  if (inst.kind !== "run") return inst.heredocs.map((h) => h.body);
  const scripts = runScripts(inst);
  const scriptTexts = new Set(scripts.map((s) => s.text));
  const bodies = inst.heredocs.filter((h) => !scriptTexts.has(h.body)).map((h) => h.body);
  // Inside a heredoc script the shell's own heredocs are the files; elsewhere they repeat the Dockerfile's.
  for (const script of scripts) {
    if (!inst.heredocs.some((h) => h.body === script.text)) continue;
    for (const cmd of allCommands(script)) {
      for (const r of cmd.redirects) {
        const text = r.heredoc === undefined ? undefined : sourceText(model, r.heredoc.bodySpan, r.heredoc.body);
        if (text !== undefined) bodies.push(text);
      }
    }
  }
  return bodies;
}

/**
 * A model word as mapped text, when its value is exactly its source text or the text inside its quotes (a JSON
 * string without escapes); undefined otherwise (escapes, line continuations).
 */
export function wordText(model: Dockerfile, word: Word): MappedText | undefined {
  const whole = sourceText(model, word.span, word.value);
  if (whole !== undefined) return whole;
  const start = word.span.start.offset;
  const end = word.span.end.offset;
  const q = model.source.text[start];
  if (end - start < 2 || (q !== '"' && q !== "'") || model.source.text[end - 1] !== q) return undefined;
  const inner = model.source.text.slice(start + 1, end - 1);
  return inner === word.value && inner !== "" ? MappedText.contiguous(model.source, start + 1, end - 1) : undefined;
}

/** The source piece at span as mapped text, if it reads exactly text (so offsets in text are offsets there). */
export function sourceText(model: Dockerfile, span: Span, text: string): MappedText | undefined {
  const start = span.start.offset;
  const end = span.end.offset;
  if (text === "" || model.source.text.slice(start, end) !== text) return undefined;
  return MappedText.contiguous(model.source, start, end);
}
