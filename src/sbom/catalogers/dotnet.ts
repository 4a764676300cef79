// .NET: what an application was built with, from the files the SDK writes.
// - <app>.deps.json (published apps; the runtime reads it to resolve assemblies): "libraries" lists every
//   library with its type — "package" (NuGet), "runtimepack" (the .NET runtime of a self-contained app, also a
//   NuGet package), "project"/"reference" (the app's own code: skipped).
// - packages.lock.json (projects with lock files enabled): resolved versions per target framework.
// - *.csproj / *.fsproj / *.vbproj: PackageReference items with an exact version (ranges and floating versions
//   say nothing about what was restored, so they are noted, not guessed).
import type { CatalogContext, CatalogedPackage, Cataloger, CatalogFile } from "../model.ts";
import { purl } from "../purl.ts";

const PACKAGE_LIBRARY_TYPES = new Set(["package", "runtimepack"]);
const PROJECT_EXTENSIONS = [".csproj", ".fsproj", ".vbproj"];

function text(file: CatalogFile): string {
  return Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString("utf8").replace(/^\uFEFF/, "");
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function parseJson(file: CatalogFile, context: CatalogContext): unknown {
  try {
    return JSON.parse(text(file));
  } catch (e) {
    context.note(`${file.path}: not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function nugetPackage(name: string, version: string, file: CatalogFile, cataloger: string, metadata: Record<string, string>): CatalogedPackage {
  return {
    name,
    version,
    ecosystem: "NuGet",
    purl: purl({ type: "nuget", name, version }),
    type: "nuget",
    licenses: [],
    locations: [file.location],
    cataloger,
    metadata,
  };
}

export const dotnetDepsCataloger: Cataloger = {
  name: "dotnet-deps",
  wants: (path) => path.endsWith(".deps.json"),
  parse(file, context) {
    const doc = parseJson(file, context);
    if (doc === undefined) return [];
    if (!isObject(doc) || !isObject(doc.libraries)) {
      context.note(`${file.path}: no "libraries" object: not a .deps.json file`);
      return [];
    }
    const targets = isObject(doc.targets) ? doc.targets : {};
    const packages: CatalogedPackage[] = [];
    for (const [key, library] of Object.entries(doc.libraries)) {
      if (!isObject(library) || typeof library.type !== "string" || !PACKAGE_LIBRARY_TYPES.has(library.type)) continue;
      const slash = key.lastIndexOf("/");
      if (slash <= 0 || slash === key.length - 1) {
        context.note(`${file.path}: library "${key}" is not "name/version"`);
        continue;
      }
      const metadata: Record<string, string> = { libraryType: library.type };
      if (typeof library.sha512 === "string" && library.sha512 !== "") metadata.sha512 = library.sha512;
      if (typeof library.path === "string") metadata.path = library.path;
      const frameworks = Object.entries(targets).filter(([, t]) => isObject(t) && key in t).map(([tfm]) => tfm);
      if (frameworks.length > 0) metadata.targets = frameworks.join(", ");
      packages.push(nugetPackage(key.slice(0, slash), key.slice(slash + 1), file, "dotnet-deps", metadata));
    }
    return packages;
  },
};

export const nugetLockCataloger: Cataloger = {
  name: "nuget-lock",
  wants: (path) => baseName(path) === "packages.lock.json",
  parse(file, context) {
    const doc = parseJson(file, context);
    if (doc === undefined) return [];
    if (!isObject(doc) || !isObject(doc.dependencies)) {
      context.note(`${file.path}: no "dependencies" object: not a NuGet packages.lock.json`);
      return [];
    }
    const seen = new Map<string, CatalogedPackage>();
    for (const [framework, deps] of Object.entries(doc.dependencies)) {
      if (!isObject(deps)) continue;
      for (const [name, dep] of Object.entries(deps)) {
        if (!isObject(dep) || typeof dep.resolved !== "string" || dep.type === "Project") continue;
        const key = `${name.toLowerCase()}@${dep.resolved}`;
        const known = seen.get(key);
        if (known?.metadata !== undefined) {
          known.metadata.targets = `${known.metadata.targets}, ${framework}`;
          if (dep.type === "Direct" || dep.type === "CentralTransitive") known.metadata.dependencyType = dep.type;
          continue;
        }
        const metadata: Record<string, string> = { targets: framework };
        if (typeof dep.type === "string") metadata.dependencyType = dep.type;
        if (typeof dep.contentHash === "string") metadata.contentHash = dep.contentHash;
        seen.set(key, nugetPackage(name, dep.resolved, file, "nuget-lock", metadata));
      }
    }
    return [...seen.values()];
  },
};

export const dotnetProjectCataloger: Cataloger = {
  name: "dotnet-project",
  wants: (path) => PROJECT_EXTENSIONS.some((ext) => path.endsWith(ext)),
  parse(file, context) {
    const packages: CatalogedPackage[] = [];
    let inexact = 0;
    for (const ref of packageReferences(text(file))) {
      if (ref.version === undefined) continue; // versioned centrally (Directory.Packages.props) or by an SDK
      const exact = exactNuGetVersion(ref.version);
      if (exact === undefined) {
        inexact++;
        continue;
      }
      packages.push(nugetPackage(ref.name, exact, file, "dotnet-project", {}));
    }
    if (inexact > 0) context.note(`${file.path}: ${inexact} PackageReference(s) with a version range or floating version not reported`);
    return packages;
  },
};

/** "13.0.1" and "[13.0.1]" are exact; "[1.0,2.0)", "1.*", "(,2.0]" are not. */
export function exactNuGetVersion(version: string): string | undefined {
  const v = version.trim();
  const bracketed = /^\[\s*([^,\s\]]+)\s*\]$/.exec(v);
  if (bracketed !== null) return bracketed[1];
  return /^[0-9][0-9A-Za-z.+-]*$/.test(v) ? v : undefined;
}

interface PackageReference {
  name: string;
  version: string | undefined;
}

/**
 * PackageReference items of an MSBuild project: Include (or Update) names the package; Version comes from the
 * attribute or a <Version> child element. Comments are removed first.
 */
export function packageReferences(xml: string): PackageReference[] {
  const source = xml.replace(/<!--[\s\S]*?-->/g, "");
  const refs: PackageReference[] = [];
  const element = /<PackageReference\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/>|>([\s\S]*?)<\/PackageReference\s*>)/g;
  for (const m of source.matchAll(element)) {
    const attributes = xmlAttributes(m[1] ?? "");
    const name = attributes.get("Include") ?? attributes.get("Update");
    if (name === undefined || name.trim() === "") continue;
    let version = attributes.get("Version") ?? attributes.get("VersionOverride");
    const body = m[3];
    if (version === undefined && body !== undefined) {
      const child = /<(Version|VersionOverride)\s*>([^<]*)<\/\1\s*>/.exec(body);
      if (child !== null) version = decodeXml(child[2] ?? "");
    }
    refs.push({ name: name.trim(), version: version?.trim() });
  }
  return refs;
}

function xmlAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    out.set(m[1] as string, decodeXml(m[3] ?? m[4] ?? ""));
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, e: string) => {
    if (e.startsWith("#")) {
      const code = e.startsWith("#x") ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD";
    }
    return { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" }[e] ?? "";
  });
}
