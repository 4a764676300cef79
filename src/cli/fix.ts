// `drydock fix`: safe autofixes for Dockerfiles, compose files and Kubernetes manifests, shown as a unified diff
// (exit 1 when there is something to fix) or written in place with --write (each file replaced atomically). The
// work is src/fix/apply.ts; here are the edges: argv, finding and reading files, the registry, output.
import { chmod, lstat, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../core/config.ts";
import { DrydockError, isDrydockError } from "../core/errors.ts";
import type { InputError } from "../core/finding.ts";
import { DEFAULT_USER, fixDockerfile, fixRuntimeFile, type FixRequest, type FixResult } from "../fix/apply.ts";
import { unifiedDiff } from "../fix/diff.ts";
import { registryDigestResolver } from "../fix/pin.ts";
import { RegistryClient } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { findDockerfiles, isDockerfileName, readInput } from "./io.ts";
import type { Io } from "./main.ts";
import { collect, registryOptionsFrom } from "./options.ts";
import { findRuntimeInputs } from "./runtime.ts";

/** Compose files and manifests larger than this are not hand-written configuration. */
const MAX_YAML_BYTES = 8 * 1024 * 1024;

interface FixOptions {
  write?: boolean;
  rule: string[];
  pin?: boolean;
  addUser?: boolean;
  uid?: string;
  config?: string;
  target?: string;
  insecureRegistry: string[];
  caFile: string[];
}

/** Adds the `fix` command; the returned exitCode is set once it has run. */
export function registerFix(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("fix")
    .description("fix what can be fixed safely in Dockerfiles, compose files and Kubernetes manifests: a unified diff, or --write")
    .argument("[paths...]", "files or directories (Dockerfiles, compose files, Kubernetes YAML)", ["."])
    .option("-w, --write", "apply the fixes to the files instead of printing a diff")
    .option("--rule <id>", "fix only this rule's findings, by id or alias (repeatable)", collect, [])
    .option("--pin", "pin base images to the digest their tag names now (asks the registry)")
    .option("--add-user", "add USER to a final stage that has none, and user: to compose services without one")
    .option("--uid <uid[:gid]>", `the numeric user --add-user adds (default ${DEFAULT_USER})`)
    .option("-c, --config <file>", "config file (default: nearest drydock.yaml, .drydock.yaml or .hadolint.yaml)")
    .option("--target <stage>", "build target: rules about the final image look at this stage")
    .option("--insecure-registry <host[:port]>", "for --pin: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for --pin: an extra certificate authority (repeatable)", collect, [])
    .action(async (paths: string[], opts: FixOptions) => {
      state.exitCode = await fixCommand(paths, opts, io);
    });
  return state;
}

async function fixCommand(paths: string[], opts: FixOptions, io: Io): Promise<number> {
  const loaded = await loadConfig(io.cwd, opts.config);
  if (opts.uid !== undefined && opts.addUser !== true) throw new DrydockError("USAGE", "--uid goes with --add-user");
  const addUser = opts.addUser === true ? checkUser(opts.uid ?? DEFAULT_USER) : undefined;
  let client: RegistryClient | undefined;
  if (opts.pin === true) {
    client = new RegistryClient({
      ...registryOptionsFrom(opts, loaded.config.registries),
      credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() }),
      userAgent: "drydock",
    });
  }
  const request: FixRequest = {
    config: loaded.config,
    ...(opts.rule.length === 0 ? {} : { rules: opts.rule }),
    ...(addUser === undefined ? {} : { addUser }),
    ...(client === undefined ? {} : { resolveDigest: registryDigestResolver(client) }),
    ...(opts.target === undefined ? {} : { target: opts.target }),
  };
  const errors: InputError[] = [];
  const results: FixResult[] = [];
  try {
    for (const target of await findTargets(paths, io.cwd)) {
      try {
        results.push(target.kind === "dockerfile"
          ? await fixDockerfile(await readInput(target.file, io.cwd, target.file), request)
          : await fixRuntimeFile({ file: target.file, text: await readYaml(target.file, io.cwd) }, request));
      } catch (e) {
        // A registry error under --pin concerns every file: it stops the run (exit 2) with its own message.
        if (!isDrydockError(e) || e.code.startsWith("REGISTRY") || e.code.startsWith("MANIFEST")) throw e;
        errors.push({ file: target.file, code: e.code, message: e.message });
      }
    }
  } finally {
    client?.close();
  }
  const changed = results.filter((r) => r.after !== r.before);
  for (const r of results) {
    errors.push(...r.errors);
    for (const w of r.withheld) io.stderr(`drydock: ${r.file}: ${w.ruleId} not fixed: ${w.reason}\n`);
  }
  if (opts.write === true) {
    for (const r of changed) {
      await writeAtomically(r.file, r.after, io.cwd);
      for (const a of r.applied) io.stdout(`${r.file}:${a.line}: fixed ${a.ruleId}: ${a.message}\n`);
    }
  } else {
    for (const r of changed) io.stdout(unifiedDiff(toPosix(r.file), r.before, r.after));
  }
  for (const e of errors) io.stderr(`drydock: ${e.file}${e.line === undefined ? "" : `:${e.line}`}${e.column === undefined ? "" : `:${e.column}`}: ${e.message} [${e.code}]\n`);
  const fixes = changed.reduce((n, r) => n + r.applied.length, 0);
  const left = results.reduce((n, r) => n + r.remaining.length, 0);
  const verb = opts.write === true ? "fixed" : "can fix";
  io.stderr(`drydock: ${verb} ${fixes} finding${fixes === 1 ? "" : "s"} in ${changed.length} file${changed.length === 1 ? "" : "s"}; ${left} left for a person${opts.write === true || fixes === 0 ? "" : " (--write applies the diff)"}\n`);
  if (errors.length > 0) return 2;
  return opts.write === true || changed.length === 0 ? 0 : 1;
}

interface Target {
  file: string;
  kind: "dockerfile" | "yaml";
}

/** Files as given (a Dockerfile by name, else YAML); directories searched for Dockerfiles and compose/k8s YAML. */
async function findTargets(paths: readonly string[], cwd: string): Promise<Target[]> {
  const out: Target[] = [];
  for (const p of paths) {
    if (p === "-") throw new DrydockError("USAGE", "fix works on files (it can write them back): name them instead of -");
    const info = await lstat(path.resolve(cwd, p)).catch(() => undefined);
    if (info?.isDirectory() !== true) {
      out.push({ file: p, kind: isDockerfileName(path.basename(p)) || !/\.(?:ya?ml|json)$/i.test(p) ? "dockerfile" : "yaml" });
      continue;
    }
    const dockerfiles = await findDockerfiles([p], cwd).catch((e: unknown) => (isDrydockError(e) && e.code === "USAGE" ? [] : Promise.reject(e)));
    const runtime = await findRuntimeInputs([p], cwd).catch((e: unknown) => (isDrydockError(e) && e.code === "USAGE" ? [] : Promise.reject(e)));
    const yaml = runtime.map((r) => r.file).filter((f) => /\.ya?ml$/i.test(f));
    if (dockerfiles.length === 0 && yaml.length === 0) throw new DrydockError("USAGE", `${p}: no Dockerfile, compose file or Kubernetes manifest in this directory`);
    out.push(...dockerfiles.map((file): Target => ({ file, kind: "dockerfile" })), ...yaml.map((file): Target => ({ file, kind: "yaml" })));
  }
  return out;
}

async function readYaml(file: string, cwd: string): Promise<string> {
  const abs = path.resolve(cwd, file);
  const info = await stat(abs).catch((e: unknown) => {
    throw new DrydockError("INPUT_UNREADABLE", `${file}: cannot be read`, { cause: e });
  });
  if (!info.isFile()) throw new DrydockError("INPUT_UNREADABLE", `${file}: not a regular file`);
  if (info.size > MAX_YAML_BYTES) throw new DrydockError("INPUT_TOO_LARGE", `${file}: ${info.size} bytes is more than the ${MAX_YAML_BYTES} fix reads`);
  return readFile(abs, "utf8");
}

/** Next to the file, then renamed over it with the file's mode: a reader sees the old or the new text, never half. */
async function writeAtomically(file: string, text: string, cwd: string): Promise<void> {
  const abs = path.resolve(cwd, file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.drydock-fix`);
  try {
    const { mode } = await stat(abs);
    await writeFile(tmp, text, { flag: "wx", mode: mode & 0o7777 });
    await chmod(tmp, mode & 0o7777);
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new DrydockError("INPUT_UNREADABLE", `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** `--uid` takes a numeric uid or uid:gid: a name may not exist in the image, a number always works. */
function checkUser(user: string): string {
  if (!/^\d+(?::\d+)?$/.test(user)) throw new DrydockError("USAGE", `--uid expects a numeric uid or uid:gid (e.g. ${DEFAULT_USER}); got ${JSON.stringify(user)}`);
  if (/^0(?::|$)/.test(user)) throw new DrydockError("USAGE", "--uid 0 is root: give a non-root uid");
  return user;
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
