// Words of a shell script: quote removal, and the link from each word back to the text it was cut from, so that
// parts of a word (`--index-url=URL`) and `sh -c` scripts keep exact spans in the Dockerfile.
import type { Span } from "../core/finding.ts";
import type { MappedText } from "../core/text.ts";

/** A word as written in the script. */
export interface ShellWord {
  /** The source text as written, quotes and escapes included. */
  text: string;
  /**
   * The word after quote removal (quotes and backslash escapes removed, `$'...'` decoded); undefined when the word
   * contains a parameter expansion, command or arithmetic substitution. Glob, tilde and brace expansion are not
   * applied: `*.deb` and `{a,b}` keep their text.
   */
  value: string | undefined;
  span: Span;
}

/** `NAME=value` before a command name (or after `env`/`sudo`), or an argument of `export`-like builtins. */
export interface ShellAssignment extends ShellWord {
  /** The variable name ("DEBIAN_FRONTEND"). */
  name: string;
  /** The word after `=` (empty text for `NAME=`). */
  assigned: ShellWord;
}

/** The text a word was cut from and its range there. */
export interface WordOrigin {
  text: MappedText;
  start: number;
  end: number;
}

/**
 * A word cut from a parsed script. Where it was cut from is kept in private fields, so that query helpers can cut
 * it further and nested scripts can map their text, without being part of the word's data (a copy made with
 * `{ ...word }` has no origin, and deep equality ignores it).
 */
class ScriptWord implements ShellWord {
  text: string;
  value: string | undefined;
  span: Span;
  readonly #from: MappedText;
  readonly #start: number;
  readonly #end: number;

  constructor(from: MappedText, start: number, end: number) {
    const text = from.text.slice(start, end);
    this.text = text;
    this.value = isPlain(text) ? text : unquote(from.text, start, end, undefined);
    this.span = from.span(start, end);
    this.#from = from;
    this.#start = start;
    this.#end = end;
  }

  static originOf(word: ShellWord): WordOrigin | undefined {
    return #from in word ? { text: word.#from, start: word.#start, end: word.#end } : undefined;
  }
}

class ScriptAssignment extends ScriptWord implements ShellAssignment {
  name: string;
  assigned: ShellWord;

  constructor(from: MappedText, start: number, end: number, name: string) {
    super(from, start, end);
    this.name = name;
    // The value starts after `=` (or `+=`); `A=` assigns the empty word at the end.
    const eq = this.text.indexOf("=");
    const at = eq === -1 ? end : start + eq + 1;
    this.assigned = new ScriptWord(from, at, end);
  }
}

/** The part [start, end) of a word's text as a word of its own, with its exact span (e.g. the value of `--x=y`). */
export function sliceWord(word: ShellWord, start: number, end: number = word.text.length): ShellWord {
  const origin = ScriptWord.originOf(word);
  const a = Math.max(0, Math.min(start, word.text.length));
  const b = Math.max(a, Math.min(end, word.text.length));
  if (origin === undefined) {
    // A word not made by parseShell: no map to the source, so the span is the whole word's.
    return { text: word.text.slice(a, b), value: unquote(word.text, a, b, undefined), span: word.span };
  }
  return new ScriptWord(origin.text, origin.start + a, origin.start + b);
}

/** The word text[start, end) of a script. */
export function makeWord(text: MappedText, start: number, end: number): ShellWord {
  return new ScriptWord(text, start, end);
}

/** The assignment text[start, end) of a script; name is the variable's name. */
export function makeAssignment(text: MappedText, start: number, end: number, name: string): ShellAssignment {
  return new ScriptAssignment(text, start, end, name);
}

/** A word read as `NAME=value` (`env NAME=value cmd`): an assignment with the word's text, span and origin. */
export function assignmentOf(word: ShellWord, name: string): ShellAssignment {
  const origin = ScriptWord.originOf(word);
  if (origin !== undefined) return new ScriptAssignment(origin.text, origin.start, origin.end, name);
  return { text: word.text, value: word.value, span: word.span, name, assigned: sliceWord(word, word.text.indexOf("=") + 1) };
}

/** The text a word was cut from and its range there; undefined for a word not made by the parser. */
export function wordOrigin(word: ShellWord): WordOrigin | undefined {
  return ScriptWord.originOf(word);
}

/** Whether text needs no quote removal: no quote, backslash, dollar or backtick. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || c === 0x27 || c === 0x22 || c === 0x24 || c === 0x60) return false;
  }
  return true;
}

/**
 * Quote removal for text[start, end): returns the word's value, or undefined when it holds an expansion or a
 * substitution. When indices is given, it receives for each character of the value the index in text it came from.
 */
export function unquote(text: string, start: number, end: number, indices: number[] | undefined): string | undefined {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || c === 0x27 || c === 0x22 || c === 0x24 || c === 0x60) {
      plain = false;
      break;
    }
  }
  if (plain) {
    if (indices !== undefined) for (let i = start; i < end; i++) indices.push(i);
    return text.slice(start, end);
  }
  let out = "";
  const put = (s: string, at: number): void => {
    out += s;
    if (indices !== undefined) for (let k = 0; k < s.length; k++) indices.push(at);
  };
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === "\\") {
      if (i + 1 >= end) {
        put("\\", i);
        i++;
      } else if (text[i + 1] === "\n") {
        i += 2; // line continuation
      } else {
        put(text[i + 1] ?? "", i + 1);
        i += 2;
      }
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 || close >= end ? end : close;
      for (let k = i + 1; k < stop; k++) put(text[k] ?? "", k);
      i = stop + 1;
    } else if (c === '"') {
      const next = doubleQuoted(text, i + 1, end, put);
      if (next === undefined) return undefined;
      i = next;
    } else if (c === "$") {
      const n = text[i + 1];
      if (n === "'") {
        const next = ansiC(text, i + 2, end, put);
        i = next;
      } else if (n === '"') {
        const next = doubleQuoted(text, i + 2, end, put);
        if (next === undefined) return undefined;
        i = next;
      } else if (n !== undefined && i + 1 < end && startsExpansion(n)) {
        return undefined;
      } else {
        put("$", i);
        i++;
      }
    } else if (c === "`") {
      return undefined;
    } else {
      put(c ?? "", i);
      i++;
    }
  }
  return out;
}

function startsExpansion(c: string): boolean {
  return /[A-Za-z0-9_{([@*#?$!-]/.test(c);
}

/** Reads a double-quoted string body from i (after the quote); returns the index after the closing quote. */
function doubleQuoted(text: string, i: number, end: number, put: (s: string, at: number) => void): number | undefined {
  while (i < end) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c === "\\" && i + 1 < end) {
      const n = text[i + 1] ?? "";
      if (n === "\n") {
        i += 2;
        continue;
      }
      if (n === "$" || n === "`" || n === '"' || n === "\\") {
        put(n, i + 1);
        i += 2;
        continue;
      }
      put("\\", i);
      i++;
      continue;
    }
    if (c === "`") return undefined;
    if (c === "$") {
      const n = text[i + 1];
      if (n !== undefined && i + 1 < end && n !== '"' && startsExpansion(n)) return undefined;
    }
    put(c ?? "", i);
    i++;
  }
  return end;
}

const ANSI_ESCAPES: Record<string, string> = {
  a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
};

/** Reads a `$'...'` body from i (after the quote); returns the index after the closing quote. */
function ansiC(text: string, i: number, end: number, put: (s: string, at: number) => void): number {
  while (i < end) {
    const c = text[i];
    if (c === "'") return i + 1;
    if (c !== "\\" || i + 1 >= end) {
      put(c ?? "", i);
      i++;
      continue;
    }
    const n = text[i + 1] ?? "";
    const simple = ANSI_ESCAPES[n];
    if (simple !== undefined) {
      put(simple, i);
      i += 2;
      continue;
    }
    const numeric = /^(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3}))/.exec(text.slice(i + 1, Math.min(end, i + 10)));
    if (numeric !== null) {
      const hex = numeric[1] ?? numeric[2] ?? numeric[3];
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(numeric[4] ?? "0", 8);
      put(code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd", i);
      i += 1 + numeric[0].length;
      continue;
    }
    if (n === "c" && i + 2 < end) {
      put(String.fromCharCode((text.charCodeAt(i + 2) & 0x1f)), i);
      i += 3;
      continue;
    }
    put("\\" + n, i);
    i += 2;
  }
  return end;
}
