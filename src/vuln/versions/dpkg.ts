// Debian package versions: [epoch:]upstream[-revision], ordered as Debian Policy §5.6.12 describes and dpkg does.
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, isAsciiDigit, isAsciiLetter, sign } from "./digits.ts";

export interface DebianVersion {
  epoch: number;
  upstream: string;
  /** "" when the version has no Debian revision (then it equals revision "0"). */
  revision: string;
}

const INT_MAX = 2147483647;

/**
 * Parses like dpkg: the problems dpkg rejects (empty parts, a bad epoch, blanks inside) give undefined; those it
 * only warns about (upstream not starting with a digit, unusual characters) still parse, because
 * `dpkg --compare-versions` compares such versions anyway.
 */
export function parseDebianVersion(text: string): DebianVersion | undefined {
  const trimmed = text.replace(/^[ \t]+|[ \t]+$/g, "");
  if (trimmed === "" || /[ \t]/.test(trimmed)) return undefined;
  let rest = trimmed;
  let epoch = 0;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const m = /^([+-]?)(\d+)$/.exec(rest.slice(0, colon));
    if (m === null) return undefined;
    const value = Number(m[2]);
    if (value > INT_MAX || (m[1] === "-" && value !== 0)) return undefined;
    epoch = value;
    rest = rest.slice(colon + 1);
    if (rest === "") return undefined;
  }
  const hyphen = rest.lastIndexOf("-");
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : "";
  if (upstream === "" || (hyphen >= 0 && revision === "")) return undefined;
  return { epoch, upstream, revision };
}

export function isValidDebianVersion(text: string): boolean {
  return parseDebianVersion(text) !== undefined;
}

/** Negative, zero or positive as a sorts before, equal to or after b. Throws VERSION_INVALID for a string dpkg rejects. */
export function compareDebianVersions(a: string, b: string): number {
  const x = parseDebianVersion(a);
  const y = parseDebianVersion(b);
  if (x === undefined || y === undefined) throw invalid(x === undefined ? a : b);
  return compareParsedDebianVersions(x, y);
}

export function compareParsedDebianVersions(x: DebianVersion, y: DebianVersion): number {
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return compareDebianFragment(x.upstream, y.upstream) || compareDebianFragment(x.revision, y.revision);
}

/**
 * Policy's comparison of an upstream version or a revision: alternately the leading non-digit parts, character by
 * character with `~` before everything (even the end), letters before other characters; then the digit parts as
 * numbers (an absent one is 0).
 */
export function compareDebianFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isAsciiDigit(a.charCodeAt(i))) || (j < b.length && !isAsciiDigit(b.charCodeAt(j)))) {
      const oa = characterWeight(a, i);
      const ob = characterWeight(b, j);
      if (oa !== ob) return sign(oa - ob);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (i < a.length && isAsciiDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isAsciiDigit(b.charCodeAt(j))) j++;
    const c = compareDigits(a.slice(startA, i) || "0", b.slice(startB, j) || "0");
    if (c !== 0) return c;
  }
  return 0;
}

/** The weight of the character at i in the non-digit run: end and digits 0, `~` lowest, letters, then the rest. */
function characterWeight(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isAsciiDigit(c)) return 0;
  if (isAsciiLetter(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

function invalid(v: string): DrydockError {
  return new DrydockError("VERSION_INVALID", `${JSON.stringify(v)} is not a Debian package version`);
}
