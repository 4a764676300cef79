// Recall and precision of secret detection in image files, on the labeled set (set.ts): the target is
// recall ≥ 95% and precision ≥ 98%. Each planted secret is found when a reported match overlaps it; any other
// match is a false positive.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { secretsInFile } from "../../../src/rules/image/lib/secret-scan.ts";
import { labeledSet, type Sample } from "./set.ts";

interface Score {
  tp: number;
  fn: number;
  fp: number;
  missed: string[];
  wrong: string[];
}

function score(samples: readonly Sample[]): Score {
  const s: Score = { tp: 0, fn: 0, fp: 0, missed: [], wrong: [] };
  for (const sample of samples) {
    const bytes = Buffer.from(sample.content, "latin1");
    const text = bytes.toString("latin1");
    const found = secretsInFile(sample.path, bytes);
    const planted = sample.secrets.map((secret) => {
      const start = text.indexOf(secret);
      assert.ok(start >= 0, `${sample.kind}: the planted secret is in the content`);
      return { start, end: start + secret.length };
    });
    for (const p of planted) {
      if (found.some((m) => m.start < p.end && m.end > p.start)) s.tp++;
      else {
        s.fn++;
        s.missed.push(`${sample.kind} (/${sample.path})`);
      }
    }
    for (const m of found) {
      if (!planted.some((p) => m.start < p.end && m.end > p.start)) {
        s.fp++;
        s.wrong.push(`${sample.kind}: ${m.description} at line ${m.line} of /${sample.path}`);
      }
    }
  }
  return s;
}

describe("secret detection quality on the labeled set", () => {
  const samples = labeledSet();
  const secrets = samples.filter((s) => s.secrets.length > 0);
  const decoys = samples.filter((s) => s.secrets.length === 0);

  test("the set: at least 25 kinds of secrets, every key format, and hard decoys", () => {
    assert.ok(new Set(secrets.map((s) => s.kind)).size >= 25, `${secrets.length} secret kinds`);
    for (const format of ["RSA PKCS#1", "EC SEC1", "Ed25519 PKCS#8", "OpenSSH", "encrypted PKCS#8", "PuTTY", "OpenPGP"]) {
      assert.ok(secrets.some((s) => s.kind.includes(format)), format);
    }
    assert.ok(decoys.length >= 40, `${decoys.length} decoys`);
    for (const kind of ["public:", "example:", "placeholder:", "hash:", "fixture:"]) assert.ok(decoys.some((d) => d.kind.startsWith(kind)), kind);
  });

  test("recall ≥ 95% and precision ≥ 98%", () => {
    const s = score(samples);
    const recall = s.tp / (s.tp + s.fn);
    const precision = s.tp / (s.tp + s.fp);
    console.log(`labeled set: ${secrets.length} files with ${s.tp + s.fn} secrets (${new Set(secrets.map((x) => x.kind)).size} kinds), ${decoys.length} decoy files`);
    console.log(`recall ${(100 * recall).toFixed(1)}% (${s.tp}/${s.tp + s.fn}), precision ${(100 * precision).toFixed(1)}% (${s.tp}/${s.tp + s.fp})`);
    for (const m of s.missed) console.log(`  missed: ${m}`);
    for (const w of s.wrong) console.log(`  false positive: ${w}`);
    assert.ok(recall >= 0.95, `recall ${recall}`);
    assert.ok(precision >= 0.98, `precision ${precision}`);
  });
});
