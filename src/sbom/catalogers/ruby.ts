// Ruby gems: installed specifications (specifications/*.gemspec, the Ruby RubyGems writes at install time, read
// as assignments, never evaluated) and Gemfile.lock. Ecosystem "RubyGems"; purl pkg:gem/name@version?platform=...
import type { CatalogContext, CatalogFile, CatalogedPackage, Cataloger } from "../model.ts";
import { purl } from "../purl.ts";
import { basename, fileText, isRegularFileMode, packageAt } from "./text.ts";

interface GemFields {
  name: string;
  version: string;
  platform?: string | undefined;
  licenses?: string[];
  cataloger: string;
  metadata?: Record<string, string | undefined>;
}

function gemPackage(file: CatalogFile, fields: GemFields): CatalogedPackage {
  // "ruby" is the platform of pure-Ruby gems: no qualifier.
  const platform = fields.platform === undefined || fields.platform === "ruby" ? undefined : fields.platform;
  return packageAt(file, {
    name: fields.name,
    version: fields.version,
    ecosystem: "RubyGems",
    type: "gem",
    purl: purl({ type: "gem", name: fields.name, version: fields.version, qualifiers: { platform } }),
    ...(fields.licenses === undefined ? {} : { licenses: fields.licenses }),
    cataloger: fields.cataloger,
    metadata: { ...fields.metadata, platform },
  });
}

const GEM_NAME = /^[A-Za-z0-9._-]+$/;

// ---- installed specifications ----------------------------------------------------------------------------------

/** specifications/<name>-<version>[-<platform>].gemspec, also specifications/default/ (default gems). */
export function isInstalledGemspec(path: string): boolean {
  if (!path.endsWith(".gemspec")) return false;
  return /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/.test(path);
}

/** String literals in a piece of generated Ruby: "..." (with escapes), '...', %q{...}/%q(...)/%q[...]/%Q... . */
export function rubyStrings(code: string): string[] {
  const out: string[] = [];
  const literal = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%[qQ](?:\{([^}]*)\}|\(([^)]*)\)|\[([^\]]*)\]|<([^>]*)>)/g;
  for (const m of code.matchAll(literal)) {
    if (m[1] !== undefined) out.push(m[1].replace(/\\(.)/g, (_all, c: string) => ({ n: "\n", t: "\t" })[c] ?? c));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(['\\])/g, "$1"));
    else out.push((m[3] ?? m[4] ?? m[5] ?? m[6] ?? "") as string);
  }
  return out;
}

interface GemspecFields {
  name?: string | undefined;
  version?: string | undefined;
  platform?: string | undefined;
  licenses: string[];
}

/** The `s.name = "x".freeze` style assignments RubyGems writes into installed specifications. */
export function parseGemspec(text: string): GemspecFields {
  const fields: GemspecFields = { licenses: [] };
  const assignment = /^\s*\w+\.(name|version|platform|license|licenses)\s*=\s*(.+)$/;
  for (const line of text.split(/\r?\n/)) {
    const m = assignment.exec(line);
    if (m === null) continue;
    const strings = rubyStrings(m[2] as string);
    const first = strings[0];
    switch (m[1]) {
      case "name":
        fields.name ??= first;
        break;
      case "version":
        fields.version ??= first;
        break;
      case "platform":
        fields.platform ??= first;
        break;
      default:
        fields.licenses.push(...strings.filter((s) => s.trim() !== ""));
    }
  }
  // "# stub: name version platform require_paths" heads every specification RubyGems 2+ writes.
  const stub = /^# stub: (\S+) (\S+) (\S+)/m.exec(text);
  if (stub !== null) {
    fields.name ??= stub[1];
    fields.version ??= stub[2];
    fields.platform ??= stub[3];
  }
  fields.licenses = [...new Set(fields.licenses)];
  return fields;
}

export const gemspecCataloger: Cataloger = {
  name: "ruby-gemspec",
  wants: (path, _size, mode) => isInstalledGemspec(path) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const spec = parseGemspec(fileText(file));
    if (spec.name === undefined || spec.version === undefined || !GEM_NAME.test(spec.name)) {
      context.note(`${file.path}: gem specification without a readable name and version; skipped`);
      return [];
    }
    return [gemPackage(file, { name: spec.name, version: spec.version, platform: spec.platform, licenses: spec.licenses, cataloger: "ruby-gemspec" })];
  },
};

// ---- Gemfile.lock ----------------------------------------------------------------------------------------------

/** Sections whose specs are gems from somewhere else; PATH specs are the project's own local gems. */
const GEM_SOURCES = new Set(["GEM", "GIT", "PLUGIN SOURCE"]);
const LOCKFILE_NAMES = new Set(["Gemfile.lock", "gems.locked"]);
/** A spec line: four spaces, the name, and "(version)" or "(version-platform)", as Bundler writes and splits it. */
const SPEC_LINE = /^ {4}([^\s(]+) \(([^-)\s]+)(?:-([^)\s]+))?\)$/;

export const gemfileLockCataloger: Cataloger = {
  name: "gemfile-lock",
  wants: (path, _size, mode) => LOCKFILE_NAMES.has(basename(path)) && isRegularFileMode(mode),
  parse(file: CatalogFile, context: CatalogContext): CatalogedPackage[] {
    const out: CatalogedPackage[] = [];
    const seen = new Set<string>();
    let section = "";
    let inSpecs = false;
    let sawSection = false;
    const text = fileText(file);
    for (const line of text.split(/\r?\n/)) {
      if (/^[A-Z]/.test(line)) {
        section = line.trim();
        inSpecs = false;
        sawSection = true;
        continue;
      }
      if (/^ {2}\S/.test(line)) {
        inSpecs = line.trim() === "specs:";
        continue;
      }
      if (!inSpecs || !GEM_SOURCES.has(section)) continue;
      const m = SPEC_LINE.exec(line);
      if (m === null) continue;
      const name = m[1] as string;
      const version = m[2] as string;
      const platform = m[3];
      const key = `${name} ${version} ${platform ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(gemPackage(file, { name, version, platform, cataloger: "gemfile-lock", metadata: { source: section === "GEM" ? undefined : section.toLowerCase() } }));
    }
    if (!sawSection && text.trim() !== "") context.note(`${file.path}: not a Gemfile.lock (no GEM, GIT or PATH section); skipped`);
    return out;
  },
};
