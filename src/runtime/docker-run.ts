// `docker run` / `docker create` / `podman run` arguments as a workload, read with the flag grammar of the docker CLI
// (spf13/pflag with interspersed arguments off): `--flag=value` and `--flag value`; boolean flags alone or as
// `--flag=false`; short flags bundled (`-it`, `-dp 80:80`) with a value attached (`-p80:80`, `-e=X`) or following;
// repeated flags accumulate; `--` or the first argument that is no flag ends the options: it is the image, the rest
// is the command. Every docker run/create flag (and podman's own) is known with its arity, so an option value is never
// taken for the image; an unknown flag is taken as boolean and noted.
import type { Span, TextLocation } from "../core/finding.ts";
import type { ShellWord } from "../shell/parse.ts";
import { sliceWord } from "../shell/word.ts";
import { emptyWorkload, type Setting, type TextSetting, type Workload } from "./model.ts";
import {
  apparmorOf, isHostPath, isReadOnlyOption, normalizeCapability, normalizeRestart, parseMountSpec, parsePortSpec,
  parseSecurityOpt, parseVolumeSpec, propagationOption, seccompOf,
} from "./specs.ts";

/** Flags that take no value (`--rm`, `-d`); `--flag=false` still sets them. docker's and podman's. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  "detach", "interactive", "tty", "rm", "privileged", "read-only", "publish-all", "init", "no-healthcheck",
  "oom-kill-disable", "sig-proxy", "quiet", "use-api-socket", "help", "disable-content-trust",
  // podman
  "replace", "rootfs", "env-host", "no-hosts", "read-only-tmpfs", "unsetenv-all", "tls-verify", "http-proxy", "passwd", "rmi",
]);

/** Flags that take a value (`--name web`, `--name=web`). */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  "add-host", "annotation", "attach", "blkio-weight", "blkio-weight-device", "cap-add", "cap-drop", "cgroup-parent",
  "cgroupns", "cidfile", "cpu-count", "cpu-percent", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime",
  "cpu-shares", "cpus", "cpuset-cpus", "cpuset-mems", "detach-keys", "device", "device-cgroup-rule", "device-read-bps",
  "device-read-iops", "device-write-bps", "device-write-iops", "dns", "dns-opt", "dns-option", "dns-search", "domainname",
  "entrypoint", "env", "env-file", "expose", "gpus", "group-add", "health-cmd", "health-interval", "health-retries",
  "health-start-interval", "health-start-period", "health-timeout", "hostname", "io-maxbandwidth", "io-maxiops", "ip",
  "ip6", "ipc", "isolation", "kernel-memory", "label", "label-file", "link", "link-local-ip", "log-driver", "log-opt",
  "mac-address", "memory", "memory-reservation", "memory-swap", "memory-swappiness", "mount", "name", "net",
  "net-alias", "network", "network-alias", "oom-score-adj", "pid", "pids-limit", "platform", "publish", "pull",
  "restart", "runtime", "security-opt", "shm-size", "stop-signal", "stop-timeout", "storage-opt", "sysctl", "tmpfs",
  "ulimit", "user", "userns", "uts", "volume", "volume-driver", "volumes-from", "workdir",
  // podman
  "arch", "authfile", "cert-dir", "cgroup-conf", "cgroups", "chrootdirs", "conmon-pidfile", "creds", "decryption-key",
  "env-merge", "gidmap", "group-entry", "health-log-destination", "health-max-log-count", "health-max-log-size",
  "health-on-failure", "health-startup-cmd", "health-startup-interval", "health-startup-retries",
  "health-startup-success", "health-startup-timeout", "hostuser", "hosts-file", "image-volume", "init-ctr", "init-path",
  "os", "passwd-entry", "personality", "pidfile", "pod", "pod-id-file", "preserve-fd", "preserve-fds", "rdt-class",
  "requires", "retry", "retry-delay", "sdnotify", "seccomp-policy", "secret", "shm-size-systemd", "subgidname",
  "subuidname", "systemd", "timeout", "tz", "uidmap", "umask", "unsetenv", "variant",
]);

/** One-letter forms. */
const SHORT_FLAGS: Readonly<Record<string, string>> = {
  a: "attach", c: "cpu-shares", d: "detach", e: "env", h: "hostname", i: "interactive", l: "label", m: "memory",
  p: "publish", P: "publish-all", q: "quiet", t: "tty", u: "user", v: "volume", w: "workdir",
};

/** The flags the checks read; the others are parsed (for their arity) and ignored. */
export const FLAGS_READ: readonly string[] = [
  "privileged", "cap-add", "cap-drop", "user", "read-only", "security-opt", "network", "net", "pid", "ipc", "uts", "userns",
  "volume", "mount", "publish", "env", "memory", "cpus", "cpu-shares", "cpu-quota", "cpuset-cpus", "pids-limit", "restart",
  "health-cmd", "no-healthcheck", "device", "device-cgroup-rule", "sysctl", "use-api-socket", "name",
];

export interface RunCommand {
  /** The program as written (`docker`, `podman`, `nerdctl`), for messages. */
  program: string;
  /** From the program's word to the `run`/`create` word: where settings a container lacks are reported. */
  head: Span;
  /** The words after `run`/`create`. */
  args: readonly ShellWord[];
}

export interface ParsedFlag {
  name: string;
  /** The value (for booleans "true" unless `=false` was written); undefined when it is not static. */
  value: string | undefined;
  /** The value's word (a slice of the flag's word when attached); the flag word itself for booleans. */
  word: ShellWord;
  /** From the flag to the end of its value. */
  span: Span;
}

export interface ParsedRun {
  flags: ParsedFlag[];
  image: ShellWord | undefined;
  command: ShellWord[];
  /** Flags not known to docker or podman (taken as boolean). */
  unknown: ShellWord[];
  /** Words that are not static and stand where options are (`docker run $OPTS image`): anything may hide there. */
  opaque: ShellWord[];
}

/** Splits `docker run` arguments into flags, image and command with the docker CLI's grammar. */
export function parseRunArgs(args: readonly ShellWord[]): ParsedRun {
  const out: ParsedRun = { flags: [], image: undefined, command: [], unknown: [], opaque: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i];
    if (word === undefined) break;
    const text = word.value;
    if (text === undefined && !word.text.startsWith("-")) {
      // An expansion where options go: `$OPTS` or `"${ARGS[@]}"` stands for options, `"$IMAGE"` for the image.
      if (i + 1 < args.length && standsForOptions(word)) {
        out.opaque.push(word);
        continue;
      }
      break;
    }
    const t = text ?? word.text;
    if (t === "--") {
      i++;
      break;
    }
    if (!t.startsWith("-") || t === "-") break;
    if (t.startsWith("--")) {
      i = longFlag(args, i, word, t, out);
    } else {
      i = shortFlags(args, i, word, t, out);
    }
  }
  out.image = args[i];
  out.command = args.slice(i + 1);
  return out;
}

/** Whether an expansion in option position holds options rather than the image (by its quoting and its name). */
function standsForOptions(word: ShellWord): boolean {
  const t = word.text;
  if (t.includes("[@]") || t.includes("[*]")) return true;
  const name = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(t)?.[1] ?? "";
  if (/IMAGE|IMG|REPO|TAG|REF/i.test(name)) return false;
  if (/OPT|ARG|FLAG|PARAM|EXTRA/i.test(name)) return true;
  return !t.startsWith('"'); // one quoted word is one argument: an image more likely than options
}

function longFlag(args: readonly ShellWord[], i: number, word: ShellWord, text: string, out: ParsedRun): number {
  const body = text.slice(2);
  const eq = body.indexOf("=");
  const name = eq === -1 ? body : body.slice(0, eq);
  if (eq !== -1) {
    const valueWord = attachedValue(word, 2 + eq + 1);
    out.flags.push({ name, value: valueWord.value, word: valueWord, span: word.span });
    if (!BOOLEAN_FLAGS.has(name) && !VALUE_FLAGS.has(name)) out.unknown.push(word);
    return i;
  }
  if (VALUE_FLAGS.has(name)) {
    const next = args[i + 1];
    if (next === undefined) return i; // docker: "flag needs an argument"; nothing to read
    out.flags.push({ name, value: next.value, word: next, span: { start: word.span.start, end: next.span.end } });
    return i + 1;
  }
  if (!BOOLEAN_FLAGS.has(name)) out.unknown.push(word);
  out.flags.push({ name, value: "true", word, span: word.span });
  return i;
}

function shortFlags(args: readonly ShellWord[], i: number, word: ShellWord, text: string, out: ParsedRun): number {
  for (let k = 1; k < text.length; k++) {
    const letter = text[k] ?? "";
    const name = SHORT_FLAGS[letter];
    if (name === undefined) {
      out.unknown.push(word);
      continue;
    }
    if (BOOLEAN_FLAGS.has(name)) {
      out.flags.push({ name, value: "true", word, span: word.span });
      continue;
    }
    const rest = text.slice(k + 1);
    if (rest !== "") {
      const valueWord = attachedValue(word, rest.startsWith("=") ? k + 2 : k + 1);
      out.flags.push({ name, value: valueWord.value, word: valueWord, span: word.span });
      return i;
    }
    const next = args[i + 1];
    if (next === undefined) return i;
    out.flags.push({ name, value: next.value, word: next, span: { start: word.span.start, end: next.span.end } });
    return i + 1;
  }
  return i;
}

/** The part of a flag word from value index `at` on, as a word of its own (exact span when the prefix is unquoted). */
function attachedValue(word: ShellWord, at: number): ShellWord {
  const value = word.value;
  if (value !== undefined && word.text.slice(0, at) === value.slice(0, at)) return sliceWord(word, at);
  const rest = value?.slice(at);
  return { text: rest ?? word.text, value: rest, span: word.span };
}

/** Where value[start, end) of a word is written; the whole word when its quoting does not allow telling. */
export function locateInWord(word: ShellWord, start: number, end: number): Span {
  const value = word.value;
  if (value === undefined) return word.span;
  if (word.text === value) return sliceWord(word, start, end).span;
  const q = word.text[0];
  if ((q === '"' || q === "'") && word.text.endsWith(q) && word.text.slice(1, -1) === value) return sliceWord(word, start + 1, end + 1).span;
  return word.span;
}

export function textLocation(file: string, span: Span): TextLocation {
  return { kind: "text", file, start: span.start, end: span.end };
}

/** The container a `docker run` line starts, as a workload. */
export function runWorkload(cmd: RunCommand, file: string): Workload {
  const parsed = parseRunArgs(cmd.args);
  const imageText = parsed.image?.value;
  const nameFlag = parsed.flags.findLast((f) => f.name === "name");
  const label = `${cmd.program} run ${imageText ?? parsed.image?.text ?? "(no image)"}`;
  const owner = nameFlag?.value === undefined ? label : `container "${nameFlag.value}" (${label})`;
  const w = emptyWorkload("docker-run", owner, file, textLocation(file, cmd.head));
  // Options hidden in an expansion may set anything: settings it lacks are not reported.
  w.fragment = parsed.opaque.length > 0 || parsed.image === undefined;
  const loc = (span: Span): TextLocation => textLocation(file, span);
  const set = <T>(value: T, f: ParsedFlag): Setting<T> => ({ value, at: loc(f.span), owner });
  if (parsed.image !== undefined && imageText !== undefined) w.image = { value: imageText, at: loc(parsed.image.span), owner };

  for (const f of parsed.flags) {
    const v = f.value;
    switch (f.name) {
      case "privileged": w.privileged = boolFlag(f, set); break;
      case "read-only": w.readOnlyRootFilesystem = boolFlag(f, set); break;
      case "use-api-socket": w.apiSocket = boolFlag(f, set); break;
      case "cap-add":
      case "cap-drop":
        for (const cap of (v ?? "").split(",").filter((c) => c.trim() !== "")) {
          (f.name === "cap-add" ? w.capAdd : w.capDrop).push(set(normalizeCapability(cap), f));
        }
        break;
      case "user": if (v !== undefined) w.user = set(v, f); break;
      case "security-opt": if (v !== undefined) securityOpt(w, v, set(v, f)); break;
      case "network":
      case "net": w.hostNetwork = hostFlag(v, f, set); break;
      case "pid": w.hostPid = hostFlag(v, f, set); break;
      case "ipc": w.hostIpc = hostFlag(v, f, set); break;
      case "uts": w.hostUts = hostFlag(v, f, set); break;
      case "userns": w.hostUserns = hostFlag(v, f, set); break;
      case "volume": volume(w, f, file, owner); break;
      case "mount": mount(w, f, file, owner); break;
      case "publish": {
        const spec = parsePortSpec(v ?? "");
        if (spec !== undefined) w.ports.push({ ...spec, at: loc(f.word.span), owner });
        break;
      }
      case "env": env(w, f, file, owner); break;
      case "memory": if (v !== undefined) w.limits.memory = set(v, f); break;
      case "cpus":
      case "cpu-shares":
      case "cpu-quota":
      case "cpuset-cpus": if (v !== undefined) w.limits.cpu = set(v, f); break;
      case "pids-limit": if (v !== undefined) w.limits.pids = set(v, f); break;
      case "restart": if (v !== undefined) w.restart = set(normalizeRestart(v), f); break;
      case "health-cmd": w.healthcheck = set(true, f); break;
      case "no-healthcheck": if (v !== "false") w.healthcheck = set(false, f); break;
      case "device": if (v !== undefined) w.devices.push(set(v, f)); break;
      case "device-cgroup-rule": if (v !== undefined) w.devices.push(set(`cgroup rule ${v}`, f)); break;
      case "sysctl": {
        if (v === undefined) break;
        const eq = v.indexOf("=");
        w.sysctls.push({ name: eq === -1 ? v : v.slice(0, eq), value: eq === -1 ? undefined : v.slice(eq + 1), at: loc(f.word.span), owner });
        break;
      }
    }
  }
  return w;
}

function boolFlag(f: ParsedFlag, set: <T>(value: T, f: ParsedFlag) => Setting<T>): Setting<boolean> | undefined {
  const v = f.value?.toLowerCase();
  if (v === "true" || v === "1" || v === "t") return set(true, f);
  if (v === "false" || v === "0" || v === "f") return set(false, f);
  return undefined;
}

function hostFlag(v: string | undefined, f: ParsedFlag, set: <T>(value: T, f: ParsedFlag) => Setting<T>): Setting<boolean> | undefined {
  return v === undefined ? undefined : set(v === "host", f);
}

function securityOpt(w: Workload, text: string, s: Setting<string>): void {
  const opt = parseSecurityOpt(text);
  const value = opt.value ?? "";
  const at = s.at;
  const owner = s.owner;
  if (opt.key === "no-new-privileges") w.security.noNewPrivileges = { value: opt.value === undefined || value.toLowerCase() === "true", at, owner };
  else if (opt.key === "seccomp") w.security.seccomp = { value: seccompOf(value), at, owner };
  else if (opt.key === "apparmor") w.security.apparmor = { value: apparmorOf(value), at, owner };
  else if (opt.key === "label") w.security.selinux.push({ value, at, owner });
  else if ((opt.key === "systempaths" && value.toLowerCase() === "unconfined") || opt.key === "unmask") {
    w.security.procMount = { value: "unconfined", at, owner };
  }
}

function volume(w: Workload, f: ParsedFlag, file: string, owner: string): void {
  // A host path with `$PWD` in it is still a host path: read the text as written when it is not static.
  const text = f.value ?? f.word.text;
  const spec = parseVolumeSpec(text);
  const propagation = propagationOption(spec.options);
  const bindSource = spec.bind && spec.source !== undefined ? spec.source : undefined;
  w.mounts.push({
    kind: spec.bind ? "bind" : spec.source === undefined ? "other" : "volume",
    hostPath: bindSource,
    target: spec.target,
    readOnly: isReadOnlyOption(spec.options),
    propagation: propagation === undefined ? undefined : { value: propagation, at: textLocation(file, f.span), owner },
    at: textLocation(file, bindSource !== undefined && f.value !== undefined ? locateInWord(f.word, 0, bindSource.length) : f.word.span),
    owner,
  });
}

function mount(w: Workload, f: ParsedFlag, file: string, owner: string): void {
  const spec = parseMountSpec(f.value ?? f.word.text);
  const bind = spec.type === "bind" || (spec.type === "npipe" && spec.source !== undefined);
  w.mounts.push({
    kind: bind ? "bind" : spec.type === "volume" ? "volume" : spec.type === "tmpfs" ? "tmpfs" : "other",
    hostPath: bind || (spec.source !== undefined && spec.type !== "volume" && isHostPath(spec.source)) ? spec.source : undefined,
    target: spec.target,
    readOnly: spec.readOnly,
    propagation: spec.propagation === undefined ? undefined : { value: spec.propagation, at: textLocation(file, f.span), owner },
    at: textLocation(file, f.word.span),
    owner,
  });
}

function env(w: Workload, f: ParsedFlag, file: string, owner: string): void {
  const text = f.value;
  if (text === undefined) {
    const eq = f.word.text.indexOf("=");
    if (eq > 0) w.env.push({ name: f.word.text.slice(0, eq), value: undefined, literal: false });
    return;
  }
  const eq = text.indexOf("=");
  if (eq === -1) {
    w.env.push({ name: text, value: undefined, literal: false }); // passed through from the caller's environment
    return;
  }
  const start = eq + 1;
  const word = f.word;
  const value: TextSetting = {
    value: text.slice(start),
    at: textLocation(file, locateInWord(word, start, text.length)),
    owner,
    locate: (s, e) => textLocation(file, locateInWord(word, start + s, start + e)),
  };
  w.env.push({ name: text.slice(0, eq), value, literal: true });
}
