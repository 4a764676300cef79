// The shared tester for runtime checks: inputs that must fire (with exact spans) and inputs that must stay silent,
// each read and checked as `drydock runtime --profile restricted` does, with only the check under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { TextFinding } from "../../../src/core/finding.ts";
import { analyzeRuntime, type InputType } from "../../../src/runtime/analyze.ts";
import type { RuntimeRule } from "../../../src/runtime/rule.ts";

/** [line, column, endLine, endColumn], 1-based, end exclusive. */
export type At = [number, number, number, number];

export interface FiringCase {
  name: string;
  text: string;
  /** The file name the input gets (it decides how it is read): compose.yaml unless the text says otherwise. */
  file?: string;
  type?: InputType;
  at: At[];
  /** Substrings of the messages, in the order of the findings. */
  messages?: string[];
  /** Severities, in the order of the findings, when they differ from the rule's. */
  severities?: string[];
}

export interface SilentCase {
  name: string;
  text: string;
  file?: string;
  type?: InputType;
}

/** A name for the input: a compose file, a manifest, or a script, by the look of the text. */
export function fileFor(text: string): string {
  if (/^apiVersion:/m.test(text)) return "manifest.yaml";
  if (/^services:/m.test(text)) return "compose.yaml";
  return "run.sh";
}

export async function checkWith(rule: RuntimeRule, text: string, file = fileFor(text), type?: InputType): Promise<TextFinding[]> {
  const outcome = await analyzeRuntime({ inputs: [{ file, text, explicit: true, ...(type === undefined ? {} : { type }) }], rules: [rule], profile: "restricted" });
  assert.deepEqual(outcome.report.errors, [], "the input reads without errors");
  return outcome.report.findings as TextFinding[];
}

function spanOf(f: TextFinding): At {
  return [f.location.start.line, f.location.start.column, f.location.end.line, f.location.end.column];
}

export function runtimeCases(rule: RuntimeRule, cases: { fires: FiringCase[]; silent: SilentCase[] }): void {
  const seen = new Set<string>();
  for (const c of [...cases.fires, ...cases.silent]) {
    assert.ok(!seen.has(c.text), `${rule.id}: duplicate case "${c.name}"`);
    seen.add(c.text);
  }
  for (const c of cases.fires) {
    test(`fires: ${c.name}`, async () => {
      const found = await checkWith(rule, c.text, c.file, c.type);
      const got = found.map((f) => `${JSON.stringify(spanOf(f))} ${JSON.stringify(c.text.slice(f.location.start.offset, f.location.end.offset))} ${f.message}`);
      assert.deepEqual(found.map(spanOf), c.at, got.join("\n"));
      if (c.messages !== undefined) {
        assert.equal(found.length, c.messages.length);
        for (const [i, m] of c.messages.entries()) assert.ok(found[i]?.message.includes(m), `"${found[i]?.message}" includes "${m}"`);
      }
      if (c.severities !== undefined) assert.deepEqual(found.map((f) => f.severity), c.severities);
      for (const f of found) assert.equal(f.ruleId, rule.id);
    });
  }
  for (const c of cases.silent) {
    test(`silent: ${c.name}`, async () => {
      const found = await checkWith(rule, c.text, c.file, c.type);
      assert.deepEqual(found.map((f) => f.message), []);
    });
  }
}
