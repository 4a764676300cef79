import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { Finding, Report } from "../../src/core/finding.ts";
import { FINGERPRINT_KEY, sarif, type SarifLog } from "../../src/report/sarif.ts";
import { DIGEST, emptyReport, HOSTILE, pos, REF, report, rules } from "./fixture.ts";
import { validateSarif, type SarifIssue } from "./tools.ts";

const render = (r: Report, cwd?: string): string => sarif.render(r, cwd === undefined ? { color: false } : { color: false, cwd });
const parse = (text: string): SarifLog => JSON.parse(text) as SarifLog;

const output = render(report);
const log = parse(output);
const run = log.runs[0];

describe("sarif", () => {
  let issues = new Map<string, SarifIssue[]>();
  before(() => {
    // A log the validator must reject, so a validator that reports nothing cannot pass the test.
    const broken = parse(output);
    const first = broken.runs[0].results[0];
    if (first !== undefined) first.locations = [];
    issues = validateSarif({ fixture: output, empty: render(emptyReport), broken: JSON.stringify(broken) });
  });

  test("the SARIF Multitool (schema, best practices, GitHub rules) finds no error", () => {
    for (const name of ["fixture", "empty"]) {
      const errors = (issues.get(name) ?? []).filter((i) => i.level === "error");
      assert.deepEqual(errors, [], `${name}: ${errors.map((e) => e.text).join("\n")}`);
    }
  });

  test("the validator does reject a result without a location", () => {
    const errors = (issues.get("broken") ?? []).filter((i) => i.level === "error").map((i) => i.ruleId);
    assert.ok(errors.length > 0, "a log with an unlocated result must be reported");
  });

  test("the only validator warnings are the missing regions of image and reference findings", () => {
    const warnings = (issues.get("fixture") ?? []).map((i) => i.text).sort();
    assert.deepEqual(warnings, [
      "SARIF2017 runs[0].results[5].locations[0].physicalLocation",
      "SARIF2017 runs[0].results[6].locations[0].physicalLocation",
    ]);
  });

  test("log header: schema, version, one run, columns in UTF-16 code units", () => {
    assert.equal(log.version, "2.1.0");
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    assert.equal(run.columnKind, "utf16CodeUnits");
    assert.equal(run.tool.driver.name, "drydock");
    assert.equal(run.tool.driver.version, "0.1.0");
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.ok(output.endsWith("}\n"));
  });

  test("rule descriptors come from the report's rules, in order", () => {
    const descriptors = run.tool.driver.rules;
    assert.deepEqual(descriptors.map((r) => r.id), rules.map((r) => r.id));
    const dl3008 = descriptors.find((r) => r.id === "DL3008");
    assert.deepEqual(dl3008, {
      id: "DL3008",
      name: "PinVersionsInAptGetInstall",
      shortDescription: { text: "Pin versions in apt-get install" },
      fullDescription: { text: "Unpinned packages make builds differ." },
      help: {
        text: "Unpinned packages make builds differ.\n\n```dockerfile fires\nRUN apt-get install curl\n```",
        markdown: "Unpinned packages make builds differ.\n\n```dockerfile fires\nRUN apt-get install curl\n```",
      },
      helpUri: "https://github.com/hadolint/hadolint/wiki/DL3008",
      defaultConfiguration: { level: "warning" },
      properties: { tags: ["hadolint", "hadolint:DL3008"] },
    });
    const buildkit = descriptors.find((r) => r.id === "SecretsUsedInArgOrEnv");
    assert.equal(buildkit?.name, undefined, "a Pascal-case id is its own name; SARIF wants no name equal to the id");
    const dd3001 = descriptors.find((r) => r.id === "DD3001");
    assert.equal(dd3001?.helpUri, undefined, "no helpUri without a url");
    assert.deepEqual(dd3001?.help, { text: "Refer to images by digest", markdown: "Refer to images by digest" });
    assert.equal(dd3001?.defaultConfiguration.level, "note");
  });

  test("each result's ruleIndex points at its rule; levels map error/warning/note", () => {
    assert.equal(run.results.length, report.findings.length);
    run.results.forEach((r, i) => {
      const finding = report.findings[i];
      assert.equal(r.ruleId, finding?.ruleId);
      assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId, `result ${i}`);
      assert.equal(r.message.text, finding?.message);
    });
    assert.deepEqual(run.results.map((r) => r.level), ["warning", "warning", "warning", "note", "error", "error", "note"]);
  });

  test("text locations: relative URI under %SRCROOT%, exact region with exclusive end", () => {
    assert.deepEqual(run.results[2]?.locations, [{
      physicalLocation: {
        artifactLocation: { uri: "Dockerfile", uriBaseId: "%SRCROOT%" },
        region: { startLine: 7, startColumn: 5, endLine: 8, endColumn: 3 },
      },
    }]);
  });

  test("a hostile path is percent-encoded and decodes back to itself", () => {
    const uri = run.results[4]?.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
    assert.match(uri, /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/, "only URI characters");
    assert.equal(uri.split("/").map(decodeURIComponent).join("/"), HOSTILE);
  });

  test("layer and reference locations", () => {
    assert.deepEqual(run.results[5]?.locations, [{
      physicalLocation: { artifactLocation: { uri: "images/app.tar", uriBaseId: "%SRCROOT%" } },
      logicalLocations: [{ name: "/root/.ssh/id_rsa", fullyQualifiedName: "images/app.tar!/root/.ssh/id_rsa", kind: "resource" }],
      properties: { layer: 2, digest: DIGEST, path: "/root/.ssh/id_rsa" },
    }]);
    // ":" would otherwise start a URI scheme; GitHub takes only relative or file: URIs.
    assert.deepEqual(run.results[6]?.locations, [{ physicalLocation: { artifactLocation: { uri: "registry.example%3A5000/team/app%3A1.0" } } }]);
    assert.equal(decodeURIComponent("registry.example%3A5000/team/app%3A1.0"), REF);
  });

  test("partial fingerprints: unique, and unchanged when lines move", () => {
    const prints = run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.equal(new Set(prints).size, prints.length);
    for (const p of prints) assert.match(p ?? "", /^[0-9a-f]{64}$/);
    const moved: Finding[] = report.findings.map((f) =>
      f.location.kind === "text" ? { ...f, location: { ...f.location, start: pos(f.location.start.line + 10, 1), end: pos(f.location.end.line + 10, 2) } } : f);
    const movedPrints = parse(render({ ...report, findings: moved })).runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.deepEqual(movedPrints, prints);
    const reworded = parse(render({ ...report, findings: [{ ...report.findings[0] as Finding, message: "other" }] }));
    assert.notEqual(reworded.runs[0].results[0]?.partialFingerprints[FINGERPRINT_KEY], prints[0]);
  });

  test("input errors are tool execution notifications of a failed execution", () => {
    assert.deepEqual(run.invocations, [{
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: "error",
          message: { text: "unterminated heredoc <<EOF" },
          descriptor: { id: "DOCKERFILE_SYNTAX" },
          locations: [{ physicalLocation: { artifactLocation: { uri: "broken/Dockerfile", uriBaseId: "%SRCROOT%" }, region: { startLine: 2, startColumn: 1 } } }],
        },
        {
          level: "error",
          message: { text: "cannot read missing/Dockerfile: no such file" },
          descriptor: { id: "INPUT_UNREADABLE" },
          locations: [{ physicalLocation: { artifactLocation: { uri: "missing/Dockerfile", uriBaseId: "%SRCROOT%" } } }],
        },
      ],
    }]);
    assert.deepEqual(parse(render(emptyReport)).runs[0].invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  test("with cwd: paths under it become relative, others file: URIs, and %SRCROOT% is declared", () => {
    const findings: Finding[] = [
      { ...report.findings[0] as Finding, location: { kind: "text", file: "/repo/app/Dockerfile", start: pos(1, 1), end: pos(1, 2) } },
      { ...report.findings[0] as Finding, location: { kind: "text", file: "/elsewhere/Dockerfile", start: pos(1, 1), end: pos(1, 2) } },
    ];
    const r = parse(render({ ...report, findings, errors: [] }, "/repo")).runs[0];
    assert.deepEqual(r.originalUriBaseIds, { "%SRCROOT%": { uri: "file:///repo/" } });
    assert.deepEqual(r.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation), [
      { uri: "app/Dockerfile", uriBaseId: "%SRCROOT%" },
      { uri: "file:///elsewhere/Dockerfile" },
    ]);
  });

  test("a finding of a rule the report does not describe still gets a descriptor to point at", () => {
    const r = parse(render({ ...report, rules: [] })).runs[0];
    assert.deepEqual(r.tool.driver.rules.map((d) => d.id), ["DL3008", "DL3014", "DL3059", "SecretsUsedInArgOrEnv", "DD2001", "DD3001"]);
    for (const result of r.results) assert.equal(r.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
  });
});
