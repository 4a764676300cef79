// Python packages: installed distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO or a bare *.egg-info file)
// and the pins of requirements files, poetry.lock, Pipfile.lock and uv.lock. Ecosystem "PyPI"; purl names are
// PEP 503-normalised by purl().
import type { CatalogContext, CatalogFile, CatalogedPackage, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";
import {
  arrayField,
  basename,
  fileText,
  isRecord,
  isRegularFileMode,
  packageAt,
  readJson,
  readToml,
  recordEntries,
  recordField,
  stringField,
  uniqueByPurl,
} from "./text.ts";

/** A distribution name as PEP 508 allows it. */
const DISTRIBUTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

interface PythonPackageFields {
  name: string;
  version: string;
  licenses?: string[];
  cataloger: string;
  metadata?: Record<string, string | undefined>;
}

function pythonPackage(file: CatalogFile, fields: PythonPackageFields): CatalogedPackage {
  return packageAt(file, {
    name: fields.name,
    version: fields.version,
    ecosystem: "PyPI",
    type: "pypi",
    purl: purl({ type: "pypi", name: fields.name, version: fields.version }),
    ...(fields.licenses === undefined ? {} : { licenses: fields.licenses }),
    cataloger: fields.cataloger,
    ...(fields.metadata === undefined ? {} : { metadata: fields.metadata }),
  });
}

// ---- installed distributions -----------------------------------------------------------------------------------

/**
 * Core-metadata headers (RFC 822 style, as in METADATA and PKG-INFO): name → values in order. Continuation
 * lines (leading whitespace) extend the previous value; the body after the first blank line is the description.
 */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") break;
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) last.values[last.index] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

/**
 * Licences as declared: License-Expression (PEP 639) first, else a one-line License field, else the names in
 * "License :: OSI Approved :: MIT License" classifiers. A License field holding a whole licence text is not a name.
 */
export function pythonLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get("license-expression")?.[0];
  if (expression !== undefined && expression !== "") return [expression];
  const license = headers.get("license")?.[0];
  if (license !== undefined && license !== "" && license.toUpperCase() !== "UNKNOWN" && !license.includes("\n") && license.length <= 100) return [license];
  const fromClassifiers = (headers.get("classifier") ?? [])
    .filter((c) => c.startsWith("License ::"))
    .map((c) => c.split("::").pop()?.trim() ?? "")
    .filter((c) => c !== "" && c !== "OSI Approved");
  return [...new Set(fromClassifiers)];
}

/** Installed-distribution metadata files: the path alone decides. */
export function isInstalledMetadataPath(path: string): boolean {
  if (path.endsWith(".dist-info/METADATA")) return true;
  if (path.endsWith(".egg-info/PKG-INFO") || path.endsWith("/EGG-INFO/PKG-INFO") || path.startsWith("EGG-INFO/PKG-INFO")) return true;
  // distutils and old setuptools write the metadata as a single file named <name>-<version>.egg-info.
  return path.endsWith(".egg-info");
}

export const pythonInstalledCataloger: Cataloger = {
  name: "python-installed",
  wants: (path, _size, mode) => isInstalledMetadataPath(path) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const headers = parseCoreMetadata(fileText(file));
    const name = headers.get("name")?.[0];
    const version = headers.get("version")?.[0];
    if (name === undefined || version === undefined || name === "" || version === "") {
      context.note(`${file.path}: Python package metadata without Name and Version; skipped`);
      return [];
    }
    return [pythonPackage(file, { name, version, licenses: pythonLicenses(headers), cataloger: "python-installed" })];
  },
};

// ---- requirements files ------------------------------------------------------------------------------------------

function isRequirementsFile(path: string): boolean {
  const name = basename(path);
  return name.endsWith(".txt") && name.includes("requirements");
}

/** Logical lines: comments removed, backslash continuations joined. */
function requirementLines(text: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const raw of text.split(/\r?\n/)) {
    // A comment starts at "#" at the line start or after whitespace (a URL's "#egg=" fragment is not one).
    const line = raw.replace(/(?:^|\s)#.*$/, "");
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(pending + line);
    pending = "";
  }
  if (pending !== "") out.push(pending);
  return out.map((l) => l.trim()).filter((l) => l !== "");
}

/** An exact pin: `name[extras] == 1.2.3 ; marker --hash=...`. Ranges, wildcards and URLs are not pins. */
const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*===?\s*([^\s;,*]+)\s*(?:;\s*(.*?))?\s*$/;

export function parseRequirementPin(line: string): { name: string; version: string; extras?: string; marker?: string } | undefined {
  // Per-requirement options (--hash=...) follow the requirement; drop them first.
  const requirement = line.replace(/\s+--?[A-Za-z][\w-]*(?:[=\s]\S+)?/g, "").trim();
  const m = PIN.exec(requirement);
  if (m === null || !DISTRIBUTION_NAME.test(m[1] as string)) return undefined;
  const extras = m[2]?.split(",").map((e) => e.trim()).filter((e) => e !== "").join(",");
  return {
    name: m[1] as string,
    version: m[3] as string,
    ...(extras === undefined || extras === "" ? {} : { extras }),
    ...(m[4] === undefined || m[4] === "" ? {} : { marker: m[4] }),
  };
}

export const pythonRequirementsCataloger: Cataloger = {
  name: "python-requirements",
  wants: (path, _size, mode) => isRequirementsFile(path) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const out: CatalogedPackage[] = [];
    for (const line of requirementLines(fileText(file))) {
      if (line.startsWith("-")) {
        const include = /^(?:-r|--requirement|-c|--constraint)[=\s]*(\S+)/.exec(line);
        if (include !== null) context.note(`${file.path}: "${line}" names another file; it is not followed (catalog that file directly)`);
        continue;
      }
      const pin = parseRequirementPin(line);
      if (pin === undefined) continue;
      out.push(
        pythonPackage(file, {
          name: pin.name,
          version: pin.version,
          cataloger: "python-requirements",
          metadata: { extras: pin.extras, marker: pin.marker },
        }),
      );
    }
    return uniqueByPurl(out);
  },
};

// ---- poetry.lock, uv.lock --------------------------------------------------------------------------------------

/** Sources that are the project itself or a directory next to it, not a distribution. */
const LOCAL_SOURCES = new Set(["directory", "editable", "virtual", "path"]);

export const poetryLockCataloger: Cataloger = {
  name: "poetry-lock",
  wants: (path, _size, mode) => basename(path) === "poetry.lock" && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readToml(file, context, "poetry.lock");
    if (lock === undefined) return [];
    const out: CatalogedPackage[] = [];
    for (const entry of arrayField(lock, "package") ?? []) {
      if (!isRecord(entry)) continue;
      const name = stringField(entry, "name");
      const version = stringField(entry, "version");
      if (name === undefined || version === undefined) continue;
      const sourceType = stringField(recordField(entry, "source") ?? {}, "type");
      if (sourceType !== undefined && LOCAL_SOURCES.has(sourceType)) continue;
      // Lock format 1.x: category = "dev"; 2.1+: groups = ["dev"] (a package in "main" is not dev).
      const groups = arrayField(entry, "groups")?.filter((g): g is string => typeof g === "string");
      const category = stringField(entry, "category");
      const dev = groups !== undefined ? groups.length > 0 && !groups.includes("main") : category === "dev";
      out.push(
        pythonPackage(file, {
          name,
          version,
          cataloger: "poetry-lock",
          metadata: { dev: dev ? "true" : undefined, groups: groups === undefined || groups.length === 0 ? undefined : groups.join(","), source: sourceType },
        }),
      );
    }
    return uniqueByPurl(out);
  },
};

export const uvLockCataloger: Cataloger = {
  name: "uv-lock",
  wants: (path, _size, mode) => basename(path) === "uv.lock" && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readToml(file, context, "uv.lock");
    if (lock === undefined) return [];
    const out: CatalogedPackage[] = [];
    for (const entry of arrayField(lock, "package") ?? []) {
      if (!isRecord(entry)) continue;
      const name = stringField(entry, "name");
      const version = stringField(entry, "version");
      if (name === undefined || version === undefined) continue;
      const source = recordField(entry, "source") ?? {};
      const kind = Object.keys(source)[0];
      if (kind !== undefined && LOCAL_SOURCES.has(kind)) continue;
      out.push(pythonPackage(file, { name, version, cataloger: "uv-lock", metadata: { source: kind } }));
    }
    return uniqueByPurl(out);
  },
};

// ---- Pipfile.lock ----------------------------------------------------------------------------------------------

export const pipfileLockCataloger: Cataloger = {
  name: "pipfile-lock",
  wants: (path, _size, mode) => basename(path) === "Pipfile.lock" && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const lock = readJson(file, context, "Pipfile.lock");
    if (!isRecord(lock)) {
      if (lock !== undefined) context.note(`${file.path}: Pipfile.lock is not a JSON object; skipped`);
      return [];
    }
    const out: CatalogedPackage[] = [];
    for (const [section, dev] of [["default", false], ["develop", true]] as const) {
      for (const [name, entry] of recordEntries(recordField(lock, section))) {
        // "==1.2.3"; git and path entries have no version and are not distributions we can name.
        const version = /^===?\s*(\S+)$/.exec(stringField(entry, "version") ?? "")?.[1];
        if (version === undefined || !DISTRIBUTION_NAME.test(name)) continue;
        out.push(
          pythonPackage(file, {
            name,
            version,
            cataloger: "pipfile-lock",
            metadata: { dev: dev ? "true" : undefined, marker: stringField(entry, "markers") },
          }),
        );
      }
    }
    return uniqueByPurl(out);
  },
};
