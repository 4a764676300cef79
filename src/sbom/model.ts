// The package model every cataloger fills and every writer and the scanner read. One shape for OS and language
// packages: matching needs name/version/ecosystem (and, for distro packages, release and source package), the
// SBOM writers need purl, licences and where the package was found.
import type { PackageQuery } from "../vuln/match.ts";

/** purl types we emit (https://github.com/package-url/purl-spec). */
export type PackageType = "deb" | "apk" | "rpm" | "npm" | "pypi" | "golang" | "maven" | "gem" | "cargo" | "composer" | "nuget";

/** Where a package was found: the file that declares it, and the layer that last wrote that file. */
export interface PackageLocation {
  /** Path inside the image or directory, relative, "/"-separated, no leading "/" ("var/lib/dpkg/status"). */
  path: string;
  /** For a nested archive (a jar inside a war), the path inside it ("WEB-INF/lib/x.jar!META-INF/..."). */
  inner?: string;
  /** Index of the layer, bottom first (absent for directories). */
  layerIndex?: number;
  /** The layer's blob digest (absent for directories). */
  layer?: string;
}

export interface CatalogedPackage extends PackageQuery {
  name: string;
  version: string;
  /** OSV ecosystem name as matching uses it: "Debian", "Alpine", "Red Hat", "npm", "PyPI", "Go", "Maven", ... */
  ecosystem: string;
  purl: string;
  type: PackageType;
  /** Group/scope/namespace part where the ecosystem has one (Maven groupId, npm scope without "@"). */
  namespace?: string;
  /** SPDX expressions or free-text licence names, as declared. */
  licenses: string[];
  locations: PackageLocation[];
  /** The cataloger that found it ("dpkg", "apk", "rpm", "npm-package-json", "go-binary", ...). */
  cataloger: string;
  /** Ecosystem extras worth keeping (architecture, checksums, maintainer, main module...). Strings only. */
  metadata?: Record<string, string>;
}

/** The distribution of an image or root file system, from /etc/os-release (or /usr/lib/os-release). */
export interface DistroInfo {
  /** os-release ID: "debian", "ubuntu", "alpine", "rhel", ... */
  id: string;
  versionId: string | undefined;
  versionCodename: string | undefined;
  prettyName: string | undefined;
  /** os-release ID_LIKE, split ("rhel centos fedora" → ["rhel", "centos", "fedora"]); decides a derivative's ecosystem. */
  idLike?: string[];
}

/** What was cataloged, and from what. */
export interface Catalog {
  /** The target as the user named it. */
  target: string;
  kind: "image" | "rootfs" | "directory" | "sbom";
  /** Image facts, when the target is an image. */
  image?: { digest: string | undefined; configDigest: string | undefined; name: string | undefined; platform: string | undefined; layers: string[] };
  distro: DistroInfo | undefined;
  packages: CatalogedPackage[];
  /** Things that could not be read or are unsupported, once each ("rpmdb in bdb format: unsupported"). */
  notes: string[];
}

/** A file handed to a cataloger: its path, its complete content, and where it came from. */
export interface CatalogFile {
  path: string;
  bytes: Uint8Array;
  mode: number;
  location: PackageLocation;
  /**
   * The files the cataloger's companions() named for this one that exist in the final view (path → bytes), e.g.
   * rpmdb.sqlite-wal for rpmdb.sqlite. Present only for catalogers with companions().
   */
  companions?: ReadonlyMap<string, Uint8Array>;
}

/**
 * One ecosystem's reader. `wants` decides from the path (and size/mode) alone whether the file's content is
 * needed; `parse` turns a complete file into packages. Pure: no I/O, no global state.
 */
export interface Cataloger {
  readonly name: string;
  wants(path: string, size: number, mode: number): boolean;
  /** head: the first bytes of the file (up to 64 bytes) when the decision needs magic numbers (ELF, zip). */
  wantsContent?(path: string, head: Uint8Array): boolean;
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[];
  /**
   * Other paths whose content this file's parse needs (an SQLite database's -wal). The cataloger's wants() must
   * accept them too. The driver then defers this cataloger's files to the end of the walk and passes the
   * companions present in the final view as file.companions; a companion itself is parsed too (return []).
   */
  companions?(path: string): readonly string[];
  /**
   * Licences declared in a file of their own rather than in the package database (dpkg:
   * usr/share/doc/<package>/copyright). The driver reads the files wants() accepts, and after the walk gives each
   * of this cataloger's packages without licences those of the file at pathOf(package), as the final view
   * resolves it (doc directories are often symlinks to another package's).
   */
  licenseFiles?: {
    wants(path: string, size: number): boolean;
    /** The licences a file declares; [] when it declares none in a machine-readable way. */
    read(bytes: Uint8Array): string[];
    pathOf(pkg: CatalogedPackage): string;
  };
}

/**
 * What a cataloger may need besides the file. The distribution is not known while an image is walked (os-release
 * may come in a later layer): OS catalogers leave `ecosystem`/`release`/purl distro qualifiers to
 * finalizeOsPackages() in the driver, which runs after the walk.
 * OS package purls are built late: the dpkg/apk/rpm catalogers set a provisional purl (default namespace, no
 * distro) and keep `metadata.arch` (and rpm `metadata.epoch`); finalizeOsPackages() (src/sbom/catalog.ts)
 * rebuilds the purl with the distribution's namespace and `arch`/`epoch`/`distro` qualifiers, keeping any other
 * qualifier the cataloger set.
 */
export interface CatalogContext {
  /** Adds a note shown once in the output. */
  note(message: string): void;
}
