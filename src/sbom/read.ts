// Reading an SBOM back into a Catalog, so `drydock scan` and `drydock sbom` take one as a target: CycloneDX JSON
// 1.2–1.6 and SPDX 2.2/2.3 JSON, drydock's own (exact, from its drydock:* properties and annotations) or another
// tool's (from each package's purl, which says the ecosystem, namespace, distribution and source package).
import { DrydockError } from "../core/errors.ts";
import { debianReleaseOfCodename, distroRelease } from "../vuln/distro.ts";
import { PROPERTY } from "./cyclonedx.ts";
import type { Catalog, CatalogedPackage, DistroInfo, PackageLocation, PackageType } from "./model.ts";
import { parsePurl, pypiName, type PurlParts } from "./purl.ts";
import { SPDX_ANNOTATION, type SpdxPackageFacts } from "./spdx.ts";

export type SbomFormat = "cyclonedx" | "spdx";

/** OSV ecosystem of each purl type whose ecosystem does not depend on the distribution. */
const LANGUAGE_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: "npm", pypi: "PyPI", golang: "Go", maven: "Maven", gem: "RubyGems", cargo: "crates.io", composer: "Packagist", nuget: "NuGet",
};

/** rpm purl namespaces (vendors) → OSV ecosystem. */
const RPM_ECOSYSTEMS: Readonly<Record<string, string>> = {
  redhat: "Red Hat", rhel: "Red Hat", rocky: "Rocky Linux", "rocky-linux": "Rocky Linux", almalinux: "AlmaLinux",
  opensuse: "openSUSE", suse: "SUSE", sles: "SUSE", mariner: "Mariner", photon: "Photon OS", openeuler: "openEuler",
};

const APK_ECOSYSTEMS: Readonly<Record<string, string>> = { alpine: "Alpine", wolfi: "Wolfi", chainguard: "Chainguard" };

const PACKAGE_TYPES = new Set<string>(["deb", "apk", "rpm", "npm", "pypi", "golang", "maven", "gem", "cargo", "composer", "nuget"]);

/** Nesting deeper than this is not an SBOM anyone wrote. */
const MAX_COMPONENT_DEPTH = 64;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function invalid(where: string, message: string): DrydockError {
  return new DrydockError("SBOM_INVALID", `${where}: ${message}`);
}

/** Which SBOM format a parsed JSON document is, if any. */
function formatOf(doc: unknown): SbomFormat | undefined {
  if (!isObject(doc)) return undefined;
  if (doc.bomFormat === "CycloneDX") return "cyclonedx";
  if (typeof doc.spdxVersion === "string" && doc.spdxVersion.startsWith("SPDX-")) return "spdx";
  return undefined;
}

/** The format of a document from its bytes, without failing: undefined when it is not CycloneDX or SPDX JSON. */
export function detectSbomFormat(bytes: Uint8Array): SbomFormat | undefined {
  try {
    return formatOf(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  } catch {
    return undefined;
  }
}

/** Reads a CycloneDX or SPDX JSON document (detected by content); a malformed one is a DrydockError naming `where`. */
export function readSbom(bytes: Uint8Array, where: string): Catalog {
  let source: string;
  try {
    source = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid(where, "not UTF-8 text, so not a JSON SBOM");
  }
  if (/^\s*</.test(source)) throw invalid(where, "looks like XML; only CycloneDX and SPDX in JSON are read (convert it to JSON first)");
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    throw invalid(where, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  switch (formatOf(doc)) {
    case "cyclonedx":
      return readCycloneDx(doc as Json, where);
    case "spdx":
      return readSpdx(doc as Json, where);
    default:
      throw invalid(where, 'neither a CycloneDX document ("bomFormat": "CycloneDX") nor an SPDX one ("spdxVersion": "SPDX-2.x")');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What both formats hand to the package builder.

interface PackageFacts {
  purlText: string;
  /** The name the document gives, and its group (CycloneDX) when it has one. */
  name: string | undefined;
  group: string | undefined;
  version: string | undefined;
  licenses: string[];
  /** drydock's own facts, when the document is drydock's. */
  ours: Partial<SpdxPackageFacts> | undefined;
  locations: PackageLocation[];
}

/** Collects notes once each, with counts for repeated kinds. */
class Notes {
  readonly #counts = new Map<string, { count: number; examples: string[] }>();

  add(kind: string, example: string): void {
    const entry = this.#counts.get(kind) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(example);
    this.#counts.set(kind, entry);
  }

  /** "sbom.json: skipped 2 packages without a purl: a@1, b@2". */
  list(where: string): string[] {
    return [...this.#counts].map(([kind, { count, examples }]) =>
      `${where}: skipped ${count} package${count === 1 ? "" : "s"} ${kind}: ${examples.join(", ")}${count > examples.length ? ", …" : ""}`);
  }
}

function fullName(type: PackageType, parts: PurlParts): string {
  const ns = parts.namespace;
  if (ns === undefined || ns === "") return parts.name;
  if (type === "maven") return `${ns}:${parts.name}`;
  if (type === "npm" || type === "golang" || type === "composer") return `${ns}/${parts.name}`;
  return parts.name;
}

/** Another tool's name when it is the purl's name spelled differently (case, PyPI separators), else the purl's. */
function otherToolName(type: PackageType, parts: PurlParts, given: string | undefined): string {
  const fromPurl = fullName(type, parts);
  if (type === "maven" || type === "npm" || type === "golang" || type === "composer" || given === undefined) return fromPurl;
  const same = type === "pypi" ? pypiName(given) === pypiName(parts.name) : given.toLowerCase() === parts.name.toLowerCase();
  return same ? given : fromPurl;
}

/** "debian-12" → ID debian, VERSION_ID 12; "bookworm" → Debian's codename; used for the release of OS packages. */
function distroQualifier(value: string | undefined): { id: string; versionId: string | undefined; codename: string | undefined } | undefined {
  if (value === undefined || value === "") return undefined;
  const m = /^([a-z][a-z0-9._]*?)-(.+)$/i.exec(value);
  if (m !== null) {
    const version = m[2] as string;
    const numeric = /^\d/.test(version);
    return { id: (m[1] as string).toLowerCase(), versionId: numeric ? version : undefined, codename: numeric ? undefined : version };
  }
  if (debianReleaseOfCodename(value) !== undefined) return { id: "debian", versionId: undefined, codename: value };
  return undefined;
}

function releaseOf(ecosystem: string, distro: { id: string; versionId: string | undefined; codename: string | undefined } | undefined): string | undefined {
  if (distro === undefined) return undefined;
  const r = distroRelease({ ID: distro.id, VERSION_ID: distro.versionId, VERSION_CODENAME: distro.codename });
  return r !== undefined && r.ecosystem === ecosystem && r.release !== "" ? r.release : undefined;
}

/** An OS package's ecosystem from its purl type and namespace (the vendor). */
function osEcosystem(type: "deb" | "apk" | "rpm", namespace: string | undefined, fallback: DistroInfo | undefined): string {
  const ns = (namespace ?? fallback?.id ?? "").toLowerCase();
  if (type === "deb") return ns === "ubuntu" ? "Ubuntu" : "Debian";
  if (type === "apk") return APK_ECOSYSTEMS[ns] ?? "Alpine";
  return RPM_ECOSYSTEMS[ns] ?? (ns === "" ? "Red Hat" : ns);
}

/** The source package from a purl's `upstream` qualifier: "glibc", "glibc@2.36-9", or an rpm's "x-1.2-3.el9.src.rpm". */
function upstreamOf(value: string | undefined): { name: string; version: string | undefined } | undefined {
  if (value === undefined || value === "") return undefined;
  const srpm = /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(value);
  if (srpm !== null) return { name: srpm[1] as string, version: `${srpm[2]}-${srpm[3]}` };
  const at = value.indexOf("@");
  return at > 0 ? { name: value.slice(0, at), version: value.slice(at + 1) } : { name: value, version: undefined };
}

function buildPackage(facts: PackageFacts, distro: DistroInfo | undefined, notes: Notes): CatalogedPackage | undefined {
  const parts = parsePurl(facts.purlText);
  if (parts === undefined) {
    notes.add("with an unreadable purl", facts.purlText);
    return undefined;
  }
  if (!PACKAGE_TYPES.has(parts.type)) {
    notes.add(`of purl type "${parts.type}" (not an ecosystem drydock catalogs)`, facts.purlText);
    return undefined;
  }
  const type = parts.type as PackageType;
  const ours = facts.ours;
  const version = facts.version ?? parts.version ?? "";
  const qualifiers = parts.qualifiers ?? {};
  const pkg: CatalogedPackage = {
    name: ours === undefined ? otherToolName(type, parts, facts.name) : (facts.name ?? fullName(type, parts)),
    version,
    ecosystem: "",
    purl: facts.purlText,
    type,
    licenses: ours?.licenses ?? facts.licenses,
    locations: ours?.locations ?? facts.locations,
    cataloger: ours?.cataloger ?? "sbom",
  };
  if (ours !== undefined) {
    pkg.ecosystem = ours.ecosystem ?? "";
    if (ours.namespace !== undefined) pkg.namespace = ours.namespace;
    if (ours.release !== undefined) pkg.release = ours.release;
    if (ours.sourceName !== undefined) pkg.sourceName = ours.sourceName;
    if (ours.sourceVersion !== undefined) pkg.sourceVersion = ours.sourceVersion;
    if (ours.metadata !== undefined && Object.keys(ours.metadata).length > 0) pkg.metadata = ours.metadata;
    if (pkg.ecosystem !== "") return pkg;
  }
  const namespace = parts.namespace;
  if (ours === undefined && namespace !== undefined && namespace !== "") pkg.namespace = type === "npm" ? namespace.replace(/^@/, "") : namespace;
  if (type === "deb" || type === "apk" || type === "rpm") {
    pkg.ecosystem = osEcosystem(type, namespace, distro);
    const fromDistro = distro === undefined ? undefined : { id: distro.id, versionId: distro.versionId, codename: distro.versionCodename };
    const release = ours?.release ?? releaseOf(pkg.ecosystem, distroQualifier(qualifiers.distro)) ?? releaseOf(pkg.ecosystem, fromDistro);
    if (release !== undefined) pkg.release = release;
    const upstream = upstreamOf(qualifiers.upstream);
    if (ours === undefined && upstream !== undefined && upstream.name !== pkg.name) pkg.sourceName = upstream.name;
    if (ours === undefined && upstream?.version !== undefined && upstream.version !== version) {
      pkg.sourceName = upstream.name;
      pkg.sourceVersion = upstream.version;
    }
  } else {
    pkg.ecosystem = LANGUAGE_ECOSYSTEMS[type] ?? type;
  }
  return pkg;
}

/** The distribution named by the first OS package's purl (`distro=debian-12`), when the document has no OS entry. */
function distroFromPurls(purls: readonly string[]): DistroInfo | undefined {
  for (const p of purls) {
    const parts = parsePurl(p);
    if (parts === undefined || !["deb", "apk", "rpm"].includes(parts.type)) continue;
    const q = distroQualifier(parts.qualifiers?.distro);
    if (q === undefined) continue;
    return { id: q.id, versionId: q.versionId ?? (q.codename === undefined ? undefined : debianReleaseOfCodename(q.codename)), versionCodename: q.codename, prettyName: undefined };
  }
  return undefined;
}

function parseFacts<T>(comment: string, prefix: string): T | undefined {
  if (!comment.startsWith(prefix)) return undefined;
  try {
    const v: unknown = JSON.parse(comment.slice(prefix.length));
    return isObject(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

type ImageInfo = NonNullable<Catalog["image"]>;

// ---------------------------------------------------------------------------------------------------------------
// CycloneDX

/** CycloneDX component types that are packages (the others: files, devices, data, ...). */
const PACKAGE_COMPONENT_TYPES = new Set(["library", "framework", "application"]);

const CYCLONEDX_VERSIONS = new Set(["1.2", "1.3", "1.4", "1.5", "1.6"]);

function propertiesOf(component: Json): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(component.properties)) return out;
  for (const p of component.properties) {
    if (!isObject(p)) continue;
    const name = text(p.name);
    const value = text(p.value);
    if (name !== undefined && value !== undefined && !out.has(name)) out.set(name, value);
  }
  return out;
}

function cycloneDxLicences(component: Json): string[] {
  if (!Array.isArray(component.licenses)) return [];
  const out: string[] = [];
  for (const choice of component.licenses) {
    if (!isObject(choice)) continue;
    const expression = text(choice.expression);
    if (expression !== undefined) out.push(expression);
    const licence = choice.license;
    if (isObject(licence)) {
      const value = text(licence.id) ?? text(licence.name);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}

/** Locations from drydock:location:<n>:* properties, or syft's syft:location:<n>:path|layerID. */
function cycloneDxLocations(props: Map<string, string>): PackageLocation[] {
  const byIndex = new Map<number, PackageLocation>();
  const at = (i: number): PackageLocation => {
    let loc = byIndex.get(i);
    if (loc === undefined) {
      loc = { path: "" };
      byIndex.set(i, loc);
    }
    return loc;
  };
  for (const [name, value] of props) {
    const m = /^(drydock|syft):location:(\d+):(path|inner|layer|layerIndex|layerID)$/.exec(name);
    if (m === null) continue;
    const loc = at(Number(m[2]));
    switch (m[3]) {
      case "path":
        loc.path = value.replace(/^\/+/, "");
        break;
      case "inner":
        loc.inner = value;
        break;
      case "layer":
      case "layerID":
        loc.layer = value;
        break;
      case "layerIndex":
        if (/^\d+$/.test(value)) loc.layerIndex = Number(value);
        break;
    }
  }
  return [...byIndex].sort((a, b) => a[0] - b[0]).map(([, loc]) => loc).filter((loc) => loc.path !== "");
}

function oursFromProperties(props: Map<string, string>, licences: string[], locations: PackageLocation[]): Partial<SpdxPackageFacts> | undefined {
  const cataloger = props.get(PROPERTY.cataloger);
  if (cataloger === undefined) return undefined;
  const metadata: Record<string, string> = {};
  for (const [name, value] of props) if (name.startsWith(PROPERTY.metadataPrefix)) metadata[name.slice(PROPERTY.metadataPrefix.length)] = value;
  const optional = (key: string): string | undefined => props.get(key);
  const release = optional(PROPERTY.release);
  const sourceName = optional(PROPERTY.sourceName);
  const sourceVersion = optional(PROPERTY.sourceVersion);
  const namespace = optional(PROPERTY.namespace);
  return {
    cataloger,
    ecosystem: props.get(PROPERTY.ecosystem) ?? "",
    ...(release === undefined ? {} : { release }),
    ...(sourceName === undefined ? {} : { sourceName }),
    ...(sourceVersion === undefined ? {} : { sourceVersion }),
    ...(namespace === undefined ? {} : { namespace }),
    licenses: licences,
    locations,
    metadata,
  };
}

/** CycloneDX group + name → the model's full name, as splitPackageName split it. */
function joinGroup(type: string | undefined, group: string | undefined, name: string | undefined): string | undefined {
  if (name === undefined || group === undefined || group === "") return name;
  const separator = type === "maven" ? ":" : type === "npm" || type === "golang" || type === "composer" ? "/" : undefined;
  if (separator === undefined || name.startsWith(`${group}${separator}`)) return name;
  return `${group}${separator}${name}`;
}

function readCycloneDx(doc: Json, where: string): Catalog {
  const specVersion = text(doc.specVersion);
  if (specVersion === undefined || !CYCLONEDX_VERSIONS.has(specVersion)) {
    throw invalid(where, `CycloneDX specVersion ${JSON.stringify(doc.specVersion ?? null)} is not one drydock reads (1.2 to 1.6)`);
  }
  if (doc.components !== undefined && !Array.isArray(doc.components)) throw invalid(where, 'CycloneDX "components" must be an array');
  if (doc.metadata !== undefined && !isObject(doc.metadata)) throw invalid(where, 'CycloneDX "metadata" must be an object');
  const notes = new Notes();
  const found: { component: Json; path: string }[] = [];
  const walk = (list: unknown, path: string, depth: number): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw invalid(where, `CycloneDX ${path} must be an array`);
    if (depth > MAX_COMPONENT_DEPTH) throw invalid(where, `components nested more than ${MAX_COMPONENT_DEPTH} deep`);
    list.forEach((c: unknown, i) => {
      const at = `${path}[${i}]`;
      if (!isObject(c)) throw invalid(where, `CycloneDX ${at} is not an object`);
      found.push({ component: c, path: at });
      walk(c.components, `${at}.components`, depth + 1);
    });
  };
  walk(doc.components, "components", 0);

  const osComponent = found.find((f) => f.component.type === "operating-system")?.component;
  const purls = found.map((f) => text(f.component.purl)).filter((p): p is string => p !== undefined);
  const distro = osComponent === undefined ? distroFromPurls(purls) : distroFromComponent(osComponent);
  const packages: CatalogedPackage[] = [];
  for (const { component } of found) {
    if (component.type === "operating-system") continue;
    const purlText = text(component.purl);
    const name = text(component.name);
    if (purlText === undefined) {
      // Files and other non-package components (syft lists every file it looked at) are no packages.
      if (!PACKAGE_COMPONENT_TYPES.has(String(component.type))) continue;
      notes.add("without a purl", `${name ?? "?"}${text(component.version) === undefined ? "" : `@${text(component.version)}`}`);
      continue;
    }
    const props = propertiesOf(component);
    const licences = cycloneDxLicences(component);
    const locations = cycloneDxLocations(props);
    const ours = oursFromProperties(props, licences, locations);
    const type = parsePurl(purlText)?.type;
    const pkg = buildPackage({
      purlText,
      name: ours === undefined ? name : joinGroup(type, text(component.group), name),
      group: text(component.group),
      version: text(component.version),
      licenses: licences,
      ours,
      locations,
    }, distro, notes);
    if (pkg !== undefined) packages.push(pkg);
  }
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const image = isObject(metadata.component) ? imageFromComponent(metadata.component) : undefined;
  return {
    target: where,
    kind: "sbom",
    ...(image === undefined ? {} : { image }),
    distro,
    packages,
    notes: notes.list(where),
  };
}

function distroFromComponent(c: Json): DistroInfo {
  const props = propertiesOf(c);
  return {
    id: (text(c.name) ?? "").toLowerCase(),
    versionId: text(c.version),
    versionCodename: props.get(PROPERTY.distroCodename) ?? props.get("syft:distro:versionCodename"),
    prettyName: text(c.description),
  };
}

function imageFromComponent(c: Json): ImageInfo | undefined {
  if (c.type !== "container") return undefined;
  const props = propertiesOf(c);
  const version = text(c.version);
  const layers = [...props].filter(([k]) => k.startsWith(PROPERTY.imageLayerPrefix))
    .map(([k, v]) => [Number(k.slice(PROPERTY.imageLayerPrefix.length)), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return {
    digest: props.get(PROPERTY.imageDigest) ?? (version?.startsWith("sha256:") === true ? version : undefined),
    configDigest: props.get(PROPERTY.imageConfigDigest),
    name: props.get(PROPERTY.imageName) ?? text(c.name),
    platform: props.get(PROPERTY.imagePlatform),
    layers,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// SPDX

function spdxAnnotationFacts<T>(pkg: Json, prefix: string): T | undefined {
  if (!Array.isArray(pkg.annotations)) return undefined;
  for (const a of pkg.annotations) {
    const comment = isObject(a) ? text(a.comment) : undefined;
    const facts = comment === undefined ? undefined : parseFacts<T>(comment, prefix);
    if (facts !== undefined) return facts;
  }
  return undefined;
}

function spdxPurl(pkg: Json): string | undefined {
  if (!Array.isArray(pkg.externalRefs)) return undefined;
  for (const ref of pkg.externalRefs) {
    if (!isObject(ref) || ref.referenceType !== "purl") continue;
    const locator = text(ref.referenceLocator);
    if (locator !== undefined) return locator;
  }
  return undefined;
}

/** licenseDeclared as a list: NOASSERTION/NONE → none; a lone LicenseRef- → the licence's name as extracted. */
function spdxLicences(value: string | undefined, extracted: Map<string, string>): string[] {
  if (value === undefined || value === "NOASSERTION" || value === "NONE" || value === "") return [];
  return [extracted.get(value) ?? value];
}

function isValidFacts(v: Partial<SpdxPackageFacts>): boolean {
  return typeof v.cataloger === "string" && Array.isArray(v.licenses) && v.licenses.every((l) => typeof l === "string")
    && Array.isArray(v.locations) && v.locations.every((l) => isObject(l) && typeof l.path === "string");
}

function readSpdx(doc: Json, where: string): Catalog {
  const version = text(doc.spdxVersion) ?? "";
  if (!/^SPDX-2\.[0-3]$/.test(version)) throw invalid(where, `${version} is not an SPDX version drydock reads (SPDX-2.2 or SPDX-2.3 JSON)`);
  if (doc.packages !== undefined && !Array.isArray(doc.packages)) throw invalid(where, 'SPDX "packages" must be an array');
  const list: unknown[] = Array.isArray(doc.packages) ? doc.packages : [];
  const extracted = new Map<string, string>();
  if (Array.isArray(doc.hasExtractedLicensingInfos)) {
    for (const info of doc.hasExtractedLicensingInfos) {
      if (!isObject(info)) continue;
      const id = text(info.licenseId);
      const name = text(info.name) ?? text(info.extractedText);
      if (id !== undefined && name !== undefined) extracted.set(id, name);
    }
  }
  const described = new Set<string>(Array.isArray(doc.documentDescribes) ? doc.documentDescribes.filter((d): d is string => typeof d === "string") : []);
  if (Array.isArray(doc.relationships)) {
    for (const r of doc.relationships) {
      if (isObject(r) && r.spdxElementId === "SPDXRef-DOCUMENT" && r.relationshipType === "DESCRIBES" && typeof r.relatedSpdxElement === "string") {
        described.add(r.relatedSpdxElement);
      }
    }
  }
  const packages = list.map((p, i) => {
    if (!isObject(p)) throw invalid(where, `SPDX packages[${i}] is not an object`);
    return p;
  });
  const notes = new Notes();
  const osPackage = packages.find((p) => p.primaryPackagePurpose === "OPERATING_SYSTEM");
  const purls = packages.map(spdxPurl).filter((p): p is string => p !== undefined);
  const distro = osPackage === undefined ? distroFromPurls(purls) : {
    id: (text(osPackage.name) ?? "").toLowerCase(),
    versionId: text(osPackage.versionInfo),
    versionCodename: spdxAnnotationFacts<{ versionCodename?: string }>(osPackage, SPDX_ANNOTATION.distro)?.versionCodename,
    prettyName: text(osPackage.description),
  };
  let image: ImageInfo | undefined;
  const out: CatalogedPackage[] = [];
  for (const p of packages) {
    const id = text(p.SPDXID) ?? "";
    if (p === osPackage) continue;
    const target = spdxAnnotationFacts<{ image?: ImageInfo }>(p, SPDX_ANNOTATION.target);
    if (target !== undefined) {
      if (isObject(target.image)) image = target.image;
      continue;
    }
    const purlText = spdxPurl(p);
    if (purlText === undefined) {
      // The described root (the image or directory itself) is no package of it.
      if (!described.has(id)) notes.add("without a purl", `${text(p.name) ?? id}${text(p.versionInfo) === undefined ? "" : `@${text(p.versionInfo)}`}`);
      continue;
    }
    const facts = spdxAnnotationFacts<Partial<SpdxPackageFacts>>(p, SPDX_ANNOTATION.package);
    const ours = facts !== undefined && isValidFacts(facts) ? facts : undefined;
    const pkg = buildPackage({
      purlText,
      name: text(p.name),
      group: undefined,
      version: text(p.versionInfo),
      licenses: spdxLicences(text(p.licenseDeclared), extracted),
      ours,
      locations: [],
    }, distro, notes);
    if (pkg !== undefined) out.push(pkg);
  }
  return { target: where, kind: "sbom", ...(image === undefined ? {} : { image }), distro, packages: out, notes: notes.list(where) };
}
