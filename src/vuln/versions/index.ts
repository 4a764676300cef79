// One comparator per version scheme, and which scheme each OSV ecosystem uses.
import { compareApkVersions, isValidApkVersion } from "./apk.ts";
import { compareComposerVersions, isValidComposerVersion } from "./composer.ts";
import { compareDebianVersions, isValidDebianVersion } from "./dpkg.ts";
import { compareGemVersions, isValidGemVersion } from "./rubygems.ts";
import { compareGoVersions, isValidGoVersion } from "./go.ts";
import { compareMavenVersions, isValidMavenVersion } from "./maven.ts";
import { compareNuGetVersions, isValidNuGetVersion } from "./nuget.ts";
import { comparePep440Versions, isValidPep440Version } from "./pep440.ts";
import { compareRpmVersions } from "./rpm.ts";
import { compareSemVer, parseSemVer } from "./semver.ts";

export type VersionSchemeName = "dpkg" | "rpm" | "apk" | "pep440" | "npm" | "semver" | "maven" | "rubygems" | "go" | "composer" | "nuget";

export interface VersionScheme {
  name: VersionSchemeName;
  /** Negative, zero or positive as a sorts before, equal to or after b; throws VERSION_INVALID for a non-version. */
  compare(a: string, b: string): number;
  isValid(v: string): boolean;
}

export const VERSION_SCHEMES: Readonly<Record<VersionSchemeName, VersionScheme>> = {
  dpkg: { name: "dpkg", compare: compareDebianVersions, isValid: isValidDebianVersion },
  rpm: { name: "rpm", compare: compareRpmVersions, isValid: (v) => v !== "" },
  apk: { name: "apk", compare: compareApkVersions, isValid: isValidApkVersion },
  pep440: { name: "pep440", compare: comparePep440Versions, isValid: isValidPep440Version },
  npm: { name: "npm", compare: (a, b) => compareSemVer(a, b, "npm"), isValid: (v) => parseSemVer(v, "npm") !== undefined },
  semver: { name: "semver", compare: (a, b) => compareSemVer(a, b, "strict"), isValid: (v) => parseSemVer(v, "strict") !== undefined },
  maven: { name: "maven", compare: compareMavenVersions, isValid: isValidMavenVersion },
  rubygems: { name: "rubygems", compare: compareGemVersions, isValid: isValidGemVersion },
  go: { name: "go", compare: compareGoVersions, isValid: isValidGoVersion },
  composer: { name: "composer", compare: compareComposerVersions, isValid: isValidComposerVersion },
  nuget: { name: "nuget", compare: compareNuGetVersions, isValid: isValidNuGetVersion },
};

/** OSV ecosystem (without its ":release" suffix) → version scheme of its ECOSYSTEM ranges. */
const ECOSYSTEM_SCHEMES: Readonly<Record<string, VersionSchemeName>> = {
  Debian: "dpkg",
  Ubuntu: "dpkg",
  Alpine: "apk",
  Wolfi: "apk",
  Chainguard: "apk",
  "Red Hat": "rpm",
  "Rocky Linux": "rpm",
  AlmaLinux: "rpm",
  openSUSE: "rpm",
  SUSE: "rpm",
  Mageia: "rpm",
  "Photon OS": "rpm",
  openEuler: "rpm",
  PyPI: "pep440",
  npm: "npm",
  Maven: "maven",
  RubyGems: "rubygems",
  Go: "go",
  "crates.io": "semver",
  Packagist: "composer",
  NuGet: "nuget",
  Hex: "semver",
  Pub: "semver",
  SwiftURL: "semver",
};

/** The base ecosystem of an OSV ecosystem string: "Debian:12" → "Debian", "Maven:https://…" → "Maven". */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(":");
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/** The scheme for an OSV range: SEMVER ranges are SemVer 2.0 whatever the ecosystem; ECOSYSTEM ranges use the ecosystem's. */
export function schemeFor(ecosystem: string, rangeType: string = "ECOSYSTEM"): VersionScheme | undefined {
  if (rangeType === "SEMVER") {
    // Go writes versions with a "v" and has shorthands; npm allows a "v" and spaces: both are supersets of SemVer.
    const base = baseEcosystem(ecosystem);
    return base === "Go" ? VERSION_SCHEMES.go : base === "npm" ? VERSION_SCHEMES.npm : VERSION_SCHEMES.semver;
  }
  if (rangeType !== "ECOSYSTEM") return undefined;
  const name = ECOSYSTEM_SCHEMES[baseEcosystem(ecosystem)];
  return name === undefined ? undefined : VERSION_SCHEMES[name];
}
