// NuGet versions: Major.Minor[.Patch[.Revision]][-label(.label)*][+metadata], missing parts 0, leading zeros
// allowed, labels compared case-insensitively, metadata ignored (NuGet's SemVer 2.0 rules with a fourth part).
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, compareStrings } from "./digits.ts";

export interface NuGetVersion {
  numbers: [string, string, string, string];
  labels: string[];
}

const PATTERN = /^\s*v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;
const SINGLE = /^\s*([0-9]+)\s*$/;

export function parseNuGetVersion(text: string): NuGetVersion | undefined {
  const single = SINGLE.exec(text);
  if (single !== null) return { numbers: [single[1] ?? "0", "0", "0", "0"], labels: [] };
  const m = PATTERN.exec(text);
  if (m === null) return undefined;
  return { numbers: [m[1] ?? "0", m[2] ?? "0", m[3] ?? "0", m[4] ?? "0"], labels: m[5] === undefined ? [] : m[5].split(".") };
}

export function isValidNuGetVersion(text: string): boolean {
  return parseNuGetVersion(text) !== undefined;
}

export function compareNuGetVersions(a: string, b: string): number {
  const x = parseNuGetVersion(a);
  const y = parseNuGetVersion(b);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a NuGet version`);
  }
  for (let i = 0; i < 4; i++) {
    const c = compareDigits(x.numbers[i] ?? "0", y.numbers[i] ?? "0");
    if (c !== 0) return c;
  }
  if (x.labels.length === 0 || y.labels.length === 0) return x.labels.length === y.labels.length ? 0 : x.labels.length === 0 ? 1 : -1;
  const n = Math.min(x.labels.length, y.labels.length);
  for (let i = 0; i < n; i++) {
    const p = x.labels[i] ?? "";
    const q = y.labels[i] ?? "";
    const pNum = /^[0-9]+$/.test(p);
    const qNum = /^[0-9]+$/.test(q);
    const c = pNum && qNum ? compareDigits(p, q) : pNum !== qNum ? (pNum ? -1 : 1) : compareStrings(p.toLowerCase(), q.toLowerCase());
    if (c !== 0) return c;
  }
  return x.labels.length === y.labels.length ? 0 : x.labels.length < y.labels.length ? -1 : 1;
}
