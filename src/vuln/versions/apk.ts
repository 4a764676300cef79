// Alpine apk versions: number{.number}[letter]{_suffix[number]}[-rN], ordered as apk-tools orders them.
import { compareDigits, compareStrings, isAsciiDigit } from "./digits.ts";

/** Token kinds in the order apk ranks them when one version has a token where the other has another kind. */
const DIGIT_OR_ZERO = 0; // a component after '.', where leading zeros make a "fraction"
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const REVISION = 5;
const END = 6;
const INVALID = -1;

/** Pre-release suffixes sort below the bare version, post-release ones above, each in this order. */
const PRE_SUFFIXES = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES = ["cvs", "svn", "git", "hg", "p"];

interface Token {
  kind: number;
  /** Digits for numbers, the letter, or the suffix's rank (negative for pre-release suffixes). */
  value: string | number;
}

/** Splits a version into apk's tokens; the last is END, or INVALID where the syntax breaks. */
export function apkTokens(version: string): Token[] {
  const tokens: Token[] = [];
  let kind = DIGIT;
  let i = 0;
  const s = version;
  for (;;) {
    if (i >= s.length) {
      tokens.push({ kind: END, value: 0 });
      return tokens;
    }
    let value: string | number;
    let forcedNext = -2;
    if (kind === DIGIT_OR_ZERO && s[i] === "0") {
      // "1.01" < "1.1": each leading zero of a later component lowers it, the rest is a separate number.
      let z = i;
      while (z < s.length && s[z] === "0") z++;
      value = -(z - i);
      i = z;
      // the digits after the zeros are a number of their own; without any, the component ends here
      if (i < s.length && isAsciiDigit(s.charCodeAt(i))) forcedNext = DIGIT;
      tokens.push({ kind, value });
    } else if (kind === DIGIT || kind === DIGIT_OR_ZERO || kind === SUFFIX_NUMBER || kind === REVISION) {
      const start = i;
      while (i < s.length && isAsciiDigit(s.charCodeAt(i))) i++;
      value = s.slice(start, i);
      tokens.push({ kind, value: value === "" ? "0" : value });
    } else if (kind === LETTER) {
      tokens.push({ kind, value: s[i] ?? "" });
      i++;
    } else if (kind === SUFFIX) {
      const rank = suffixRank(s, i);
      if (rank === undefined) {
        tokens.push({ kind: INVALID, value: 0 });
        return tokens;
      }
      tokens.push({ kind, value: rank.rank });
      i += rank.length;
    } else {
      tokens.push({ kind: INVALID, value: 0 });
      return tokens;
    }
    if (i >= s.length) {
      tokens.push({ kind: END, value: 0 });
      return tokens;
    }
    if (forcedNext !== -2) {
      kind = forcedNext;
      continue;
    }
    const next = nextKind(kind, s, i);
    kind = next.kind;
    i += next.skip;
    if (kind === INVALID) {
      tokens.push({ kind: INVALID, value: 0 });
      return tokens;
    }
  }
}

function suffixRank(s: string, i: number): { rank: number; length: number } | undefined {
  for (let k = 0; k < PRE_SUFFIXES.length; k++) {
    const name = PRE_SUFFIXES[k] ?? "";
    if (s.startsWith(name, i)) return { rank: k - PRE_SUFFIXES.length, length: name.length };
  }
  for (let k = 0; k < POST_SUFFIXES.length; k++) {
    const name = POST_SUFFIXES[k] ?? "";
    if (s.startsWith(name, i)) return { rank: k, length: name.length };
  }
  return undefined;
}

/** The kind of the token starting at i, after a token of kind `previous`, and how many separator characters to skip. */
function nextKind(previous: number, s: string, i: number): { kind: number; skip: number } {
  const c = s.charCodeAt(i);
  const lower = c >= 97 && c <= 122;
  let kind = INVALID;
  let skip = 0;
  if ((previous === DIGIT || previous === DIGIT_OR_ZERO) && lower) kind = LETTER;
  else if (previous === LETTER && isAsciiDigit(c)) kind = DIGIT;
  else if (previous === SUFFIX && isAsciiDigit(c)) kind = SUFFIX_NUMBER;
  else {
    skip = 1;
    if (c === 46) kind = DIGIT_OR_ZERO;
    else if (c === 95) kind = SUFFIX;
    else if (c === 45 && s[i + 1] === "r") {
      kind = REVISION;
      skip = 2;
    }
  }
  // Tokens only move forward through the grammar, except for these steps back.
  if (kind < previous
    && !((kind === DIGIT_OR_ZERO && previous === DIGIT) || (kind === SUFFIX && previous === SUFFIX_NUMBER) || (kind === DIGIT && previous === LETTER))) {
    kind = INVALID;
  }
  return { kind, skip };
}

export function isValidApkVersion(version: string): boolean {
  if (version === "" || !isAsciiDigit(version.charCodeAt(0))) return false;
  const tokens = apkTokens(version);
  return tokens[tokens.length - 1]?.kind === END;
}

function compareValues(a: Token, b: Token): number {
  if (typeof a.value === "number" && typeof b.value === "number") return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
  if (typeof a.value === "string" && typeof b.value === "string") {
    return a.kind === LETTER ? compareStrings(a.value, b.value) : compareDigits(a.value, b.value);
  }
  // A run of leading zeros (negative) against a number: the zeros make it smaller.
  return typeof a.value === "number" ? -1 : 1;
}

/**
 * Compares token by token while kinds and values agree. Then: a differing value decides; otherwise the version
 * that goes on is newer, unless what follows is a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`).
 * Two invalid versions (or one) compare as plain strings, as apk-tools falls back to.
 */
export function compareApkVersions(a: string, b: string): number {
  if (!isValidApkVersion(a) || !isValidApkVersion(b)) return compareStrings(a, b);
  const ta = apkTokens(a);
  const tb = apkTokens(b);
  let k = 0;
  for (;;) {
    const x = ta[k];
    const y = tb[k];
    if (x === undefined || y === undefined) return 0;
    if (x.kind !== y.kind) {
      if (x.kind === SUFFIX && typeof x.value === "number" && x.value < 0) return -1;
      if (y.kind === SUFFIX && typeof y.value === "number" && y.value < 0) return 1;
      return x.kind > y.kind ? -1 : 1;
    }
    if (x.kind === END) return 0;
    const c = compareValues(x, y);
    if (c !== 0) return c;
    k++;
  }
}
