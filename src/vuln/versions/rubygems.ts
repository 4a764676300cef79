// RubyGems versions (Gem::Version): segments are runs of digits or letters; a letter makes a pre-release;
// "-" means ".pre."; trailing zeros of the release part and of the pre-release part do not count.
import { DrydockError } from "../../core/errors.ts";
import { compareDigits, compareStrings } from "./digits.ts";

const PATTERN = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

type Segment = string | { num: string };

export function parseGemVersion(text: string): Segment[] | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return undefined;
  const body = (m[1] ?? "0").replaceAll("-", ".pre.");
  const segments: Segment[] = [...body.matchAll(/[0-9]+|[a-zA-Z]+/g)].map((x) => (/^[0-9]/.test(x[0]) ? { num: x[0] } : x[0]));
  return canonical(segments);
}

function isZero(s: Segment): boolean {
  return typeof s !== "string" && /^0+$/.test(s.num);
}

/** Drops trailing zeros from the numeric part (before the first letter segment) and from the whole. */
function canonical(segments: Segment[]): Segment[] {
  const firstString = segments.findIndex((s) => typeof s === "string");
  const release = firstString < 0 ? segments : segments.slice(0, firstString);
  const pre = firstString < 0 ? [] : segments.slice(firstString);
  const trim = (list: Segment[]): Segment[] => {
    let end = list.length;
    while (end > 0 && isZero(list[end - 1] ?? { num: "1" })) end--;
    return list.slice(0, end);
  };
  return [...trim(release), ...trim(pre)];
}

export function isValidGemVersion(text: string): boolean {
  return parseGemVersion(text) !== undefined;
}

/** Segment by segment, missing ones as 0; a letter segment is below a number; letters compare as bytes. */
export function compareGemVersions(a: string, b: string): number {
  const x = parseGemVersion(a);
  const y = parseGemVersion(b);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a RubyGems version`);
  }
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] ?? { num: "0" };
    const q = y[i] ?? { num: "0" };
    if (typeof p === "string" && typeof q === "string") {
      const c = compareStrings(p, q);
      if (c !== 0) return c;
    } else if (typeof p === "string") {
      return -1;
    } else if (typeof q === "string") {
      return 1;
    } else {
      const c = compareDigits(p.num, q.num);
      if (c !== 0) return c;
    }
  }
  return 0;
}
