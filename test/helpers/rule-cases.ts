// The shared tester for Dockerfile rules: cases that must fire (with exact spans), cases that must stay
// silent, fixes applied and re-linted, ONBUILD reruns, and a frozen model so a mutating rule fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Edit, TextFinding } from "../../src/core/finding.ts";
import type { DockerfileRule } from "../../src/core/rule.ts";
import { runDockerfileRules, type RunOptions } from "../../src/core/run.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { initShell } from "../../src/shell/parse.ts";

// Rules query parsed shell; the grammar loads once, asynchronously, before any test runs.
await initShell();

/** [line, column, endLine, endColumn], 1-based, end exclusive. */
export type At = [number, number, number, number];

export interface FiringCase {
  name: string;
  dockerfile: string;
  at: At[];
  /** Substrings the messages must contain, in order of the findings. */
  messages?: string[];
  /** The text after applying the rule's fix to every finding. */
  fixed?: string;
  options?: RunOptions;
}

export interface SilentCase {
  name: string;
  dockerfile: string;
  options?: RunOptions;
}

export interface RuleCases {
  /** Every firing case must fire as often when its RUN lines are wrapped in ONBUILD. */
  onbuild?: boolean;
  fires: FiringCase[];
  silent: SilentCase[];
}

export function ruleCases(rule: DockerfileRule, cases: RuleCases): void {
  const seen = new Set<string>();
  for (const c of [...cases.fires, ...cases.silent]) {
    const key = c.dockerfile + JSON.stringify(c.options ?? {});
    assert.ok(!seen.has(key), `${rule.id}: duplicate case "${c.name}"`);
    seen.add(key);
  }
  assert.ok(cases.fires.length > 0 && cases.silent.length > 0, `${rule.id}: needs cases that fire and cases that stay silent`);
  for (const c of cases.fires) {
    test(`fires: ${c.name}`, () => {
      const found = lintWith(rule, c.dockerfile, c.options);
      assert.deepEqual(found.map(spanOf), c.at);
      for (const f of found) assert.ok(f.location.start.line >= 1 && f.location.start.column >= 1, "positions are 1-based");
      c.messages?.forEach((m, i) => assert.ok(found[i]?.message.includes(m), `message ${i}: "${found[i]?.message}" lacks "${m}"`));
      const fix = rule.fix;
      if (fix === undefined) {
        assert.equal(c.fixed, undefined, "the rule has no fix, so a case cannot have fixed text");
        return;
      }
      const model = parseDockerfile(c.dockerfile);
      const out = applyEdits(c.dockerfile, found.flatMap((f) => fix(f, model)));
      assert.equal(out, c.fixed);
      assert.deepEqual(lintWith(rule, out, c.options).map(spanOf), [], "the fixed text must parse and stay silent");
    });
    if (cases.onbuild === true) {
      test(`fires under ONBUILD: ${c.name}`, () => {
        const wrapped = c.dockerfile.replaceAll("\nRUN ", "\nONBUILD RUN ");
        assert.notEqual(wrapped, c.dockerfile, "an ONBUILD case needs a RUN line");
        assert.equal(lintWith(rule, wrapped, c.options).length, c.at.length);
      });
    }
  }
  for (const c of cases.silent) {
    test(`silent: ${c.name}`, () => assert.deepEqual(lintWith(rule, c.dockerfile, c.options).map(spanOf), []));
  }
}

export function lintWith(rule: DockerfileRule, text: string, options?: RunOptions): TextFinding[] {
  const model = deepFreeze(parseDockerfile(text, { file: "Dockerfile" }));
  const { findings, errors } = runDockerfileRules(model, [rule], options);
  assert.deepEqual(errors, [], "the rule must not throw");
  return findings;
}

export function spanOf(f: TextFinding): At {
  return [f.location.start.line, f.location.start.column, f.location.end.line, f.location.end.column];
}

/** Applies non-overlapping edits (offsets into text), last first. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    assert.ok(e.end <= limit, "fix edits overlap");
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value !== "object" || value === null || seen.has(value) || ArrayBuffer.isView(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key], seen);
  return Object.freeze(value);
}
