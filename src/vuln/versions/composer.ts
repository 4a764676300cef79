// Composer (Packagist) versions: normalised as Composer does (v prefix dropped, up to four numbers, stability
// suffixes stable/patch/RC/beta/alpha/dev with their short forms), then ordered as PHP's version_compare orders
// the normalised strings: dev < alpha < beta < RC < release < patch. Branch names (dev-main) are not ordered.
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, isAsciiDigit } from "./digits.ts";

const CLASSIC = /^v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?$/i;
const DATE = /^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?$/i;

/** Composer's normal form, e.g. "1.2.0.0-beta2", or undefined for a branch or an unparsable string. */
export function normalizeComposerVersion(text: string): string | undefined {
  let v = text.trim().replace(/^=+/, "");
  v = v.replace(/@(?:stable|rc|beta|alpha|dev)$/i, "");
  const classic = CLASSIC.exec(v);
  if (classic !== null) {
    const numbers = [classic[1], classic[2], classic[3], classic[4]].map((n, i) => (n === undefined ? (i === 0 ? "0" : ".0") : n));
    return numbers.join("") + stabilitySuffix(classic[5], classic[6], classic[7]);
  }
  const date = DATE.exec(v);
  if (date !== null) return (date[1] ?? "").replace(/\D/g, ".") + stabilitySuffix(date[2], date[3], date[4]);
  return undefined;
}

function stabilitySuffix(word: string | undefined, number: string | undefined, dev: string | undefined): string {
  let out = "";
  if (word !== undefined && word.toLowerCase() !== "stable") {
    const w = word.toLowerCase();
    const name = w === "a" ? "alpha" : w === "b" ? "beta" : w === "rc" ? "RC" : w === "p" || w === "pl" ? "patch" : w;
    out = `-${name}${(number ?? "").replace(/^[.-]/, "")}`;
  }
  if (dev !== undefined) out += "-dev";
  return out;
}

export function isValidComposerVersion(text: string): boolean {
  return normalizeComposerVersion(text) !== undefined;
}

export function compareComposerVersions(a: string, b: string): number {
  const x = normalizeComposerVersion(a);
  const y = normalizeComposerVersion(b);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a Composer version`);
  }
  return phpVersionCompare(x, y);
}

/** Ranks of PHP's special words, matched as prefixes in this order; numbers rank 4; any other word -6. */
const SPECIAL: readonly [string, number][] = [["dev", 0], ["alpha", 1], ["a", 1], ["beta", 2], ["b", 2], ["RC", 3], ["rc", 3], ["#", 4], ["pl", 5], ["p", 5]];

function specialRank(part: string): number {
  for (const [name, rank] of SPECIAL) if (part.startsWith(name)) return rank;
  return -6;
}

/** PHP's canonical form: '-', '_' and '+' become '.', and a '.' goes between digits and non-digits. */
function phpParts(v: string): string[] {
  let out = "";
  let prev = "";
  for (const ch of v) {
    const c = "-_+".includes(ch) ? "." : ch;
    if (c !== "." && prev !== "" && prev !== "." && isAsciiDigit(prev.charCodeAt(0)) !== isAsciiDigit(c.charCodeAt(0))) out += ".";
    if (!(c === "." && prev === ".")) out += c;
    prev = c;
  }
  return out.split(".").filter((p) => p !== "");
}

function comparePart(p: string, q: string): number {
  const pNum = isAsciiDigit(p.charCodeAt(0));
  const qNum = isAsciiDigit(q.charCodeAt(0));
  if (pNum && qNum) return compareDigits(p, q);
  const x = pNum ? 4 : specialRank(p);
  const y = qNum ? 4 : specialRank(q);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function phpVersionCompare(a: string, b: string): number {
  const x = phpParts(a);
  const y = phpParts(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(x[i] ?? "", y[i] ?? "");
    if (c !== 0) return c;
  }
  if (x.length === y.length) return 0;
  // The longer one goes on: a number makes it newer, a word is ranked against a number ("1.0" > "1.0-beta").
  const extra = x.length > y.length ? x[n] ?? "" : y[n] ?? "";
  const c = isAsciiDigit(extra.charCodeAt(0)) ? 1 : comparePart(extra, "#") ;
  return x.length > y.length ? c : -c;
}
