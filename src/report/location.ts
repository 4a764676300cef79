// Where a finding is, in the forms the report formats need. One place, so every format names a location alike.
import { createHash } from "node:crypto";
import { isAbsolute, relative, sep } from "node:path";
import type { Finding, Location } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";

/** An absolute path under cwd becomes relative to it, with "/" separators; anything else is kept as given. */
export function displayPath(file: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return rel.split(sep).join("/");
}

/** The input the user pointed drydock at: a Dockerfile, an image, a reference. Reports group by it. */
export function artifactOf(loc: Location, cwd: string | undefined): string {
  switch (loc.kind) {
    case "text":
      return displayPath(loc.file, cwd);
    case "layer":
      return displayPath(loc.image, cwd);
    case "ref":
      return loc.ref;
    default:
      return unreachable(loc);
  }
}

/** A path inside an image, always absolute: layers store "etc/passwd", users know "/etc/passwd". */
export function imagePath(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}

/**
 * One string naming the place, for formats that have only a file name (Checkstyle, GitLab):
 * the file; an image and the path inside it as "image!/path" (the archive!/entry convention); the reference.
 */
export function placeOf(loc: Location, cwd: string | undefined): string {
  return loc.kind === "layer" ? `${artifactOf(loc, cwd)}!${imagePath(loc.path)}` : artifactOf(loc, cwd);
}

/**
 * Fingerprints that survive edits elsewhere in the file: rule, place and message, never the line. Equal
 * findings (same rule, place and message) are told apart by their rank among themselves, which keeps every
 * fingerprint unique (GitLab shows only the first issue of a fingerprint) and stable while they keep their order.
 */
export function fingerprintsOf(findings: readonly Finding[], cwd: string | undefined): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = [f.ruleId, placeOf(f.location, cwd), f.message].join("\u0000");
    const rank = (seen.get(key) ?? 0) + 1;
    seen.set(key, rank);
    return createHash("sha256").update(`${key}\u0000${rank}`).digest("hex");
  });
}

/** Groups items by a key, keeping first-seen order of the keys and the items' order within each group. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
