import type { Span, TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { RunInstruction, Word } from "../../dockerfile/ast.ts";
import { allInstructions, commandsOf } from "../../dockerfile/query.ts";
import { fileHeredocBodies } from "../../secrets/dockerfile.ts";
import type { ShellAssignment, ShellCommand, ShellWord } from "../../shell/parse.ts";
import { commandName, FLAGS_WITH_VALUE, positionalArgs, unwrap, WRAPPERS } from "../../shell/query.ts";

export const rule = defineRule({
  id: "DD008",
  aliases: [],
  severity: "error",
  source: "drydock",
  summary: "Do not turn off TLS or package signature verification",
  url: "https://docs.docker.com/build/building/best-practices/",
  docs: `
TLS certificate checks are what stop anyone on the network path (a proxy, a hijacked DNS answer, a hostile
Wi-Fi on a laptop that builds) from handing the build a different file; package signatures are what stop a
compromised mirror. Turning either off makes every download in the step a way into the image. If a private
registry or proxy uses its own CA, add that CA to the image's trust store (\`COPY ca.crt
/usr/local/share/ca-certificates/ && update-ca-certificates\`, or \`RUN --mount=type=secret\` a \`.npmrc\` with
\`cafile\`), instead of disabling the check.

Reported, in RUN (also exec form, \`sh -c\`, heredocs and behind \`sudo\`/\`env\`):
- \`curl -k\`/\`--insecure\` (also bundled, \`-fsSLk\`), \`wget --no-check-certificate\`,
  \`wget -e check_certificate=off\`;
- \`pip install --trusted-host\`, \`pip config set global.trusted-host\`, \`uv --allow-insecure-host\`;
- \`npm\`/\`yarn\`/\`pnpm config set strict-ssl false\` (also \`npm set\`, \`--strict-ssl=false\`,
  \`--no-strict-ssl\`, yarn's \`enableStrictSsl false\`);
- \`git -c http.sslVerify=false\`, \`git clone -c/--config http.sslVerify=false\`,
  \`git config [--global] http.sslVerify false\` (also \`http.<url>.sslVerify\`);
- apt \`--allow-unauthenticated\`, \`--allow-insecure-repositories\`, \`-o Acquire::https::Verify-Peer=false\`
  (and \`Verify-Host\`), \`-o APT::Get::AllowUnauthenticated=true\`; apk \`--allow-untrusted\`; yum/dnf
  \`--nogpgcheck\`, zypper \`--no-gpg-checks\`; \`--insecure-skip-tls-verify\` (kubectl, helm),
  \`--tls-verify=false\` (podman, buildah, skopeo);
- environment settings in ENV, ARG defaults (ARGs are environment variables of every RUN), prefix
  assignments and \`export\`: \`GIT_SSL_NO_VERIFY\` (any value: git only checks that it is set),
  \`NODE_TLS_REJECT_UNAUTHORIZED=0\`, \`PYTHONHTTPSVERIFY=0\`, \`PIP_TRUSTED_HOST\`,
  \`npm_config_strict_ssl=false\`, \`YARN_ENABLE_STRICT_SSL=false\`, \`GOINSECURE\`;
- configuration written by \`echo\`/\`printf\` or in a heredoc (COPY or RUN): \`Acquire::https::Verify-Peer "false"\`,
  \`APT::Get::AllowUnauthenticated "true"\`, a sources line with \`[trusted=yes]\`, \`strict-ssl=false\`,
  \`sslVerify = false\`, \`check_certificate = off\`, \`trusted-host = ...\`.

The package-signature part checks one side of CIS Docker Benchmark 4.11 ("Ensure only verified packages are
installed").

The words are read from the parsed shell: the same text in a quoted \`echo\` of documentation, a comment or
another command's argument is not a setting.

\`\`\`dockerfile fires
FROM debian:12
RUN curl -fsSLk https://example.com/install.sh -o /tmp/install.sh
\`\`\`

\`\`\`dockerfile fires
FROM node:22
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates && curl -fsSL https://example.com/install.sh -o /tmp/install.sh
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of allInstructions(ctx.model)) {
      const kind = inst.kind;
      if (kind === "env") {
        for (const pair of inst.pairs) {
          if (!mayBeInsecureName(pair.key.value)) continue;
          const value = ctx.stages.expand(inst, pair.value.value);
          if (value.references.some((r) => !r.set)) continue;
          const problem = insecureEnvironment(pair.key.value, value.value);
          if (problem !== undefined) out.push(ctx.finding({ start: pair.key.span.start, end: pair.value.span.end }, `ENV ${problem}`));
        }
      } else if (kind === "arg") {
        for (const d of inst.declarations) {
          if (d.value === undefined || !mayBeInsecureName(d.name.value)) continue;
          const value = ctx.stages.expand(inst, d.value.value);
          if (value.references.some((r) => !r.set)) continue;
          const problem = insecureEnvironment(d.name.value, value.value);
          if (problem !== undefined) out.push(ctx.finding({ start: d.name.span.start, end: d.value.span.end }, `ARG ${problem}`));
        }
      } else if (kind === "run") {
        const exec = execCommand(inst);
        const commands = exec === undefined ? commandsOf(inst) : [exec];
        for (const cmd of commands) {
          // A command that is no wrapper is its own unwrapped command.
          const unwrapped = WRAPPERS[commandName(cmd) ?? ""] === undefined ? cmd : unwrap(cmd);
          if (!mayBeInsecure(unwrapped)) continue;
          const problems: Problem[] = [];
          insecureCommand(problems, unwrapped);
          for (const f of problems) out.push(ctx.finding(f.span, f.message));
        }
      }
      if ((kind === "run" || kind === "copy" || kind === "add") && inst.heredocs.length > 0) {
        for (const body of fileHeredocBodies(inst, ctx.model)) {
          for (const setting of insecureSettings(body.text)) {
            out.push(ctx.finding(body.span(setting.start, setting.end), `${inst.keyword} heredoc writes ${setting.message}`));
          }
        }
      }
    }
    return out;
  },
});

interface Problem {
  span: Span;
  message: string;
}

/** `RUN ["curl", "-k", "..."]` runs curl without a shell: its words are the command. */
function execCommand(run: RunInstruction): ShellCommand | undefined {
  const command = run.command;
  if (command?.form !== "exec") return undefined;
  const [first, ...rest] = command.args;
  if (first === undefined) return undefined;
  const word = (w: Word): ShellWord => ({ text: w.value, value: w.value, span: w.span });
  return {
    name: word(first), args: rest.map(word), assignments: [], redirects: [], span: command.span, connector: undefined,
    pipeline: undefined, negated: false, within: [], inSubstitution: false, nested: undefined, wrapper: undefined,
  };
}

const FALSE = new Set(["false", "no", "off", "0", "disable", "without"]);
const TRUE = new Set(["true", "yes", "on", "1", "enable", "with"]);

/** The variables insecureEnvironment knows: any other name is never reported, whatever its value. */
const INSECURE_NAMES: ReadonlySet<string> = new Set([
  "GIT_SSL_NO_VERIFY", "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY", "PIP_TRUSTED_HOST", "YARN_ENABLE_STRICT_SSL", "GOINSECURE",
]);

function mayBeInsecureName(name: string): boolean {
  return INSECURE_NAMES.has(name) || (name.length === NPM_STRICT_SSL.length && name.toLowerCase() === NPM_STRICT_SSL);
}

const NPM_STRICT_SSL = "npm_config_strict_ssl";

/** The commands insecureCommand looks at by name; any other is only looked at for assignments and TLS flags. */
const INSECURE_COMMANDS: ReadonlySet<string> = new Set([
  "export", "declare", "typeset", "readonly", "local", "curl", "wget", "pip", "pip3", "uv", "pipenv", "npm", "pnpm", "yarn",
  "git", "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "echo", "printf",
]);

/** Whether insecureCommand can report anything for cmd (most commands: no), without running it. */
function mayBeInsecure(cmd: ShellCommand): boolean {
  if (cmd.assignments.length > 0) return true;
  const name = commandName(cmd);
  if (name !== undefined && INSECURE_COMMANDS.has(name)) return true;
  return cmd.args.some((a) => a.value?.includes("tls-verify") === true);
}

/** What an environment variable set to value turns off, or undefined. */
function insecureEnvironment(name: string, value: string): string | undefined {
  const v = value.trim().toLowerCase();
  switch (name) {
    case "GIT_SSL_NO_VERIFY":
      return `GIT_SSL_NO_VERIFY=${value} turns off git's certificate checks (git only looks whether it is set, so any value does)`;
    case "NODE_TLS_REJECT_UNAUTHORIZED":
      return v === "0" ? "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every Node.js connection" : undefined;
    case "PYTHONHTTPSVERIFY":
      return v === "0" ? "PYTHONHTTPSVERIFY=0 turns off certificate checks of Python's urllib" : undefined;
    case "PIP_TRUSTED_HOST":
      return v !== "" ? `PIP_TRUSTED_HOST=${value} makes pip accept any certificate (and plain HTTP) from ${value}` : undefined;
    case "YARN_ENABLE_STRICT_SSL":
      return FALSE.has(v) ? `YARN_ENABLE_STRICT_SSL=${value} turns off yarn's certificate checks` : undefined;
    case "GOINSECURE":
      return v !== "" ? `GOINSECURE=${value} lets go fetch those modules over plain HTTP or with unchecked certificates` : undefined;
  }
  // npm reads its npm_config_* variables case-insensitively.
  if (name.toLowerCase() === "npm_config_strict_ssl" && FALSE.has(v)) return `${name}=${value} turns off npm's certificate checks`;
  return undefined;
}

function isAssignment(word: ShellWord): word is ShellAssignment {
  return "assigned" in word;
}

// The problems of one command, pushed onto out (generators here cost more than the rule's other work).
function insecureCommand(out: Problem[], cmd: ShellCommand): void {
  for (const a of cmd.assignments) insecureAssignment(out, a);
  const name = commandName(cmd);
  switch (name) {
    case "export": case "declare": case "typeset": case "readonly": case "local":
      for (const a of cmd.args) if (isAssignment(a)) insecureAssignment(out, a);
      return;
    case "curl":
      for (const f of flagWords(cmd, ["k", "insecure", "proxy-insecure", "doh-insecure"])) {
        out.push({ span: f.word.span, message: `curl ${f.word.value ?? f.word.text} skips certificate verification: anyone on the network path can replace the download` });
      }
      return;
    case "wget":
      for (const f of flagWords(cmd, ["no-check-certificate"])) out.push({ span: f.word.span, message: "wget --no-check-certificate skips certificate verification: anyone on the network path can replace the download" });
      for (const f of flagWords(cmd, ["e", "execute"])) {
        if (f.value !== null && f.value !== undefined && /^check_?certificate\s*=\s*(?:off|no|0|false)$/i.test(f.value.trim())) {
          out.push({ span: (f.valueWord ?? f.word).span, message: `wget -e ${f.value} skips certificate verification` });
        }
      }
      return;
    case "pip": case "pip3": case "uv": case "pipenv":
      insecurePip(out, cmd);
      return;
    case "npm": case "pnpm": case "yarn":
      insecureNpm(out, cmd, name);
      return;
    case "git":
      insecureGit(out, cmd);
      return;
    case "apt-get": case "apt": case "aptitude":
      for (const f of flagWords(cmd, ["allow-unauthenticated", "allow-insecure-repositories", "allow-downgrade-to-insecure-repositories"])) {
        out.push({ span: f.word.span, message: `${name} ${f.word.value ?? ""} installs packages whose signatures are not verified` });
      }
      for (const f of flagWords(cmd, ["o", "option"])) {
        const setting = f.value === null || f.value === undefined ? undefined : aptOption(f.value);
        if (setting !== undefined) out.push({ span: (f.valueWord ?? f.word).span, message: `${name} -o ${f.value} ${setting}` });
      }
      return;
    case "apk":
      for (const f of flagWords(cmd, ["allow-untrusted"])) out.push({ span: f.word.span, message: "apk --allow-untrusted installs packages whose signatures are not verified" });
      return;
    case "yum": case "dnf": case "microdnf": case "tdnf":
      for (const f of flagWords(cmd, ["nogpgcheck"])) out.push({ span: f.word.span, message: `${name} --nogpgcheck installs packages whose signatures are not verified` });
      return;
    case "zypper":
      for (const f of flagWords(cmd, ["no-gpg-checks"])) out.push({ span: f.word.span, message: "zypper --no-gpg-checks installs packages whose signatures are not verified" });
      return;
    case "echo": case "printf":
      for (const arg of cmd.args) {
        if (arg.value === undefined) continue;
        for (const s of insecureSettings(arg.value)) out.push({ span: arg.span, message: `${name} writes ${s.message}` });
      }
      return;
  }
  insecureTlsFlags(out, cmd, name ?? "");
}

function insecureAssignment(out: Problem[], a: ShellAssignment): void {
  if (a.assigned.value === undefined) return;
  const problem = insecureEnvironment(a.name, a.assigned.value);
  if (problem !== undefined) out.push({ span: a.span, message: problem });
}

/** Flags many tools share: kubectl/helm --insecure-skip-tls-verify, podman/buildah/skopeo --tls-verify=false. */
function insecureTlsFlags(out: Problem[], cmd: ShellCommand, name: string): void {
  if (!cmd.args.some((a) => a.value?.includes("tls-verify") === true)) return;
  for (const f of flagWords(cmd, ["insecure-skip-tls-verify"])) {
    if (f.value === null || f.value === undefined || !FALSE.has(f.value.toLowerCase())) {
      out.push({ span: f.word.span, message: `${name} --insecure-skip-tls-verify talks to the server without checking its certificate` });
    }
  }
  for (const f of flagWords(cmd, ["tls-verify", "src-tls-verify", "dest-tls-verify"])) {
    if (f.value !== null && f.value !== undefined && FALSE.has(f.value.toLowerCase())) {
      out.push({ span: f.word.span, message: `${name} --${f.name}=${f.value} talks to the registry without checking its certificate` });
    }
  }
}

function insecurePip(out: Problem[], cmd: ShellCommand): void {
  const name = commandName(cmd) ?? "pip";
  for (const f of flagWords(cmd, ["trusted-host", "allow-insecure-host"], ["trusted-host", "allow-insecure-host"])) {
    const host = f.value ?? "";
    out.push({ span: f.word.span, message: `${name} --${f.name}${host === "" ? "" : ` ${host}`} accepts any certificate (and plain HTTP) from that host` });
  }
  const [sub, verb, key] = positionalArgs(cmd).map((w) => w.value);
  const keyWord = positionalArgs(cmd)[2];
  if (sub === "config" && verb === "set" && key !== undefined && keyWord !== undefined && /(?:^|\.)trusted-host$/.test(key)) {
    out.push({ span: keyWord.span, message: `${name} config set ${key} makes pip accept any certificate from that host in every later install` });
  }
}

function insecureNpm(out: Problem[], cmd: ShellCommand, name: string): void {
  for (const f of flagWords(cmd, ["strict-ssl", "no-strict-ssl"])) {
    const off = f.name === "no-strict-ssl" || (f.value !== null && f.value !== undefined && FALSE.has(f.value.toLowerCase()));
    if (off) out.push({ span: f.word.span, message: `${name} ${f.word.value ?? f.word.text} turns off certificate checks for the registry` });
    // `--strict-ssl false`: npm's parser takes the next word as the boolean's value.
    if (f.value === null && f.name === "strict-ssl") {
      const next = cmd.args[cmd.args.indexOf(f.word) + 1];
      if (next?.value !== undefined && FALSE.has(next.value.toLowerCase())) {
        out.push({ span: f.word.span, message: `${name} --strict-ssl ${next.value} turns off certificate checks for the registry` });
      }
    }
  }
  const words = positionalArgs(cmd);
  const values = words.map((w) => w.value);
  // `npm config set k v`, `npm set k v`, `npm config set k=v`
  const at = values[0] === "config" && values[1] === "set" ? 2 : values[0] === "set" ? 1 : -1;
  if (at === -1) return;
  const keyWord = words[at];
  const raw = values[at];
  if (keyWord === undefined || raw === undefined) return;
  const eq = raw.indexOf("=");
  const key = eq === -1 ? raw : raw.slice(0, eq);
  const value = eq === -1 ? values[at + 1] : raw.slice(eq + 1);
  if ((key === "strict-ssl" || key === "enableStrictSsl") && value !== undefined && FALSE.has(value.toLowerCase())) {
    const verb = values.slice(0, at).join(" ");
    out.push({ span: keyWord.span, message: `${name} ${verb} ${key} ${value} turns off certificate checks for the registry in every later install` });
  }
}

/** git's boolean false, as `git config --type=bool` reads it (an empty value is false too). */
function gitFalse(value: string): boolean {
  return value === "" || FALSE.has(value.toLowerCase());
}

const SSL_VERIFY_KEY = /^http\.(?:.+\.)?sslverify$/i;

function insecureGit(out: Problem[], cmd: ShellCommand): void {
  const args = cmd.args;
  let i = 0;
  // Global options before the subcommand: -c name=value, -C dir, --git-dir=..., ...
  for (; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === undefined || !v.startsWith("-")) break;
    if (v === "-c" || v === "--config-env") {
      const next = args[i + 1];
      if (v === "-c" && next?.value !== undefined) sslVerifySetting(out, next, next.value, "git -c");
      i++;
    } else if (v === "-C" || v === "--git-dir" || v === "--work-tree" || v === "--namespace" || v === "--exec-path") {
      i++;
    }
  }
  const sub = args[i]?.value;
  const rest = args.slice(i + 1);
  if (sub === "clone") {
    for (let k = 0; k < rest.length; k++) {
      const v = rest[k]?.value;
      const word = rest[k];
      if (v === undefined || word === undefined) continue;
      if (v === "-c" || v === "--config") {
        const next = rest[k + 1];
        if (next?.value !== undefined) sslVerifySetting(out, next, next.value, `git clone ${v}`);
        k++;
      } else if (v.startsWith("--config=")) {
        sslVerifySetting(out, word, v.slice(9), "git clone --config");
      }
    }
  } else if (sub === "config") {
    const positional = rest.filter((w, k) => {
      const v = w.value ?? "";
      const previous = rest[k - 1]?.value;
      return !v.startsWith("-") && previous !== "-f" && previous !== "--file" && previous !== "--blob" && previous !== "--type";
    });
    const [first, ...more] = positional;
    const [keyWord, valueWord] = first?.value === "set" ? more : positional;
    if (keyWord?.value !== undefined && valueWord?.value !== undefined && SSL_VERIFY_KEY.test(keyWord.value) && gitFalse(valueWord.value)) {
      out.push({ span: keyWord.span, message: `git config ${keyWord.value} ${valueWord.value} turns off certificate checks for every later git fetch` });
    }
  }
}

function sslVerifySetting(out: Problem[], word: ShellWord, setting: string, how: string): void {
  const eq = setting.indexOf("=");
  if (eq === -1) return; // `-c http.sslVerify` alone means true
  const key = setting.slice(0, eq);
  if (SSL_VERIFY_KEY.test(key) && gitFalse(setting.slice(eq + 1))) {
    out.push({ span: word.span, message: `${how} ${setting} turns off git's certificate checks` });
  }
}

/** What an apt `-o Name=value` option turns off, or undefined. */
function aptOption(option: string): string | undefined {
  const eq = option.indexOf("=");
  if (eq === -1) return undefined;
  return aptSetting(option.slice(0, eq).trim(), option.slice(eq + 1).trim().replace(/^"|";?$/g, ""));
}

function aptSetting(key: string, value: string): string | undefined {
  const v = value.toLowerCase();
  if (/^Acquire::https::(?:.+::)?Verify-(?:Peer|Host)$/i.test(key) && FALSE.has(v)) return "turns off certificate checks for apt's HTTPS downloads";
  if (/^APT::Get::AllowUnauthenticated$/i.test(key) && TRUE.has(v)) return "makes apt install packages whose signatures are not verified";
  if (/^Acquire::Allow(?:Downgrade)?(?:To)?InsecureRepositories$/i.test(key) && TRUE.has(v)) return "makes apt use repositories whose signatures are not verified";
  return undefined;
}

interface Setting {
  start: number;
  end: number;
  message: string;
}

// Lines of apt.conf, sources.list, .npmrc, .gitconfig, .wgetrc and pip.conf that turn a check off.
const APT_CONF = /^[ \t]*([A-Za-z][\w:-]*::[\w:.-]*[\w-])[ \t]+"?([^";\s]*)"?[ \t]*;?[ \t]*$/gm;
const TRUSTED_SOURCE = /^[ \t]*deb(?:-src)?[ \t]+\[[^\]\n]*\btrusted=yes\b[^\]\n]*\].*$/gm;
const NPMRC = /^[ \t]*strict-ssl[ \t]*=[ \t]*(\S+)[ \t]*$/gm;
const GITCONFIG = /^[ \t]*sslVerify[ \t]*=[ \t]*(\S*)[ \t]*$/gim;
const WGETRC = /^[ \t]*check_?certificate[ \t]*=[ \t]*(\S+)[ \t]*$/gim;
const PIP_CONF = /^[ \t]*trusted[-_]host[ \t]*=[ \t]*(\S.*?)[ \t]*$/gm;

// Every setting below contains one of these (the patterns' own case rules, or looser).
const MAYBE_SETTING = /::|trusted|strict-ssl|sslverify|check_?certificate/i;

/** Settings in a configuration text (a heredoc body, an echoed line) that turn off verification. */
function insecureSettings(text: string): Setting[] {
  if (!MAYBE_SETTING.test(text)) return [];
  const out: Setting[] = [];
  const add = (m: RegExpMatchArray, message: string): void => {
    const line = m[0].trim();
    const start = (m.index ?? 0) + m[0].indexOf(line);
    out.push({ start, end: start + line.length, message });
  };
  for (const m of text.matchAll(APT_CONF)) {
    const setting = aptSetting(m[1] ?? "", m[2] ?? "");
    if (setting !== undefined) add(m, `the apt setting ${m[0].trim()}, which ${setting}`);
  }
  for (const m of text.matchAll(TRUSTED_SOURCE)) add(m, "an apt source with [trusted=yes], whose signatures are not checked");
  for (const m of text.matchAll(NPMRC)) if (FALSE.has((m[1] ?? "").toLowerCase())) add(m, `"${m[0].trim()}", which turns off npm's certificate checks`);
  for (const m of text.matchAll(GITCONFIG)) if (gitFalse(m[1] ?? "")) add(m, `"${m[0].trim()}", which turns off git's certificate checks`);
  for (const m of text.matchAll(WGETRC)) if (FALSE.has((m[1] ?? "").toLowerCase())) add(m, `"${m[0].trim()}", which turns off wget's certificate checks`);
  for (const m of text.matchAll(PIP_CONF)) add(m, `"${m[0].trim()}", which makes pip accept any certificate from that host`);
  return out.sort((a, b) => a.start - b.start);
}

// The set for a command name (and extra valued flags) is the same every time: made once.
const valuedFlagSets = new Map<string, ReadonlySet<string>>();

function valuedFlags(name: string, valued: readonly string[]): ReadonlySet<string> {
  const key = valued.length === 0 ? name : `${name}\0${valued.join("\0")}`;
  let set = valuedFlagSets.get(key);
  if (set === undefined) {
    set = new Set([...(FLAGS_WITH_VALUE[name] ?? []), ...valued]);
    // Names are commands of the scripts linted: bounded, so that odd inputs cannot grow it without limit.
    if (valuedFlagSets.size >= 1024) valuedFlagSets.clear();
    valuedFlagSets.set(key, set);
  }
  return set;
}

interface FlagWord {
  /** Without dashes: "k", "insecure". */
  name: string;
  word: ShellWord;
  /** The value (`--x=v`, `-o v`, `-ov`) for a flag that takes one; null when it takes none; undefined when dynamic. */
  value: string | null | undefined;
  valueWord: ShellWord | undefined;
}

/**
 * The words that give one of the flags, read as query.ts reads flags (getopt style, bundles, values of the
 * command's FLAGS_WITH_VALUE and of `valued`, nothing after `--`), keeping the word for the finding's span.
 */
function flagWords(cmd: ShellCommand, names: readonly string[], valued: readonly string[] = []): FlagWord[] {
  const withValue = valuedFlags(commandName(cmd) ?? "", valued);
  const out: FlagWord[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const v = word?.value;
    if (word === undefined || v === undefined || v.length < 2 || v[0] !== "-") continue;
    if (v === "--") break;
    if (v[1] === "-") {
      const eq = v.indexOf("=");
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq);
      const takes = withValue.has(name);
      const next = takes && eq === -1 ? args[i + 1] : undefined;
      if (names.includes(name)) {
        const value = eq !== -1 ? v.slice(eq + 1) : takes ? next?.value : null;
        out.push({ name, word, value, valueWord: next });
      }
      if (next !== undefined) i++;
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const name = v[k] ?? "";
      const takes = withValue.has(name);
      const attached = v.slice(k + 1);
      const next = takes && attached === "" ? args[i + 1] : undefined;
      if (names.includes(name)) out.push({ name, word, value: takes ? (attached !== "" ? attached : next?.value) : null, valueWord: next });
      if (takes) {
        if (next !== undefined) i++;
        break;
      }
    }
  }
  return out;
}
