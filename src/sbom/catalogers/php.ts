// PHP packages: what Composer installed (vendor/composer/installed.json, format 1 and 2) and composer.lock.
// Ecosystem "Packagist"; purl pkg:composer/vendor/name@version.
//
// Versions: Composer records tags as written ("v5.4.21"); OSV's Packagist advisories write "5.4.21". The leading
// "v" of a tag is dropped so the two meet; the version as Composer wrote it stays in metadata.rawVersion.
import type { CatalogContext, CatalogFile, CatalogedPackage, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";
import { arrayField, basename, hasDirectory, isRecord, isRegularFileMode, packageAt, readJson, stringField } from "./text.ts";

/** "vendor/name", as Composer requires package names to be. */
const COMPOSER_NAME = /^[^/\s]+\/[^/\s]+$/;

/** The version OSV would write: "v1.2.3" → "1.2.3"; branches ("dev-main") and others unchanged. */
export function packagistVersion(version: string): string {
  return /^v\d/i.test(version) ? version.slice(1) : version;
}

function composerLicenses(entry: Record<string, unknown>): string[] {
  const license = entry["license"];
  const values = Array.isArray(license) ? license : [license];
  return [...new Set(values.filter((l): l is string => typeof l === "string" && l.trim() !== "").map((l) => l.trim()))];
}

function composerPackage(file: CatalogFile, entry: Record<string, unknown>, dev: boolean, cataloger: string): CatalogedPackage | undefined {
  const name = stringField(entry, "name");
  const rawVersion = stringField(entry, "version");
  if (name === undefined || rawVersion === undefined || !COMPOSER_NAME.test(name)) return undefined;
  const version = packagistVersion(rawVersion);
  const slash = name.indexOf("/");
  return packageAt(file, {
    name,
    version,
    ecosystem: "Packagist",
    type: "composer",
    purl: purl({ type: "composer", namespace: name.slice(0, slash), name: name.slice(slash + 1), version }),
    namespace: name.slice(0, slash),
    licenses: composerLicenses(entry),
    cataloger,
    metadata: {
      dev: dev ? "true" : undefined,
      rawVersion: version === rawVersion ? undefined : rawVersion,
      packageType: stringField(entry, "type"),
    },
  });
}

function packagesOf(entries: unknown[] | undefined, file: CatalogFile, isDev: (name: string | undefined) => boolean, cataloger: string): CatalogedPackage[] {
  const out: CatalogedPackage[] = [];
  for (const entry of entries ?? []) {
    if (!isRecord(entry)) continue;
    const pkg = composerPackage(file, entry, isDev(stringField(entry, "name")), cataloger);
    if (pkg !== undefined) out.push(pkg);
  }
  return out;
}

export const composerInstalledCataloger: Cataloger = {
  name: "composer-installed",
  // The vendor directory may be renamed (config.vendor-dir); the composer/installed.json inside it is not.
  wants: (path, _size, mode) => (path === "composer/installed.json" || path.endsWith("/composer/installed.json")) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const installed = readJson(file, context, "installed.json");
    if (installed === undefined) return [];
    // Composer 1 wrote a bare array; Composer 2 an object with "packages" and "dev-package-names".
    if (Array.isArray(installed)) return packagesOf(installed, file, () => false, "composer-installed");
    if (!isRecord(installed)) {
      context.note(`${file.path}: installed.json is neither an array nor an object; skipped`);
      return [];
    }
    const devNames = new Set((arrayField(installed, "dev-package-names") ?? []).filter((n): n is string => typeof n === "string"));
    return packagesOf(arrayField(installed, "packages"), file, (name) => name !== undefined && devNames.has(name), "composer-installed");
  },
};

export const composerLockCataloger: Cataloger = {
  name: "composer-lock",
  // Lockfiles shipped inside installed packages describe their authors' machines, not this install.
  wants: (path, _size, mode) => basename(path) === "composer.lock" && !hasDirectory(path, "vendor") && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readJson(file, context, "composer.lock");
    if (lock === undefined) return [];
    if (!isRecord(lock)) {
      context.note(`${file.path}: composer.lock is not a JSON object; skipped`);
      return [];
    }
    return [
      ...packagesOf(arrayField(lock, "packages"), file, () => false, "composer-lock"),
      ...packagesOf(arrayField(lock, "packages-dev"), file, () => true, "composer-lock"),
    ];
  },
};
