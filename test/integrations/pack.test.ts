// The published package: what `npm pack` puts in it, and that the packed tarball installs into an empty project
// where `npx drydock` runs. The package is built into a staging copy (never into this tree, which other work may
// be using): the files npm selects from the repository, plus dist/ compiled by the build config.
//
// examples/ is not published on purpose: it is a project with planted problems (unpinned images, a privileged
// container, a vulnerable lockfile) for trying drydock from a clone, and scanners that read node_modules would
// report those plants as problems of every project that installs drydock.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";

const ROOT = join(import.meta.dirname, "../..");
const NODE_BIN = dirname(process.execPath);

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}
interface PackResult {
  filename: string;
  files: PackedFile[];
}

/** Top-level entries a published package may hold: the build, the bin, the docs, and npm's always-included files. */
const ALLOWED = /^(dist\/|bin\/|docs\/|package\.json$|README(\.md)?$|LICEN[CS]E(\.\w+)?$|NOTICE(\.\w+)?$|CHANGELOG(\.md)?$)/;

/**
 * npm with the pinned Node first on PATH, and without the npm_* variables an enclosing `npm test` exports
 * (npm_config_* would be read as configuration: prefix, lifecycle event, ...). The cache setting is kept: the
 * offline install reads it.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_") || key.toLowerCase() === "npm_config_cache") env[key] = value;
  }
  env["PATH"] = [NODE_BIN, process.env["PATH"] ?? ""].join(delimiter);
  env["NO_COLOR"] = "1";
  return env;
}

function run(command: string, args: readonly string[], cwd: string, timeout = 60_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, env: npmEnv(), encoding: "utf8", timeout });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function packJson(stdout: string): PackResult {
  const parsed = JSON.parse(stdout) as PackResult[];
  const first = parsed[0];
  assert.ok(first !== undefined, "npm pack --json describes one package");
  return first;
}

/** npm's error codes for a registry it could not reach; the install then tells nothing about the package. */
const NETWORK_FAILURE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT)\b/;

describe("npm pack", () => {
  const tmp = mkdtempSync(join(tmpdir(), "drydock-pack-"));
  const staging = join(tmp, "package");
  let listed: PackResult;
  let packed: PackResult;
  after(() => rmSync(tmp, { recursive: true, force: true }));

  before(() => {
    // --ignore-scripts: prepare would build dist/ inside the repository.
    const dry = run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT);
    assert.equal(dry.status, 0, dry.stderr);
    listed = packJson(dry.stdout);

    mkdirSync(staging);
    for (const f of listed.files) {
      if (f.path.startsWith("dist/")) continue;                  // rebuilt below from the current sources
      mkdirSync(dirname(join(staging, f.path)), { recursive: true });
      cpSync(join(ROOT, f.path), join(staging, f.path));
    }
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const build = run(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(staging, "dist")], ROOT, 120_000);
    assert.equal(build.status, 0, `the build (npm run build) fails:\n${build.stdout}${build.stderr}`);
    const real = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], staging);
    assert.equal(real.status, 0, real.stderr);
    packed = packJson(real.stdout);
  });

  test("the repository's package lists only dist/, bin/, docs/, README, LICENSE and package.json", () => {
    const outside = listed.files.map((f) => f.path).filter((p) => !ALLOWED.test(p));
    assert.deepEqual(outside, []);
    const paths = new Set(listed.files.map((f) => f.path));
    for (const p of ["package.json", "README.md", "LICENSE", "bin/drydock.js"]) assert.ok(paths.has(p), p);
  });

  test("the built package holds the compiled CLI and library with types, and no sources, tests or examples", () => {
    const paths = packed.files.map((f) => f.path);
    assert.deepEqual(paths.filter((p) => !ALLOWED.test(p)), []);
    for (const p of ["dist/cli/entry.js", "dist/index.js", "dist/index.d.ts", "bin/drydock.js", "LICENSE"]) assert.ok(paths.includes(p), p);
    assert.deepEqual(paths.filter((p) => /\.ts$/.test(p) && !p.endsWith(".d.ts")), [], "no TypeScript sources");
    const bin = packed.files.find((f) => f.path === "bin/drydock.js");
    assert.ok(bin !== undefined && (bin.mode & 0o111) !== 0, "bin/drydock.js is executable");
  });

  test("installed from the tarball into an empty project, npx drydock runs: --version and lint", (t) => {
    const app = join(tmp, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "app", version: "1.0.0", private: true })}\n`);
    const tarball = join(tmp, packed.filename);
    const flags = ["--no-audit", "--no-fund", "--no-package-lock"];
    // Offline first: the dependencies are in the npm cache the repository's own install filled. A cache that has
    // a newer version's metadata but not its tarball makes npm ask the registry, bounded by the timeout.
    let install = run("npm", ["install", "--offline", ...flags, tarball], app, 120_000);
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) {
      install = run("npm", ["install", "--prefer-offline", "--fetch-retries", "1", "--fetch-timeout", "30000", ...flags, tarball], app, 120_000);
      if (install.status !== 0 && NETWORK_FAILURE.test(install.stderr)) {
        t.skip(`dependencies are neither in the npm cache nor reachable: ${NETWORK_FAILURE.exec(install.stderr)?.[0]}`);
        return;
      }
    }
    assert.equal(install.status, 0, install.stderr);
    assert.ok(existsSync(join(app, "node_modules/.bin/drydock")), "npm linked the bin");

    const version = run("npx", ["--no-install", "drydock", "--version"], app);
    assert.equal(version.status, 0, version.stderr);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);

    writeFileSync(join(app, "Dockerfile"), "FROM debian:12\nRUN apt-get update && apt-get install curl\n");
    const lint = run("npx", ["--no-install", "drydock", "lint", "Dockerfile", "--no-shellcheck", "-f", "json"], app);
    assert.equal(lint.status, 1, lint.stderr);
    const report = JSON.parse(lint.stdout) as { findings: { rule: string; line: number }[] };
    assert.ok(report.findings.some((f) => f.rule === "DL3014" && f.line === 2), "the shell parser (tree-sitter wasm) works from the package");
  });
});
