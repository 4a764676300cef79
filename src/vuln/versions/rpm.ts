// RPM versions: rpmvercmp on each of epoch, version and release, as rpm 4.18 compares an [epoch:]version[-release].
import { compareDigits, compareStrings, isAsciiDigit, isAsciiLetter } from "./digits.ts";

export interface RpmVersion {
  /** undefined when the string had no epoch (compared as "0"). */
  epoch: string | undefined;
  version: string;
  /** undefined when the string had no release (compared as ""). */
  release: string | undefined;
}

/**
 * Splits like rpm: an epoch is the leading digits before a ':', the release is what follows the last '-'.
 * Every string parses; rpm has no invalid version.
 */
export function parseRpmVersion(evr: string): RpmVersion {
  let digits = 0;
  while (digits < evr.length && isAsciiDigit(evr.charCodeAt(digits))) digits++;
  let epoch: string | undefined;
  let rest = evr;
  if (evr.charCodeAt(digits) === 58) {
    epoch = digits === 0 ? "0" : evr.slice(0, digits);
    rest = evr.slice(digits + 1);
  }
  const hyphen = rest.lastIndexOf("-");
  // rpm searches for the release separator only after the epoch's digits.
  if (hyphen >= (epoch === undefined ? digits : 0) && hyphen >= 0) {
    return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
  }
  return { epoch, version: rest, release: undefined };
}

export function compareRpmVersions(a: string, b: string): number {
  return compareParsedRpmVersions(parseRpmVersion(a), parseRpmVersion(b));
}

export function compareParsedRpmVersions(x: RpmVersion, y: RpmVersion): number {
  return rpmvercmp(x.epoch ?? "0", y.epoch ?? "0")
    || rpmvercmp(x.version, y.version)
    || rpmvercmp(x.release ?? "", y.release ?? "");
}

const TILDE = 126;
const CARET = 94;

function isAlnum(c: number): boolean {
  return isAsciiDigit(c) || isAsciiLetter(c);
}

/**
 * rpm's segment comparison: separators (anything but letters, digits, `~` and `^`) only split segments; `~` sorts
 * before everything, even the end; `^` sorts after the end but before anything else; a numeric segment is newer
 * than an alphabetic one; numbers compare as integers, letters as bytes; when all segments tie, the string with
 * segments left over is newer.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    if (i >= a.length && j >= b.length) return 0;
    const ca = i < a.length ? a.charCodeAt(i) : -1;
    const cb = j < b.length ? b.charCodeAt(j) : -1;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1;
      if (cb === -1) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === -1 || cb === -1) return ca === -1 ? -1 : 1;
    const numeric = isAsciiDigit(ca);
    const endA = segmentEnd(a, i, numeric);
    const endB = segmentEnd(b, j, numeric);
    // b's segment is of the other kind: numbers are newer than letters.
    if (endB === j) return numeric ? 1 : -1;
    const c = numeric ? compareDigits(a.slice(i, endA), b.slice(j, endB)) : compareStrings(a.slice(i, endA), b.slice(j, endB));
    if (c !== 0) return c;
    i = endA;
    j = endB;
  }
}

function segmentEnd(s: string, from: number, numeric: boolean): number {
  let k = from;
  while (k < s.length && (numeric ? isAsciiDigit(s.charCodeAt(k)) : isAsciiLetter(s.charCodeAt(k)))) k++;
  return k;
}
