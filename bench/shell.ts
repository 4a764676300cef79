// The shell benchmark: parseShell over every RUN script of the generated corpus, the fast path (hand-written
// parser for common scripts, tree-sitter-bash for the rest) against tree-sitter-bash for everything, in the same
// process and the same run. It is a report, not a test: it always exits 0 after a valid run.
//
//   node bench/shell.ts [--files N] [--rounds R] [--seed S]
import type { MappedText } from "../src/core/text.ts";
import { parseDockerfile } from "../src/dockerfile/parse.ts";
import { runInstructions, runScripts } from "../src/dockerfile/query.ts";
import { parseSimpleShell } from "../src/shell/fast.ts";
import { initShell, parseShell } from "../src/shell/parse.ts";
import { generateCorpus, readCorpusOptions, type CorpusOptions } from "./corpus.ts";

/** Untimed runs first, so both contenders run optimised code when the clock starts. */
const WARMUP_MS = 1000;




/** The scripts lint parses: those runScripts hands the rules (a RUN line, or the body of a lone `RUN <<EOF`). */
function corpusScripts(opts: CorpusOptions): MappedText[] {
  const scripts: MappedText[] = [];
  for (const f of generateCorpus(opts.files, opts.seed)) {
    for (const run of runInstructions(parseDockerfile(f.text, { file: f.file }))) {
      for (const script of runScripts(run)) scripts.push(script.text);
    }
  }
  return scripts;
}

interface Contender {
  name: string;
  /** Parses every script once; returns the number of commands found, so no work can be skipped. */
  run(scripts: readonly MappedText[]): number;
}

const CONTENDERS: readonly Contender[] = [
  {
    name: "tree-sitter-bash only",
    run(scripts) {
      let n = 0;
      for (const s of scripts) n += parseShell(s, { fastPath: false }).commands.length;
      return n;
    },
  },
  {
    name: "fast path, tree-sitter fallback",
    run(scripts) {
      let n = 0;
      for (const s of scripts) n += parseShell(s).commands.length;
      return n;
    },
  },
];

/** Milliseconds per round for each contender; contenders take turns within a round, the first rotating. */
function measure(scripts: readonly MappedText[], rounds: number): number[][] {
  const checks = new Map<string, number>();
  const timed = (c: Contender): number => {
    const start = performance.now();
    const check = c.run(scripts);
    const elapsed = performance.now() - start;
    const before = checks.get(c.name);
    if (before !== undefined && before !== check) console.log(`  warning: ${c.name} found ${check} commands, earlier ${before}`);
    checks.set(c.name, check);
    return elapsed;
  };
  for (const c of CONTENDERS) {
    for (let spent = 0, run = 0; run < 3 || spent < WARMUP_MS; run++) spent += timed(c);
  }
  if (checks.size > 1 && new Set(checks.values()).size > 1) {
    console.log(`  warning: the contenders disagree on the number of commands: ${JSON.stringify([...checks])}`);
  }
  const times = CONTENDERS.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CONTENDERS.length; k++) {
      const i = (k + round) % CONTENDERS.length;
      const c = CONTENDERS[i];
      if (c !== undefined) times[i]?.push(timed(c));
    }
  }
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

await main();

async function main(): Promise<void> {
  const options = readCorpusOptions("bench/shell.ts", 15, false);
  await initShell();
  const scripts = corpusScripts(options);
  const fast = scripts.filter((s) => parseSimpleShell(s, false) !== undefined).length;
  console.log(`drydock shell benchmark — node ${process.version}`);
  console.log(`corpus: ${options.files} files (seed ${options.seed}), ${scripts.length} RUN scripts; ` +
    `${fast} (${((100 * fast) / Math.max(scripts.length, 1)).toFixed(1)}%) take the fast path`);
  const times = measure(scripts, options.rounds);
  console.log(`\nmedian of ${options.rounds} rounds after a warm-up (≥ 3 runs and ≥ ${WARMUP_MS / 1000} s per contender)`);
  console.log(`${"contender".padEnd(34)} ${"median ms".padStart(9)} ${"min–max ms".padStart(13)} ${"µs/RUN".padStart(7)}`);
  const medians: number[] = [];
  CONTENDERS.forEach((c, i) => {
    const t = times[i] ?? [];
    const ms = median(t);
    medians.push(ms);
    const spread = `${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)}`;
    console.log(`${c.name.padEnd(34)} ${ms.toFixed(1).padStart(9)} ${spread.padStart(13)} ${((1000 * ms) / scripts.length).toFixed(2).padStart(7)}`);
  });
  const [treeSitter, withFastPath] = medians;
  if (treeSitter !== undefined && withFastPath !== undefined) {
    console.log(`\nspeed-up of the fast path over tree-sitter-bash only: ${(treeSitter / withFastPath).toFixed(2)}×`);
  }
}
