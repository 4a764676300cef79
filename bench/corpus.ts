// A deterministic corpus of realistic Dockerfiles for the lint benchmark. Everything comes from a seeded PRNG,
// so the same (count, seed) gives the same files on every machine and every run: numbers stay comparable.
// The files imitate what real repositories hold: node/python/go/java/rust apps and utility images, single- and
// multi-stage, pinned and unpinned bases, package installs over continuations, cache mounts, heredocs, pragmas.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

export interface CorpusFile {
  file: string;
  text: string;
}

/** Generates `count` Dockerfiles; the same seed always gives the same texts. */
export function generateCorpus(count: number, seed: number): CorpusFile[] {
  const rng = new Random(seed);
  const files: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const project = rng.pick(PROJECTS);
    const text = renderDockerfile(rng, project);
    files.push({ file: `corpus/${String(i).padStart(5, "0")}-${project.name}/Dockerfile`, text });
  }
  return files;
}

/** The hand-written Dockerfiles under `dir` (one level of subdirectories), sorted by path. */
export function readExampleDockerfiles(dir: string): CorpusFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const files: CorpusFile[] = [];
  for (const entry of entries) {
    const path = join(dir, entry, "Dockerfile");
    try {
      if (statSync(path).isFile()) files.push({ file: path, text: readFileSync(path, "utf8") });
    } catch {
      // A directory without a Dockerfile is not an example.
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Randomness: mulberry32, small and good enough to vary text; never seeded from the clock.

class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** `n` distinct items in their original order. */
  some<T>(items: readonly T[], n: number): T[] {
    const chosen = new Set<number>();
    const want = Math.min(n, items.length);
    while (chosen.size < want) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  }

  hex(length: number): string {
    let s = "";
    while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

type PackageManager = "apt" | "apk";

interface Pinned {
  name: string;
  version: string;
}

const APT_PACKAGES: readonly Pinned[] = [
  { name: "curl", version: "7.88.1-10+deb12u8" }, { name: "ca-certificates", version: "20230311" },
  { name: "git", version: "1:2.39.5-0+deb12u1" }, { name: "build-essential", version: "12.9" },
  { name: "libpq-dev", version: "15.8-0+deb12u1" }, { name: "gnupg", version: "2.2.40-1.1" },
  { name: "wget", version: "1.21.3-1+b2" }, { name: "unzip", version: "6.0-28" }, { name: "jq", version: "1.6-2.1" },
  { name: "tini", version: "0.19.0-1" }, { name: "libssl-dev", version: "3.0.15-1~deb12u1" },
  { name: "locales", version: "2.36-9+deb12u9" }, { name: "tzdata", version: "2024a-0+deb12u1" },
  { name: "openssh-client", version: "1:9.2p1-2+deb12u3" }, { name: "xz-utils", version: "5.4.1-0.2" },
  { name: "procps", version: "2:4.0.2-3" }, { name: "netcat-openbsd", version: "1.219-1" },
  { name: "dumb-init", version: "1.2.5-2" }, { name: "gosu", version: "1.14-1+b6" },
  { name: "libffi-dev", version: "3.4.4-1" }, { name: "pkg-config", version: "1.8.1-1" },
];

const APK_PACKAGES: readonly Pinned[] = [
  { name: "curl", version: "8.9.1-r2" }, { name: "ca-certificates", version: "20240705-r0" },
  { name: "git", version: "2.45.2-r0" }, { name: "bash", version: "5.2.26-r0" }, { name: "build-base", version: "0.5-r3" },
  { name: "tzdata", version: "2024b-r0" }, { name: "tini", version: "0.19.0-r3" }, { name: "openssl", version: "3.3.2-r0" },
  { name: "jq", version: "1.7.1-r0" }, { name: "su-exec", version: "0.2-r3" }, { name: "libc6-compat", version: "1.1.0-r4" },
  { name: "postgresql16-client", version: "16.4-r0" }, { name: "musl-dev", version: "1.2.5-r0" },
  { name: "openssh-client", version: "9.7_p1-r4" }, { name: "make", version: "4.4.1-r2" },
];

const PIP_PACKAGES: readonly Pinned[] = [
  { name: "flask", version: "3.0.3" }, { name: "gunicorn", version: "22.0.0" }, { name: "requests", version: "2.32.3" },
  { name: "uvicorn[standard]", version: "0.30.6" }, { name: "fastapi", version: "0.115.0" },
  { name: "django", version: "5.1.1" }, { name: "psycopg[binary]", version: "3.2.2" }, { name: "celery", version: "5.4.0" },
  { name: "numpy", version: "2.1.1" }, { name: "pandas", version: "2.2.3" }, { name: "poetry", version: "1.8.3" },
  { name: "boto3", version: "1.35.24" }, { name: "redis", version: "5.0.8" },
];

const NPM_GLOBALS: readonly Pinned[] = [
  { name: "pnpm", version: "9.12.0" }, { name: "typescript", version: "5.6.2" }, { name: "pm2", version: "5.4.2" },
  { name: "@nestjs/cli", version: "10.4.5" }, { name: "serve", version: "14.2.3" }, { name: "npm", version: "10.8.3" },
];

const APP_NAMES: readonly string[] = [
  "api", "web", "worker", "gateway", "billing", "auth", "frontend", "scheduler", "ingest", "notifier", "search",
  "reports", "admin", "proxy", "exporter", "crawler", "payments", "inventory",
];

const PORTS: readonly string[] = ["80", "443", "3000", "5000", "8000", "8080", "8443", "9090", "9100", "4000"];

const INSTALLERS: readonly string[] = [
  "https://get.example.com/install.sh", "https://sh.rustup.rs", "https://deb.nodesource.com/setup_20.x",
  "https://raw.githubusercontent.com/example/tool/main/install.sh", "https://install.python-poetry.org",
];

// ---------------------------------------------------------------------------------------------------------------
// Rendering a file

/** A Dockerfile under construction: the lines so far and facts later steps depend on. */
interface Draft {
  rng: Random;
  /** Directives and leading comments. */
  header: string[];
  /** ARGs before the first FROM, by name: how real files parameterise their base images. */
  globalArgs: Map<string, string>;
  /** Everything from the first FROM on. */
  lines: string[];
  app: string;
  port: string;
  /** Lower-case keywords in this file (some people write them so). */
  lowerCase: boolean;
  /** How likely an instruction is to get an explanatory comment above it: files differ a lot in this. */
  commentRate: number;
}

interface Project {
  name: string;
  stages(d: Draft): void;
}

function renderDockerfile(rng: Random, project: Project): string {
  const d: Draft = { rng, header: [], globalArgs: new Map(), lines: [], app: rng.pick(APP_NAMES), port: rng.pick(PORTS), lowerCase: rng.chance(0.02),
    commentRate: rng.pick([0, 0, 0.1, 0.2, 0.35, 0.5]) };
  writeHeader(d);
  project.stages(d);
  const eol = rng.chance(0.03) ? "\r\n" : "\n";
  const args = [...d.globalArgs].map(([name, value]) => keyword(d, `ARG ${name}=${value}`));
  const text = [...d.header, ...args, ...d.lines].join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  return eol === "\n" ? text : text.replaceAll("\n", eol);
}

/** Adds an instruction (its continuation lines included), sometimes with a comment above it. */
function emit(d: Draft, text: string): void {
  const notes = NOTES[text.slice(0, text.indexOf(" ")).toUpperCase()];
  if (notes !== undefined && d.commentRate > 0 && d.rng.chance(d.commentRate)) d.lines.push(`# ${d.rng.pick(notes)}`);
  d.lines.push(keyword(d, text));
}

const NOTES: Readonly<Record<string, readonly string[]>> = {
  RUN: ["Install system dependencies", "Build the application", "Keep the layer small: clean caches in the same step",
    "Install runtime dependencies only", "Fetch dependencies first so this layer is cached", "Create directories the app writes to"],
  COPY: ["Copy the manifests first so the dependency layer stays cached", "Copy the sources", "Bring in the build output",
    "Configuration"],
  USER: ["Do not run as root", "Drop privileges"],
  EXPOSE: ["The port the service listens on", "HTTP"],
  HEALTHCHECK: ["Used by the orchestrator to restart a wedged container"],
  ENV: ["Runtime settings", "Make output unbuffered and skip .pyc files", "Settings read by the app at start-up"],
  WORKDIR: ["All paths below are relative to the app directory"],
  FROM: ["Build stage", "Runtime stage: only what is needed to run", "Dependencies stage"],
  LABEL: ["OCI annotations, see https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
  CMD: ["Start the server", "Default command; override with docker run"],
  ENTRYPOINT: ["tini reaps zombies and forwards signals", "Run the binary directly"],
};

/** The instruction with its keyword in the file's case. */
function keyword(d: Draft, text: string): string {
  if (!d.lowerCase) return text;
  const space = text.indexOf(" ");
  return space === -1 ? text.toLowerCase() : text.slice(0, space).toLowerCase() + text.slice(space);
}

function comment(d: Draft, text: string): void {
  d.lines.push(`# ${text}`);
}

function blank(d: Draft): void {
  d.lines.push("");
}

function writeHeader(d: Draft): void {
  const r = d.rng;
  const h = d.header;
  if (r.chance(0.35)) h.push(r.pick(["# syntax=docker/dockerfile:1", "# syntax=docker/dockerfile:1.7", "#syntax=docker/dockerfile:1.4"]));
  if (r.chance(0.06)) h.push(r.pick(["# check=skip=JSONArgsRecommended", "# check=error=true", "# check=skip=StageNameCasing,FromAsCasing"]));
  if (h.length > 0) h.push("");
  if (r.chance(0.4)) {
    h.push("# " + r.pick([
      `Image for the ${d.app} service.`,
      `Build: docker build -t example/${d.app} .`,
      "Maintained by the platform team; see docs/containers.md.",
      `${d.app}: production image`,
    ]));
  }
  if (r.chance(0.08)) h.push(`# hadolint global ignore=${r.pick(["DL3059", "DL3008,DL3018", "DL3013"])}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Base images

interface BaseImage {
  /** The image reference as written after FROM (may contain ${VAR}). */
  ref: string;
  pm: PackageManager | undefined;
}

/**
 * A reference to `repo` with one of `tags`: sometimes without a tag, sometimes `latest`, sometimes with a digest,
 * sometimes through a global ARG declared now (ARGs before the first FROM are how real files parameterise bases).
 */
function baseRef(d: Draft, repo: string, tags: readonly string[], argName: string): string {
  const r = d.rng;
  const tag = r.pick(tags);
  const roll = r.next();
  if (roll < 0.07) return repo;
  if (roll < 0.12) return `${repo}:latest`;
  if (roll < 0.32 && !d.globalArgs.has(argName)) {
    d.globalArgs.set(argName, tag);
    return `${repo}:\${${argName}}`;
  }
  if (roll < 0.42) {
    const name = d.globalArgs.has("BASE_IMAGE") ? "RUNTIME_IMAGE" : "BASE_IMAGE";
    if (!d.globalArgs.has(name)) {
      d.globalArgs.set(name, `${repo}:${tag}`);
      return r.chance(0.5) ? `\${${name}}` : `$${name}`;
    }
  }
  const registry = r.chance(0.1) ? r.pick(["docker.io/library/", "mirror.gcr.io/", "registry.example.com/hub/"]) : "";
  const full = repo.includes("/") ? repo : registry + repo;
  return r.chance(0.25) ? `${full}:${tag}@sha256:${r.hex(64)}` : `${full}:${tag}`;
}

function debianBase(d: Draft): BaseImage {
  const repo = d.rng.pick(["debian", "ubuntu"]);
  const tags = repo === "debian" ? ["12", "12-slim", "bookworm", "bookworm-slim", "11-slim", "bullseye"] : ["22.04", "24.04", "noble", "jammy"];
  return { ref: baseRef(d, repo, tags, repo === "debian" ? "DEBIAN_VERSION" : "UBUNTU_VERSION"), pm: "apt" };
}

function alpineBase(d: Draft): BaseImage {
  return { ref: baseRef(d, "alpine", ["3.20", "3.19", "3.20.3", "3.18"], "ALPINE_VERSION"), pm: "apk" };
}

function distroless(d: Draft, flavour: string): BaseImage {
  const tag = d.rng.pick(["latest", "nonroot", "debug", "debug-nonroot"]);
  const ref = `gcr.io/distroless/${flavour}:${tag}`;
  return { ref: d.rng.chance(0.3) ? `${ref}@sha256:${d.rng.hex(64)}` : ref, pm: undefined };
}

/** `FROM` with optional platform flag and stage name; keyword casing of AS varies as it does in the wild. */
function from(d: Draft, ref: string, stage?: string, platform = false): void {
  const flag = platform ? "--platform=$BUILDPLATFORM " : "";
  const as = stage === undefined ? "" : ` ${d.rng.chance(0.9) ? "AS" : "as"} ${stage}`;
  emit(d, `FROM ${flag}${ref}${as}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

const CONT = " \\\n";

// apt and apk both pin with `name=version`.
function pin(p: Pinned, pinned: boolean): string {
  return pinned ? `${p.name}=${p.version}` : p.name;
}

/** A package install RUN in one of the shapes people write: chained, cached, heredoc, with and without cleanup. */
function installPackages(d: Draft, pm: PackageManager, count: number): void {
  const r = d.rng;
  const pinned = r.chance(0.45);
  const pkgs = r.some(pm === "apt" ? APT_PACKAGES : APK_PACKAGES, count).map((p) => pin(p, pinned));
  if (r.chance(0.2)) comment(d, `hadolint ignore=${pm === "apt" ? "DL3008" : "DL3018"}`);
  if (pm === "apk") {
    const shape = r.next();
    if (shape < 0.5) emit(d, `RUN apk add --no-cache ${pkgs.join(" ")}`);
    else if (shape < 0.8) emit(d, `RUN apk add --no-cache${CONT}${pkgs.map((p) => `      ${p}`).join(CONT)}`);
    else if (shape < 0.9) emit(d, `RUN apk update && apk add ${pkgs.join(" ")}`);
    else emit(d, `RUN --mount=type=cache,target=/var/cache/apk${CONT}    apk add ${pkgs.join(" ")}`);
    return;
  }
  const noRec = r.chance(0.6) ? " --no-install-recommends" : "";
  const yes = r.pick([" -y", " -y", " -yq", " --yes", ""]);
  const shape = r.next();
  if (shape < 0.15) {
    emit(d, `RUN apt-get update && apt-get install${yes}${noRec} ${pkgs.join(" ")} && rm -rf /var/lib/apt/lists/*`);
  } else if (shape < 0.65) {
    const env = r.chance(0.3) ? "DEBIAN_FRONTEND=noninteractive " : "";
    const clean = r.chance(0.75) ? `${CONT}    && rm -rf /var/lib/apt/lists/*` : "";
    const upgrade = r.chance(0.1) ? `${CONT}    && apt-get upgrade -y` : "";
    emit(d, `RUN apt-get update${upgrade}${CONT}    && ${env}apt-get install${yes}${noRec}${CONT}` +
      pkgs.map((p) => `        ${p}`).join(CONT) + clean);
  } else if (shape < 0.85) {
    const mounts = "--mount=type=cache,target=/var/cache/apt,sharing=locked" +
      (r.chance(0.7) ? `${CONT}    --mount=type=cache,target=/var/lib/apt,sharing=locked` : "");
    emit(d, `RUN ${mounts}${CONT}    apt-get update && apt-get install${yes}${noRec} ${pkgs.join(" ")}`);
  } else {
    const body = ["set -eux", "apt-get update", `apt-get install${yes}${noRec} ${pkgs.join(" ")}`, "rm -rf /var/lib/apt/lists/*"];
    emit(d, `RUN <<EOF\n${body.join("\n")}\nEOF`);
  }
}

function curlPipe(d: Draft, pm: PackageManager | undefined): void {
  const r = d.rng;
  const url = r.pick(INSTALLERS);
  const shape = r.next();
  if (shape < 0.4) {
    emit(d, `RUN curl -fsSL ${url} | ${r.pick(["sh", "bash", "bash -s -- -y", "sh -s -- --yes"])}`);
  } else if (shape < 0.6) {
    if (r.chance(0.5)) emit(d, `SHELL ["/bin/${pm === "apk" ? "ash" : "bash"}", "-o", "pipefail", "-c"]`);
    emit(d, `RUN wget -qO- ${url} | sh`);
  } else {
    const version = `${r.int(0, 3)}.${r.int(0, 40)}.${r.int(0, 9)}`;
    emit(d, `ARG TOOL_VERSION=${version}`);
    emit(d, `ARG TOOL_SHA256=${r.hex(64)}`);
    emit(d, "RUN set -eux;" + CONT +
      '    curl -fsSLo /tmp/tool.tar.gz "https://github.com/example/tool/releases/download/v${TOOL_VERSION}/tool-linux-amd64.tar.gz";' + CONT +
      '    echo "${TOOL_SHA256}  /tmp/tool.tar.gz" | sha256sum -c -;' + CONT +
      "    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool;" + CONT +
      "    rm /tmp/tool.tar.gz;" + CONT +
      "    tool --version");
  }
}

function createUser(d: Draft, pm: PackageManager | undefined): string {
  const r = d.rng;
  const user = r.pick(["app", "appuser", d.app, "nonroot", "node"]);
  if (pm === "apk") {
    emit(d, r.chance(0.5)
      ? `RUN addgroup -S ${user} && adduser -S -G ${user} -h /home/${user} ${user}`
      : `RUN addgroup -g 10001 -S ${user}${CONT}    && adduser -u 10001 -S -D -G ${user} ${user}`);
  } else if (pm === "apt") {
    emit(d, r.chance(0.5)
      ? `RUN groupadd --system ${user} && useradd --system --gid ${user} --no-create-home --shell /usr/sbin/nologin ${user}`
      : `RUN useradd -m -u 1000 -s /bin/bash ${user}`);
  }
  return user;
}

function labels(d: Draft): void {
  const r = d.rng;
  const all = [
    `org.opencontainers.image.title="${d.app}"`,
    `org.opencontainers.image.source="https://github.com/example/${d.app}"`,
    'org.opencontainers.image.licenses="Apache-2.0"',
    `org.opencontainers.image.version="${r.int(0, 4)}.${r.int(0, 20)}.${r.int(0, 9)}"`,
    `org.opencontainers.image.description="The ${d.app} service"`,
    'org.opencontainers.image.vendor="Example Corp"',
    'maintainer="ops@example.com"',
  ];
  const pairs = r.some(all, r.int(1, 5));
  if (r.chance(0.15)) {
    for (const p of pairs) emit(d, `LABEL ${p}`);
  } else if (pairs.length > 2) {
    emit(d, `LABEL ${pairs.join(CONT + "      ")}`);
  } else {
    emit(d, `LABEL ${pairs.join(" ")}`);
  }
}

function envs(d: Draft, pairs: readonly string[]): void {
  const r = d.rng;
  if (pairs.length === 0) return;
  if (r.chance(0.1)) {
    // The legacy space-separated form, one variable per instruction.
    for (const p of pairs) emit(d, `ENV ${p.replace("=", " ")}`);
  } else if (pairs.length > 2 && r.chance(0.7)) {
    emit(d, `ENV ${pairs.join(CONT + "    ")}`);
  } else {
    emit(d, `ENV ${pairs.join(" ")}`);
  }
}

function healthcheck(d: Draft, hasShell: boolean, command: string): void {
  const r = d.rng;
  if (r.chance(0.05)) {
    emit(d, "HEALTHCHECK NONE");
    return;
  }
  const opts = r.some(["--interval=30s", "--timeout=5s", "--start-period=10s", "--retries=3"], r.int(0, 4)).join(" ");
  const flags = opts === "" ? "" : `${opts} `;
  if (hasShell && r.chance(0.6)) {
    emit(d, `HEALTHCHECK ${flags}CMD curl -fsS http://localhost:${d.port}/healthz || exit 1`);
  } else if (hasShell && r.chance(0.3)) {
    emit(d, `HEALTHCHECK ${flags}${CONT}  CMD wget -q --spider http://127.0.0.1:${d.port}/health || exit 1`);
  } else {
    emit(d, `HEALTHCHECK ${flags}CMD ["${command}", "healthcheck"]`);
  }
}

function expose(d: Draft): void {
  const r = d.rng;
  const shape = r.next();
  if (shape < 0.7) emit(d, `EXPOSE ${d.port}`);
  else if (shape < 0.85) emit(d, `EXPOSE ${d.port}/tcp`);
  else emit(d, `EXPOSE ${d.port} ${r.pick(["9090", "9100", "8081"])}/tcp`);
}

/** CMD/ENTRYPOINT in exec or shell form. `argv` is the program and its arguments. */
function command(d: Draft, argv: readonly string[], init: string | undefined): void {
  const r = d.rng;
  const exec = (words: readonly string[]): string => `[${words.map((w) => JSON.stringify(w)).join(", ")}]`;
  const shape = r.next();
  if (init !== undefined && shape < 0.3) {
    emit(d, `ENTRYPOINT ${exec([init, "--"])}`);
    emit(d, `CMD ${exec(argv)}`);
  } else if (shape < 0.55) {
    emit(d, `CMD ${exec(argv)}`);
  } else if (shape < 0.75) {
    emit(d, `CMD ${argv.join(" ")}`);
  } else if (shape < 0.9) {
    const [program = "app", ...rest] = argv;
    emit(d, `ENTRYPOINT ${exec([program])}`);
    if (rest.length > 0) emit(d, `CMD ${exec(rest)}`);
  } else {
    emit(d, `ENTRYPOINT ${argv.join(" ")}`);
  }
}

function workdir(d: Draft, path: string): void {
  emit(d, `WORKDIR ${d.rng.chance(0.05) ? path.replace(/^\//, "") : path}`);
}

function user(d: Draft, name: string): void {
  const r = d.rng;
  emit(d, `USER ${r.chance(0.15) ? "10001:10001" : r.chance(0.1) ? `${name}:${name}` : name}`);
}

function copyFrom(d: Draft, stage: string, src: string, dest: string, owner: string | undefined): void {
  const r = d.rng;
  const flags = [`--from=${stage}`];
  if (owner !== undefined && r.chance(0.6)) flags.push(`--chown=${owner}:${owner}`);
  if (r.chance(0.15)) flags.push(r.pick(["--chmod=0755", "--chmod=755", "--link"]));
  emit(d, `COPY ${flags.join(" ")} ${src} ${dest}`);
}

/** Adds /usr/local/bin/docker-entrypoint.sh, written inline or copied from the context. */
function entrypointScript(d: Draft): void {
  const r = d.rng;
  if (r.chance(0.5)) {
    emit(d, "COPY --chmod=0755 <<'EOF' /usr/local/bin/docker-entrypoint.sh\n#!/bin/sh\nset -e\n" +
      `if [ "\${1#-}" != "$1" ]; then\n  set -- ${d.app} "$@"\nfi\nexec "$@"\nEOF`);
  } else {
    emit(d, "COPY docker-entrypoint.sh /usr/local/bin/");
    emit(d, "RUN chmod +x /usr/local/bin/docker-entrypoint.sh");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Projects

const nodeProject: Project = {
  name: "node",
  stages(d) {
    const r = d.rng;
    const variant = r.pick(["alpine", "bookworm-slim", "bookworm", "slim", "20-alpine", "22-alpine", "22-bookworm-slim"]);
    const major = r.pick(["18", "20", "22", "23"]);
    const tags = variant.includes("-") && /^\d/.test(variant) ? [variant] : [`${major}-${variant}`, `${major}.${r.int(0, 12)}.${r.int(0, 3)}-${variant}`];
    const ref = baseRef(d, "node", tags, "NODE_TAG");
    const pm: PackageManager = variant.includes("alpine") ? "apk" : "apt";
    const multi = r.chance(0.6);
    blank(d);
    const cacheMount = r.chance(0.4) ? "--mount=type=cache,target=/root/.npm " : "";
    if (multi) {
      const stage = r.pick(["build", "builder", "deps"]);
      from(d, ref, stage);
      workdir(d, "/app");
      if (r.chance(0.3)) installPackages(d, pm, r.int(1, 3));
      if (r.chance(0.2)) emit(d, `RUN npm install -g ${r.pick(NPM_GLOBALS).name}${r.chance(0.5) ? "@" + r.pick(NPM_GLOBALS).version : ""}`);
      emit(d, r.chance(0.7) ? "COPY package.json package-lock.json ./" : "COPY package*.json ./");
      emit(d, `RUN ${cacheMount}npm ci${r.chance(0.4) ? " --no-audit --no-fund" : ""}`);
      emit(d, "COPY . .");
      emit(d, r.chance(0.5) ? "RUN npm run build && npm prune --omit=dev" : "RUN npm run build");
      blank(d);
      const runtime = r.chance(0.35) ? distroless(d, r.pick(["nodejs20-debian12", "nodejs22-debian12"])) : { ref, pm };
      from(d, runtime.ref);
      if (r.chance(0.5)) envs(d, ["NODE_ENV=production", ...(r.chance(0.5) ? [`PORT=${d.port}`] : [])]);
      if (r.chance(0.5)) labels(d);
      workdir(d, "/app");
      copyFrom(d, stage, "/app/node_modules", "./node_modules", "node");
      copyFrom(d, stage, "/app/dist", "./dist", "node");
      if (r.chance(0.4)) emit(d, "COPY package.json ./");
      if (runtime.pm === undefined) {
        user(d, "nonroot");
        expose(d);
        if (r.chance(0.3)) healthcheck(d, false, "/nodejs/bin/node");
        emit(d, `CMD ["dist/${r.pick(["server", "index", "main"])}.js"]`);
        return;
      }
      user(d, "node");
    } else {
      from(d, ref);
      if (r.chance(0.15)) emit(d, "MAINTAINER Example Dev <dev@example.com>");
      if (r.chance(0.4)) envs(d, ["NODE_ENV=production"]);
      workdir(d, r.pick(["/app", "/usr/src/app", "/home/node/app"]));
      if (r.chance(0.4)) installPackages(d, pm, r.int(1, 4));
      if (r.chance(0.1)) curlPipe(d, pm);
      emit(d, r.chance(0.5) ? "COPY package*.json ./" : "ADD package.json package-lock.json ./");
      emit(d, `RUN ${cacheMount}${r.pick(["npm ci --omit=dev", "npm install", "npm install --production", "npm ci"])}`);
      emit(d, r.chance(0.8) ? "COPY . ." : "ADD . .");
      if (r.chance(0.6)) user(d, r.chance(0.8) ? "node" : "root");
    }
    expose(d);
    if (r.chance(0.4)) healthcheck(d, true, "node");
    command(d, ["node", r.pick(["server.js", "dist/main.js", "index.js"])], r.chance(0.3) ? "/sbin/tini" : undefined);
  },
};

const pythonProject: Project = {
  name: "python",
  stages(d) {
    const r = d.rng;
    const version = r.pick(["3.10", "3.11", "3.12", "3.13"]);
    const variant = r.pick(["slim", "slim-bookworm", "alpine", "bookworm", ""]);
    const tags = variant === "" ? [version, `${version}.${r.int(0, 9)}`] : [`${version}-${variant}`, `${version}.${r.int(0, 9)}-${variant}`];
    const ref = baseRef(d, "python", tags, "PYTHON_VERSION");
    const pm: PackageManager = variant === "alpine" ? "apk" : "apt";
    const base = ["PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PIP_NO_CACHE_DIR=1", "PIP_DISABLE_PIP_VERSION_CHECK=1"];
    const pipMount = r.chance(0.35) ? `--mount=type=cache,target=/root/.cache/pip${CONT}    ` : "";
    blank(d);
    if (r.chance(0.45)) {
      from(d, ref, "builder");
      envs(d, r.some(base, r.int(1, 4)));
      installPackages(d, pm, r.int(1, 4));
      emit(d, "RUN python -m venv /opt/venv");
      emit(d, 'ENV PATH="/opt/venv/bin:$PATH"');
      emit(d, "COPY requirements.txt .");
      emit(d, `RUN ${pipMount}pip install -r requirements.txt`);
      blank(d);
      const runtime = r.chance(0.2) ? distroless(d, "python3-debian12") : { ref, pm };
      from(d, runtime.ref);
      if (r.chance(0.5)) labels(d);
      copyFrom(d, "builder", "/opt/venv", "/opt/venv", undefined);
      emit(d, 'ENV PATH="/opt/venv/bin:$PATH"');
      workdir(d, "/app");
      emit(d, "COPY . .");
      const name = runtime.pm === undefined ? "nonroot" : createUser(d, runtime.pm);
      user(d, name);
    } else {
      from(d, ref);
      if (r.chance(0.5)) labels(d);
      envs(d, r.some(base, r.int(0, 4)));
      workdir(d, r.pick(["/app", "/code", "/srv/app"]));
      if (r.chance(0.6)) installPackages(d, pm, r.int(1, 6));
      if (r.chance(0.15)) curlPipe(d, pm);
      emit(d, "COPY requirements.txt ./");
      const pkgs = r.some(PIP_PACKAGES, r.int(1, 4)).map((p) => (r.chance(0.6) ? `${p.name}==${p.version}` : p.name));
      if (r.chance(0.4)) emit(d, `RUN pip install ${r.chance(0.6) ? "--no-cache-dir " : ""}${pkgs.join(" ")}`);
      emit(d, `RUN ${pipMount}pip install ${r.chance(0.5) ? "--no-cache-dir " : ""}-r requirements.txt`);
      emit(d, "COPY . .");
      if (r.chance(0.65)) user(d, createUser(d, pm));
    }
    expose(d);
    if (r.chance(0.35)) healthcheck(d, true, "python");
    const argv = r.pick<readonly string[]>([
      ["gunicorn", "--bind", `0.0.0.0:${d.port}`, `${d.app}.wsgi:application`],
      ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", d.port],
      ["python", "-m", d.app],
      ["python", "app.py"],
    ]);
    command(d, argv, undefined);
  },
};

const goProject: Project = {
  name: "go",
  stages(d) {
    const r = d.rng;
    const ref = baseRef(d, "golang", ["1.22", "1.23", "1.23-alpine", "1.23.2-bookworm", "1.22-alpine3.20"], "GO_VERSION");
    blank(d);
    from(d, ref, "build", r.chance(0.3));
    if (r.chance(0.3)) emit(d, r.chance(0.5) ? "ARG TARGETOS TARGETARCH" : "ARG TARGETOS\nARG TARGETARCH");
    workdir(d, "/src");
    const mod = "--mount=type=cache,target=/go/pkg/mod";
    const cached = r.chance(0.5);
    emit(d, "COPY go.mod go.sum ./");
    emit(d, cached ? `RUN ${mod} go mod download` : "RUN go mod download");
    emit(d, "COPY . .");
    const env = r.pick(["CGO_ENABLED=0", "CGO_ENABLED=0 GOOS=linux", "CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH}"]);
    const build = `${env} go build -trimpath -ldflags="-s -w" -o /out/${d.app} ./cmd/${d.app}`;
    emit(d, cached ? `RUN ${mod}${CONT}    --mount=type=cache,target=/root/.cache/go-build${CONT}    ${build}` : `RUN ${build}`);
    if (r.chance(0.2)) emit(d, `RUN go test ./...`);
    blank(d);
    const roll = r.next();
    if (roll < 0.45) {
      from(d, distroless(d, r.pick(["static-debian12", "base-debian12", "static"])).ref);
      copyFrom(d, "build", `/out/${d.app}`, `/${d.app}`, undefined);
      if (r.chance(0.6)) user(d, "nonroot:nonroot");
      expose(d);
      emit(d, `ENTRYPOINT ["/${d.app}"]`);
    } else if (roll < 0.6) {
      from(d, "scratch");
      copyFrom(d, "build", "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/", undefined);
      copyFrom(d, "build", `/out/${d.app}`, `/${d.app}`, undefined);
      if (r.chance(0.5)) user(d, "65534");
      expose(d);
      emit(d, `ENTRYPOINT ["/${d.app}"]`);
    } else {
      const base = alpineBase(d);
      from(d, base.ref);
      installPackages(d, "apk", r.int(1, 3));
      const name = createUser(d, "apk");
      copyFrom(d, "build", `/out/${d.app}`, `/usr/local/bin/${d.app}`, undefined);
      if (r.chance(0.5)) labels(d);
      user(d, name);
      expose(d);
      if (r.chance(0.5)) healthcheck(d, true, `/usr/local/bin/${d.app}`);
      command(d, [`/usr/local/bin/${d.app}`, "serve"], r.chance(0.3) ? "/sbin/tini" : undefined);
    }
  },
};

const javaProject: Project = {
  name: "java",
  stages(d) {
    const r = d.rng;
    const jdk = r.pick(["17", "21"]);
    const builder = baseRef(d, "maven", [`3.9-eclipse-temurin-${jdk}`, `3.9.9-eclipse-temurin-${jdk}-alpine`], "MAVEN_TAG");
    blank(d);
    from(d, builder, "build");
    workdir(d, "/workspace");
    emit(d, "COPY pom.xml .");
    emit(d, r.chance(0.5) ? "RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline" : "RUN mvn -B dependency:go-offline");
    emit(d, "COPY src ./src");
    emit(d, "RUN mvn -B -DskipTests package");
    blank(d);
    const runtime = r.chance(0.3) ? distroless(d, `java${jdk}-debian12`)
      : { ref: baseRef(d, "eclipse-temurin", [`${jdk}-jre`, `${jdk}-jre-alpine`, `${jdk}-jre-jammy`], "JRE_TAG"), pm: undefined };
    from(d, runtime.ref);
    workdir(d, "/app");
    if (r.chance(0.5)) envs(d, ['JAVA_OPTS="-XX:MaxRAMPercentage=75"', `SERVER_PORT=${d.port}`]);
    copyFrom(d, "build", "/workspace/target/*.jar", "app.jar", undefined);
    if (r.chance(0.5)) user(d, r.chance(0.5) ? "1000" : "nobody");
    expose(d);
    if (r.chance(0.3)) emit(d, `HEALTHCHECK --interval=1m CMD ["java", "-cp", "app.jar", "Health"]`);
    command(d, ["java", "-jar", "/app/app.jar"], undefined);
  },
};

const rustProject: Project = {
  name: "rust",
  stages(d) {
    const r = d.rng;
    const ref = baseRef(d, "rust", ["1.81", "1.81-slim-bookworm", "1.82-alpine", "1"], "RUST_VERSION");
    blank(d);
    from(d, ref, "chef");
    workdir(d, "/usr/src/app");
    emit(d, "COPY . .");
    emit(d, "RUN --mount=type=cache,target=/usr/local/cargo/registry" + CONT +
      "    --mount=type=cache,target=/usr/src/app/target" + CONT +
      `    cargo build --release && cp target/release/${d.app} /usr/local/bin/`);
    blank(d);
    const runtime = r.chance(0.5) ? debianBase(d) : distroless(d, "cc-debian12");
    from(d, runtime.ref);
    if (runtime.pm !== undefined) installPackages(d, runtime.pm, r.int(1, 3));
    copyFrom(d, "chef", `/usr/local/bin/${d.app}`, "/usr/local/bin/", undefined);
    user(d, runtime.pm === undefined ? "nonroot" : "nobody");
    expose(d);
    command(d, [d.app], undefined);
  },
};

const staticSiteProject: Project = {
  name: "nginx",
  stages(d) {
    const r = d.rng;
    blank(d);
    const hasAssets = r.chance(0.6);
    if (hasAssets) {
      from(d, baseRef(d, "node", ["20-alpine", "22-alpine"], "NODE_TAG"), "assets");
      workdir(d, "/app");
      emit(d, "COPY package.json yarn.lock ./");
      emit(d, r.chance(0.5) ? "RUN yarn install --frozen-lockfile" : "RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile");
      emit(d, "COPY . .");
      emit(d, "RUN yarn build");
      blank(d);
    }
    from(d, baseRef(d, "nginx", ["1.27-alpine", "1.27", "stable-alpine", "mainline"], "NGINX_VERSION"));
    if (r.chance(0.3)) labels(d);
    if (r.chance(0.5)) {
      emit(d, "COPY <<EOF /etc/nginx/conf.d/default.conf\nserver {\n    listen 8080;\n    root /usr/share/nginx/html;\n" +
        "    location / {\n        try_files $uri $uri/ /index.html;\n    }\n}\nEOF");
    } else {
      emit(d, "COPY nginx.conf /etc/nginx/conf.d/default.conf");
    }
    if (hasAssets) copyFrom(d, "assets", "/app/dist", "/usr/share/nginx/html", "nginx");
    else emit(d, "COPY public/ /usr/share/nginx/html/");
    if (r.chance(0.4)) emit(d, "RUN chown -R nginx:nginx /var/cache/nginx /var/run /var/log/nginx");
    if (r.chance(0.5)) user(d, "nginx");
    emit(d, "EXPOSE 8080");
    if (r.chance(0.3)) emit(d, "STOPSIGNAL SIGQUIT");
    emit(d, `CMD ["nginx", "-g", "daemon off;"]`);
  },
};

/** A utility or base image: OS packages, downloaded tools, an entrypoint script; one stage. */
const toolImageProject: Project = {
  name: "tool",
  stages(d) {
    const r = d.rng;
    const base = r.chance(0.6) ? debianBase(d) : alpineBase(d);
    const pm = base.pm ?? "apt";
    blank(d);
    from(d, base.ref);
    if (r.chance(0.5)) labels(d);
    if (r.chance(0.3)) emit(d, `ARG ${r.pick(["VERSION", "RELEASE", "BUILD_DATE"])}`);
    if (r.chance(0.4)) envs(d, r.some(["LANG=C.UTF-8", "TZ=UTC", "HOME=/home/app", "PATH=/opt/tool/bin:$PATH", "DEBIAN_FRONTEND=noninteractive"], r.int(1, 4)));
    if (pm === "apt" && r.chance(0.2)) emit(d, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
    installPackages(d, pm, r.int(2, 9));
    if (r.chance(0.3)) installPackages(d, pm, r.int(1, 3));
    if (r.chance(0.35)) curlPipe(d, pm);
    if (r.chance(0.25)) {
      emit(d, "RUN <<-EOT bash\n\tset -euo pipefail\n\tmkdir -p /opt/tool/bin /data\n\tln -s /opt/tool/bin/tool /usr/local/bin/tool\n\tEOT");
    }
    if (r.chance(0.3)) emit(d, `VOLUME ${r.chance(0.5) ? '["/data"]' : "/data /var/log/tool"}`);
    workdir(d, r.pick(["/work", "/data", "/opt/tool"]));
    const hasEntrypointScript = r.chance(0.5);
    if (hasEntrypointScript) entrypointScript(d);
    if (r.chance(0.1)) emit(d, "ONBUILD COPY . /work");
    const name = r.chance(0.6) ? createUser(d, pm) : undefined;
    if (name !== undefined) user(d, name);
    if (r.chance(0.3)) expose(d);
    if (r.chance(0.25)) healthcheck(d, true, "tool");
    if (hasEntrypointScript) {
      emit(d, 'ENTRYPOINT ["docker-entrypoint.sh"]');
      emit(d, `CMD ["${d.app}"]`);
    } else {
      command(d, [r.pick(["bash", "sh", "tool", d.app])], r.chance(0.3) ? "tini" : undefined);
    }
  },
};

/** The smallest real files: a base, a copy, a command. */
const minimalProject: Project = {
  name: "minimal",
  stages(d) {
    const r = d.rng;
    const base = r.pick([alpineBase, debianBase])(d);
    from(d, base.ref);
    if (r.chance(0.5)) emit(d, `COPY ${d.app} /usr/local/bin/${d.app}`);
    else emit(d, `ADD ${d.app}.tar.gz /opt/`);
    if (r.chance(0.5)) installPackages(d, base.pm ?? "apt", r.int(1, 2));
    command(d, [`/usr/local/bin/${d.app}`], undefined);
  },
};

/** A workspace monorepo built in many stages: the long Dockerfiles real projects grow into. */
const monorepoProject: Project = {
  name: "monorepo",
  stages(d) {
    const r = d.rng;
    const pkgs = r.some(APP_NAMES, r.int(2, 12));
    const base = baseRef(d, "node", ["20-bookworm-slim", "22-bookworm-slim", "22.9.0-bookworm-slim"], "NODE_VERSION");
    const service = pkgs[0] ?? d.app;
    blank(d);
    from(d, base, "base");
    envs(d, ['PNPM_HOME="/pnpm"', 'PATH="$PNPM_HOME:$PATH"', "CI=true", ...(r.chance(0.5) ? ["NODE_OPTIONS=--max-old-space-size=4096"] : [])]);
    emit(d, r.chance(0.5) ? "RUN corepack enable" : `RUN corepack enable && corepack prepare pnpm@${r.pick(NPM_GLOBALS).version} --activate`);
    installPackages(d, "apt", r.int(2, 6));
    workdir(d, "/repo");
    blank(d);
    from(d, "base", "deps");
    emit(d, "COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./");
    for (const p of pkgs) emit(d, `COPY packages/${p}/package.json packages/${p}/`);
    emit(d, `RUN --mount=type=cache,id=pnpm,target=/pnpm/store${CONT}    pnpm install --frozen-lockfile`);
    blank(d);
    from(d, "deps", "build");
    emit(d, "COPY . .");
    emit(d, r.chance(0.5) ? "RUN pnpm -r build" : `RUN pnpm --filter "@example/${service}..." build`);
    emit(d, `RUN pnpm deploy --filter=@example/${service} --prod /out/${service}`);
    if (r.chance(0.6)) {
      blank(d);
      from(d, "build", "test");
      emit(d, "RUN pnpm -r lint \\\n && pnpm -r test -- --ci --reporters=default");
    }
    blank(d);
    const runtime = r.chance(0.4) ? distroless(d, "nodejs22-debian12") : { ref: "base", pm: "apt" as const };
    from(d, runtime.ref, "runtime");
    labels(d);
    envs(d, ["NODE_ENV=production", `PORT=${d.port}`, ...(r.chance(0.5) ? ["LOG_LEVEL=info"] : [])]);
    workdir(d, `/srv/${service}`);
    copyFrom(d, "build", `/out/${service}`, ".", runtime.pm === undefined ? "nonroot" : "node");
    if (runtime.pm === undefined) {
      user(d, "nonroot");
      expose(d);
      healthcheck(d, false, "/nodejs/bin/node");
      emit(d, `CMD ["dist/main.js"]`);
      return;
    }
    if (r.chance(0.5)) entrypointScript(d);
    if (r.chance(0.3)) emit(d, 'VOLUME ["/srv/data"]');
    user(d, "node");
    expose(d);
    healthcheck(d, true, "node");
    command(d, ["node", "dist/main.js"], "/usr/bin/tini");
  },
};

// Weighted by repetition: web apps dominate real repositories.
const PROJECTS: readonly Project[] = [
  nodeProject, nodeProject, nodeProject, pythonProject, pythonProject, pythonProject, goProject, goProject,
  javaProject, rustProject, staticSiteProject, toolImageProject, toolImageProject, minimalProject, monorepoProject,
  monorepoProject,
];

/** What every corpus benchmark is told on its command line. */
export interface CorpusOptions {
  files: number;
  rounds: number;
  seed: number;
  /** Add the Dockerfiles under examples/ (off with --no-examples, where the script offers it). */
  examples: boolean;
  /**
   * Which corpus to time (--corpus, where the script offers it): the committed real Dockerfiles (test/corpus), the
   * generated files, or both, one after the other.
   */
  corpus: "real" | "generated" | "both";
}

/**
 * Reads `--files N --rounds R --seed S` (and `--no-examples` when withExamples) for the benchmark `script`;
 * a bad value prints the usage and exits 2.
 */
export function readCorpusOptions(script: string, defaultRounds: number, withExamples: boolean): CorpusOptions {
  const usageLine = `usage: node ${script} [--files N] [--rounds R] [--seed S]${withExamples ? " [--no-examples] [--corpus real|generated|both]" : ""}`;
  const usage = (problem: string): never => {
    console.error(`${script}: ${problem}\n${usageLine}`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        files: { type: "string", default: "1000" },
        rounds: { type: "string", default: String(defaultRounds) },
        seed: { type: "string", default: "1" },
        ...(withExamples ? { "no-examples": { type: "boolean", default: false }, corpus: { type: "string", default: "both" } } : {}),
      },
      strict: true,
    }).values;
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
  const files = Number(parsed.files);
  const rounds = Number(parsed.rounds);
  const seed = Number(parsed.seed);
  if (!Number.isInteger(files) || files < 1) return usage(`--files must be a positive integer, got "${parsed.files}"`);
  if (!Number.isInteger(rounds) || rounds < 1) return usage(`--rounds must be a positive integer, got "${parsed.rounds}"`);
  if (!Number.isInteger(seed) || seed < 0) return usage(`--seed must be a non-negative integer, got "${parsed.seed}"`);
  const corpus = withExamples ? parsed.corpus : "generated";
  if (corpus !== "real" && corpus !== "generated" && corpus !== "both") return usage(`--corpus must be real, generated or both, got "${String(corpus)}"`);
  return { files, rounds, seed, examples: withExamples && parsed["no-examples"] !== true, corpus };
}
