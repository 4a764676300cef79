// Semantic Versioning 2.0.0 (§11 precedence), with the small syntax variants each ecosystem allows:
// npm (node-semver: optional "v", surrounding spaces), Cargo and OSV's SEMVER ranges (strict).
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, compareStrings } from "./digits.ts";

export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  /** Dot-separated pre-release identifiers; empty for a release. */
  prerelease: string[];
  build: string[];
}

const NUMBER = "0|[1-9][0-9]*";
const PRE_ID = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*)";
const BUILD_ID = "[0-9a-zA-Z-]+";
const CORE = `(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?`;
const STRICT = new RegExp(`^${CORE}$`);
const NPM = new RegExp(`^v?${CORE}$`);

/** node-semver refuses longer strings and numbers above 2^53 - 1. */
const NPM_MAX_LENGTH = 256;

export function parseSemVer(text: string, flavour: "strict" | "npm" = "strict"): SemVer | undefined {
  let s = text;
  if (flavour === "npm") {
    if (s.length > NPM_MAX_LENGTH) return undefined;
    s = s.trim();
  }
  const m = (flavour === "npm" ? NPM : STRICT).exec(s);
  if (m === null) return undefined;
  const v: SemVer = {
    major: m[1] ?? "0",
    minor: m[2] ?? "0",
    patch: m[3] ?? "0",
    prerelease: m[4] === undefined ? [] : m[4].split("."),
    build: m[5] === undefined ? [] : m[5].split("."),
  };
  if (flavour === "npm" && [v.major, v.minor, v.patch].some((n) => Number(n) > Number.MAX_SAFE_INTEGER)) return undefined;
  return v;
}

export function compareSemVer(a: string, b: string, flavour: "strict" | "npm" = "strict"): number {
  const x = parseSemVer(a, flavour);
  const y = parseSemVer(b, flavour);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a semantic version`);
  }
  return compareParsedSemVer(x, y);
}

/** §11: major, minor, patch numerically; a pre-release before its release; identifiers left to right; build ignored. */
export function compareParsedSemVer(x: SemVer, y: SemVer): number {
  return compareDigits(x.major, y.major)
    || compareDigits(x.minor, y.minor)
    || compareDigits(x.patch, y.patch)
    || comparePrerelease(x.prerelease, y.prerelease);
}

export function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifier(a[i] ?? "", b[i] ?? "");
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Numeric identifiers compare as numbers and before alphanumeric ones, which compare in ASCII order. */
function compareIdentifier(x: string, y: string): number {
  const xNum = /^[0-9]+$/.test(x);
  const yNum = /^[0-9]+$/.test(y);
  if (xNum && yNum) return compareDigits(x, y);
  if (xNum !== yNum) return xNum ? -1 : 1;
  return compareStrings(x, y);
}
