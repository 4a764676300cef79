import type { Span, TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { fileMayRunCommand, mayRunCommand, runInstructions, runScripts } from "../../dockerfile/query.ts";
import { redactSecrets } from "../../secrets/detect.ts";
import type { ShellCommand, ShellScript, ShellWord } from "../../shell/parse.ts";
import { commandName, flagValues, hasFlag, positionalArgs, shellInvocation, unwrap } from "../../shell/query.ts";

/** How an interpreter is told where its program is: options that take code, options that take a value. */
interface Interpreter {
  /** Options whose value is the program (`sh -c`, `python -c`, `perl -e`). */
  code: readonly string[];
  /** Options that take a value (the next argument) without being the program. */
  valued: readonly string[];
  /** Options that make it read the program from stdin even with arguments (`bash -s`). */
  stdin?: readonly string[];
  /** Options that make it run something other than a program from stdin or a file (`python -m`). */
  other?: readonly string[];
}

const SHELL: Interpreter = { code: ["c"], valued: ["o", "O", "rcfile", "init-file"], stdin: ["s"] };
const PYTHON: Interpreter = { code: ["c"], valued: ["W", "X", "Q"], other: ["m"] };
const INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  sh: SHELL, bash: SHELL, dash: SHELL, ash: SHELL, zsh: SHELL, ksh: SHELL, mksh: SHELL,
  perl: { code: ["e", "E"], valued: ["I", "M", "m"] },
  ruby: { code: ["e"], valued: ["I", "r", "C", "E"] },
  node: { code: ["e", "p", "eval", "print"], valued: ["r", "require", "import", "input-type"] },
  nodejs: { code: ["e", "p", "eval", "print"], valued: ["r", "require", "import", "input-type"] },
  php: { code: ["r"], valued: ["c", "d", "z"], other: ["f"] },
};

// `source <(curl ...)`, `eval "$(curl ...)"`: builtins that run code given as an argument.
const CODE_BUILTINS: ReadonlySet<string> = new Set(["source", ".", "eval"]);
const STDIN_PATHS: ReadonlySet<string> = new Set(["-", "/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"]);

const DOWNLOADERS: readonly string[] = ["curl", "wget"];

export const rule = defineRule({
  id: "DD007",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Do not pipe downloads into a shell or interpreter",
  url: "https://docs.docker.com/build/building/best-practices/#add-or-copy",
  docs: `
\`curl https://get.example.com | sh\` runs whatever the server sends at that moment, as the build user
(often root), with nothing recorded about what ran. A compromised server or CDN, a hijacked domain, or a
truncated download (half a script still runs) changes the image silently, and the build cannot be repeated.

Download to a file, verify it, then run it:

\`\`\`
RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.2/install.sh \\
 && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\
 && sh /tmp/install.sh && rm /tmp/install.sh
\`\`\`
(or \`ADD --checksum=sha256:<digest>\` the script, or verify a published signature).

Reported, from the parsed shell (also inside \`sh -c '...'\`, heredocs and behind \`sudo\`/\`env\`): \`curl\` or
\`wget\` writing to stdout (\`wget -O-\`, \`-qO-\`, \`-O /dev/stdout\`) in a pipeline whose later stage is
a shell (\`sh\`, \`bash\`, \`bash -s --\`, \`sudo -E bash -\`) or an interpreter reading its program from stdin
(\`python3\`, \`python3 -\`, \`perl\`, \`ruby\`, \`node\`, \`php\`); and a download that is the program itself:
\`bash <(curl ...)\`, \`source <(curl ...)\`, \`sh -c "$(curl ...)"\`, \`python3 -c "$(curl ...)"\`,
\`eval "$(wget -O- ...)"\`, \`bash < <(curl ...)\`. The finding points at the interpreter.

Not reported: a pipe into something that is not run as code (\`| tar xz\`, \`| gpg --dearmor\`, \`| sudo tee\`,
\`| python3 -c 'import json, sys; ...'\` reading data, \`| sh script.sh\`), \`curl -o file\`, quoted text and
comments. Exec form (\`RUN ["sh", "-c", "..."]\`) is not analysed.

\`\`\`dockerfile fires
FROM debian:12
RUN curl -fsSL https://get.example.com/install.sh | sh
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN curl -fsSLo /tmp/install.sh https://get.example.com/install.sh \\
 && echo "0f343b0931126a20f133d67c2b018a3b5d0ffb0e2fb73d6bc6e3d3a3a2e9d0b8  /tmp/install.sh" | sha256sum -c - \\
 && sh /tmp/install.sh
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only curl and wget download here.
    if (!fileMayRunCommand(ctx.model, DOWNLOADERS)) return out;
    for (const run of runInstructions(ctx.model)) {
      if (!mayRunCommand(run, DOWNLOADERS)) continue;
      const found = new Map<number, { span: Span; message: string }>();
      const problems: { span: Span; message: string }[] = [];
      for (const script of scriptsOf(runScripts(run), [])) downloadsRun(problems, script);
      for (const f of problems) if (!found.has(f.span.start.offset)) found.set(f.span.start.offset, f);
      for (const f of [...found.values()].sort((a, b) => a.span.start.offset - b.span.start.offset)) out.push(ctx.finding(f.span, f.message));
    }
    return out;
  },
});

const ADVICE = "the downloaded code runs unverified; download it to a file, check its checksum or signature, then run it";

/** The scripts, and the `sh -c '...'` scripts inside them, at any depth (each followed by its own), added to out. */
function scriptsOf(scripts: readonly ShellScript[], out: ShellScript[]): ShellScript[] {
  for (const s of scripts) {
    out.push(s);
    for (const c of s.commands) if (c.nested !== undefined) scriptsOf([c.nested], out);
  }
  return out;
}

// Pushes onto out (generators here cost more than the work).
function downloadsRun(out: { span: Span; message: string }[], script: ShellScript): void {
  for (const pipeline of script.pipelines) {
    let download: ShellCommand | undefined;
    for (const stage of pipeline.stages) {
      const commands = stage.commands.map(unwrap);
      if (download !== undefined) {
        for (const cmd of commands) {
          if (readsProgramFromStdin(cmd)) out.push({ span: cmd.name.span, message: `${describe(download)} is piped into ${commandName(cmd) ?? "an interpreter"}: ${ADVICE}` });
        }
      }
      download ??= commands.find(downloadsToStdout);
    }
  }
  const downloads = script.commands.map(unwrap).filter((c) => c.inSubstitution && downloadsToStdout(c));
  if (downloads.length === 0) return;
  for (const cmd of script.commands.map(unwrap)) {
    for (const word of programWords(cmd)) {
      const inside = downloads.find((d) => within(d.span, word.span));
      if (inside !== undefined) out.push({ span: cmd.name.span, message: `${commandName(cmd) ?? "the shell"} runs the output of ${describe(inside)}: ${ADVICE}` });
    }
  }
}

/** curl (unless it writes to a file) or wget writing to stdout. */
function downloadsToStdout(cmd: ShellCommand): boolean {
  const name = commandName(cmd);
  if (name === "curl") {
    if (hasFlag(cmd, ["O", "remote-name", "remote-name-all"])) return false;
    return flagValues(cmd, ["o", "output"]).every((v) => v === undefined ? false : STDIN_LIKE_OUTPUT.has(v));
  }
  if (name === "wget") return flagValues(cmd, ["O", "output-document"]).some((v) => v !== undefined && STDIN_LIKE_OUTPUT.has(v));
  return false;
}

const STDIN_LIKE_OUTPUT: ReadonlySet<string> = new Set(["-", "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"]);

function describe(download: ShellCommand): string {
  const url = positionalArgs(download).find((w) => w.value?.includes("://") === true)?.value;
  return url === undefined ? (commandName(download) ?? "a download") : `${commandName(download) ?? ""} ${redactSecrets(url)}`;
}

function interpreterOf(cmd: ShellCommand): Interpreter | undefined {
  const name = commandName(cmd) ?? "";
  return INTERPRETERS[name] ?? (/^python[0-9.]*$/.test(name) ? PYTHON : undefined);
}

interface Invocation {
  /** The word holding the program (`-c` value), if any. */
  code: ShellWord | undefined;
  /** The first operand (a script file), if any. */
  file: ShellWord | undefined;
  /** Reads the program from stdin. */
  stdin: boolean;
}

/** How an interpreter's arguments say where its program comes from. */
function invocation(cmd: ShellCommand, spec: Interpreter): Invocation | undefined {
  const args = cmd.args;
  let stdinFlag = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const v = word?.value;
    if (word === undefined) continue;
    if (v === undefined) return { code: undefined, file: word, stdin: false }; // `sh "$SCRIPT"`: a file we cannot name
    if (v === "--") {
      const file = args[i + 1];
      return { code: undefined, file: stdinFlag ? undefined : file, stdin: stdinFlag || file === undefined };
    }
    if (v.length > 1 && (v[0] === "-" || v[0] === "+")) {
      const long = v.startsWith("--") ? v.slice(2).split("=")[0] ?? "" : undefined;
      const letters = long === undefined ? [...v.slice(1)] : [long];
      for (const letter of letters) {
        if (spec.code.includes(letter)) return { code: long !== undefined && v.includes("=") ? word : args[i + 1], file: undefined, stdin: false };
        if (spec.other?.includes(letter) === true) return undefined;
        if (spec.stdin?.includes(letter) === true) stdinFlag = true;
        if (spec.valued.includes(letter) && (long === undefined || !v.includes("="))) {
          i++;
          break;
        }
      }
      continue;
    }
    if (stdinFlag) return { code: undefined, file: undefined, stdin: true };
    return { code: undefined, file: word, stdin: STDIN_PATHS.has(v) };
  }
  return { code: undefined, file: undefined, stdin: true };
}

/** An interpreter whose program is its stdin: `sh`, `bash -s --`, `python3 -`, `sh /dev/stdin`. */
function readsProgramFromStdin(cmd: ShellCommand): boolean {
  const spec = interpreterOf(cmd);
  if (spec === undefined) {
    const name = commandName(cmd);
    return (name === "source" || name === ".") && STDIN_PATHS.has(cmd.args[0]?.value ?? "");
  }
  return invocation(cmd, spec)?.stdin === true;
}

/** The words a command runs as its program: `-c` scripts, script operands (`<(...)`), eval's and source's arguments, stdin redirects. */
function programWords(cmd: ShellCommand): ShellWord[] {
  const name = commandName(cmd) ?? "";
  if (CODE_BUILTINS.has(name)) return name === "eval" ? cmd.args : cmd.args.slice(0, 1);
  const spec = interpreterOf(cmd);
  if (spec === undefined) return [];
  const words: ShellWord[] = [];
  const shell = shellInvocation(cmd);
  const how = invocation(cmd, spec);
  const code = shell?.script ?? how?.code;
  if (code !== undefined) words.push(code);
  if (how?.file !== undefined) words.push(how.file);
  if (how?.stdin === true) {
    for (const r of cmd.redirects) if ((r.op === "<" || r.op === "<<<") && r.target !== undefined) words.push(r.target);
  }
  return words;
}

function within(inner: Span, outer: Span): boolean {
  return inner.start.offset >= outer.start.offset && inner.end.offset <= outer.end.offset;
}
