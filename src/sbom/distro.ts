// Which distribution a root file system is: /etc/os-release (or /usr/lib/os-release), or Alpine's
// /etc/alpine-release when os-release is missing; and what that means for its OS packages — the ecosystem and
// release matching uses, and the purl namespace and distro qualifier.
import { distroRelease } from "../vuln/distro.ts";
import type { DistroInfo, PackageType } from "./model.ts";

/** Where the distribution is read from, in order of preference. */
export const OS_RELEASE_PATHS = ["etc/os-release", "usr/lib/os-release"] as const;
export const ALPINE_RELEASE_PATH = "etc/alpine-release";
/** Real os-release files are under 1 KiB; anything this large is not one. */
export const MAX_RELEASE_FILE_BYTES = 64 * 1024;

/**
 * os-release lines: KEY=value, the value optionally in single or double quotes with shell escapes (\" \\ \$ \`).
 * Comments, blank lines and malformed lines are ignored (the format says readers should).
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m === null) continue;
    out[m[1] as string] = unquote(m[2] as string);
  }
  return out;
}

function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    return first === '"' ? inner.replace(/\\(["\\$`])/g, "$1") : inner;
  }
  return value;
}

/** The distribution an os-release file describes; undefined when it names none (no ID). */
export function distroFromOsRelease(text: string): DistroInfo | undefined {
  const fields = parseOsRelease(text);
  const id = fields.ID?.toLowerCase();
  if (id === undefined || id === "") return undefined;
  const idLike = (fields.ID_LIKE ?? "").toLowerCase().split(/\s+/).filter((s) => s !== "");
  return {
    id,
    versionId: fields.VERSION_ID || undefined,
    versionCodename: fields.VERSION_CODENAME || undefined,
    prettyName: fields.PRETTY_NAME || undefined,
    ...(idLike.length > 0 ? { idLike } : {}),
  };
}

/** Alpine's one-line release file ("3.19.1"); undefined when it does not hold a version. */
export function distroFromAlpineRelease(text: string): DistroInfo | undefined {
  const version = text.trim().split(/\s+/)[0] ?? "";
  if (!/^\d+\.\d+/.test(version)) return undefined;
  return { id: "alpine", versionId: version, versionCodename: undefined, prettyName: `Alpine Linux v${version.replace(/^(\d+\.\d+).*$/, "$1")}` };
}

/** The ecosystem each OS package type has when the distribution is unknown or foreign to it. */
export const DEFAULT_OS_ECOSYSTEM: Readonly<Record<"deb" | "apk" | "rpm", string>> = { deb: "Debian", apk: "Alpine", rpm: "Red Hat" };

/** Default purl namespaces (the purl spec's examples): the vendor when the distribution is unknown. */
const DEFAULT_NAMESPACE: Readonly<Record<"deb" | "apk" | "rpm", string>> = { deb: "debian", apk: "alpine", rpm: "redhat" };

/** Distributions whose purl namespace is not their os-release ID. */
const NAMESPACE_OF_ID: Readonly<Record<string, string>> = { rhel: "redhat", ol: "oracle", amzn: "amazon", "opensuse-leap": "opensuse", "opensuse-tumbleweed": "opensuse", sles: "suse" };

/** Which package type each distribution (by ID or ID_LIKE) installs. */
const PACKAGE_TYPE_OF_ID: Readonly<Record<string, "deb" | "apk" | "rpm">> = {
  debian: "deb", ubuntu: "deb", alpine: "apk", wolfi: "apk", chainguard: "apk", postmarketos: "apk",
  rhel: "rpm", fedora: "rpm", centos: "rpm", rocky: "rpm", almalinux: "rpm", ol: "rpm", amzn: "rpm", suse: "rpm",
  sles: "rpm", opensuse: "rpm", "opensuse-leap": "rpm", "opensuse-tumbleweed": "rpm", mariner: "rpm", azurelinux: "rpm", photon: "rpm",
};

export interface OsPackageContext {
  ecosystem: string;
  /** The release as advisory databases write it; undefined when the distribution or its version is unknown. */
  release: string | undefined;
  /** purl namespace ("debian", "ubuntu", "alpine", "redhat", "rocky", ...). */
  namespace: string;
  /** purl distro qualifier ("debian-12", "alpine-3.19.0", "rhel-9.3"); undefined without a distribution. */
  distroQualifier: string | undefined;
}

/**
 * What an OS package of `type` means on `distro`: its ecosystem and release for matching (by ID, then by ID_LIKE
 * for derivatives: a Debian derivative's packages are matched as Debian's, with no release unless its own ID is
 * known), its purl namespace and distro qualifier. A distribution of another family (a stray dpkg database in an
 * Alpine image) leaves the type's defaults.
 */
export function osPackageContext(type: "deb" | "apk" | "rpm", distro: DistroInfo | undefined): OsPackageContext {
  const fallback: OsPackageContext = { ecosystem: DEFAULT_OS_ECOSYSTEM[type], release: undefined, namespace: DEFAULT_NAMESPACE[type], distroQualifier: undefined };
  if (distro === undefined) return fallback;
  const family = [distro.id, ...(distro.idLike ?? [])];
  if (!family.some((id) => PACKAGE_TYPE_OF_ID[id] === type)) return fallback;
  const namespace = NAMESPACE_OF_ID[distro.id] ?? distro.id;
  const version = distro.versionId ?? distro.versionCodename;
  const distroQualifier = version === undefined ? distro.id : `${distro.id}-${version}`;
  const fields = { ID: distro.id, VERSION_ID: distro.versionId, VERSION_CODENAME: distro.versionCodename };
  const own = distroRelease(fields);
  if (own !== undefined) return { ecosystem: own.ecosystem, release: own.release === "" ? undefined : own.release, namespace, distroQualifier };
  // A derivative: the first ID_LIKE entry the advisory databases know gives the ecosystem, not the release
  // (Linux Mint 21 is not Ubuntu 21).
  for (const like of distro.idLike ?? []) {
    const parent = distroRelease({ ID: like, VERSION_ID: "0" });
    if (parent !== undefined && PACKAGE_TYPE_OF_ID[like] === type) return { ecosystem: parent.ecosystem, release: undefined, namespace, distroQualifier };
  }
  if (family.includes("rhel") || family.includes("fedora") || family.includes("centos")) {
    return { ecosystem: "Red Hat", release: undefined, namespace, distroQualifier };
  }
  return { ...fallback, namespace, distroQualifier };
}

/** The package types whose purls and ecosystems finalizeOsPackages() sets. */
export function isOsPackageType(type: PackageType): type is "deb" | "apk" | "rpm" {
  return type === "deb" || type === "apk" || type === "rpm";
}
