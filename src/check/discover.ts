// What `drydock check` looks at under a project directory: Dockerfiles (with their build context and
// .dockerignore), runtime configuration (compose, Kubernetes, scripts, Makefiles, Markdown and CI YAML with run
// lines) and lockfiles. One walk, symlinks never followed, dependency and VCS directories skipped, the root
// .gitignore honoured (what git does not track is not the project's own configuration).
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DrydockError } from "../core/errors.ts";
import { allCatalogers } from "../sbom/catalogers/index.ts";
import type { Cataloger } from "../sbom/model.ts";

/** Directories never searched: dependencies, VCS metadata, caches. */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  ".git", ".hg", ".svn", "node_modules", "vendor", ".venv", "venv", "__pycache__", ".terraform", ".tox", "bower_components",
]);

/** The catalogers that read lockfiles and pinned manifests a project keeps in its tree (not installed trees). */
export const LOCKFILE_CATALOGERS: ReadonlySet<string> = new Set([
  "npm-lock", "yarn-lock", "pnpm-lock", "python-requirements", "poetry-lock", "uv-lock", "pipfile-lock",
  "go-mod", "gemfile-lock", "cargo-lock", "composer-lock", "nuget-lock",
]);

/** Files larger than this found in a walk are not configuration anyone wrote; skipped (lockfiles get more room). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 32;
/** Bounds the walk of a huge tree; past it the rest is left out with a note. */
const MAX_ENTRIES = 200_000;

export interface DockerfileTarget {
  /** Path relative to the project root, "/"-separated. */
  file: string;
  /** The build context (the Dockerfile's directory), relative to the root; "." for the root. */
  context: string;
  /** The ignore file BuildKit would use (`<name>.dockerignore` first, then `.dockerignore`), relative to the root. */
  dockerignore: string | undefined;
}

export type RuntimeKind = "compose" | "kubernetes" | "script";

export interface RuntimeTarget {
  file: string;
  /** A first guess from the name and content; the runtime analyzer decides for itself. */
  kind: RuntimeKind;
}

export interface LockfileTarget {
  file: string;
  /** Names of the catalogers that read it. */
  catalogers: readonly string[];
}

export interface ProjectTargets {
  /** Absolute path of the project root. */
  root: string;
  dockerfiles: DockerfileTarget[];
  runtime: RuntimeTarget[];
  lockfiles: LockfileTarget[];
  /** Things the user should know about the walk (entries left out, an unreadable directory). */
  notes: string[];
}

/** Finds every target under root; throws INPUT_UNREADABLE when root is not a readable directory. */
export async function discoverTargets(root: string, catalogers: readonly Cataloger[] = allCatalogers): Promise<ProjectTargets> {
  const abs = path.resolve(root);
  const info = await lstat(abs).catch(() => undefined);
  if (info === undefined) throw new DrydockError("INPUT_UNREADABLE", `${root}: no such directory`);
  if (!info.isDirectory()) throw new DrydockError("USAGE", `${root}: not a directory; drydock check takes a project directory`);
  const gitignore = parseGitignore(await readSmall(path.join(abs, ".gitignore")) ?? "");
  const lockCatalogers = catalogers.filter((c) => LOCKFILE_CATALOGERS.has(c.name));
  const targets: ProjectTargets = { root: abs, dockerfiles: [], runtime: [], lockfiles: [], notes: [] };
  const files: { rel: string; size: number }[] = [];
  const budget = { entries: 0 };
  await walk(abs, "", 0, gitignore, files, targets.notes, budget);
  const names = new Set(files.map((f) => f.rel));
  for (const { rel, size } of files) {
    const base = path.posix.basename(rel);
    if (isDockerfileName(base)) {
      targets.dockerfiles.push({ file: rel, context: path.posix.dirname(rel), dockerignore: dockerignoreFor(rel, names) });
      continue;
    }
    const readers = lockCatalogers.filter((c) => c.wants(rel, size, 0o100644)).map((c) => c.name);
    if (readers.length > 0) {
      if (size <= MAX_LOCKFILE_BYTES) targets.lockfiles.push({ file: rel, catalogers: readers });
      else targets.notes.push(`${rel}: ${size} bytes is larger than a lockfile drydock reads; not scanned`);
      continue;
    }
    if (!isRuntimeCandidate(base) || size > MAX_CONFIG_BYTES) continue;
    const text = await readSmall(path.join(abs, rel));
    const kind = text === undefined ? undefined : runtimeKindOf(rel, text);
    if (kind !== undefined) targets.runtime.push({ file: rel, kind });
  }
  return targets;
}

/** Whether a file name is a Dockerfile by the usual conventions (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*). */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith(".dockerignore")) return false;
  return lower === "dockerfile" || lower === "containerfile" || lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")
    || lower.startsWith("dockerfile.") || lower.startsWith("containerfile.");
}

function dockerignoreFor(dockerfile: string, names: ReadonlySet<string>): string | undefined {
  const dir = path.posix.dirname(dockerfile);
  const join = (name: string): string => (dir === "." ? name : `${dir}/${name}`);
  return [join(`${path.posix.basename(dockerfile)}.dockerignore`), join(".dockerignore")].find((f) => names.has(f));
}

/** Names the runtime analyzer can read: YAML, Markdown, Makefiles, shell scripts. */
function isRuntimeCandidate(name: string): boolean {
  return /\.(?:ya?ml|md|markdown|mk|sh|bash)$/i.test(name) || /^(?:gnu)?makefile$/i.test(name);
}

const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$|\.compose\.ya?ml$/i;

/**
 * A first reading of a candidate: compose and Kubernetes YAML by name or top-level keys, anything else only when
 * it mentions a container CLI (a run line may be in it). Helm templates are left out: they are not YAML until
 * rendered. drydock's own config is not runtime configuration.
 */
export function runtimeKindOf(file: string, text: string): RuntimeKind | undefined {
  const base = path.posix.basename(file);
  if (/^\.?drydock\.ya?ml$/i.test(base) || /^\.hadolint\.ya?ml$/i.test(base)) return undefined;
  if (/\{\{-?\s*(?:\.Values|\.Release|\.Chart|include|template|if|range)\b/.test(text)) return undefined;
  const mentionsCli = /\b(?:docker|podman|nerdctl)\b/.test(text);
  if (/\.ya?ml$/i.test(base)) {
    if (/^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text)) return "kubernetes";
    if (COMPOSE_NAME.test(base) || /^services\s*:/m.test(text)) return "compose";
  }
  return mentionsCli ? "script" : undefined;
}

async function walk(
  dir: string, rel: string, depth: number, ignore: GitignoreMatcher, out: { rel: string; size: number }[], notes: string[],
  budget: { entries: number },
): Promise<void> {
  if (depth > MAX_DEPTH) {
    notes.push(`${rel}: deeper than ${MAX_DEPTH} directories; not searched`);
    return;
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) {
    notes.push(`${rel === "" ? "." : rel}: cannot be read; not searched`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (++budget.entries > MAX_ENTRIES) {
      if (budget.entries === MAX_ENTRIES + 1) notes.push(`more than ${MAX_ENTRIES} files and directories: the rest was not searched`);
      return;
    }
    const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || ignore(childRel, true)) continue;
      await walk(path.join(dir, e.name), childRel, depth + 1, ignore, out, notes, budget);
    } else if (e.isFile() && !ignore(childRel, false)) {
      const info = await lstat(path.join(dir, e.name)).catch(() => undefined);
      if (info !== undefined) out.push({ rel: childRel, size: info.size });
    }
  }
}

async function readSmall(file: string): Promise<string | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size > MAX_CONFIG_BYTES) return undefined;
  return readFile(file, "utf8").catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// .gitignore (the root file only): enough of git's rules for what projects write there.

/** Whether a path (relative, "/"-separated) is ignored; isDir for directories. */
export type GitignoreMatcher = (rel: string, isDir: boolean) => boolean;

interface GitignoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export function parseGitignore(text: string): GitignoreMatcher {
  const rules: GitignoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    // A pattern with a slash (other than at the end) is anchored at the root; one without matches at any depth.
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    if (line === "") continue;
    rules.push({ re: new RegExp(`^${anchored ? "" : "(?:.*/)?"}${globToRegex(line)}$`), negate, dirOnly });
  }
  return (rel, isDir) => {
    let ignored = false;
    for (const r of rules) if ((!r.dirOnly || isDir) && r.re.test(rel)) ignored = !r.negate;
    return ignored;
  };
}

function globToRegex(glob: string): string {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    if (c === "*" && glob[i + 1] === "*") {
      // "**/" matches zero or more directories; a trailing "**" everything below.
      if (glob[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\" && i + 1 < glob.length) re += escapeRegex(glob[++i] ?? "");
    else re += escapeRegex(c);
  }
  return re;
}

function escapeRegex(c: string): string {
  return c.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");
}
