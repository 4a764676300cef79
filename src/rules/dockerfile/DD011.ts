import type { Severity, Span, TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { commandsOf, instructionsOfKinds, mayRunCommand, runInstructions } from "../../dockerfile/query.ts";
import { parseModeBits, type ModeBits } from "../../hardening/file-modes.ts";
import type { ShellCommand, ShellWord } from "../../shell/parse.ts";
import { commandName, hasFlag, positionalArgs, unwrap } from "../../shell/query.ts";
import { sliceWord } from "../../shell/word.ts";

/** The commands modesSet reads. */
const MODE_SETTERS: readonly string[] = ["chmod", "install", "mkdir"];
const COPIES = ["copy", "add"] as const;

export const rule = defineRule({
  id: "DD011",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "No world-writable, setuid or setgid files",
  docs: `
A world-writable file or directory (\`chmod 777\`, \`o+w\`, \`a+w\`) can be changed by any process in the
container, whatever user it runs as: a binary, a script or a config file anyone can rewrite is a way to run
code as whoever uses it next. Give the owning user what it needs instead (\`chown app\` and \`chmod 755\`/\`u+w\`).

A setuid (\`u+s\`, \`4755\`) or setgid (\`g+s\`, \`2755\`) executable runs with its owner's or group's rights
whoever starts it: a setuid-root binary is the classic way from an unprivileged user to root, so it is
reported as an error. Setgid on a directory only makes new files inherit its group; directories created in the
same RUN (\`mkdir\`, \`install -d\`, \`mkdir -m\`) are not reported for it.

Modes are read from \`chmod\`, \`install -m\`, \`mkdir -m\` in RUN (also \`sh -c\`, heredocs, ONBUILD), and
\`COPY --chmod\`/\`ADD --chmod\` (octal or symbolic; ARGs expanded). A sticky world-writable directory
(\`chmod 1777 /tmp/x\`, shared like /tmp) is not reported. A mode held in a variable is not known and is not
reported. Every stage is checked, build stages too: \`COPY --from\` keeps the modes of what it copies. There is
no automatic fix: only the author knows which user needs the access.

\`\`\`dockerfile fires
FROM debian:12
COPY app /opt/app
RUN chmod -R 777 /opt/app
\`\`\`

\`\`\`dockerfile fires
FROM debian:12
COPY --chmod=4755 helper /usr/local/bin/helper
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN useradd app
COPY --chown=app --chmod=755 app /opt/app
RUN mkdir -m 1777 /scratch && chmod u-s /usr/bin/newgrp
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, MODE_SETTERS)) continue;
      const directories = new Set<string>();
      for (const command of commandsOf(run)) {
        const cmd = unwrap(command);
        for (const use of modesSet(cmd, directories)) {
          const finding = judge(use.mode, use.bits, use.directoriesOnly);
          if (finding !== undefined) out.push(ctx.finding(use.word.span, finding.message, finding.severity));
        }
      }
    }
    for (const inst of instructionsOfKinds(ctx.model, COPIES)) {
      for (const flag of inst.flags) {
        if (flag.name !== "chmod" || flag.value === undefined) continue;
        const expanded = ctx.stages.expand(inst, flag.value);
        if (expanded.references.some((r) => !r.set)) continue;
        const bits = parseModeBits(expanded.value);
        const finding = bits === undefined ? undefined : judge(`--chmod=${expanded.value}`, bits, false);
        if (finding !== undefined) out.push(ctx.finding(flag.valueSpan ?? flag.span, finding.message, finding.severity));
      }
    }
    return out;
  },
});

interface ModeUse {
  /** The mode as written, for the message. */
  mode: string;
  word: { span: Span };
  bits: ModeBits;
  /** Every path it applies to is a directory this RUN created. */
  directoriesOnly: boolean;
}

/** What is wrong with a mode: undefined when nothing. setuid is an error; the rest the rule's warning. */
function judge(mode: string, bits: ModeBits, directoriesOnly: boolean): { message: string; severity: Severity } | undefined {
  const problems: string[] = [];
  if (bits.setuid) problems.push("setuid (runs with its owner's rights, root for a root-owned file)");
  if (bits.setgid && !directoriesOnly) problems.push("setgid (runs with its group's rights)");
  if (bits.worldWritable && !bits.sticky) problems.push("world-writable (any user in the container can change it)");
  if (problems.length === 0) return undefined;
  const advice = bits.setuid || (bits.setgid && !directoriesOnly)
    ? "drop the s bit (a program that needs one privilege can get it with setcap)"
    : "give write access to the owning user only (chown, then 755 or 644)";
  return { message: `${mode} makes files ${problems.join(" and ")}: ${advice}`, severity: bits.setuid ? "error" : "warning" };
}

// Short options of GNU install and mkdir that take a value (so `-Dm755`'s mode is found inside the bundle).
const VALUED: Readonly<Record<string, string>> = { install: "gmoSt", mkdir: "mZ" };

/**
 * The modes a command sets, and (as a side effect) the directories it creates, which `directories` collects
 * for the commands after it in the same RUN.
 */
function modesSet(cmd: ShellCommand, directories: Set<string>): ModeUse[] {
  const name = commandName(cmd);
  if (name === "chmod") {
    if (hasFlag(cmd, "reference")) return [];
    const [modeWord, ...targets] = positionalArgs(cmd);
    const mode = modeWord?.value;
    const bits = mode === undefined ? undefined : parseModeBits(mode);
    if (modeWord === undefined || mode === undefined || bits === undefined) return [];
    const directoriesOnly = targets.length > 0 && targets.every((t) => t.value !== undefined && (t.value.endsWith("/") || directories.has(trimSlash(t.value))));
    return [{ mode: `chmod ${mode}`, word: modeWord, bits, directoriesOnly }];
  }
  if (name !== "install" && name !== "mkdir") return [];
  const creates = name === "mkdir" || hasFlag(cmd, ["d", "directory"], { flagsWithValue: [...(VALUED[name] ?? "")] });
  if (creates) {
    for (const target of positionalArgs(cmd, { flagsWithValue: [...(VALUED[name] ?? ""), "mode", "owner", "group", "target-directory", "suffix", "context"] })) {
      if (target.value !== undefined) directories.add(trimSlash(target.value));
    }
  }
  const out: ModeUse[] = [];
  for (const word of modeValueWords(cmd, VALUED[name] ?? "")) {
    const bits = word.value === undefined ? undefined : parseModeBits(word.value);
    if (bits !== undefined && word.value !== undefined) out.push({ mode: `${name} -m ${word.value}`, word, bits, directoriesOnly: creates });
  }
  return out;
}

/** The words holding `-m`/`--mode` values: `-m 755`, `-m755`, `-Dm755`, `--mode=755`, `--mode 755`. */
function modeValueWords(cmd: ShellCommand, valued: string): ShellWord[] {
  const out: ShellWord[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const v = word?.value;
    if (word === undefined || v === undefined) continue;
    if (v === "--") break;
    if (v.startsWith("--")) {
      if (v === "--mode") {
        const next = args[i + 1];
        if (next !== undefined) out.push(next);
        i++;
      } else if (v.startsWith("--mode=") && word.text === v) {
        out.push(sliceWord(word, "--mode=".length));
      }
      continue;
    }
    if (!v.startsWith("-") || v.length < 2) continue;
    for (let k = 1; k < v.length; k++) {
      const letter = v[k] ?? "";
      if (!valued.includes(letter)) continue;
      const attached = k + 1 < v.length;
      if (letter === "m") {
        const value = attached ? (word.text === v ? sliceWord(word, k + 1) : undefined) : args[i + 1];
        if (value !== undefined) out.push(value);
      }
      if (!attached) i++;
      break;
    }
  }
  return out;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}
