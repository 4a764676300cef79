// `drydock parse --json`: the model as plain JSON (source maps replaced by their spans).
import type { Span } from "../core/finding.ts";
import { MappedText } from "../core/text.ts";
import type { Dockerfile, Instruction } from "./ast.ts";

export function astToJson(model: Dockerfile): unknown {
  return {
    file: model.file,
    escapeToken: model.escapeToken,
    directives: model.directives,
    comments: model.comments,
    warnings: model.warnings,
    instructions: model.instructions.map(instructionToJson),
  };
}

function instructionToJson(inst: Instruction): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inst)) {
    if (key === "parent") continue;
    out[key] = plain(value);
  }
  return out;
}

function plain(value: unknown): unknown {
  if (value instanceof MappedText) return { text: value.text, span: mappedSpan(value) };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    if ("keywordSpan" in value && "kind" in value) return instructionToJson(value as Instruction);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function mappedSpan(text: MappedText): Span {
  return text.span(0, text.text.length);
}
