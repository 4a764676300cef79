import type { Position, Span } from "./finding.ts";

/** Turns 0-based offsets of one text into line/column positions. */
export class LineIndex {
  readonly text: string;
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1] ?? 0;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (this.starts[lo] ?? 0) + 1, offset: o };
  }

  span(start: number, end: number): Span {
    const first = this.position(start);
    return { start: first, end: this.positionFrom(first, end) };
  }

  /** position(offset), for an offset at or after a position found before: most spans end on the line they start on. */
  private positionFrom(from: Position, offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const next = this.starts[from.line]; // where the line after from's starts
    if (o >= from.offset && (next === undefined || o < next)) return { line: from.line, column: from.column + o - from.offset, offset: o };
    return this.position(o);
  }
}

/**
 * A string cut out of a source text, possibly with pieces removed (line continuations, comment lines inside
 * them): each character remembers its offset in the source, so spans found in the string map back exactly.
 */
export class MappedText {
  readonly text: string;
  readonly source: LineIndex;
  /** offsets[base + i] is the source offset of text[i]; without offsets the text is contiguous: text[i] is at base + i. */
  private readonly offsets: Int32Array | undefined;
  private readonly base: number;
  private readonly endOffset: number;

  /**
   * offsets[base + i] is the source offset of text[i] (or, offsets undefined, base + i is); endOffset is where the
   * text ends in the source. Slices share the offsets: no copy, no typed-array view per slice.
   */
  constructor(text: string, offsets: Int32Array | undefined, source: LineIndex, endOffset: number, base = 0) {
    this.text = text;
    this.offsets = offsets;
    this.base = base;
    this.source = source;
    this.endOffset = endOffset;
  }

  /** Source offset of text index i; i === text.length maps to just after the last character. */
  sourceOffset(i: number): number {
    const n = this.text.length;
    if (i >= n) return n === 0 ? this.endOffset : this.offsetOf(n - 1) + 1;
    return this.offsetOf(Math.max(0, i));
  }

  private offsetOf(i: number): number {
    const offsets = this.offsets;
    return offsets === undefined ? this.base + i : (offsets[this.base + i] ?? 0);
  }

  position(i: number): Position {
    return this.source.position(this.sourceOffset(i));
  }

  /** Span of text[start, end) in the source; an empty range is placed at start. */
  span(start: number, end: number): Span {
    const s = this.sourceOffset(start);
    const e = end > start ? this.sourceOffset(end - 1) + 1 : s;
    return this.source.span(s, e);
  }

  slice(start: number, end: number = this.text.length): MappedText {
    const a = Math.max(0, Math.min(start, this.text.length));
    const b = Math.max(a, Math.min(end, this.text.length));
    return new MappedText(this.text.slice(a, b), this.offsets, this.source, this.sourceOffset(b), this.base + a);
  }

  /** A text that is a contiguous piece of the source. */
  static contiguous(source: LineIndex, start: number, end: number): MappedText {
    return new MappedText(source.text.slice(start, end), undefined, source, end, start);
  }
}

/** Joins mapped texts end to end; each character keeps its source offset. */
export function concatMapped(parts: readonly MappedText[], source: LineIndex): MappedText {
  let length = 0;
  for (const p of parts) length += p.text.length;
  const offsets = new Int32Array(length);
  let text = "";
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.text.length; i++) offsets[at + i] = p.sourceOffset(i);
    at += p.text.length;
    text += p.text;
  }
  const last = parts[parts.length - 1];
  return new MappedText(text, offsets, source, last === undefined ? 0 : last.sourceOffset(last.text.length));
}

const JSON_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * The value of the JSON string literal at source[start, end) (quotes included), each character mapped to the
 * source character (or escape sequence) it comes from; undefined when the piece is not one plain JSON string
 * (a line continuation inside it, a bad escape).
 */
export function jsonStringText(source: LineIndex, start: number, end: number): MappedText | undefined {
  const raw = source.text;
  if (end - start < 2 || raw[start] !== '"' || raw[end - 1] !== '"') return undefined;
  const offsets = new Int32Array(end - start);
  let text = "";
  for (let i = start + 1; i < end - 1; i++) {
    const c = raw[i] as string;
    if (c === "\n" || c === '"') return undefined;
    if (c !== "\\") {
      offsets[text.length] = i;
      text += c;
      continue;
    }
    const e = raw[i + 1];
    if (e === undefined) return undefined;
    const simple = JSON_ESCAPES[e];
    if (simple !== undefined) {
      offsets[text.length] = i;
      text += simple;
      i++;
    } else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(raw.slice(i + 2, i + 6))) {
      offsets[text.length] = i;
      text += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      i += 5;
    } else return undefined;
  }
  return new MappedText(text, offsets, source, end - 1);
}
