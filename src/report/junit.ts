import type { Finding, InputError, Location } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";
import type { ReportFormat } from "./format.ts";
import { artifactOf, displayPath, groupBy, imagePath } from "./location.ts";
import { xmlAttr, xmlText } from "./xml.ts";

interface Case {
  suite: string;
  name: string;
  kind: "failure" | "error";
  message: string;
  type: string;
  body: string;
}

/**
 * JUnit XML as Jenkins, GitLab and GitHub test reporters read it: a <testsuite> per input (a Dockerfile, an
 * image, a reference), a failing <testcase> per finding named "<rule> at <where>" with classname = the input,
 * an <error> testcase per input error, and a passing "no findings" testcase per input that came out clean. A
 * report that lists no inputs and has nothing to say is one passing testcase (readers treat a report without
 * tests as a failed or missing run).
 */
export const junit: ReportFormat = {
  name: "junit",
  mediaType: "application/xml",
  render(report, options) {
    const cases: Case[] = [
      ...report.findings.map((f) => findingCase(f, options.cwd)),
      ...report.errors.map((e) => errorCase(e, options.cwd)),
    ];
    const failures = cases.filter((c) => c.kind === "failure").length;
    const errors = cases.length - failures;
    const withCases = new Set(cases.map((c) => c.suite));
    const clean = [...new Set((report.inputs ?? []).map((i) => displayPath(i, options.cwd)))].filter((s) => !withCases.has(s));
    const out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="drydock" tests="${Math.max(cases.length + clean.length, 1)}" failures="${failures}" errors="${errors}">`,
    ];
    for (const suite of clean) {
      out.push(`  <testsuite name="${xmlAttr(suite)}" tests="1" failures="0" errors="0">`);
      out.push(`    <testcase classname="${xmlAttr(suite)}" name="no findings"/>`);
      out.push("  </testsuite>");
    }
    if (cases.length === 0 && clean.length === 0) {
      out.push('  <testsuite name="drydock" tests="1" failures="0" errors="0">');
      out.push('    <testcase classname="drydock" name="no findings"/>');
      out.push("  </testsuite>");
    }
    for (const [suite, inSuite] of groupBy(cases, (c) => c.suite)) {
      const suiteFailures = inSuite.filter((c) => c.kind === "failure").length;
      out.push(`  <testsuite name="${xmlAttr(suite)}" tests="${inSuite.length}" failures="${suiteFailures}" errors="${inSuite.length - suiteFailures}">`);
      for (const c of inSuite) {
        out.push(`    <testcase classname="${xmlAttr(suite)}" name="${xmlAttr(c.name)}">`);
        out.push(`      <${c.kind} message="${xmlAttr(c.message)}" type="${xmlAttr(c.type)}">${xmlText(c.body)}</${c.kind}>`);
        out.push("    </testcase>");
      }
      out.push("  </testsuite>");
    }
    out.push("</testsuites>", "");
    return out.join("\n");
  },
};

function findingCase(f: Finding, cwd: string | undefined): Case {
  const suite = artifactOf(f.location, cwd);
  const where = whereIn(f.location);
  const place = f.location.kind === "text" ? `${suite}:${where}` : where === "" ? suite : `${suite} ${where}`;
  const aliases = f.aliases.length === 0 ? "" : `\naliases: ${f.aliases.join(", ")}`;
  return {
    suite,
    name: where === "" ? f.ruleId : `${f.ruleId} at ${where}`,
    kind: "failure",
    message: f.message,
    type: f.severity,
    body: `${place}: ${f.severity} ${f.ruleId} ${f.message} [${f.source}]${aliases}`,
  };
}

function errorCase(e: InputError, cwd: string | undefined): Case {
  const suite = displayPath(e.file, cwd);
  const where = e.line === undefined ? "" : `${e.line}${e.column === undefined ? "" : `:${e.column}`}`;
  return {
    suite,
    name: where === "" ? e.code : `${e.code} at ${where}`,
    kind: "error",
    message: e.message,
    type: e.code,
    body: `${suite}${where === "" ? "" : `:${where}`}: error: ${e.message} [${e.code}]`,
  };
}

// The position inside the input, as a test name shows it.
function whereIn(loc: Location): string {
  switch (loc.kind) {
    case "text":
      return `${loc.start.line}:${loc.start.column}`;
    case "layer":
      return `${imagePath(loc.path)} (layer ${loc.layer})`;
    case "ref":
      return "";
    default:
      return unreachable(loc);
  }
}
