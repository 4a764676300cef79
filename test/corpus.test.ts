// Every rule over the corpus of real Dockerfiles (test/corpus/): no rule may crash, every file BuildKit builds
// must parse, and every finding must point inside its file. One lintDockerfiles call, as the CLI makes it.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { emptyConfig } from "../src/core/config.ts";
import type { Finding, InputError, Position } from "../src/core/finding.ts";
import { lintDockerfiles, type LintOutcome } from "../src/lint.ts";
import { dockerfileRules } from "../src/rules/dockerfile/index.ts";
import { findShellcheck } from "../src/shell/shellcheck.ts";
import { CORPUS_DIR, optInRuleIds, readCorpus, standaloneRules, type CorpusFile } from "./corpus/read.ts";

/** Files that do not parse, and why. Empty: every corpus file is one BuildKit builds. */
const EXPECTED_PARSE_FAILURES: ReadonlyMap<string, string> = new Map([]);

const PARSE_ERRORS = new Set(["DOCKERFILE_SYNTAX", "DOCKERFILE_EMPTY"]);
/** Generous: the corpus lints in about 1.5 s on a 2-core machine. */
const TIME_LIMIT_MS = 20_000;

const corpus = readCorpus();
const textOf = new Map(corpus.map((f) => [f.file, f.text]));

async function lintCorpus(files: readonly CorpusFile[], shellcheck: string): Promise<{ outcome: LintOutcome; ms: number }> {
  const started = performance.now();
  const outcome = await lintDockerfiles({
    inputs: files.map((f) => ({ file: f.file, text: f.text })),
    // Every opt-in rule on, the files' own ignore pragmas off and no finding dropped as redundant with another
    // rule's, so every finding any rule makes is checked.
    rules: standaloneRules(dockerfileRules),
    config: { ...emptyConfig(), enable: optInRuleIds(dockerfileRules), disableIgnorePragma: true },
    shellcheck,
  });
  return { outcome, ms: performance.now() - started };
}

/** Why a finding's span is not a real place in its file, or undefined when it is. */
function spanProblem(f: Finding): string | undefined {
  const loc = f.location;
  if (loc.kind !== "text") return `location of kind ${loc.kind}`;
  const text = textOf.get(loc.file);
  if (text === undefined) return `file ${loc.file} was not linted`;
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const problem = positionProblem(loc.start, text, lineStarts) ?? positionProblem(loc.end, text, lineStarts);
  if (problem !== undefined) return problem;
  if (loc.end.offset < loc.start.offset) return `ends (offset ${loc.end.offset}) before it starts (offset ${loc.start.offset})`;
  return undefined;
}

function positionProblem(p: Position, text: string, lineStarts: readonly number[]): string | undefined {
  const lineStart = lineStarts[p.line - 1];
  if (!Number.isInteger(p.line) || lineStart === undefined) return `line ${p.line} is not in 1..${lineStarts.length}`;
  const next = lineStarts[p.line];
  // A position may sit on the line break itself (an end just past the last character).
  const lineLength = (next === undefined ? text.length : next - 1) - lineStart;
  if (!Number.isInteger(p.column) || p.column < 1 || p.column > lineLength + 1) {
    return `column ${p.column} is not in 1..${lineLength + 1} on line ${p.line}`;
  }
  if (p.offset !== lineStart + p.column - 1) return `offset ${p.offset} is not line ${p.line} column ${p.column} (${lineStart + p.column - 1})`;
  return undefined;
}

function describeError(e: InputError): string {
  return `${e.file}${e.line === undefined ? "" : `:${e.line}:${e.column ?? 1}`} ${e.code}: ${e.message}`;
}

function describeFinding(f: Finding, problem: string): string {
  const loc = f.location;
  const where = loc.kind === "text" ? `${loc.file}:${loc.start.line}:${loc.start.column}-${loc.end.line}:${loc.end.column}` : loc.kind;
  return `${where} ${f.ruleId}: ${problem}`;
}

describe("the corpus", () => {
  test("holds several hundred real Dockerfiles, within 5 MB", () => {
    assert.ok(corpus.length >= 400 && corpus.length <= 800, `${corpus.length} files`);
    const bytes = corpus.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    assert.ok(bytes <= 5_000_000, `${bytes} bytes`);
  });

  test("every source repository has its SOURCE.md and licence beside its files", () => {
    const repos = readdirSync(CORPUS_DIR).filter((d) => statSync(join(CORPUS_DIR, d)).isDirectory());
    assert.ok(repos.length >= 20, `${repos.length} repositories`);
    for (const repo of repos) {
      const names = readdirSync(join(CORPUS_DIR, repo));
      assert.ok(names.includes("SOURCE.md"), `${repo} has no SOURCE.md`);
      assert.ok(names.some((n) => /^(LICEN[CS]E|COPYING)/i.test(n)), `${repo} has no licence file`);
      assert.ok(corpus.some((f) => f.repo === repo), `${repo} has no Dockerfile`);
    }
    assert.ok(existsSync(join(CORPUS_DIR, "README.md")));
  });

  test("holds no two identical files", () => {
    const seen = new Map<string, string>();
    for (const f of corpus) {
      const other = seen.get(f.text);
      assert.equal(other, undefined, `${f.file} is a copy of ${other}`);
      seen.set(f.text, f.file);
    }
  });

  test("covers Windows files, heredocs and BuildKit flags", () => {
    const count = (re: RegExp) => corpus.filter((f) => re.test(f.text)).length;
    assert.ok(count(/^#\s*escape\s*=\s*`/im) >= 10, "files with escape=`");
    assert.ok(count(/^(RUN|COPY)\b[^\n]*<<-?["']?[A-Za-z_]+/m) >= 10, "files with heredocs");
    assert.ok(count(/^RUN\b[^\n]*--mount=/m) >= 20, "files with RUN --mount");
  });
});

describe("every rule over the corpus", () => {
  let lint: { outcome: LintOutcome; ms: number };
  before(async () => {
    lint = await lintCorpus(corpus, "off");
  });

  test("no rule crashes", () => {
    const crashes = lint.outcome.report.errors.filter((e) => e.code === "RULE_FAILED").map(describeError);
    assert.deepEqual(crashes, []);
  });

  test("every file parses, except the expected failures", () => {
    const failed = new Map<string, string>();
    for (const e of lint.outcome.report.errors) if (PARSE_ERRORS.has(e.code)) failed.set(e.file, describeError(e));
    const unexpected = [...failed].filter(([file]) => !EXPECTED_PARSE_FAILURES.has(file)).map(([, d]) => d);
    assert.deepEqual(unexpected, []);
    const stale = [...EXPECTED_PARSE_FAILURES.keys()].filter((file) => !failed.has(file));
    assert.deepEqual(stale, [], "listed as failing but parses: remove from EXPECTED_PARSE_FAILURES");
  });

  test("no other input errors", () => {
    const other = lint.outcome.report.errors.filter((e) => e.code !== "RULE_FAILED" && !PARSE_ERRORS.has(e.code));
    assert.deepEqual(other.map(describeError), []);
  });

  test("every finding lies within its file", () => {
    const { findings } = lint.outcome.report;
    assert.ok(findings.length > 1000, `only ${findings.length} findings: did the rules run?`);
    const bad = findings.flatMap((f) => {
      const problem = spanProblem(f);
      return problem === undefined ? [] : [describeFinding(f, problem)];
    });
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} findings out of place`);
  });

  test("every rule that ran is described in the report", () => {
    const described = new Set(lint.outcome.report.rules.map((r) => r.id));
    const undescribed = new Set(lint.outcome.report.findings.map((f) => f.ruleId).filter((id) => !described.has(id)));
    assert.deepEqual([...undescribed], []);
  });

  test(`the whole corpus lints in under ${TIME_LIMIT_MS / 1000} s`, () => {
    assert.ok(lint.ms < TIME_LIMIT_MS, `${Math.round(lint.ms)} ms`);
  });
});

// ShellCheck runs as one external process per batch of scripts; a sample of the corpus keeps this test fast
// while still checking that its comments map back to real places in real files.
describe("ShellCheck over a sample of the corpus", async () => {
  const shellcheck = await findShellcheck();
  const sample = corpus.filter((_, i) => i % 12 === 0);
  test("maps every comment inside its file", { skip: shellcheck === undefined ? "shellcheck is not on PATH" : false }, async () => {
    const { outcome } = await lintCorpus(sample, shellcheck ?? "off");
    assert.deepEqual(outcome.report.errors.map(describeError), []);
    const comments = outcome.report.findings.filter((f) => f.source === "shellcheck");
    assert.ok(comments.length > 20, `only ${comments.length} ShellCheck comments`);
    const bad = comments.flatMap((f) => {
      const problem = spanProblem(f);
      return problem === undefined ? [] : [describeFinding(f, problem)];
    });
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} comments out of place`);
  });
});
