// Unified diffs (the `diff -u` format `patch` and `git apply` read) of a file before and after its fixes.
// Lines are compared with Myers' O(ND) algorithm: fixes change a few lines of files of any length.

/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;

type Op = { kind: "same" | "del" | "add"; line: string };

/** The unified diff of two texts under one name (`--- a/NAME`, `+++ b/NAME`); "" when they are equal. */
export function unifiedDiff(file: string, before: string, after: string, context: number = CONTEXT): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out = [`--- a/${file}\n`, `+++ b/${file}\n`];
  for (const hunk of hunksOf(ops, context)) out.push(hunk);
  return out.join("");
}

/** Lines with their newline kept, so a last line without one is told apart ("\ No newline at end of file"). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** The edit script from a to b: common prefix and suffix trimmed, the middle by Myers' greedy algorithm. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  return [
    ...a.slice(0, prefix).map((line): Op => ({ kind: "same", line })),
    ...myers(midA, midB),
    ...a.slice(a.length - suffix).map((line): Op => ({ kind: "same", line })),
  ];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk back through the recorded frontiers, from (n, m) to (0, 0).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] ?? new Int32Array(0);
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] ?? 0);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: "same", line: a[x - 1] ?? "" });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: "add", line: b[y - 1] ?? "" });
    else ops.push({ kind: "del", line: a[x - 1] ?? "" });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** Groups the edit script into hunks with `context` lines around each change; changes close together share one. */
function hunksOf(ops: readonly Op[], context: number): string[] {
  const changed: number[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== "same") changed.push(i);
  });
  const hunks: string[] = [];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] ?? 0;
    let last = first;
    while (i + 1 < changed.length && (changed[i + 1] ?? 0) - last <= 2 * context + 1) last = changed[++i] ?? last;
    i++;
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length, last + context + 1);
    hunks.push(renderHunk(ops, start, end));
  }
  return hunks;
}

function renderHunk(ops: readonly Op[], start: number, end: number): string {
  // Line numbers of the hunk's first line in each file: count the lines each side had before it.
  let oldLine = 1;
  let newLine = 1;
  for (let i = 0; i < start; i++) {
    const kind = ops[i]?.kind;
    if (kind !== "add") oldLine++;
    if (kind !== "del") newLine++;
  }
  let oldCount = 0;
  let newCount = 0;
  const body: string[] = [];
  for (let i = start; i < end; i++) {
    const op = ops[i];
    if (op === undefined) continue;
    if (op.kind !== "add") oldCount++;
    if (op.kind !== "del") newCount++;
    const mark = op.kind === "same" ? " " : op.kind === "del" ? "-" : "+";
    body.push(op.line.endsWith("\n") ? `${mark}${op.line}` : `${mark}${op.line}\n\\ No newline at end of file\n`);
  }
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${body.join("")}`;
}

/** `diff -u` writes a one-line range as its start alone, and an empty one as the line before it with count 0. */
function range(line: number, count: number): string {
  if (count === 1) return `${line}`;
  return count === 0 ? `${line - 1},0` : `${line},${count}`;
}
