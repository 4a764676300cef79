// Whole-registry checks for the runtime checks: file name = id, every module in the generated index, unique ids and
// CIS aliases, a test file per check, docs/runtime.md's reference = generator output, and every docs example run:
// a "fires" block must fire, a "silent" block must not.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeRules } from "../../../src/rules/runtime/index.ts";
import { withRuntimeReference } from "../../../src/runtime/docs.ts";
import { dockerfileRules } from "../../../src/rules/dockerfile/index.ts";
import { checkWith, fileFor } from "./cases.ts";

const ROOT = join(import.meta.dirname, "../../..");
const RULE_DIR = join(ROOT, "src/rules/runtime");

describe("runtime check registry", () => {
  test("every check module is in the index, under its own id", async () => {
    const files = readdirSync(RULE_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    assert.deepEqual(files.map((f) => f.slice(0, -3)).sort(), runtimeRules.map((r) => r.id));
    for (const f of files) {
      const mod = (await import(join(RULE_DIR, f))) as { rule: { id: string } };
      assert.equal(mod.rule.id, f.slice(0, -3), `${f} exports the check of its name`);
    }
  });

  test("ids are DRnnn, unique with the Dockerfile rules; CIS aliases are unique; aliases are tool:id", () => {
    const taken = new Set(dockerfileRules.flatMap((r) => [r.id, ...r.aliases]));
    const cis = new Map<string, string>();
    for (const r of runtimeRules) {
      assert.match(r.id, /^DR0\d\d$/);
      assert.ok(!taken.has(r.id), `${r.id} is taken`);
      for (const a of r.aliases) {
        assert.match(a, /^(cis:5\.\d+|pss:(baseline|restricted)\/[A-Za-z]+|trivy:KSV\d+)$/, `${r.id}: alias ${a}`);
        assert.ok(!taken.has(a), `${r.id}: alias ${a} is a Dockerfile rule's`);
        if (a.startsWith("cis:") || a.startsWith("trivy:")) {
          assert.ok(!cis.has(a), `${a} is used by ${cis.get(a)} and ${r.id}`);
          cis.set(a, r.id);
        }
      }
      // A PSS alias names the control; the checks that split one control share it.
      assert.ok(r.aliases.filter((a) => a.startsWith("pss:")).every((a) => a.startsWith(`pss:${r.profile === "restricted" ? "restricted" : "baseline"}/`)), `${r.id}: its PSS control is of its profile`);
    }
  });

  test("every check has its own test file", () => {
    for (const r of runtimeRules) assert.ok(existsSync(join(ROOT, "test/rules/runtime", `${r.id}.test.ts`)), `test/rules/runtime/${r.id}.test.ts`);
  });

  test("docs/runtime.md's reference is the generator's output (run `node scripts/runtime-index.ts`)", () => {
    const doc = readFileSync(join(ROOT, "docs/runtime.md"), "utf8");
    assert.equal(doc, withRuntimeReference(doc, runtimeRules));
  });

  for (const r of runtimeRules) {
    test(`${r.id}: docs have firing and silent examples, and they behave`, async () => {
      const blocks = [...r.docs.matchAll(/```(yaml|sh) (fires|silent)\n([\s\S]*?)```/g)];
      assert.ok(blocks.some((b) => b[2] === "fires"), "a fires block");
      assert.ok(blocks.some((b) => b[2] === "silent"), "a silent block");
      for (const [, lang, kind, text = ""] of blocks) {
        const found = await checkWith(r, text, lang === "sh" ? "run.sh" : fileFor(text));
        if (kind === "fires") assert.ok(found.length > 0, `fires example is silent:\n${text}`);
        else assert.deepEqual(found.map((f) => f.message), [], `silent example fires:\n${text}`);
      }
    });
  }
});
