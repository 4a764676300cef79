// Maven versions, as the POM reference's "Version Order Specification" orders them: tokens split at '.', '-',
// '_' and digit/letter transitions; a '-' (or '_', or a transition to digits after letters) opens a nested list,
// so "1-1" is [1, [1]]; trailing "null" items (0, "", ga, final, release) are trimmed inside each list;
// numbers > nested lists > qualifiers, and qualifiers rank alpha < beta < milestone < rc = cr < snapshot <
// "" = ga = final = release < sp < any other (lexically).
import { compareDigits, compareStrings, isAsciiDigit } from "./digits.ts";

type Item = { kind: "int"; value: string } | { kind: "str"; value: string } | { kind: "list"; items: Item[] };

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const ALIASES: Readonly<Record<string, string>> = { ga: "", final: "", release: "", cr: "rc" };
const ABBREVIATIONS: Readonly<Record<string, string>> = { a: "alpha", b: "beta", m: "milestone" };

function stringItem(text: string, followedByDigit: boolean): Item {
  const expanded = followedByDigit && text.length === 1 ? ABBREVIATIONS[text] ?? text : text;
  return { kind: "str", value: ALIASES[expanded] ?? expanded };
}

function numberItem(text: string): Item {
  return { kind: "int", value: text.replace(/^0+(?=.)/, "") };
}

export function parseMavenVersion(version: string): Item {
  const text = version.toLowerCase();
  const root: Item & { kind: "list" } = { kind: "list", items: [] };
  const stack: (Item & { kind: "list" })[] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const child: Item & { kind: "list" } = { kind: "list", items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  const token = (end: number): Item => {
    const t = text.slice(start, end);
    return isDigit ? numberItem(t) : stringItem(t, false);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      list.items.push(i === start ? numberItem("0") : token(i));
      start = i + 1;
    } else if (c === 45 /* - */ || c === 95 /* _ */) {
      list.items.push(i === start ? numberItem("0") : token(i));
      start = i + 1;
      openList();
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        // letters then digits: "a1" is the qualifier alpha followed by a nested [1]
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(numberItem(text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    // A trailing qualifier after '.' counts as after '-': "1.foo" equals "1-foo".
    if (!isDigit && list.items.length > 0) openList();
    list.items.push(token(text.length));
  }
  for (let k = stack.length - 1; k >= 0; k--) normalize(stack[k] ?? root);
  return root;
}

function isNull(item: Item): boolean {
  if (item.kind === "int") return item.value === "0";
  if (item.kind === "str") return item.value === "";
  return item.items.length === 0;
}

/** Removes trailing null items, looking past non-null nested lists ("1.0-1" becomes [1, [1]]). */
function normalize(list: Item & { kind: "list" }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i];
    if (item === undefined) continue;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== "list") break;
  }
}

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i >= 0 ? String(i) : `${QUALIFIERS.length}-${q}`;
}

/** Compares an item with an absent one (the shorter side is padded with nothing). */
function compareWithNothing(item: Item): number {
  if (item.kind === "int") return item.value === "0" ? 0 : 1;
  if (item.kind === "str") return compareStrings(qualifierKey(item.value), qualifierKey(""));
  const first = item.items[0];
  return first === undefined ? 0 : compareWithNothing(first);
}

function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareWithNothing(b);
  if (b === undefined) return compareWithNothing(a);
  if (a.kind === "int") return b.kind === "int" ? compareDigits(a.value, b.value) : 1;
  if (a.kind === "str") {
    if (b.kind === "str") return compareStrings(qualifierKey(a.value), qualifierKey(b.value));
    return -1;
  }
  if (b.kind === "int") return -1;
  if (b.kind === "str") return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const c = compareItems(a.items[i], b.items[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export function compareMavenVersions(a: string, b: string): number {
  return compareItems(parseMavenVersion(a), parseMavenVersion(b));
}

/** Every string is a Maven version; an empty one is not useful. */
export function isValidMavenVersion(v: string): boolean {
  return v.trim() !== "";
}
