import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stripVTControlCharacters } from "node:util";
import type { Finding } from "../../src/core/finding.ts";
import { text } from "../../src/report/text.ts";
import { emptyReport, pos, report } from "./fixture.ts";

const ESC = "\u001b";

describe("text", () => {
  test("compiler-like lines, input errors, then a summary", () => {
    assert.equal(text.render(report, { color: false }), [
      "Dockerfile:3:1: warning DL3008 Pin versions in apt-get install: use apt-get install <package>=<version> [hadolint]",
      "Dockerfile:5:5: warning DL3014 apt-get install can stop at a prompt; pass -y [hadolint]",
      "Dockerfile:7:5: warning DL3014 apt-get install can stop at a prompt; pass -y [hadolint]",
      "Dockerfile:9:1: style DL3059 Multiple consecutive RUN instructions; consider joining them [hadolint]",
      "ci/<x&y>\"q'é🐳\\x01\\x1b[31m/Dockerfile:2:5: error SecretsUsedInArgOrEnv Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token' [buildkit]",
      "images/app.tar layer 2 (sha256:3f1c2a9b8d7e) /root/.ssh/id_rsa: error DD2001 private key at /root/.ssh/id_rsa [drydock]",
      "registry.example:5000/team/app:1.0: info DD3001 image is referenced by tag, not by digest [drydock]",
      "broken/Dockerfile:2:1: error: unterminated heredoc <<EOF [DOCKERFILE_SYNTAX]",
      "missing/Dockerfile: error: cannot read missing/Dockerfile: no such file [INPUT_UNREADABLE]",
      "7 findings (2 errors, 3 warnings, 1 info, 1 style) in 4 inputs, 2 input errors",
      "",
    ].join("\n"));
  });

  test("without colour there is no escape code, even from a hostile path", () => {
    assert.ok(!text.render(report, { color: false }).includes(ESC));
  });

  test("with colour there are escape codes, and only around what the plain output says", () => {
    const coloured = text.render(report, { color: true });
    assert.ok(coloured.includes(`${ESC}[`));
    assert.match(coloured, new RegExp(`${ESC}\\[31m.*error`, "u"), "errors in red");
    assert.equal(stripVTControlCharacters(coloured), text.render(report, { color: false }));
  });

  test("summaries", () => {
    assert.equal(text.render(emptyReport, { color: false }), "no findings\n");
    assert.equal(text.render({ ...emptyReport, errors: report.errors.slice(0, 1) }, { color: false }),
      "broken/Dockerfile:2:1: error: unterminated heredoc <<EOF [DOCKERFILE_SYNTAX]\nno findings, 1 input error\n");
    const one = report.findings.slice(0, 1);
    assert.equal(text.render({ ...emptyReport, findings: one }, { color: false }).split("\n").at(-2), "1 finding (1 warning) in 1 file");
    const two = report.findings.slice(0, 5);
    assert.equal(text.render({ ...emptyReport, findings: two }, { color: false }).split("\n").at(-2),
      "5 findings (1 error, 3 warnings, 1 style) in 2 files");
  });

  test("absolute paths under cwd are shown relative to it", () => {
    const f: Finding = { ...report.findings[0] as Finding, location: { kind: "text", file: "/repo/app/Dockerfile", start: pos(3, 1), end: pos(3, 2) } };
    const other: Finding = { ...f, location: { kind: "text", file: "/other/Dockerfile", start: pos(3, 1), end: pos(3, 2) } };
    const out = text.render({ ...emptyReport, findings: [f, other] }, { color: false, cwd: "/repo" });
    assert.deepEqual(out.split("\n").map((l) => l.split(": ")[0]), ["app/Dockerfile:3:1", "/other/Dockerfile:3:1", "2 findings (2 warnings) in 2 files", ""]);
  });

  test("newlines and bidirectional overrides in messages cannot forge lines or reorder text", () => {
    const f: Finding = { ...report.findings[0] as Finding, message: "a\nDockerfile:1:1: error FAKE\u202Eb" };
    const lines = text.render({ ...emptyReport, findings: [f] }, { color: false }).split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[0], "Dockerfile:3:1: warning DL3008 a\\nDockerfile:1:1: error FAKE\\u202eb [hadolint]");
  });
});
