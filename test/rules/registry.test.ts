// Whole-registry checks: file name = id, unique ids and aliases, a test file per rule, docs pages generated
// from the metadata, and every docs example executed (a "fires" block must fire, a "silent" block must not).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ruleDocPages } from "../../src/cli/docs.ts";
import { dockerfileRules } from "../../src/rules/dockerfile/index.ts";
import { DEFAULT_RULE_OPTIONS, type BuildContextInfo, type RuleOptions } from "../../src/core/rule.ts";
import type { RunOptions } from "../../src/core/run.ts";
import { lintWith } from "../helpers/rule-cases.ts";

/**
 * Rule options written on a docs example's fence, after fires/silent:
 * `trustedRegistries=a.example,b.example labelSchema=version:semver,url:url strictLabels=true`.
 */
function fenceOptions(info: string): RunOptions {
  const options: { -readonly [K in keyof RuleOptions]: RuleOptions[K] } = { ...DEFAULT_RULE_OPTIONS };
  // As a Dockerfile in a directory without a .dockerignore, unless the fence gives one.
  let buildContext: BuildContextInfo = { dockerignore: undefined };
  for (const part of info.trim().split(/\s+/).filter((p) => p !== "")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === "trustedRegistries") options.trustedRegistries = value.split(",");
    else if (key === "labelSchema") options.labelSchema = Object.fromEntries(value.split(",").map((p) => p.split(":", 2)));
    else if (key === "strictLabels") options.strictLabels = value === "true";
    else if (key === "dockerignore") buildContext = { dockerignore: { file: ".dockerignore", text: `${value.split(",").join("\n")}\n` } };
    else assert.fail(`unknown docs fence option ${key}`);
  }
  return { ruleOptions: options, buildContext };
}

const ROOT = join(import.meta.dirname, "../..");
const RULE_DIR = join(ROOT, "src/rules/dockerfile");

describe("Dockerfile rule registry", () => {
  test("every rule module is in the index, under its own id", async () => {
    const files = readdirSync(RULE_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    assert.deepEqual(files.map((f) => f.slice(0, -3)).sort(), dockerfileRules.map((r) => r.id).sort());
    for (const f of files) {
      const mod = (await import(join(RULE_DIR, f))) as { rule: { id: string } };
      assert.equal(mod.rule.id, f.slice(0, -3), `${f} exports the rule of its name`);
    }
  });

  test("ids and aliases are unique, aliases are tool:id", () => {
    const seen = new Map<string, string>();
    for (const r of dockerfileRules) {
      for (const name of [r.id, ...r.aliases]) {
        assert.ok(!seen.has(name), `${name} is used by ${seen.get(name)} and ${r.id}`);
        seen.set(name, r.id);
      }
      for (const a of r.aliases) assert.match(a, /^(hadolint|buildkit|trivy|cis|dockle):[\w.-]+$/, `${r.id}: alias ${a}`);
      assert.match(r.id, /^(DL\d{4}|DD\d{3}|[A-Z][A-Za-z]+)$/, r.id);
    }
  });

  test("every rule has its own test file", () => {
    for (const r of dockerfileRules) {
      assert.ok(existsSync(join(ROOT, "test/rules/dockerfile", `${r.id}.test.ts`)), `test/rules/dockerfile/${r.id}.test.ts`);
    }
  });

  test("docs/rules is the generator's output (run `npm run docs`)", () => {
    const dir = join(ROOT, "docs/rules");
    const pages = ruleDocPages(dockerfileRules);
    assert.deepEqual(readdirSync(dir).sort(), [...pages.keys()].sort());
    for (const [name, text] of pages) assert.equal(readFileSync(join(dir, name), "utf8"), text, `docs/rules/${name} is stale`);
  });

  for (const r of dockerfileRules) {
    test(`${r.id}: docs have a firing and a silent example, and both behave`, () => {
      const blocks = [...r.docs.matchAll(/```dockerfile (fires|silent)([^\n]*)\n([\s\S]*?)```/g)];
      if (r.inert !== true) assert.ok(blocks.some((b) => b[1] === "fires"), "a ```dockerfile fires block");
      assert.ok(blocks.some((b) => b[1] === "silent"), "a ```dockerfile silent block");
      for (const [, kind, options, text] of blocks) {
        const found = lintWith(r, text ?? "", fenceOptions(options ?? ""));
        if (kind === "fires") assert.ok(found.length > 0, `fires example is silent:\n${text}`);
        else assert.deepEqual(found.map((f) => f.message), [], `silent example fires:\n${text}`);
      }
    });
  }
});
