// npm packages: installed ones (node_modules/<name>/package.json) and the lockfiles of npm, Yarn (classic and
// berry) and pnpm. Ecosystem "npm"; purl pkg:npm/%40scope/name@version.
import type { CatalogContext, CatalogFile, CatalogedPackage, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";
import {
  arrayField,
  basename,
  fileText,
  hasDirectory,
  isRecord,
  isRegularFileMode,
  packageAt,
  readJson,
  readYaml,
  recordEntries,
  recordField,
  stringField,
  uniqueByPurl,
} from "./text.ts";

/** Valid npm names: an optional @scope/ and a name without "/" (loose: legacy names have capitals). */
const NPM_NAME = /^(?:@[^/@\s]+\/)?[^/@\s][^/\s]*$/;

interface NpmPackageFields {
  name: string;
  version: string;
  licenses?: string[];
  cataloger: string;
  dev?: boolean;
  optional?: boolean;
}

function npmPackage(file: CatalogFile, fields: NpmPackageFields): CatalogedPackage {
  const slash = fields.name.startsWith("@") ? fields.name.indexOf("/") : -1;
  const scope = slash > 0 ? fields.name.slice(0, slash) : undefined;
  const local = slash > 0 ? fields.name.slice(slash + 1) : fields.name;
  return packageAt(file, {
    name: fields.name,
    version: fields.version,
    ecosystem: "npm",
    type: "npm",
    purl: purl({ type: "npm", namespace: scope, name: local, version: fields.version }),
    namespace: scope?.slice(1),
    ...(fields.licenses === undefined ? {} : { licenses: fields.licenses }),
    cataloger: fields.cataloger,
    metadata: { dev: fields.dev === true ? "true" : undefined, optional: fields.optional === true ? "true" : undefined },
  });
}

/** Versions that name something local rather than a published package. */
function isLocalVersion(version: string): boolean {
  return /^(?:file|link|workspace|portal):/.test(version);
}

// ---- installed packages ----------------------------------------------------------------------------------------

/**
 * True for node_modules/<name>/package.json and node_modules/@scope/<name>/package.json: the manifest of an
 * installed package, not a package.json nested deeper inside one (test fixtures, "exports" stubs).
 */
export function isInstalledPackageManifest(path: string): boolean {
  if (!path.endsWith("/package.json")) return false;
  const parts = path.split("/");
  const n = parts.length;
  const dir = parts[n - 2] as string;
  if (dir.startsWith("@") || dir.startsWith(".")) return false;
  if (parts[n - 3] === "node_modules") return true;
  return n >= 4 && (parts[n - 3] as string).startsWith("@") && parts[n - 4] === "node_modules";
}

/** Licences as package.json writes them: "MIT", {"type": "MIT"}, or the legacy "licenses": [{type}, ...]. */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === "string" && value.trim() !== "") out.push(value.trim());
    else if (isRecord(value)) {
      const type = stringField(value, "type");
      if (type !== undefined) out.push(type);
    }
  };
  const license = manifest["license"];
  if (Array.isArray(license)) license.forEach(add);
  else add(license);
  for (const item of arrayField(manifest, "licenses") ?? []) add(item);
  return [...new Set(out)];
}

export const npmPackageCataloger: Cataloger = {
  name: "npm-package",
  wants: (path, _size, mode) => isInstalledPackageManifest(path) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const manifest = readJson(file, context, "package.json");
    if (!isRecord(manifest)) return [];
    const name = stringField(manifest, "name");
    const version = stringField(manifest, "version");
    // Installed packages always carry both; a manifest without them is a stub, not a package.
    if (name === undefined || version === undefined || !NPM_NAME.test(name)) return [];
    return [npmPackage(file, { name, version, licenses: npmLicenses(manifest), cataloger: "npm-package" })];
  },
};

// ---- package-lock.json / npm-shrinkwrap.json ------------------------------------------------------------------

/** The package name an install path ends in: "node_modules/a/node_modules/@s/b" → "@s/b". */
export function nameFromInstallPath(path: string): string | undefined {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const name = path.slice(at + "node_modules/".length);
  return NPM_NAME.test(name) ? name : undefined;
}

function parsePackagesMap(file: CatalogFile, packages: Record<string, unknown>): CatalogedPackage[] {
  const out: CatalogedPackage[] = [];
  for (const [path, entry] of recordEntries(packages)) {
    // "" is the project itself, paths outside node_modules are workspace sources, links point at them.
    if (!path.includes("node_modules/") || entry["link"] === true) continue;
    const name = stringField(entry, "name") ?? nameFromInstallPath(path);
    const version = stringField(entry, "version");
    if (name === undefined || version === undefined || isLocalVersion(version)) continue;
    out.push(
      npmPackage(file, {
        name,
        version,
        licenses: npmLicenses(entry),
        cataloger: "npm-lock",
        dev: entry["dev"] === true,
        optional: entry["optional"] === true,
      }),
    );
  }
  return out;
}

/** lockfileVersion 1: a tree of "dependencies", each possibly with its own nested "dependencies". */
function parseDependencyTree(file: CatalogFile, dependencies: Record<string, unknown>): CatalogedPackage[] {
  const out: CatalogedPackage[] = [];
  const pending: Record<string, unknown>[] = [dependencies];
  for (let tree = pending.pop(); tree !== undefined; tree = pending.pop()) {
    for (const [key, entry] of recordEntries(tree)) {
      const nested = recordField(entry, "dependencies");
      if (nested !== undefined) pending.push(nested);
      const version = stringField(entry, "version");
      if (version === undefined || isLocalVersion(version) || !NPM_NAME.test(key)) continue;
      // An alias ("b": {"version": "npm:real@1.0.0"}) installs another package under this name.
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
      out.push(
        npmPackage(file, {
          name: alias === null ? key : (alias[1] as string),
          version: alias === null ? version : (alias[2] as string),
          cataloger: "npm-lock",
          dev: entry["dev"] === true,
          optional: entry["optional"] === true,
        }),
      );
    }
  }
  return out;
}

function wantsNpmLock(path: string, mode: number): boolean {
  const name = basename(path);
  // Lockfiles shipped inside installed packages describe their authors' machines, not this install.
  return (name === "package-lock.json" || name === "npm-shrinkwrap.json") && !hasDirectory(path, "node_modules") && isRegularFileMode(mode);
}

export const npmLockCataloger: Cataloger = {
  name: "npm-lock",
  wants: (path, _size, mode) => wantsNpmLock(path, mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readJson(file, context, "npm lockfile");
    if (!isRecord(lock)) {
      if (lock !== undefined) context.note(`${file.path}: npm lockfile is not a JSON object; skipped`);
      return [];
    }
    const packages = recordField(lock, "packages");
    if (packages !== undefined) return uniqueByPurl(parsePackagesMap(file, packages));
    const dependencies = recordField(lock, "dependencies");
    if (dependencies !== undefined) return uniqueByPurl(parseDependencyTree(file, dependencies));
    return [];
  },
};

// ---- yarn.lock -------------------------------------------------------------------------------------------------

/** Splits a descriptor ("@babel/core@^7.0.0", "lodash@npm:^4.17.0") into name and range. */
export function splitDescriptor(descriptor: string): { name: string; range: string } | undefined {
  const at = descriptor.indexOf("@", 1);
  if (at < 0) return undefined;
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Yarn 1: blocks headed by `"a@^1", a@^1.2:` with indented `version "1.2.3"` lines. */
function parseYarnClassic(file: CatalogFile, text: string, context: CatalogContext): CatalogedPackage[] {
  const out: CatalogedPackage[] = [];
  let descriptors: string[] | undefined;
  let recorded = false;
  for (const raw of text.split(/\r?\n/)) {
    if (raw === "" || raw.startsWith("#")) continue;
    if (!raw.startsWith(" ")) {
      descriptors = raw.endsWith(":") ? raw.slice(0, -1).split(",").map(unquote) : undefined;
      recorded = false;
      if (descriptors === undefined) {
        context.note(`${file.path}: unexpected line in yarn.lock: ${JSON.stringify(raw.slice(0, 80))}`);
      }
      continue;
    }
    const version = /^ {2}version:? +"?([^"\s]+)"?\s*$/.exec(raw);
    if (version === null || descriptors === undefined || recorded) continue;
    recorded = true;
    const first = splitDescriptor(descriptors[0] ?? "");
    if (first === undefined || !NPM_NAME.test(first.name) || isLocalVersion(first.range)) continue;
    // "alias@npm:real@^1.0.0" installs the package "real".
    const aliased = first.range.startsWith("npm:") ? splitDescriptor(first.range.slice(4)) : undefined;
    const name = aliased !== undefined && NPM_NAME.test(aliased.name) ? aliased.name : first.name;
    out.push(npmPackage(file, { name, version: version[1] as string, cataloger: "yarn-lock" }));
  }
  return out;
}

/** Yarn 2+ ("berry"): YAML, each entry with `resolution: "name@npm:1.2.3"`. */
function parseYarnBerry(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
  const lock = readYaml(file, context, "yarn.lock");
  if (!isRecord(lock)) return [];
  const out: CatalogedPackage[] = [];
  for (const [key, entry] of recordEntries(lock)) {
    if (key === "__metadata") continue;
    const resolution = splitDescriptor(stringField(entry, "resolution") ?? key.split(",")[0]?.trim() ?? "");
    const version = stringField(entry, "version");
    if (resolution === undefined || version === undefined || !NPM_NAME.test(resolution.name)) continue;
    const protocol = /^([a-z]+):/.exec(resolution.range)?.[1];
    // workspace/link/portal/file are local; patch: is a patched copy of an npm: entry listed on its own.
    if (protocol !== undefined && protocol !== "npm" && !["git", "git+https", "git+ssh", "github", "https", "http"].includes(protocol)) continue;
    let name = resolution.name;
    // "alias@npm:real@1.0.0" resolves to another package.
    if (protocol === "npm") {
      const aliased = splitDescriptor(resolution.range.slice(4));
      if (aliased !== undefined && NPM_NAME.test(aliased.name)) name = aliased.name;
    }
    out.push(npmPackage(file, { name, version, cataloger: "yarn-lock" }));
  }
  return out;
}

export const yarnLockCataloger: Cataloger = {
  name: "yarn-lock",
  wants: (path, _size, mode) => basename(path) === "yarn.lock" && !hasDirectory(path, "node_modules") && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const text = fileText(file);
    const berry = /^__metadata:/m.test(text);
    return uniqueByPurl(berry ? parseYarnBerry(file, context) : parseYarnClassic(file, text, context));
  },
};

// ---- pnpm-lock.yaml --------------------------------------------------------------------------------------------

/**
 * The name and version in a pnpm package key: "/name/1.2.3_peer@1" (v5), "/name@1.2.3(peer@1)" (v6),
 * "name@1.2.3(peer@1)" (v9); scoped names keep their "@scope/".
 */
export function parsePnpmKey(key: string, slashSeparated: boolean): { name: string; version: string } | undefined {
  let k = key.startsWith("/") ? key.slice(1) : key;
  const paren = k.indexOf("(");
  if (paren > 0) k = k.slice(0, paren);
  if (slashSeparated) {
    const slash = k.lastIndexOf("/");
    if (slash <= 0) return undefined;
    const version = k.slice(slash + 1).split("_")[0] as string;
    return { name: k.slice(0, slash), version };
  }
  const split = splitDescriptor(k);
  if (split === undefined) return undefined;
  // An alias key ("alias@npm:real@1.0.0") names the real package after "npm:".
  if (split.range.startsWith("npm:")) {
    const aliased = splitDescriptor(split.range.slice(4));
    if (aliased !== undefined) return { name: aliased.name, version: aliased.range };
  }
  return { name: split.name, version: split.range };
}

/** Versions an importer or snapshot refers to: "1.2.3(peer@1)" → the snapshot key "name@1.2.3(peer@1)". */
function snapshotKey(name: string, reference: string): string | undefined {
  if (isLocalVersion(reference)) return undefined;
  if (reference.startsWith("npm:")) return reference.slice(4);
  return `${name}@${reference}`;
}

/**
 * v9 lockfiles do not mark dev packages: they are the ones reachable from importers' devDependencies and not from
 * their dependencies/optionalDependencies. Returns package keys ("name@1.2.3") reachable in production.
 */
function pnpmProductionKeys(lock: Record<string, unknown>): { production: Set<string>; development: Set<string> } {
  const snapshots = recordField(lock, "snapshots") ?? {};
  const withoutPeers = (key: string): string => {
    const paren = key.indexOf("(", 1);
    return paren > 0 ? key.slice(0, paren) : key;
  };
  const walk = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const reached = new Set<string>();
    const pending = [...roots];
    for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
      if (seen.has(key)) continue;
      seen.add(key);
      reached.add(withoutPeers(key));
      const snapshot = recordField(snapshots, key);
      if (snapshot === undefined) continue;
      for (const field of ["dependencies", "optionalDependencies"]) {
        for (const [name, ref] of Object.entries(recordField(snapshot, field) ?? {})) {
          const next = typeof ref === "string" ? snapshotKey(name, ref) : undefined;
          if (next !== undefined) pending.push(next);
        }
      }
    }
    return reached;
  };
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const [, importer] of recordEntries(recordField(lock, "importers"))) {
    for (const [field, roots] of [["dependencies", prodRoots], ["optionalDependencies", prodRoots], ["devDependencies", devRoots]] as const) {
      for (const [name, dep] of recordEntries(recordField(importer, field))) {
        const version = stringField(dep, "version");
        const key = version === undefined ? undefined : snapshotKey(name, version);
        if (key !== undefined) roots.push(key);
      }
    }
  }
  return { production: walk(prodRoots), development: walk(devRoots) };
}

export const pnpmLockCataloger: Cataloger = {
  name: "pnpm-lock",
  wants: (path, _size, mode) => basename(path) === "pnpm-lock.yaml" && !hasDirectory(path, "node_modules") && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readYaml(file, context, "pnpm-lock.yaml");
    if (!isRecord(lock)) return [];
    const lockVersion = Number.parseFloat(stringField(lock, "lockfileVersion") ?? "");
    if (Number.isNaN(lockVersion)) {
      context.note(`${file.path}: pnpm-lock.yaml has no lockfileVersion; skipped`);
      return [];
    }
    const slashSeparated = lockVersion < 6;
    const reachability = lockVersion >= 9 ? pnpmProductionKeys(lock) : undefined;
    const out: CatalogedPackage[] = [];
    for (const [key, entry] of recordEntries(recordField(lock, "packages"))) {
      const parsed = parsePnpmKey(key, slashSeparated);
      // Packages from git or tarballs carry their own name and version fields.
      const name = stringField(entry, "name") ?? parsed?.name;
      const version = stringField(entry, "version") ?? parsed?.version;
      if (name === undefined || version === undefined || !NPM_NAME.test(name) || isLocalVersion(version) || version.includes(":")) continue;
      const plainKey = `${parsed?.name ?? name}@${parsed?.version ?? version}`;
      const dev =
        reachability === undefined
          ? entry["dev"] === "true"
          : reachability.development.has(plainKey) && !reachability.production.has(plainKey);
      out.push(npmPackage(file, { name, version, cataloger: "pnpm-lock", dev, optional: entry["optional"] === "true" }));
    }
    return uniqueByPurl(out);
  },
};
