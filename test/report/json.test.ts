import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { Finding } from "../../src/core/finding.ts";
import { json } from "../../src/report/json.ts";
import { DIGEST, emptyReport, HOSTILE, pos, REF, report } from "./fixture.ts";

const output = json.render(report, { color: false });
const parsed: unknown = JSON.parse(output);

describe("json (the stable contract of docs/json-output.md)", () => {
  test("every field of every finding and error, in order", () => {
    const dockerfile = (line: number, column: number, endLine: number, endColumn: number, rule: string, severity: string, message: string) => ({
      rule, aliases: [`hadolint:${rule}`], severity, message, file: "Dockerfile", line, column, endLine, endColumn, source: "hadolint",
    });
    const expected = {
      version: 1,
      findings: [
        dockerfile(3, 1, 3, 40, "DL3008", "warning", "Pin versions in apt-get install: use apt-get install <package>=<version>"),
        dockerfile(5, 5, 5, 12, "DL3014", "warning", "apt-get install can stop at a prompt; pass -y"),
        dockerfile(7, 5, 8, 3, "DL3014", "warning", "apt-get install can stop at a prompt; pass -y"),
        dockerfile(9, 1, 9, 10, "DL3059", "style", "Multiple consecutive RUN instructions; consider joining them"),
        {
          rule: "SecretsUsedInArgOrEnv", aliases: ["buildkit:SecretsUsedInArgOrEnv"], severity: "error",
          message: "Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token'", file: HOSTILE,
          line: 2, column: 5, endLine: 2, endColumn: 19, source: "buildkit",
        },
        {
          rule: "DD2001", aliases: [], severity: "error", message: "private key at /root/.ssh/id_rsa", file: "images/app.tar",
          layer: 2, digest: DIGEST, path: "/root/.ssh/id_rsa",
          image: { ref: "images/app.tar", layer: DIGEST, path: "/root/.ssh/id_rsa" }, source: "drydock",
        },
        { rule: "DD3001", aliases: [], severity: "info", message: "image is referenced by tag, not by digest", file: REF, ref: REF, source: "drydock" },
      ],
      errors: [
        { file: "broken/Dockerfile", line: 2, column: 1, code: "DOCKERFILE_SYNTAX", message: "unterminated heredoc <<EOF" },
        { file: "missing/Dockerfile", code: "INPUT_UNREADABLE", message: "cannot read missing/Dockerfile: no such file" },
      ],
    };
    assert.deepEqual(parsed, expected);
    // deepEqual ignores key order; the contract also fixes it, so the output reads the same everywhere.
    assert.equal(output, `${JSON.stringify(expected, null, 2)}\n`);
  });

  test("two-space indentation, trailing newline, and a lossless round trip", () => {
    assert.ok(output.startsWith('{\n  "version": 1,\n  "findings": [\n    {\n      "rule": "DL3008",'));
    assert.ok(output.endsWith("]\n}\n"));
    assert.equal(`${JSON.stringify(JSON.parse(output), null, 2)}\n`, output);
    assert.ok(output.includes("\\u0001\\u001b[31m"), "control characters escaped, not raw");
    assert.ok(output.includes("é🐳"), "non-ASCII written as UTF-8");
  });

  test("an empty report is still the full shape", () => {
    assert.equal(json.render(emptyReport, { color: false }), '{\n  "version": 1,\n  "findings": [],\n  "errors": []\n}\n');
  });

  test("file is relative to cwd when under it", () => {
    const f: Finding = { ...report.findings[0] as Finding, location: { kind: "text", file: "/repo/Dockerfile", start: pos(1, 1), end: pos(1, 5) } };
    const out = JSON.parse(json.render({ ...emptyReport, findings: [f], errors: [{ file: "/repo/x/Dockerfile", code: "DOCKERFILE_EMPTY", message: "empty" }] }, { color: false, cwd: "/repo" })) as {
      findings: { file: string }[];
      errors: { file: string }[];
    };
    assert.equal(out.findings[0]?.file, "Dockerfile");
    assert.equal(out.errors[0]?.file, "x/Dockerfile");
  });

  test("the example in docs/json-output.md has the keys, in the order, that the writer produces", () => {
    const doc = readFileSync(new URL("../../docs/json-output.md", import.meta.url), "utf8");
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    assert.ok(example !== undefined, "the doc has a json example");
    const documented = JSON.parse(example) as { findings: Record<string, unknown>[]; errors: Record<string, unknown>[] };
    const written = parsed as { findings: Record<string, unknown>[]; errors: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(documented), ["version", "findings", "errors"]);
    const kindOf = (f: Record<string, unknown>): string => ("line" in f ? "text" : "layer" in f ? "layer" : "ref");
    for (const f of documented.findings) {
      const same = written.findings.find((w) => kindOf(w) === kindOf(f));
      assert.deepEqual(Object.keys(f), Object.keys(same ?? {}), `a ${kindOf(f)} finding`);
    }
    assert.deepEqual(Object.keys(documented.errors[0] ?? {}), Object.keys(written.errors[0] ?? {}));
  });
});
