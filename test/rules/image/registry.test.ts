// Whole-registry checks for image checks: file name = id, unique ids and aliases, a test file per check, metadata
// that reports and docs need, and only paths a check lists in keepFiles.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { imageChecks } from "../../../src/rules/image/index.ts";

const ROOT = join(import.meta.dirname, "../../..");
const DIR = join(ROOT, "src/rules/image");

describe("image check registry", () => {
  test("every check module is in the index, under its own id", async () => {
    const files = readdirSync(DIR).filter((f) => /^DI\d{3}\.ts$/.test(f));
    assert.deepEqual(files.map((f) => f.slice(0, -3)).sort(), imageChecks.map((c) => c.id).sort());
    for (const f of files) {
      const mod = (await import(join(DIR, f))) as { check: { id: string } };
      assert.equal(mod.check.id, f.slice(0, -3));
    }
  });

  test("ids and aliases are unique; aliases are dockle, cis or trivy ids", () => {
    const seen = new Map<string, string>();
    for (const c of imageChecks) {
      assert.match(c.id, /^DI\d{3}$/);
      for (const name of [c.id, ...c.aliases]) {
        assert.ok(!seen.has(name), `${name} is used by ${seen.get(name)} and ${c.id}`);
        seen.set(name, c.id);
      }
      for (const a of c.aliases) assert.match(a, /^(dockle:(CIS-DI|DKL-DI|DKL-LI)-\d{4}|cis:4\.\d+|trivy:[\w.-]+)$/, `${c.id}: alias ${a}`);
      // The source is the tool whose check is reproduced: dockle when a dockle alias is given.
      assert.equal(c.source, c.aliases.some((a) => a.startsWith("dockle:")) ? "dockle" : "drydock", c.id);
    }
  });

  test("dockle's checks of an image are all covered (CIS-DI-0005 is a host setting)", () => {
    const aliases = new Set(imageChecks.flatMap((c) => c.aliases));
    const dockle = ["CIS-DI-0001", "CIS-DI-0006", "CIS-DI-0007", "CIS-DI-0008", "CIS-DI-0009", "CIS-DI-0010",
      "DKL-DI-0001", "DKL-DI-0002", "DKL-DI-0003", "DKL-DI-0004", "DKL-DI-0005", "DKL-DI-0006", "DKL-LI-0001", "DKL-LI-0002", "DKL-LI-0003"];
    for (const id of dockle) assert.ok(aliases.has(`dockle:${id}`), id);
  });

  test("every check has a test file, a summary and docs", () => {
    for (const c of imageChecks) {
      assert.ok(existsSync(join(ROOT, "test/rules/image", `${c.id}.test.ts`)), `test/rules/image/${c.id}.test.ts`);
      assert.ok(c.summary.length > 10 && !c.summary.endsWith("."), c.id);
      assert.ok(c.docs.trim().length > 100, c.id);
    }
  });
});
