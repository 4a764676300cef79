import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Finding } from "../../src/core/finding.ts";
import { checkstyle } from "../../src/report/checkstyle.ts";
import { emptyReport, HOSTILE, pos, REF, report } from "./fixture.ts";
import { xmllint, xpath } from "./tools.ts";

const output = checkstyle.render(report, { color: false });
// XML 1.0 cannot carry U+0001 or ESC at all, even as references: the writer replaces them.
const HOSTILE_IN_XML = HOSTILE.replace("\u0001\u001b", "\uFFFD\uFFFD");

describe("checkstyle", () => {
  test("is well-formed XML (xmllint)", () => {
    const run = xmllint(["--noout"], output);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(output.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n'));
    assert.ok(output.endsWith("</checkstyle>\n"));
  });

  test("a <file> per place, in the order of the findings, hostile names intact after parsing", () => {
    const names = Array.from({ length: Number(xpath(output, "count(/checkstyle/file)")) }, (_, i) => xpath(output, `string(/checkstyle/file[${i + 1}]/@name)`));
    assert.deepEqual(names, ["Dockerfile", HOSTILE_IN_XML, "images/app.tar!/root/.ssh/id_rsa", REF, "broken/Dockerfile", "missing/Dockerfile"]);
  });

  test("an <error> per finding and input error, with position, severity, message and source", () => {
    assert.equal(xpath(output, "count(//error)"), "9");
    assert.equal(xpath(output, "count(/checkstyle/file[1]/error)"), "4");
    const attrs = (path: string): string[] => ["line", "column", "severity", "message", "source"].map((a) => xpath(output, `string(${path}/@${a})`));
    assert.deepEqual(attrs("/checkstyle/file[1]/error[1]"), ["3", "1", "warning", "Pin versions in apt-get install: use apt-get install <package>=<version>", "drydock.DL3008"]);
    assert.deepEqual(attrs("/checkstyle/file[1]/error[4]"), ["9", "1", "info", "Multiple consecutive RUN instructions; consider joining them", "drydock.DL3059"]);
    assert.deepEqual(attrs("/checkstyle/file[2]/error"), ["2", "5", "error", "Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token'", "drydock.SecretsUsedInArgOrEnv"]);
    assert.deepEqual(attrs("/checkstyle/file[3]/error"), ["", "", "error", "private key at /root/.ssh/id_rsa", "drydock.DD2001"]);
    assert.deepEqual(attrs("/checkstyle/file[5]/error"), ["2", "1", "error", "unterminated heredoc <<EOF", "drydock.DOCKERFILE_SYNTAX"]);
    assert.deepEqual(attrs("/checkstyle/file[6]/error"), ["", "", "error", "cannot read missing/Dockerfile: no such file", "drydock.INPUT_UNREADABLE"]);
  });

  test("whitespace in messages survives attribute normalisation; lone surrogates are replaced", () => {
    const f: Finding = { ...report.findings[0] as Finding, message: "one\ntwo\tthree\r", location: { kind: "text", file: "bad\uD800name", start: pos(1, 1), end: pos(1, 2) } };
    const out = checkstyle.render({ ...emptyReport, findings: [f] }, { color: false });
    assert.equal(xmllint(["--noout"], out).status, 0);
    assert.equal(xpath(out, "string(//error/@message)"), "one\ntwo\tthree\r");
    assert.equal(xpath(out, "string(//file/@name)"), "bad\uFFFDname");
  });

  test("an empty report is an empty <checkstyle>", () => {
    const out = checkstyle.render(emptyReport, { color: false });
    assert.equal(xmllint(["--noout"], out).status, 0);
    assert.equal(xpath(out, "count(/checkstyle/*)"), "0");
  });
});
