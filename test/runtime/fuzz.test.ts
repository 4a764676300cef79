// Bad input never crashes: random text and randomly damaged real inputs, read as every input type, give workloads
// or DrydockErrors (as input errors), never an exception, and finish quickly.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { analyzeRuntime, INPUT_TYPES, readRuntimeInput } from "../../src/runtime/analyze.ts";
import { initShell } from "../../src/shell/parse.ts";

before(() => initShell());

const FIXTURES = join(import.meta.dirname, "fixtures");
const samples = ["shop/compose.yaml", "k8s/app.yaml", "shop/deploy.sh"].map((f) => readFileSync(join(FIXTURES, f), "utf8"));

/** A real input with a few characters deleted, inserted or replaced. */
const damaged = fc.tuple(
  fc.constantFrom(...samples),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom("", "\t", "[", "{", ":", "- ", "\n  ", "*a", "&a ", "<<: ", "${", "\\\n", "'", "\"", "\u0000", "]")), { maxLength: 6 }),
).map(([text, edits]) => {
  let out = text;
  for (const [at, len, insert] of edits) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + len);
  }
  return out;
});

test("random text as every input type: no exception", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300, unit: "binary" }), fc.constantFrom(...INPUT_TYPES), (text, type) => {
      const read = readRuntimeInput({ file: "x", text, type, explicit: true });
      for (const e of read.errors) assert.equal(typeof e.code, "string");
    }),
    { numRuns: 100 },
  );
});

test("damaged real inputs, detected and checked: findings or input errors, never an exception", async () => {
  await fc.assert(
    fc.asyncProperty(damaged, fc.constantFrom("compose.yaml", "app.yaml", "deploy.sh"), async (text, file) => {
      const out = await analyzeRuntime({ inputs: [{ file, text, explicit: true }], profile: "restricted" });
      assert.ok(out.report.errors.every((e) => e.code !== "RULE_FAILED"), JSON.stringify(out.report.errors));
      for (const f of out.report.findings) assert.ok(f.location.kind === "text" && f.location.start.offset <= text.length);
    }),
    { numRuns: 60 },
  );
});
