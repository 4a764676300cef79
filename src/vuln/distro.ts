// Which distribution release a package belongs to, in the advisory databases' terms: "Debian" + "12",
// "Alpine" + "v3.19", "Ubuntu" + "22.04".

/** Debian codenames by release number (distro-info-data); "sid" has no number. */
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  buzz: "1.1", rex: "1.2", bo: "1.3", hamm: "2.0", slink: "2.1", potato: "2.2", woody: "3.0", sarge: "3.1",
  etch: "4", lenny: "5", squeeze: "6", wheezy: "7", jessie: "8", stretch: "9", buster: "10", bullseye: "11",
  bookworm: "12", trixie: "13", forky: "14", duke: "15", sid: "sid",
};

/** "bookworm" → "12"; undefined for an unknown codename. */
export function debianReleaseOfCodename(codename: string): string | undefined {
  return DEBIAN_CODENAMES[codename.toLowerCase()];
}

export interface DistroRelease {
  /** OSV ecosystem of the distribution's packages. */
  ecosystem: "Debian" | "Ubuntu" | "Alpine" | "Red Hat" | "Rocky Linux" | "AlmaLinux" | "Wolfi" | "Chainguard";
  release: string;
}

/**
 * The release from /etc/os-release fields (ID, VERSION_ID, VERSION_CODENAME): Debian 12.5 → "12", Debian testing
 * or sid by codename, Alpine 3.19.1 → "v3.19", Ubuntu 22.04 → "22.04". undefined for other distributions.
 */
export function distroRelease(osRelease: Readonly<Record<string, string | undefined>>): DistroRelease | undefined {
  const id = (osRelease.ID ?? "").toLowerCase();
  const versionId = osRelease.VERSION_ID ?? "";
  const codename = osRelease.VERSION_CODENAME ?? "";
  switch (id) {
    case "debian": {
      const major = /^(\d+)/.exec(versionId)?.[1];
      const release = major ?? (codename !== "" ? debianReleaseOfCodename(codename) : undefined) ?? "sid";
      return { ecosystem: "Debian", release };
    }
    case "ubuntu":
      return versionId === "" ? undefined : { ecosystem: "Ubuntu", release: versionId };
    case "alpine": {
      const m = /^(\d+)\.(\d+)/.exec(versionId);
      // Alpine's edge reports e.g. 3.20_alpha20240101: no branch of its own in the security databases.
      return m === null ? undefined : { ecosystem: "Alpine", release: `v${m[1]}.${m[2]}` };
    }
    case "rhel":
      return { ecosystem: "Red Hat", release: versionId };
    case "rocky":
      return { ecosystem: "Rocky Linux", release: /^(\d+)/.exec(versionId)?.[1] ?? versionId };
    case "almalinux":
      return { ecosystem: "AlmaLinux", release: /^(\d+)/.exec(versionId)?.[1] ?? versionId };
    case "wolfi":
      return { ecosystem: "Wolfi", release: "" };
    case "chainguard":
      return { ecosystem: "Chainguard", release: "" };
    default:
      return undefined;
  }
}

/** Splits an OSV ecosystem string into base ecosystem and release: "Debian:12" → Debian, "12"; "Ubuntu:22.04:LTS" → Ubuntu, "22.04". */
export function splitEcosystem(ecosystem: string): { ecosystem: string; release: string } {
  const colon = ecosystem.indexOf(":");
  if (colon < 0) return { ecosystem, release: "" };
  const base = ecosystem.slice(0, colon);
  let release = ecosystem.slice(colon + 1);
  // Repository URLs (Maven:https://…, Packagist:https://…) are not releases.
  if (/^https?:/.test(release)) return { ecosystem: base, release: "" };
  // Ubuntu Pro (ESM) fixes need a subscription: kept apart from the release's own, so they never match it.
  if (base === "Ubuntu") release = release.replace(/:LTS$/, "").replace(/^Pro:(.*)$/, "$1+pro");
  return { ecosystem: base, release };
}
