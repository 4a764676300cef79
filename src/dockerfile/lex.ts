// Character classes and small scanners shared by the Dockerfile parser. They follow Go's definitions because
// BuildKit's parser is written in Go: `unicode.IsSpace`, the `[\t\v\f\r ]+` separator, `\s` in RE2.

/** Go's unicode.IsSpace. */
export function isSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f
    || c === 0x205f || c === 0x3000;
}

/** The separator BuildKit splits whitespace-delimited arguments on: `[\t\v\f\r ]`. */
export function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** RE2's `\s`: `[\t\n\f\r ]`. */
export function isRe2Space(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

export function skipSpaces(s: string, from: number, to: number = s.length): number {
  let i = from;
  while (i < to && isSpace(s.charCodeAt(i))) i++;
  return i;
}

export function trimEndSpaces(s: string, from: number, to: number): number {
  let j = to;
  while (j > from && isSpace(s.charCodeAt(j - 1))) j--;
  return j;
}

/** [start, end) ranges of the runs of non-separator characters (BuildKit's whitespace-delimited split). */
export function separatorSplit(s: string): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSeparator(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && !isSeparator(s.charCodeAt(i))) i++;
    out.push([start, i]);
  }
  return out;
}

/**
 * Go's strconv.Quote: printable characters as they are, the rest escaped. Printable means Unicode letters,
 * marks, numbers, punctuation, symbols and the ASCII space.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (c) {
      case 0x07: out += "\\a"; continue;
      case 0x08: out += "\\b"; continue;
      case 0x0c: out += "\\f"; continue;
      case 0x0a: out += "\\n"; continue;
      case 0x0d: out += "\\r"; continue;
      case 0x09: out += "\\t"; continue;
      case 0x0b: out += "\\v"; continue;
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += "\\\\"; continue;
    }
    if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\uFFFD"; // Go decodes invalid UTF-8 to U+FFFD
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** UTF-8 byte length of a string (BuildKit's line limit is in bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
