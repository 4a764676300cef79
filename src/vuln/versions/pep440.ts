// Python package versions (PEP 440): [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spec's
// normalisations (alternative spellings, separators, implicit numbers) and its total order.
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, compareStrings } from "./digits.ts";

export interface Pep440Version {
  epoch: string;
  /** Release numbers as digit strings, trailing zeros removed (1.0 equals 1). */
  release: string[];
  pre: { letter: "a" | "b" | "rc"; number: string } | undefined;
  post: string | undefined;
  dev: string | undefined;
  /** Local segments, lower-cased; digit-only ones compare as numbers. */
  local: string[] | undefined;
}

// The spec's permissive syntax (its appendix regex, case-insensitive, surrounding whitespace allowed).
const PATTERN = new RegExp(
  "^\\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
  + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
  + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
  + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
  + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
  "i",
);

export function parsePep440Version(text: string): Pep440Version | undefined {
  const m = PATTERN.exec(text);
  const g = m?.groups;
  if (g === undefined) return undefined;
  const release = (g.release ?? "0").split(".");
  while (release.length > 0 && /^0+$/.test(release[release.length - 1] ?? "")) release.pop();
  const preLetter = g.preL?.toLowerCase();
  return {
    epoch: g.epoch ?? "0",
    release,
    pre: preLetter === undefined ? undefined : { letter: normalPreLetter(preLetter), number: g.preN ?? "0" },
    post: g.post === undefined ? undefined : g.postN1 ?? g.postN2 ?? "0",
    dev: g.dev === undefined ? undefined : g.devN ?? "0",
    local: g.local === undefined ? undefined : g.local.toLowerCase().split(/[-_.]/),
  };
}

function normalPreLetter(letter: string): "a" | "b" | "rc" {
  if (letter === "a" || letter === "alpha") return "a";
  if (letter === "b" || letter === "beta") return "b";
  return "rc";
}

export function isValidPep440Version(text: string): boolean {
  return parsePep440Version(text) !== undefined;
}

export function comparePep440Versions(a: string, b: string): number {
  const x = parsePep440Version(a);
  const y = parsePep440Version(b);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a PEP 440 version`);
  }
  return compareParsedPep440Versions(x, y);
}

/**
 * The spec's order: epoch, release (shorter is padded with zeros), then pre-release, post-release, development
 * release and local label, where a dev release of a plain version sorts before its pre-releases, a missing
 * post-release before any, a missing dev release after any, and a missing local label before any.
 */
export function compareParsedPep440Versions(x: Pep440Version, y: Pep440Version): number {
  return compareDigits(x.epoch, y.epoch)
    || compareRelease(x.release, y.release)
    || comparePhase(preRank(x), preRank(y))
    || comparePhase(optionalRank(x.post, -1), optionalRank(y.post, -1))
    || comparePhase(optionalRank(x.dev, 1), optionalRank(y.dev, 1))
    || compareLocal(x.local, y.local);
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? "0", b[i] ?? "0");
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A sortable stand-in for a phase: -1 (before all values), 1 (after all), or a value compared within. */
type Rank = { bound: -1 | 1 } | { letter: string; number: string };

function preRank(v: Pep440Version): Rank {
  if (v.pre !== undefined) return { letter: v.pre.letter, number: v.pre.number };
  // 1.0.dev0 comes before 1.0a0; 1.0 (and 1.0.post0.dev0) after every pre-release.
  if (v.post === undefined && v.dev !== undefined) return { bound: -1 };
  return { bound: 1 };
}

function optionalRank(value: string | undefined, whenMissing: -1 | 1): Rank {
  return value === undefined ? { bound: whenMissing } : { letter: "", number: value };
}

function comparePhase(a: Rank, b: Rank): number {
  if ("bound" in a || "bound" in b) {
    const x = "bound" in a ? a.bound * 2 : 0;
    const y = "bound" in b ? b.bound * 2 : 0;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return compareStrings(a.letter, b.letter) || compareDigits(a.number, b.number);
}

function compareLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    // Numeric segments sort after alphanumeric ones.
    const c = xNum && yNum ? compareDigits(x, y) : xNum !== yNum ? (xNum ? 1 : -1) : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
