// BuildKit's AST dump (`(run "echo hi")` lines), so our parse can be compared with BuildKit's byte for byte.
import type { Dockerfile, Instruction } from "./ast.ts";
import { goQuote } from "./lex.ts";

export function dumpDockerfile(model: Dockerfile): string {
  return model.instructions.map((i) => `(${dumpInstruction(i)})`).join("\n");
}

function dumpInstruction(inst: Instruction): string {
  let out = inst.keywordText.toLowerCase();
  if (inst.flags.length > 0) out += ` [${inst.flags.map((f) => goQuote(f.raw)).join(" ")}]`;
  if (inst.kind === "onbuild") {
    if (inst.inner !== undefined) out += ` (${dumpInstruction(inst.inner)})`;
    return out;
  }
  // BuildKit keeps an unknown instruction with one empty argument.
  if (inst.kind === "unknown") return `${out} ""`;
  for (const a of inst.args) out += ` ${goQuote(a.value)}`;
  return out;
}
