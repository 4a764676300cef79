// The fix→check loop on the bundled example, as a team adopting drydock would run it: `drydock check`, then
// `drydock fix --write` on every Dockerfile and compose/k8s file, then `drydock check` again. Whatever fix says it
// fixed is gone, nothing new appears, and what remains is exactly what examples/shop/PROBLEMS.md documents as
// remaining (its last column).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { JsonFinding, JsonReport } from "../../src/report/json.ts";
import { buildCheckDb } from "../check/fixtures.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";

const SHOP = join(import.meta.dirname, "../../examples/shop");

interface Planted {
  at: string;                        // "file:line RULE", lines of the original files
  outcome: "fixed" | "remains";
}

/** PROBLEMS.md's rows with their last column, "fixed: ..." or "remains: ...". */
function plantedProblems(): Planted[] {
  const text = readFileSync(join(SHOP, "PROBLEMS.md"), "utf8");
  const rows = [...text.matchAll(/^\| \d+ \| `([^`]+):(\d+)` \| (\w+) \|.*\| (fixed|remains): [^|]+\|$/gm)];
  return rows.map((m) => ({ at: `${m[1]}:${m[2]} ${m[3]}`, outcome: m[4] === "fixed" ? "fixed" : "remains" }));
}

const placeOf = (f: JsonFinding): string => `${f.file}:${f.line} ${f.rule}`;
/** A finding's identity across the fix: lines move when a fix adds or removes lines, rule, file and message do not. */
const identityOf = (f: JsonFinding): string => `${f.file} ${f.rule} ${f.message}`;

function findingsOf(r: CliResult | undefined): JsonFinding[] {
  assert.ok(r !== undefined);
  assert.equal(r.code, 1, `check finds what is left: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(report.errors, []);
  return report.findings;
}

describe("drydock fix --write, then drydock check, on examples/shop", () => {
  const tmp = mkdtempSync(join(tmpdir(), "drydock-fix-check-"));
  const project = join(tmp, "shop");
  const runs: Record<string, CliResult> = {};
  after(() => rmSync(tmp, { recursive: true, force: true }));

  before(async () => {
    cpSync(SHOP, project, { recursive: true });
    const db = await buildCheckDb(join(tmp, "db"));
    const check = ["check", ".", "--db", db, "-f", "json"];
    runs["before"] = await runCli(check, { cwd: project });
    runs["diff"] = await runCli(["fix"], { cwd: project });
    runs["fix"] = await runCli(["fix", "--write"], { cwd: project });
    runs["again"] = await runCli(["fix"], { cwd: project });
    runs["after"] = await runCli(check, { cwd: project });
  });

  /** What `fix --write` says it fixed: "file:line: fixed RULE: message", lines of the original file. */
  function claimed(): string[] {
    const r = runs["fix"];
    assert.equal(r?.code, 0, r?.stderr);
    return [...(r?.stdout ?? "").matchAll(/^(\S+):(\d+): fixed (\S+): /gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
  }

  test("PROBLEMS.md says of every planted problem whether fix removes it", () => {
    assert.equal(plantedProblems().length, 10);
    assert.ok(plantedProblems().some((p) => p.outcome === "fixed"));
  });

  test("before: check reports the planted problems", () => {
    assert.deepEqual(findingsOf(runs["before"]).map(placeOf).sort(), plantedProblems().map((p) => p.at).sort());
  });

  test("fix claims exactly the problems documented as fixed, and its diff was the same change", () => {
    const fixedRows = plantedProblems().filter((p) => p.outcome === "fixed").map((p) => p.at);
    const reported = new Set(findingsOf(runs["before"]).map(placeOf));
    const claims = claimed();
    // fix lints YAML with the restricted profile, so it may fix hardening check does not ask for; of the
    // findings check reported, it must fix exactly the documented ones.
    assert.deepEqual(claims.filter((c) => reported.has(c)).sort(), fixedRows.sort());
    assert.equal(runs["diff"]?.code, 1, "before --write, fix shows a diff and exits 1");
    for (const c of claims) assert.match(runs["diff"]?.stdout ?? "", new RegExp(`^\\+\\+\\+ b/${c.split(":")[0]}$`, "m"), c);
    assert.equal(runs["again"]?.code, 0, `after --write nothing is left to fix: ${runs["again"]?.stdout}`);
  });

  test("after: every claimed finding is gone and nothing new appears", () => {
    const before = findingsOf(runs["before"]);
    const after = findingsOf(runs["after"]);
    const claims = new Set(claimed());
    const gone = before.filter((f) => claims.has(placeOf(f))).map(identityOf);
    const left = new Set(after.map(identityOf));
    for (const g of gone) assert.ok(!left.has(g), `fix claimed ${g}, check still reports it`);
    const known = new Set(before.map(identityOf));
    assert.deepEqual(after.map(identityOf).filter((id) => !known.has(id)), [], "findings the fix introduced");
  });

  test("after: what remains is exactly the problems documented as remaining", () => {
    const before = findingsOf(runs["before"]);
    const remainingRows = new Set(plantedProblems().filter((p) => p.outcome === "remains").map((p) => p.at));
    const expected = before.filter((f) => remainingRows.has(placeOf(f))).map(identityOf).sort();
    assert.equal(expected.length, remainingRows.size);
    assert.deepEqual(findingsOf(runs["after"]).map(identityOf).sort(), expected);
  });
});
