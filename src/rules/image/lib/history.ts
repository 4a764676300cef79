// The build history of an image (config `history[].created_by`) read back into steps: which instruction made each,
// its build arguments, and for RUN the shell script, parsed once with the same parser the Dockerfile rules use.
// Builders write it differently: the classic builder and buildah (`/bin/sh -c #(nop)  ADD file:… in / `,
// `|2 A=1 B=2 /bin/sh -c make`), BuildKit (`RUN /bin/sh -c make # buildkit`, `ADD x /y # buildkit`), kaniko
// (`RUN make`). Everything else is kept as an unknown step.
import { LineIndex, MappedText } from "../../../core/text.ts";
import type { HistoryEntry, ImageConfig } from "../../../image/config.ts";
import { redactSecrets } from "../../../secrets/detect.ts";
import { parseShell, type ShellScript } from "../../../shell/parse.ts";

export interface HistoryStep {
  /** Index in config.history. */
  index: number;
  entry: HistoryEntry;
  /** Upper-case Dockerfile instruction ("RUN", "ADD", "COPY", "ENV", ...), or undefined when not recognised. */
  instruction: string | undefined;
  /** What follows the instruction (for RUN: the script, without the shell invocation and build arguments). */
  args: string;
  /** `|N NAME=value ...` build arguments the step saw (classic and BuildKit write them for RUN). */
  buildArgs: readonly [string, string][];
  /** RUN in shell form: the script, parsed. */
  script: ShellScript | undefined;
}

const INSTRUCTIONS = new Set([
  "RUN", "ADD", "COPY", "ENV", "ARG", "LABEL", "CMD", "ENTRYPOINT", "EXPOSE", "VOLUME", "USER", "WORKDIR", "HEALTHCHECK",
  "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER", "FROM",
]);

const cache = new WeakMap<ImageConfig, HistoryStep[]>();

/** The image's history as steps, parsed once per config (initShell() must have completed). */
export function historySteps(config: ImageConfig): readonly HistoryStep[] {
  let steps = cache.get(config);
  if (steps === undefined) {
    steps = config.history.map((entry, index) => parseStep(entry, index));
    cache.set(config, steps);
  }
  return steps;
}

export function parseStep(entry: HistoryEntry, index: number): HistoryStep {
  let text = (entry.createdBy ?? "").trim();
  text = text.replace(/\s+#\s*buildkit$/, "");
  const base = { index, entry };
  // Classic builder and buildah: `/bin/sh -c #(nop) INSTRUCTION args` for metadata steps and ADD/COPY.
  const nop = /^(?:\S*\/)?(?:sh|bash)\s+-c\s+#\(nop\)\s*([A-Z]+)\b\s*([\s\S]*)$/.exec(text);
  if (nop !== null) return { ...base, instruction: nop[1], args: (nop[2] ?? "").trim(), buildArgs: [], script: undefined };
  let instruction: string | undefined;
  const keyword = /^([A-Z]+)(?:\s+|$)/.exec(text);
  if (keyword !== null && INSTRUCTIONS.has(keyword[1] ?? "")) {
    instruction = keyword[1];
    text = text.slice(keyword[0].length);
    if (instruction !== "RUN") return { ...base, instruction, args: text.trim(), buildArgs: [], script: undefined };
  }
  const { buildArgs, rest } = splitBuildArgs(text);
  const shell = /^(?:\S*\/)?(?:sh|bash|ash|dash|zsh)\s+(?:-[a-z]+\s+(?:pipefail\s+)?)*-c\s+([\s\S]*)$/.exec(rest);
  if (shell !== null) {
    const script = shell[1] ?? "";
    return { ...base, instruction: "RUN", args: script, buildArgs, script: parseScript(script) };
  }
  if (instruction === "RUN") {
    // BuildKit's exec form (`RUN ["apt-get","update"]` is written as the words) or kaniko's shell form.
    return { ...base, instruction, args: rest, buildArgs, script: parseScript(rest) };
  }
  return { ...base, instruction: undefined, args: text, buildArgs, script: undefined };
}

/** `|2 A=1 B=x y z` → the two assignments and the rest. Values hold no spaces (the builders do not quote them). */
function splitBuildArgs(text: string): { buildArgs: [string, string][]; rest: string } {
  const m = /^\|(\d+)\s+/.exec(text);
  if (m === null) return { buildArgs: [], rest: text };
  const count = Number(m[1]);
  const words = text.slice(m[0].length).split(/\s+/);
  const buildArgs: [string, string][] = [];
  let used = 0;
  for (; used < words.length && buildArgs.length < count; used++) {
    const word = words[used] ?? "";
    const eq = word.indexOf("=");
    if (eq <= 0) break;
    buildArgs.push([word.slice(0, eq), word.slice(eq + 1)]);
  }
  return { buildArgs, rest: words.slice(used).join(" ") };
}

function parseScript(script: string): ShellScript {
  const index = new LineIndex(script);
  return parseShell(MappedText.contiguous(index, 0, script.length));
}

/** A short, printable form of a step for messages: its instruction and at most 60 characters, secrets masked. */
export function stepLabel(step: HistoryStep): string {
  const what = step.instruction ?? "step";
  const args = redactSecrets(step.args).replace(/\s+/g, " ").trim();
  return `${what} ${args.length > 60 ? `${args.slice(0, 57)}...` : args}`.trim();
}
