import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cleanPath, ignorePattern, isIgnored, parseIgnoreFile } from "../../src/hardening/ignore-patterns.ts";

const ignored = (file: string, text: string): boolean => isIgnored(file, parseIgnoreFile(text));

describe("parseIgnoreFile", () => {
  test("comments only at the start of a line, whitespace trimmed, paths cleaned, leading slash dropped", () => {
    const patterns = parseIgnoreFile("\uFEFF# comment\n  .git/  \r\n\n/src/../.env\n !  keys/*.pem\n  # not a comment\n");
    assert.deepEqual(patterns.map((p) => [p.exception, p.text]), [[false, ".git"], [false, ".env"], [true, "keys/*.pem"], [false, "# not a comment"]]);
  });

  test("malformed patterns match nothing", () => {
    for (const text of ["[", "a[]", "x\\", "[a-", "!"]) {
      const p = ignorePattern(text);
      assert.equal(p?.matches, undefined, text);
    }
    assert.equal(ignored("x", "[\nx\\"), false);
  });

  test("cleanPath is Go's filepath.Clean for slash paths", () => {
    assert.deepEqual(["", "./", "a//b/", "a/./b/../c", "../x", "/..", "/"].map(cleanPath), [".", ".", "a/b", "a/c", "../x", "/", "/"]);
  });
});

describe("isIgnored", () => {
  const cases: [string, string, boolean][] = [
    [".git", ".git/config", true],                 // a matched directory excludes what is below it
    [".git", "sub/.git", false],                   // patterns are anchored at the context root
    ["**/.env", ".env", true],
    ["**/.env", "a/b/.env", true],
    ["*.pem", "keys/a.pem", false],                // '*' stops at '/'
    ["**/*.pem", "keys/a.pem", true],
    [".git/**", ".git", false],                    // only what is below
    [".git/**", ".git/HEAD", true],
    ["*\n!src", "src/main.c", false],              // an exception re-includes a directory and its contents
    [".git\n!.git/config", ".git/config", false],
    [".git\n!.git/config", ".git/HEAD", true],
    ["!.env\n.env", ".env", true],                 // the last match wins
    ["src/*", "src/lib/util.c", true],             // the parent src/lib matches
    ["**foo", "xfoo", true],                       // patternmatcher's suffix test
    ["foo**", "foobar", true],
    ["[^.]*", ".env", false],
    ["[!.]*", "!x", true],                         // '!' in a class is a member, not a negation (as in Docker)
    ["a\\+b.txt", "a+b.txt", true],
    ["?.pem", "a.pem", true],
    ["?.pem", "ab.pem", false],
    [".env", ".", false],                          // the root is never excluded
    ["*\n!**/*.md", "docs/a.md", false],           // file by file, as BuildKit walks (see classicSkips below)
  ];
  for (const [text, file, want] of cases) {
    test(`${JSON.stringify(text)} ${want ? "excludes" : "keeps"} ${file}`, () => assert.equal(ignored(file, text), want));
  }
});

// The docker CLI's classic builder applies .dockerignore itself and sends the rest of the context as a tar to
// the daemon's /build endpoint. A one-endpoint listener on a unix socket receives that tar, so the real
// matcher decides, with no daemon. Skipped when there is no docker CLI.
const CONTEXT_FILES = [
  ".git/HEAD", ".git/config", ".git/objects/ab/cdef", ".env", ".env.local", "sub/.env", "sub/deep/.env", "a.pem",
  "keys/b.pem", "src/main.c", "src/lib/util.c", "README.md", "foo", "foobar", "xfoo", "dir/foo", "a+b.txt", "[x].txt",
  "docs/a.md", "node_modules/x/index.js", ".dockerignore", "Dockerfile",
];
// classicSkips: files BuildKit sends and the classic builder does not. Both match file by file, but the classic
// builder (docker/go-archive) skips an excluded directory unless an exception pattern starts with its path,
// while BuildKit (tonistiigi/fsutil filter.go) walks into it when an exception has a wildcard. We follow BuildKit.
const IGNORE_FILES: { text: string; classicSkips?: string[] }[] = [
  { text: ".git\n.env\n" },
  { text: "**/.env\n*.pem\n" },
  { text: "**/*.pem\n.git/**\n" },
  { text: "*\n!src\n!**/*.md\n", classicSkips: ["docs/a.md"] },
  { text: ".git\n!.git/config\n" },
  { text: "/src/../.env\n./.git/\n" },
  { text: "**foo\n" },
  { text: "foo**\n" },
  { text: "[^.]*\n" },
  { text: "a\\+b.txt\n\\[x\\].txt\n" },
  { text: "src/*\n?.pem\n" },
  { text: "sub\n!sub/deep/.env\n" },
  { text: "**\n!**/.env\n.env\n", classicSkips: ["sub/.env", "sub/deep/.env"] },
  { text: "  # not a comment\n#.git\n.env*\n" },
  { text: "node_modules\ndocs/*.md\n" },
];

describe("isIgnored agrees with the docker CLI", { skip: !(await hasDocker()) && "no docker CLI on PATH" }, () => {
  let dir: string;
  let server: Server;
  let received: (files: string[]) => void = () => {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "drydock-ignore-"));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url?.includes("/build") === true) {
          received(tarFiles(Buffer.concat(chunks)));
          res.writeHead(500, { "content-type": "application/json" }).end('{"message":"context received"}');
        } else {
          res.writeHead(200, { "content-type": "text/plain", "api-version": "1.45", ostype: "linux" }).end("OK");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(join(dir, "docker.sock"), resolve));
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  IGNORE_FILES.forEach(({ text, classicSkips = [] }, i) => {
    test(JSON.stringify(text), async () => {
      const context = join(dir, `ctx${i}`);
      for (const f of CONTEXT_FILES) {
        mkdirSync(dirname(join(context, f)), { recursive: true });
        writeFileSync(join(context, f), f === "Dockerfile" ? "FROM scratch\n" : "x\n");
      }
      writeFileSync(join(context, ".dockerignore"), text);
      const sent = new Promise<string[]>((resolve) => (received = resolve));
      await runDocker(["build", context], { DOCKER_HOST: `unix://${join(dir, "docker.sock")}`, DOCKER_BUILDKIT: "0", DOCKER_CONFIG: dir });
      // The CLI always sends the Dockerfile and .dockerignore, whatever the patterns say.
      const docker = (await sent).filter((f) => f !== "Dockerfile" && f !== ".dockerignore").sort();
      const patterns = parseIgnoreFile(text);
      const ours = CONTEXT_FILES.filter((f) => f !== "Dockerfile" && f !== ".dockerignore" && !isIgnored(f, patterns)).sort();
      assert.deepEqual(ours.filter((f) => !classicSkips.includes(f)), docker);
      for (const f of classicSkips) assert.ok(ours.includes(f), `${f} is sent by BuildKit`);
    });
  });
});

function hasDocker(): Promise<boolean> {
  return new Promise((resolve) => execFile("docker", ["--version"], (err) => resolve(err === null)));
}

function runDocker(args: string[], env: Record<string, string>): Promise<void> {
  // The build itself fails (the listener answers 500): only what was sent matters.
  return new Promise((resolve) => execFile("docker", args, { env: { ...process.env, ...env }, timeout: 10_000 }, () => resolve()));
}

/** Regular-file names of a ustar archive (names are short here, so no PAX or GNU long-name records). */
function tarFiles(tar: Buffer): string[] {
  const out: string[] = [];
  const field = (block: Buffer, start: number, length: number): string => block.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const name = field(header, 0, 100);
    if (name === "") break;
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = field(header, 156, 1);
    if (type === "" || type === "0") out.push(prefix === "" ? name : `${prefix}/${name}`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
