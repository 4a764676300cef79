// Go module versions: semantic versions with a "v" (optional here, because OSV ranges drop it), the shorthands
// v1 and v1.2, "+incompatible" (build metadata, so ignored by the order) and pseudo-versions, which are
// pre-releases built to sort between the tagged versions around them. Go toolchain versions ("go1.21.5",
// "go1.21rc2") are accepted for the standard library.
import { DrydockError } from "../../core/errors.ts";
import { compareParsedSemVer, parseSemVer, type SemVer } from "./semver.ts";

const SHORTHAND = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$/;
const TOOLCHAIN = /^go(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?(?:(rc|beta)([0-9]+))?$/;

export function parseGoVersion(text: string): SemVer | undefined {
  const toolchain = TOOLCHAIN.exec(text);
  if (toolchain !== null) {
    // go1.21rc2 is 1.21.0-rc.2; go1.21 (before 1.21.0 existed) is 1.21.0.
    const pre = toolchain[4] === undefined ? [] : [toolchain[4], toolchain[5] ?? "0"];
    return { major: toolchain[1] ?? "0", minor: toolchain[2] ?? "0", patch: toolchain[3] ?? "0", prerelease: pre, build: [] };
  }
  const s = text.startsWith("v") ? text.slice(1) : text;
  const short = SHORTHAND.exec(s);
  if (short !== null) return { major: short[1] ?? "0", minor: short[2] ?? "0", patch: "0", prerelease: [], build: [] };
  return parseSemVer(s, "strict");
}

export function isValidGoVersion(text: string): boolean {
  return parseGoVersion(text) !== undefined;
}

export function compareGoVersions(a: string, b: string): number {
  const x = parseGoVersion(a);
  const y = parseGoVersion(b);
  if (x === undefined || y === undefined) {
    throw new DrydockError("VERSION_INVALID", `${JSON.stringify(x === undefined ? a : b)} is not a Go module version`);
  }
  return compareParsedSemVer(x, y);
}

const PSEUDO = /^v?[0-9]+\.[0-9]+\.[0-9]+-(?:[0-9A-Za-z.-]*\.)?(?:0\.)?[0-9]{14}-[0-9a-f]{12}(?:\+incompatible)?$/;

/** Whether a version is a pseudo-version (an untagged commit: v0.0.0-20191109021931-daa7c04131f5 and its forms). */
export function isGoPseudoVersion(text: string): boolean {
  return PSEUDO.test(text);
}
