import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { unifiedDiff } from "../../src/fix/diff.ts";

/** Applies a diff with GNU patch (the oracle) to `before` and returns the result. */
function patched(before: string, diff: string): string {
  const dir = mkdtempSync(join(tmpdir(), "drydock-diff-"));
  try {
    writeFileSync(join(dir, "f"), before);
    execFileSync("patch", ["-s", "-p1", "--no-backup-if-mismatch", "-d", dir], { input: diff });
    return readFileSync(join(dir, "f"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GNU diff -u's hunks (headers dropped) for the same texts. */
function gnuHunks(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), "drydock-diff-"));
  try {
    writeFileSync(join(dir, "a"), before);
    writeFileSync(join(dir, "b"), after);
    try {
      execFileSync("diff", ["-u", join(dir, "a"), join(dir, "b")], { encoding: "utf8" });
      return "";
    } catch (e) {
      const out = (e as { stdout: string }).stdout;
      return out.split("\n").slice(2).join("\n");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("equal texts give no diff", () => {
  assert.equal(unifiedDiff("f", "a\nb\n", "a\nb\n"), "");
});

test("one inserted line matches diff -u byte for byte", () => {
  const before = ["FROM debian:12", "RUN a", "RUN b", "RUN c", "RUN d", "RUN e", "CMD x", ""].join("\n");
  const after = before.replace("RUN e\n", "RUN e\nUSER 65532:65532\n");
  const diff = unifiedDiff("Dockerfile", before, after);
  assert.equal(diff, `--- a/Dockerfile\n+++ b/Dockerfile\n${gnuHunks(before, after)}`);
  assert.equal(diff.split("\n")[2], "@@ -4,4 +4,5 @@");
});

test("changes far apart make two hunks, near ones share a hunk; matches diff -u", () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  const before = `${lines.join("\n")}\n`;
  const after = before.replace("line 2\n", "line two\n").replace("line 25\n", "").replace("line 28\n", "line 28\nextra\n");
  const diff = unifiedDiff("f", before, after);
  assert.equal(diff.match(/^@@/gm)?.length, 2);
  assert.equal(diff, `--- a/f\n+++ b/f\n${gnuHunks(before, after)}`);
  assert.equal(patched(before, diff), after);
});

test("a last line without a newline is marked as diff -u marks it", () => {
  const diff = unifiedDiff("f", "a\nb", "a\nb\nc");
  assert.equal(diff, `--- a/f\n+++ b/f\n${gnuHunks("a\nb", "a\nb\nc")}`);
  assert.match(diff, /\\ No newline at end of file/);
  assert.equal(patched("a\nb", diff), "a\nb\nc");
});

test("from and to an empty file", () => {
  assert.equal(patched("", unifiedDiff("f", "", "x\ny\n")), "x\ny\n");
  assert.equal(unifiedDiff("f", "x\ny\n", ""), `--- a/f\n+++ b/f\n${gnuHunks("x\ny\n", "")}`);
});

test("GNU patch turns before into after for random edits", () => {
  const line = fc.constantFrom("a", "b", "c", "d", "", "  x", "RUN y");
  fc.assert(fc.property(fc.array(line, { maxLength: 25 }), fc.array(line, { maxLength: 25 }), fc.boolean(), (a, b, trailing) => {
    const before = a.join("\n") + (trailing ? "\n" : "");
    const after = b.join("\n") + "\n";
    const diff = unifiedDiff("f", before, after);
    if (before === after) return assert.equal(diff, "");
    assert.equal(patched(before, diff), after);
  }), { numRuns: 60 });
});
