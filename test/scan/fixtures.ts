// A vulnerability database imported from advisory files of real, well-known advisories (test/vuln/fixtures.ts,
// plus Debian 12's openssl DSA-5532-1 / CVE-2023-5363 in both the tracker and the DSA feed), and catalogs shaped
// as the catalogers produce them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog, CatalogedPackage, DistroInfo } from "../../src/sbom/model.ts";
import { importAdvisories } from "../../src/vuln/db/import.ts";
import { ALPINE_SECDB, DEBIAN_TRACKER, DSA_OPENSSL, LODASH, LOG4J_FOLLOW_UP, LOG4SHELL, writeOsvFolder } from "../vuln/fixtures.ts";

/** Debian's OSV export of DSA-5532-1 (openssl 3.0.11-1~deb12u2 for bookworm, CVE-2023-5363). */
export const DSA_OPENSSL_BOOKWORM = {
  schema_version: "1.7.0",
  id: "DSA-5532-1",
  modified: "2025-01-14T10:00:00Z",
  published: "2023-10-24T00:00:00Z",
  upstream: ["CVE-2023-5363"],
  summary: "openssl - security update",
  affected: [
    { package: { ecosystem: "Debian:12", name: "openssl" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "3.0.11-1~deb12u2" }] }] },
  ],
};

/** The shared tracker with CVE-2023-5363 added as the tracker lists it (bullseye's 1.1.1 never had the bug). */
export const TRACKER = {
  ...DEBIAN_TRACKER,
  openssl: {
    ...DEBIAN_TRACKER.openssl,
    "CVE-2023-5363": {
      description: "Issue summary: A bug has been identified in the processing of key and initialisation vector (IV) lengths.",
      scope: "remote",
      releases: {
        bookworm: { status: "resolved", repositories: { bookworm: "3.0.15-1~deb12u1" }, fixed_version: "3.0.11-1~deb12u2", urgency: "not yet assigned" },
        bullseye: { status: "resolved", repositories: { bullseye: "1.1.1w-0+deb11u1" }, fixed_version: "0", urgency: "not yet assigned" },
      },
    },
  },
};

/** Imports the fixture advisories into dir/vuln.db and returns its path. */
export async function buildScanDb(dir: string, now = new Date("2026-01-01T00:00:00Z")): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const maven = writeOsvFolder(join(dir, "maven"), [LOG4SHELL, LOG4J_FOLLOW_UP]);
  const npm = join(dir, "lodash.json");
  writeFileSync(npm, JSON.stringify(LODASH));
  const dsa = writeOsvFolder(join(dir, "debian-osv"), [DSA_OPENSSL, DSA_OPENSSL_BOOKWORM]);
  const tracker = join(dir, "debian.json");
  writeFileSync(tracker, JSON.stringify(TRACKER));
  const alpine = join(dir, "v3.15-main.json");
  writeFileSync(alpine, JSON.stringify(ALPINE_SECDB));
  const dbPath = join(dir, "vuln.db");
  await importAdvisories({ dbPath, files: [maven, npm, dsa, tracker, alpine], now });
  return dbPath;
}

export const LAYER0 = `sha256:${"a".repeat(64)}`;
export const LAYER1 = `sha256:${"b".repeat(64)}`;
export const IMAGE_DIGEST = `sha256:${"c".repeat(64)}`;

export const BOOKWORM: DistroInfo = { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" };
export const BULLSEYE: DistroInfo = { id: "debian", versionId: "11", versionCodename: "bullseye", prettyName: "Debian GNU/Linux 11 (bullseye)" };

/** libssl3 from the openssl source package, as dpkg reports it (ecosystem and release left to the driver). */
export function libssl3(version: string, release?: string): CatalogedPackage {
  return {
    name: "libssl3", version, ecosystem: "Debian", sourceName: "openssl", type: "deb", namespace: "debian",
    purl: `pkg:deb/debian/libssl3@${encodeURIComponent(version).replace(/%3A/g, ":")}?arch=amd64&distro=debian-12`,
    licenses: [], locations: [{ path: "var/lib/dpkg/status", layerIndex: 0, layer: LAYER0 }], cataloger: "dpkg",
    ...(release === undefined ? {} : { release }),
  };
}

export function log4jCore(version: string, path = "app/lib/log4j-core-2.14.1.jar"): CatalogedPackage {
  return {
    name: "org.apache.logging.log4j:log4j-core", version, ecosystem: "Maven", type: "maven", namespace: "org.apache.logging.log4j",
    purl: `pkg:maven/org.apache.logging.log4j/log4j-core@${version}`, licenses: ["Apache-2.0"],
    locations: [{ path, inner: "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", layerIndex: 1, layer: LAYER1 }],
    cataloger: "java-archive",
  };
}

export function lodash(version: string): CatalogedPackage {
  return {
    name: "lodash", version, ecosystem: "npm", type: "npm", purl: `pkg:npm/lodash@${version}`, licenses: ["MIT"],
    locations: [{ path: "app/node_modules/lodash/package.json", layerIndex: 1, layer: LAYER1 }], cataloger: "npm-package",
  };
}

export function libcrypto(version: string): CatalogedPackage {
  return {
    name: "libcrypto1.1", version, ecosystem: "Alpine", sourceName: "openssl", type: "apk", namespace: "alpine",
    purl: `pkg:apk/alpine/libcrypto1.1@${version}?arch=x86_64&distro=alpine-3.15.4`, licenses: ["OpenSSL"],
    locations: [{ path: "lib/apk/db/installed", layerIndex: 0, layer: LAYER0 }], cataloger: "apk",
  };
}

export function imageCatalog(packages: CatalogedPackage[], distro: DistroInfo | undefined = BOOKWORM): Catalog {
  return {
    target: "oci:build/app:1.0",
    kind: "image",
    image: { digest: IMAGE_DIGEST, configDigest: undefined, name: "app:1.0", platform: "linux/amd64", layers: [LAYER0, LAYER1] },
    distro,
    packages,
    notes: [],
  };
}
