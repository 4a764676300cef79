import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Finding } from "../../src/core/finding.ts";
import { gitlab } from "../../src/report/gitlab.ts";
import { emptyReport, HOSTILE, pos, REF, report } from "./fixture.ts";

const output = gitlab.render(report, { color: false });
const issues: unknown = JSON.parse(output);

// What GitLab's Code Quality documentation requires of each issue.
const SEVERITIES = ["info", "minor", "major", "critical", "blocker"];
function assertCodeQualityIssue(issue: unknown, where: string): void {
  assert.ok(typeof issue === "object" && issue !== null && !Array.isArray(issue), where);
  const i = issue as Record<string, unknown>;
  for (const key of ["description", "check_name", "fingerprint"]) assert.equal(typeof i[key], "string", `${where}.${key}`);
  assert.ok(SEVERITIES.includes(String(i.severity)), `${where}.severity`);
  const location = i.location as { path?: unknown; lines?: { begin?: unknown; end?: unknown } } | undefined;
  assert.equal(typeof location?.path, "string", `${where}.location.path`);
  const begin = location?.lines?.begin;
  assert.ok(Number.isInteger(begin) && Number(begin) >= 1, `${where}.location.lines.begin`);
  const end = location?.lines?.end;
  assert.ok(end === undefined || (Number.isInteger(end) && Number(end) >= Number(begin)), `${where}.location.lines.end`);
}

describe("gitlab", () => {
  test("a JSON array of Code Quality issues with the required fields and types", () => {
    assert.ok(Array.isArray(issues));
    assert.equal(issues.length, report.findings.length + report.errors.length);
    issues.forEach((issue, i) => assertCodeQualityIssue(issue, `issues[${i}]`));
    assert.ok(output.endsWith("]\n"));
    assert.equal(gitlab.render(emptyReport, { color: false }), "[]\n");
  });

  test("fingerprints are unique hex digests, also for a finding repeated with the same message", () => {
    const prints = (issues as { fingerprint: string }[]).map((i) => i.fingerprint);
    for (const p of prints) assert.match(p, /^[0-9a-f]{64}$/);
    assert.equal(new Set(prints).size, prints.length);
  });

  test("fingerprints do not change when lines move", () => {
    const moved: Finding[] = report.findings.map((f) =>
      f.location.kind === "text" ? { ...f, location: { ...f.location, start: pos(f.location.start.line + 3, 1), end: pos(f.location.end.line + 3, 1) } } : f);
    const again = JSON.parse(gitlab.render({ ...report, findings: moved }, { color: false })) as { fingerprint: string }[];
    assert.deepEqual(again.map((i) => i.fingerprint), (issues as { fingerprint: string }[]).map((i) => i.fingerprint));
  });

  test("each finding and input error, in order, with mapped severity and place", () => {
    const rows = (issues as { check_name: string; severity: string; location: { path: string; lines: { begin: number; end?: number } } }[])
      .map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin, i.location.lines.end]);
    assert.deepEqual(rows, [
      ["DL3008", "major", "Dockerfile", 3, 3],
      ["DL3014", "major", "Dockerfile", 5, 5],
      ["DL3014", "major", "Dockerfile", 7, 8],
      ["DL3059", "info", "Dockerfile", 9, 9],
      ["SecretsUsedInArgOrEnv", "critical", HOSTILE, 2, 2],
      ["DD2001", "critical", "images/app.tar!/root/.ssh/id_rsa", 1, undefined],
      ["DD3001", "minor", REF, 1, undefined],
      ["DOCKERFILE_SYNTAX", "blocker", "broken/Dockerfile", 2, undefined],
      ["INPUT_UNREADABLE", "blocker", "missing/Dockerfile", 1, undefined],
    ]);
    assert.equal((issues as { description: string }[])[4]?.description, "Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token'");
  });

  test("paths are relative to cwd when under it", () => {
    const f: Finding = { ...report.findings[0] as Finding, location: { kind: "text", file: "/builds/app/docker/Dockerfile", start: pos(1, 1), end: pos(1, 2) } };
    const out = JSON.parse(gitlab.render({ ...emptyReport, findings: [f] }, { color: false, cwd: "/builds/app" })) as { location: { path: string } }[];
    assert.equal(out[0]?.location.path, "docker/Dockerfile");
  });
});
