// The README's first command is what a new user runs: it must name a command that exists and work on the
// bundled examples (findings, a summary, the note about the missing vulnerability database; no crash).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const ROOT = join(import.meta.dirname, "..", "..");

test("README opens with `npm install && npx drydock check examples/` and `npm test`, and the check runs", async () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const first = /```sh\n([^`]*)```/.exec(readme)?.[1] ?? "";
  assert.deepEqual(first.trim().split("\n"), ["npm install && npx drydock check examples/", "npm test"]);
  const r = await runCli(["check", "examples/"], { cwd: ROOT, env: { DRYDOCK_DB: join(ROOT, "no-such-dir", "drydock.db") } });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^examples\/shop\/compose\.yaml:\d+:\d+: error DR004 /m);
  assert.match(r.stdout, /^lint +\d+ +\d+/m);
  assert.match(r.stdout, /no vulnerability database: run drydock db update/);
});
