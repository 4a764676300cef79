// SPDX 2.3 JSON from a Catalog. The document describes one root package (the image or directory), which CONTAINS
// the operating system and every package. What SPDX has no field for (where a package was found, the cataloger,
// the source package, the licences as declared) rides in one annotation per package, so readSbom() gets the same
// packages back.
import { createHash, randomUUID } from "node:crypto";
import { spdxExpressionProblem } from "../labels/validators.ts";
import { SPDX_LIST_VERSION } from "../labels/spdx-ids.ts";
import { VERSION } from "../version.ts";
import { isReproducible, packageRef, sbomCreated, uuidFromContent, type SbomWriteOptions } from "./cyclonedx.ts";
import type { Catalog, CatalogedPackage, PackageLocation } from "./model.ts";

/** Annotation comment prefixes of drydock's facts (a JSON object follows): per package, the root, the OS. */
export const SPDX_ANNOTATION = { package: "drydock:package ", target: "drydock:target ", distro: "drydock:distro " } as const;

/** What drydock keeps in a package's annotation. */
export interface SpdxPackageFacts {
  cataloger: string;
  ecosystem: string;
  release?: string;
  sourceName?: string;
  sourceVersion?: string;
  namespace?: string;
  licenses: string[];
  locations: PackageLocation[];
  metadata?: Record<string, string>;
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: "NOASSERTION";
  filesAnalyzed: false;
  licenseConcluded: "NOASSERTION";
  licenseDeclared: string;
  copyrightText: "NOASSERTION";
  primaryPackagePurpose?: string;
  description?: string;
  sourceInfo?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  annotations?: SpdxAnnotation[];
}

interface SpdxAnnotation {
  annotationDate: string;
  annotationType: "OTHER";
  annotator: string;
  comment: string;
}

interface ExtractedLicence {
  licenseId: string;
  extractedText: string;
  name: string;
}

const NOASSERTION = "NOASSERTION";

/** Characters allowed in an SPDX idstring after "SPDXRef-" (letters, digits, "." and "-"). */
export function spdxIdPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^[.-]+|[.-]+$/g, "").replace(/-{2,}/g, "-") || "x";
}

/** SPDX's creation time: UTC, whole seconds ("2024-01-02T03:04:05Z"). */
function spdxDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Renders the catalog as an SPDX 2.3 JSON document (two-space indented, trailing newline). */
export function writeSpdx(catalog: Catalog, options: SbomWriteOptions = {}): string {
  const created = spdxDate(sbomCreated(options));
  const tool = `Tool: drydock-${VERSION}`;
  const licences = new LicenceRefs();
  const rootId = `SPDXRef-DocumentRoot-${catalog.image === undefined ? "Directory" : "Image"}-${spdxIdPart(catalog.image?.name ?? catalog.target)}`;
  const root: SpdxPackage = {
    SPDXID: rootId,
    name: catalog.image?.name ?? catalog.target,
    ...(catalog.image?.digest === undefined ? {} : { versionInfo: catalog.image.digest }),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    primaryPackagePurpose: catalog.image === undefined ? "FILE" : "CONTAINER",
    annotations: [annotation(SPDX_ANNOTATION.target, { target: catalog.target, kind: catalog.kind, image: catalog.image }, tool, created)],
  };
  const packages: SpdxPackage[] = [root];
  const distro = catalog.distro;
  if (distro !== undefined) {
    packages.push({
      SPDXID: `SPDXRef-OperatingSystem-${spdxIdPart(distro.id)}${distro.versionId === undefined ? "" : `-${spdxIdPart(distro.versionId)}`}`,
      name: distro.id,
      ...(distro.versionId === undefined ? {} : { versionInfo: distro.versionId }),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: "OPERATING_SYSTEM",
      ...(distro.prettyName === undefined ? {} : { description: distro.prettyName }),
      ...(distro.versionCodename === undefined ? {} : { annotations: [annotation(SPDX_ANNOTATION.distro, { versionCodename: distro.versionCodename }, tool, created)] }),
    });
  }
  const ids = new Set(packages.map((p) => p.SPDXID));
  for (const pkg of sortedPackages(catalog.packages)) {
    packages.push(spdxPackage(pkg, uniqueId(packageId(pkg), ids), licences, tool, created));
  }
  const relationships = [
    { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: rootId },
    ...packages.slice(1).map((p) => ({ spdxElementId: rootId, relationshipType: "CONTAINS", relatedSpdxElement: p.SPDXID })),
  ];
  const body = {
    packages,
    relationships,
    ...(licences.size > 0 ? { hasExtractedLicensingInfos: licences.list() } : {}),
  };
  const namespaceBase = `https://spdx.org/spdxdocs/drydock/${spdxIdPart(catalog.image?.name ?? catalog.target)}-`;
  // Reproducible output: the namespace's UUID is a hash of the content (creation time included), else random.
  const uuid = isReproducible(options) ? uuidFromContent(JSON.stringify({ created, target: catalog.target, body })) : randomUUID();
  const document = {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: catalog.image?.name ?? catalog.target,
    documentNamespace: `${namespaceBase}${uuid}`,
    creationInfo: { created, creators: [tool], licenseListVersion: SPDX_LIST_VERSION.split(".").slice(0, 2).join(".") },
    documentDescribes: [rootId],
    ...body,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Package order: by purl, then location, so output does not depend on the walk order. */
function sortedPackages(packages: readonly CatalogedPackage[]): CatalogedPackage[] {
  return [...packages].sort((a, b) => compareText(packageRef(a), packageRef(b)));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Readable and stable: type, name, version, and a short hash of purl + location (the same purl can occur twice). */
function packageId(pkg: CatalogedPackage): string {
  const hash = createHash("sha256").update(packageRef(pkg)).digest("hex").slice(0, 16);
  return `SPDXRef-Package-${pkg.type}-${spdxIdPart(pkg.name)}-${hash}`;
}

function uniqueId(id: string, seen: Set<string>): string {
  let out = id;
  for (let n = 2; seen.has(out); n++) out = `${id}-${n}`;
  seen.add(out);
  return out;
}

function spdxPackage(pkg: CatalogedPackage, id: string, licences: LicenceRefs, annotator: string, created: string): SpdxPackage {
  const facts: SpdxPackageFacts = {
    cataloger: pkg.cataloger,
    ecosystem: pkg.ecosystem,
    ...(pkg.release === undefined ? {} : { release: pkg.release }),
    ...(pkg.sourceName === undefined ? {} : { sourceName: pkg.sourceName }),
    ...(pkg.sourceVersion === undefined ? {} : { sourceVersion: pkg.sourceVersion }),
    ...(pkg.namespace === undefined ? {} : { namespace: pkg.namespace }),
    licenses: pkg.licenses,
    locations: pkg.locations,
    ...(pkg.metadata === undefined ? {} : { metadata: pkg.metadata }),
  };
  const where = pkg.locations[0];
  return {
    SPDXID: id,
    name: pkg.name,
    ...(pkg.version === "" ? {} : { versionInfo: pkg.version }),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: licences.declared(pkg.licenses),
    copyrightText: NOASSERTION,
    ...(where === undefined ? {} : { sourceInfo: `found by drydock's ${pkg.cataloger} cataloger in ${describeLocation(where)}` }),
    externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: pkg.purl }],
    annotations: [annotation(SPDX_ANNOTATION.package, facts, annotator, created)],
  };
}

function annotation(prefix: string, facts: object, annotator: string, date: string): SpdxAnnotation {
  return { annotationDate: date, annotationType: "OTHER", annotator, comment: `${prefix}${JSON.stringify(facts)}` };
}

function describeLocation(location: PackageLocation): string {
  const inner = location.inner === undefined ? "" : ` (inside: ${location.inner})`;
  const layer = location.layer === undefined ? "" : ` of layer ${location.layerIndex ?? "?"} ${location.layer}`;
  return `/${location.path}${inner}${layer}`;
}

/**
 * The document's licence references: declared licences that are valid SPDX expressions are used as they are;
 * other text becomes LicenseRef-<text> with the text kept in hasExtractedLicensingInfos.
 */
class LicenceRefs {
  readonly #byText = new Map<string, ExtractedLicence>();

  get size(): number {
    return this.#byText.size;
  }

  declared(licences: readonly string[]): string {
    const parts = [...new Set(licences.map((l) => l.trim()).filter((l) => l !== ""))]
      .map((text) => (spdxExpressionProblem(text) === undefined ? text : this.#ref(text)));
    if (parts.length === 0) return NOASSERTION;
    if (parts.length === 1) return parts[0] as string;
    return parts.map((p) => (/\s/.test(p) ? `(${p})` : p)).join(" AND ");
  }

  list(): ExtractedLicence[] {
    return [...this.#byText.values()].sort((a, b) => compareText(a.licenseId, b.licenseId));
  }

  #ref(text: string): string {
    const known = this.#byText.get(text);
    if (known !== undefined) return known.licenseId;
    const base = `LicenseRef-${spdxIdPart(text)}`;
    const taken = new Set([...this.#byText.values()].map((l) => l.licenseId));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    this.#byText.set(text, { licenseId: id, extractedText: text, name: text });
    return id;
  }
}
