// `drydock fix` as users run it: the diff on stdout applies with GNU patch to exactly what --write writes; exit 1
// while there is something to fix, 0 when nothing is left or after --write, 2 for bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempTree } from "../helpers/cli.ts";

const DOCKERFILE = "FROM debian:12\n# tools\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.*\nADD app.conf /etc/app/\nCMD app --serve\n";
const COMPOSE = "services:\n  web:\n    image: nginx:1.27\n";

test("diff, patch, --write, and nothing left to do afterwards", async () => {
  const { dir, cleanup } = tempTree({ "Dockerfile": DOCKERFILE, "deploy/compose.yaml": COMPOSE });
  const copy = tempTree({});
  try {
    chmodSync(join(dir, "Dockerfile"), 0o640);
    const shown = await runCli(["fix"], { cwd: dir });
    assert.equal(shown.code, 1, shown.stderr);
    assert.match(shown.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n/);
    assert.match(shown.stdout, /\+\+\+ b\/deploy\/compose\.yaml/);
    assert.match(shown.stderr, /can fix \d+ findings in 2 files/);
    assert.equal(readFileSync(join(dir, "Dockerfile"), "utf8"), DOCKERFILE, "no --write, no change");

    cpSync(dir, copy.dir, { recursive: true });
    execFileSync("patch", ["-s", "-p1", "-d", copy.dir], { input: shown.stdout });

    const written = await runCli(["fix", "--write"], { cwd: dir });
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /^Dockerfile:3: fixed DL3009: /m);
    const fixed = readFileSync(join(dir, "Dockerfile"), "utf8");
    assert.equal(fixed, "FROM debian:12\n# tools\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.* \\\n && rm -rf /var/lib/apt/lists/*\nCOPY app.conf /etc/app/\nCMD [\"app\", \"--serve\"]\n");
    assert.equal(readFileSync(join(copy.dir, "Dockerfile"), "utf8"), fixed, "the diff patches to what --write writes");
    assert.equal(readFileSync(join(copy.dir, "deploy/compose.yaml"), "utf8"), readFileSync(join(dir, "deploy/compose.yaml"), "utf8"));
    assert.equal(statSync(join(dir, "Dockerfile")).mode & 0o777, 0o640, "the file keeps its mode");

    const again = await runCli(["fix", "Dockerfile", "deploy/compose.yaml"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "");
  } finally {
    cleanup();
    copy.cleanup();
  }
});

test("--rule and --add-user; bad input exits 2", async () => {
  const { dir, cleanup } = tempTree({ "Dockerfile": DOCKERFILE, "broken.Dockerfile": "FROM debian:12\nCMD [\"a\",\n" });
  try {
    const only = await runCli(["fix", "--rule", "DD001", "--add-user", "Dockerfile"], { cwd: dir });
    assert.equal(only.code, 1, only.stderr);
    assert.equal(only.stdout.split("\n").filter((l) => /^[+-][^+-]/.test(l)).join("\n"), "+USER 65532:65532");
    const bad = await runCli(["fix", "--add-user", "--uid", "root", "Dockerfile"], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--uid expects a numeric uid/);
    const broken = await runCli(["fix", "broken.Dockerfile"], { cwd: dir });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.Dockerfile:2:/);
    const missing = await runCli(["fix", "nope.yaml"], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /INPUT_UNREADABLE/);
  } finally {
    cleanup();
  }
});
