// Parses a script through the fast path and through tree-sitter-bash alone and requires the same ShellScript:
// every shell test runs its cases through both paths with this.
import assert from "node:assert/strict";
import type { MappedText } from "../../src/core/text.ts";
import { parseSimpleShell } from "../../src/shell/fast.ts";
import { parseShell, type ParseShellOptions, type ShellCommand, type ShellScript } from "../../src/shell/parse.ts";
import { wordOrigin, type ShellWord } from "../../src/shell/word.ts";

/** Where every word of a script (nested scripts included) was cut from: the origin is no data, so not deep-compared. */
function origins(script: ShellScript): string[] {
  const out: string[] = [];
  const add = (w: ShellWord | undefined): void => {
    if (w === undefined) return;
    const o = wordOrigin(w);
    out.push(o === undefined ? "none" : `${o.text.text === script.text.text ? "" : JSON.stringify(o.text.text)}${o.start}-${o.end}`);
  };
  const walk = (cmd: ShellCommand): void => {
    add(cmd.name);
    cmd.args.forEach(add);
    for (const a of cmd.assignments) {
      add(a);
      add(a.assigned);
    }
    for (const r of cmd.redirects) add(r.target);
    if (cmd.nested !== undefined) out.push("[", ...origins(cmd.nested), "]");
  };
  script.commands.forEach(walk);
  return out;
}

/** Both paths' results; throws with the script in the message when they differ. */
export function parseBothWays(text: MappedText, options: ParseShellOptions = {}): ShellScript {
  const fast = parseShell(text, options);
  const slow = parseShell(text, { ...options, fastPath: false });
  assert.deepStrictEqual(fast, slow, `the paths differ on ${JSON.stringify(text.text)}`);
  assert.deepStrictEqual(origins(fast), origins(slow), `word origins differ on ${JSON.stringify(text.text)}`);
  return fast;
}

/** Whether the fast path reads the script itself (rather than leaving it to tree-sitter-bash). */
export function takesFastPath(text: MappedText): boolean {
  return parseSimpleShell(text, false) !== undefined;
}
