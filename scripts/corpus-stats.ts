// Lints the corpus of real Dockerfiles (test/corpus/) with every rule and prints what fired, so a person can
// judge the rules on real input:
//
//   node scripts/corpus-stats.ts                          counts per rule, corpus shape, input errors
//   node scripts/corpus-stats.ts --rule DL3008 --sample 10   plus 10 findings of DL3008 with their source lines
//   node scripts/corpus-stats.ts --rule DL3008 --all          every finding of DL3008
//
// Options: --no-shellcheck skips ShellCheck (SCxxxx) even when it is on PATH; --pragmas honours the files'
// own `# hadolint ignore=` pragmas (by default they are ignored, so every finding a rule makes is counted).
// Every opt-in rule runs, and a finding that repeats another rule's (JSONArgsRecommended beside DL3025) is kept:
// each rule's count is what that rule reports on its own.
import { parseArgs } from "node:util";
import { emptyConfig } from "../src/core/config.ts";
import type { Finding, TextFinding } from "../src/core/finding.ts";
import type { Dockerfile } from "../src/dockerfile/ast.ts";
import { parseDockerfile } from "../src/dockerfile/parse.ts";
import { allInstructions, runInstructions } from "../src/dockerfile/query.ts";
import { lintDockerfiles } from "../src/lint.ts";
import { dockerfileRules } from "../src/rules/dockerfile/index.ts";
import { optInRuleIds, readCorpus, standaloneRules, type CorpusFile } from "../test/corpus/read.ts";

const { values } = parseArgs({
  options: {
    rule: { type: "string" },
    sample: { type: "string", default: "10" },
    all: { type: "boolean", default: false },
    "no-shellcheck": { type: "boolean", default: false },
    pragmas: { type: "boolean", default: false },
  },
});

const sampleSize = Number(values.sample);
if (!Number.isInteger(sampleSize) || sampleSize < 0) {
  console.error(`--sample takes a whole number, not "${values.sample}"`);
  process.exit(2);
}

const files = readCorpus();
const textByFile = new Map(files.map((f) => [f.file, f.text]));
const started = performance.now();
const outcome = await lintDockerfiles({
  inputs: files.map((f) => ({ file: f.file, text: f.text })),
  rules: standaloneRules(dockerfileRules),
  config: { ...emptyConfig(), enable: optInRuleIds(dockerfileRules), disableIgnorePragma: !values.pragmas },
  shellcheck: values["no-shellcheck"] ? "off" : "auto",
});
const elapsed = performance.now() - started;
const { findings, errors } = outcome.report;

printShape(files, elapsed);
for (const n of outcome.notices) console.log(`note: ${n}`);
printRuleCounts(findings);
if (errors.length > 0) {
  console.log(`\ninput errors (${errors.length}):`);
  for (const e of errors) console.log(`  ${e.file}${e.line === undefined ? "" : `:${e.line}:${e.column ?? 1}`} ${e.code} ${e.message}`);
}
if (values.rule !== undefined) {
  const wanted = values.rule;
  const ofRule = findings.filter((f): f is TextFinding => f.ruleId === wanted && f.location.kind === "text");
  const chosen = values.all ? ofRule : spread(ofRule, sampleSize);
  console.log(`\n${wanted}: ${chosen.length} of ${ofRule.length} findings`);
  for (const f of chosen) console.log(`\n${excerpt(f, textByFile.get(f.location.file) ?? "")}`);
}

function printShape(corpus: readonly CorpusFile[], ms: number): void {
  const models: Dockerfile[] = [];
  for (const f of corpus) {
    try {
      models.push(parseDockerfile(f.text, { file: f.file }));
    } catch {
      // Counted below as an input error of the lint run.
    }
  }
  let instructions = 0;
  let runs = 0;
  let heredocs = 0;
  let mounts = 0;
  for (const m of models) {
    for (const inst of allInstructions(m)) {
      instructions++;
      heredocs += inst.heredocs.length;
    }
    for (const run of runInstructions(m)) {
      runs++;
      mounts += run.flags.filter((fl) => fl.name === "mount").length;
    }
  }
  const bytes = corpus.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  const lines = corpus.reduce((n, f) => n + f.text.split("\n").length, 0);
  const repos = new Set(corpus.map((f) => f.repo)).size;
  const backtick = models.filter((m) => m.escapeToken === "`").length;
  const stages = models.reduce((n, m) => n + m.instructions.filter((i) => i.kind === "from").length, 0);
  console.log(`corpus: ${corpus.length} files from ${repos} repositories, ${(bytes / 1e6).toFixed(2)} MB, ${lines} lines`);
  console.log(`        ${instructions} instructions (ONBUILD's inner ones counted), ${stages} stages, ${runs} RUNs` +
    ` (${mounts} --mount flags), ${heredocs} heredocs, ${backtick} files with escape=\``);
  console.log(`lint: ${ms.toFixed(0)} ms for one lintDockerfiles call over the corpus`);
}

function printRuleCounts(all: readonly Finding[]): void {
  const byRule = new Map<string, { count: number; files: Set<string> }>();
  for (const f of all) {
    const entry = byRule.get(f.ruleId) ?? { count: 0, files: new Set<string>() };
    entry.count++;
    if (f.location.kind === "text") entry.files.add(f.location.file);
    byRule.set(f.ruleId, entry);
  }
  const rows = [...byRule].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  console.log(`\nfindings per rule (${all.length} in all):`);
  console.log("  rule                        findings  files");
  for (const [id, { count, files: inFiles }] of rows) {
    console.log(`  ${id.padEnd(26)} ${String(count).padStart(9)} ${String(inFiles.size).padStart(6)}`);
  }
  const silent = dockerfileRules.map((r) => r.id).filter((id) => !byRule.has(id)).sort();
  console.log(`\nrules that never fired (${silent.length}): ${silent.join(" ") || "none"}`);
}

/** n findings spread evenly over the list (which is sorted by file), so samples come from many files. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const item = items[Math.floor((i * items.length) / n)];
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** The finding's header and its source lines (at most five), with carets under a single-line span. */
function excerpt(f: TextFinding, text: string): string {
  const { start, end } = f.location;
  const lines = text.split(/\r?\n/);
  const out = [`${f.location.file}:${start.line}:${start.column}-${end.line}:${end.column} ${f.severity} ${f.ruleId} ${f.message}`];
  const last = Math.min(end.line, start.line + 4, lines.length);
  for (let n = start.line; n <= last; n++) out.push(`${String(n).padStart(5)} | ${lines[n - 1] ?? ""}`);
  if (end.line === start.line) {
    const width = Math.max(1, end.column - start.column);
    // Keep the line's tabs in the padding so the carets line up under it.
    const pad = (lines[start.line - 1] ?? "").slice(0, start.column - 1).replace(/[^\t]/g, " ");
    out.push(`${" ".repeat(5)} | ${pad}${"^".repeat(width)}`);
  } else if (end.line > last) {
    out.push(`${" ".repeat(5)} | ... to line ${end.line}`);
  }
  return out.join("\n");
}
