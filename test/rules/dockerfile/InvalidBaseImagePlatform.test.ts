import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RuleInfo } from "../../../src/core/finding.ts";
import { rule } from "../../../src/rules/dockerfile/InvalidBaseImagePlatform.ts";
import { lintWith } from "../../helpers/rule-cases.ts";

// BuildKit needs the pulled image's platform; offline there is nothing to compare, so the rule never reports.
describe("InvalidBaseImagePlatform", () => {
  test("silent on a FROM with a platform that differs from the build's", () => {
    assert.deepEqual(lintWith(rule, "FROM --platform=linux/arm64 example.com/amd64-only:1\nFROM alpine\n"), []);
  });
  test("has no URL in BuildKit's rule set and says why it is silent", () => {
    const info: RuleInfo = rule;
    assert.equal(info.url, undefined);
    assert.match(rule.docs, /never reports it when linting/);
  });
});
