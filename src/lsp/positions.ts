// LSP positions: 0-based line and character, characters counted in UTF-16 code units (the encoding every client
// must support, and the one JavaScript strings index by), lines ended by \n, \r\n or a lone \r. Our offsets are
// JavaScript string indices, so an offset converts exactly whatever the line ending.

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export class LspText {
  readonly text: string;
  /** Offset where each line starts. */
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  positionAt(offset: number): LspPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] ?? 0) };
  }

  /** A position past the end of its line means the line's end, and past the last line the text's end (the spec's rule). */
  offsetAt(position: LspPosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line] ?? 0;
    return start + Math.max(0, Math.min(position.character, this.lineLength(position.line)));
  }

  range(start: number, end: number): LspRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset of the start of a 0-based line (the text's end past the last line). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, line)] ?? this.text.length;
  }

  /** Characters of a 0-based line without its line break. */
  lineLength(line: number): number {
    const start = this.lineStart(line);
    let end = line + 1 < this.starts.length ? (this.starts[line + 1] ?? this.text.length) : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  lineText(line: number): string {
    const start = this.lineStart(line);
    return this.text.slice(start, start + this.lineLength(line));
  }

  /** The line break the text uses (its first one), for inserted lines. */
  get eol(): string {
    const m = /\r\n|\n|\r/.exec(this.text);
    return m?.[0] ?? "\n";
  }
}

export interface ContentChange {
  range?: LspRange;
  text: string;
}

/** Applies didChange content changes in order: a change with a range replaces it, one without replaces the text. */
export function applyContentChanges(text: string, changes: readonly ContentChange[]): string {
  let current = text;
  for (const change of changes) {
    if (change.range === undefined) {
      current = change.text;
      continue;
    }
    const index = new LspText(current);
    const start = index.offsetAt(change.range.start);
    const end = Math.max(start, index.offsetAt(change.range.end));
    current = current.slice(0, start) + change.text + current.slice(end);
  }
  return current;
}
