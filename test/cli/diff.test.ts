// `drydock diff`, run in-process through main(): exit 0 same, 1 different, 2 on bad input or usage.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runMain, type MainResult } from "../helpers/main.ts";
import { BASE_FILES, edit, variantImage, workspace } from "../diff/images.ts";

function run(args: string[], cwd: string): Promise<MainResult> {
  return runMain(["diff", ...args], { cwd });
}

describe("drydock diff", () => {
  const ws = workspace();
  let same1 = "";
  let same2 = "";
  let mtime = "";

  before(async () => {
    same1 = ws.layout(await variantImage(), "same1");
    same2 = ws.layout(await variantImage(), "same2");
    mtime = ws.layout(await variantImage({ base: edit(BASE_FILES, { "etc/app.conf": { mtime: 1 } }) }), "mtime");
  });
  after(() => ws.cleanup());

  test("exit 0 for the same image, with the verdict on stdout", async () => {
    const r = await run([same1, same2], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[2], "same");
  });

  test("exit 1 for a difference; --semantic sets an mtime aside (exit 0)", async () => {
    const strict = await run([same1, mtime], ws.dir);
    assert.equal(strict.code, 1, strict.stderr);
    assert.equal(strict.stdout.split("\n")[2], "different: mtime");
    const semantic = await run(["--semantic", same1, mtime], ws.dir);
    assert.equal(semantic.code, 0);
    assert.equal(semantic.stdout.split("\n")[2], "same (semantic comparison)");
    const ignored = await run(["--ignore", "mtime", same1, mtime], ws.dir);
    assert.equal(ignored.code, 0);
  });

  test("--ignore-path and relative paths from the working directory", async () => {
    const r = await run(["--ignore-path", "etc", "oci:same1:1.0", "oci:mtime:1.0"], ws.dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("-f json -o FILE writes the JSON form; the exit code still tells", async () => {
    const r = await run(["-f", "json", "-o", "out.json", same1, mtime], ws.dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    const json = JSON.parse(readFileSync(join(ws.dir, "out.json"), "utf8")) as { schema: string; aspects: string[] };
    assert.equal(json.schema, "drydock.diff/v1");
    assert.deepEqual(json.aspects, ["mtime"]);
  });

  test("exit 2: a missing image, an unknown aspect, a bad --max, a missing argument", async () => {
    const missing = await run([same1, join(ws.dir, "nope")], ws.dir);
    assert.deepEqual([missing.code, missing.errorCode], [2, "IMAGE_NOT_FOUND"]);
    const aspect = await run(["--ignore", "colour", same1, same2], ws.dir);
    assert.deepEqual([aspect.code, aspect.errorCode], [2, "USAGE"]);
    assert.match(aspect.stderr, /unknown aspect "colour"/);
    const max = await run(["--max", "lots", same1, same2], ws.dir);
    assert.deepEqual([max.code, max.errorCode], [2, "USAGE"]);
    const one = await run([same1], ws.dir);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /missing required argument/);
  });

  test("--max and --all bound the text listing", async () => {
    const many = ws.layout(await variantImage({ top: Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: "x" })) }), "many");
    const limited = await run(["--max", "1", same1, many], ws.dir);
    assert.equal(limited.code, 1);
    assert.match(limited.stdout, /\.\.\. and 6 more \(--all lists every change\)/);
    const all = await run(["--all", "--max", "1", same1, many], ws.dir);
    assert.doesNotMatch(all.stdout, /more \(--all/);
  });
});
