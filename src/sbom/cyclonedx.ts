// CycloneDX 1.6 JSON from a Catalog, through @cyclonedx/cyclonedx-library (its models, normalizer and serializer).
// What the model has and CycloneDX has no field for (where a package was found, the cataloger, the source package)
// goes into properties named drydock:* (listed in docs/sbom.md), so readSbom() gets the same packages back.
import { createHash, randomUUID } from "node:crypto";
import { Enums, Models, Serialize, Spec, SPDX } from "@cyclonedx/cyclonedx-library";
import { DrydockError } from "../core/errors.ts";
import { spdxExpressionProblem } from "../labels/validators.ts";
import { VERSION } from "../version.ts";
import type { Catalog, CatalogedPackage, DistroInfo, PackageLocation, PackageType } from "./model.ts";

/** What makes two runs over the same input write the same bytes. */
export interface SbomWriteOptions {
  /**
   * SOURCE_DATE_EPOCH as the environment gives it (seconds since 1970, reproducible-builds.org): the creation time,
   * and the serial number / document namespace then derive from the content instead of being random.
   */
  sourceDateEpoch?: string | undefined;
  /** The clock when SOURCE_DATE_EPOCH is not set (tests pass a fixed one). */
  now?: Date;
}

/** The creation time: SOURCE_DATE_EPOCH when set (and valid), else now. */
export function sbomCreated(options: SbomWriteOptions): Date {
  const epoch = options.sourceDateEpoch;
  if (epoch === undefined || epoch === "") return options.now ?? new Date();
  if (!/^\d{1,12}$/.test(epoch)) {
    throw new DrydockError("USAGE", `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; got ${JSON.stringify(epoch)}`);
  }
  return new Date(Number(epoch) * 1000);
}

/** True when the output must be reproducible (SOURCE_DATE_EPOCH set). */
export function isReproducible(options: SbomWriteOptions): boolean {
  return options.sourceDateEpoch !== undefined && options.sourceDateEpoch !== "";
}

/** A name-based UUID (version 5 layout, SHA-256 instead of SHA-1) of some content: same content, same UUID. */
export function uuidFromContent(content: string): string {
  const b = createHash("sha256").update(content).digest();
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Property names drydock writes (and reads back); documented in docs/sbom.md. */
export const PROPERTY = {
  cataloger: "drydock:cataloger",
  ecosystem: "drydock:ecosystem",
  release: "drydock:release",
  sourceName: "drydock:sourceName",
  sourceVersion: "drydock:sourceVersion",
  /** The model's namespace as the cataloger set it (CycloneDX's group is not always the same thing). */
  namespace: "drydock:namespace",
  metadataPrefix: "drydock:metadata:",
  /** drydock:location:<n>:path|inner|layer|layerIndex — one numbered group per location. */
  locationPrefix: "drydock:location:",
  target: "drydock:target",
  kind: "drydock:kind",
  imageDigest: "drydock:image:digest",
  imageConfigDigest: "drydock:image:configDigest",
  imageName: "drydock:image:name",
  imagePlatform: "drydock:image:platform",
  /** drydock:image:layer:<n> — the image's layer digests, bottom first. */
  imageLayerPrefix: "drydock:image:layer:",
  distroCodename: "drydock:distro:codename",
} as const;

/**
 * How the model's full name splits into CycloneDX group and name: Maven "group:artifact", npm "@scope/name",
 * Go and Composer "prefix/name" put their prefix in `group`, as CycloneDX tools do.
 */
export function splitPackageName(type: PackageType, fullName: string, namespace: string | undefined): { group: string | undefined; name: string } {
  const separator = type === "maven" ? ":" : "/";
  if (type === "maven" || type === "npm" || type === "golang" || type === "composer") {
    const at = fullName.lastIndexOf(separator);
    if (at > 0) return { group: fullName.slice(0, at), name: fullName.slice(at + 1) };
  }
  const group = namespace === undefined || namespace === "" ? undefined : type === "npm" && !namespace.startsWith("@") ? `@${namespace}` : namespace;
  return { group, name: fullName };
}

/** Renders the catalog as a CycloneDX 1.6 JSON document (two-space indented, trailing newline). */
export function writeCycloneDx(catalog: Catalog, options: SbomWriteOptions = {}): string {
  const created = sbomCreated(options);
  const bom = new Models.Bom();
  bom.metadata.timestamp = created;
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, "drydock", { version: VERSION, bomRef: "drydock" }));
  bom.metadata.component = targetComponent(catalog);
  if (catalog.distro !== undefined) bom.components.add(distroComponent(catalog.distro));
  const refs = new Set<string>();
  for (const pkg of catalog.packages) bom.components.add(packageComponent(pkg, uniqueRef(packageRef(pkg), refs)));

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const serialize = (): string => `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
  // Reproducible output: the serial number is a hash of everything else, so it changes exactly when content does.
  bom.serialNumber = `urn:uuid:${isReproducible(options) ? uuidFromContent(serialize()) : randomUUID()}`;
  return serialize();
}

/** A stable bom-ref: the purl and where the package was found (the same purl can be installed twice). */
export function packageRef(pkg: CatalogedPackage): string {
  const where = pkg.locations[0];
  return where === undefined ? pkg.purl : `${pkg.purl}|${locationKey(where)}`;
}

function locationKey(location: PackageLocation): string {
  const layer = location.layerIndex === undefined ? "" : `${location.layerIndex}:`;
  return `${layer}${location.path}${location.inner === undefined ? "" : `!${location.inner}`}`;
}

function uniqueRef(ref: string, seen: Set<string>): string {
  let out = ref;
  for (let n = 2; seen.has(out); n++) out = `${ref}|${n}`;
  seen.add(out);
  return out;
}

function targetComponent(catalog: Catalog): Models.Component {
  const props: [string, string | undefined][] = [[PROPERTY.target, catalog.target], [PROPERTY.kind, catalog.kind]];
  const image = catalog.image;
  if (image === undefined) {
    const type = catalog.kind === "sbom" ? Enums.ComponentType.Application : Enums.ComponentType.File;
    return new Models.Component(type, catalog.target, { bomRef: "target", properties: properties(props) });
  }
  props.push(
    [PROPERTY.imageName, image.name],
    [PROPERTY.imageDigest, image.digest],
    [PROPERTY.imageConfigDigest, image.configDigest],
    [PROPERTY.imagePlatform, image.platform],
    ...image.layers.map((digest, i): [string, string] => [`${PROPERTY.imageLayerPrefix}${i}`, digest]),
  );
  return new Models.Component(Enums.ComponentType.Container, image.name ?? catalog.target, {
    bomRef: "target",
    ...(image.digest === undefined ? {} : { version: image.digest }),
    properties: properties(props),
  });
}

function distroComponent(distro: DistroInfo): Models.Component {
  return new Models.Component(Enums.ComponentType.OperatingSystem, distro.id, {
    bomRef: `os:${distro.id}${distro.versionId === undefined ? "" : `@${distro.versionId}`}`,
    ...(distro.versionId === undefined ? {} : { version: distro.versionId }),
    ...(distro.prettyName === undefined ? {} : { description: distro.prettyName }),
    properties: properties([[PROPERTY.distroCodename, distro.versionCodename]]),
  });
}

function packageComponent(pkg: CatalogedPackage, bomRef: string): Models.Component {
  const { group, name } = splitPackageName(pkg.type, pkg.name, pkg.namespace);
  const props: [string, string | undefined][] = [
    [PROPERTY.cataloger, pkg.cataloger],
    [PROPERTY.ecosystem, pkg.ecosystem],
    [PROPERTY.release, pkg.release],
    [PROPERTY.sourceName, pkg.sourceName],
    [PROPERTY.sourceVersion, pkg.sourceVersion],
    [PROPERTY.namespace, pkg.namespace],
  ];
  pkg.locations.forEach((loc, i) => {
    const prefix = `${PROPERTY.locationPrefix}${i}:`;
    props.push([`${prefix}path`, loc.path], [`${prefix}inner`, loc.inner], [`${prefix}layer`, loc.layer],
      [`${prefix}layerIndex`, loc.layerIndex === undefined ? undefined : String(loc.layerIndex)]);
  });
  for (const [key, value] of Object.entries(pkg.metadata ?? {})) props.push([`${PROPERTY.metadataPrefix}${key}`, value]);
  return new Models.Component(Enums.ComponentType.Library, name, {
    bomRef,
    ...(group === undefined ? {} : { group }),
    ...(pkg.version === "" ? {} : { version: pkg.version }),
    purl: pkg.purl,
    licenses: cycloneDxLicenses(pkg.licenses),
    properties: properties(props),
  });
}

function properties(pairs: readonly (readonly [string, string | undefined])[]): Models.PropertyRepository {
  return new Models.PropertyRepository(pairs.filter((p): p is readonly [string, string] => p[1] !== undefined).map(([k, v]) => new Models.Property(k, v)));
}

/** The licence id as CycloneDX's SPDX list spells it, when the text is one such id (in any case). */
function supportedSpdxId(text: string): string | undefined {
  const id = SPDX.fixupSpdxId(text.trim());
  return id !== undefined && SPDX.isSupportedSpdxId(id) ? id : undefined;
}

/**
 * CycloneDX allows either a list of licences (SPDX id or name) or exactly one expression. Single ids become
 * `license.id`, other text `license.name`; a compound expression is the one expression, several are joined with
 * AND when all are valid (else each is kept by name, so nothing is lost).
 */
export function cycloneDxLicenses(declared: readonly string[]): Models.LicenseRepository {
  const texts = [...new Set(declared.map((l) => l.trim()).filter((l) => l !== ""))];
  const repo = new Models.LicenseRepository();
  const compound = texts.filter((t) => supportedSpdxId(t) === undefined && spdxExpressionProblem(t) === undefined);
  if (compound.length > 0) {
    const allValid = texts.every((t) => spdxExpressionProblem(t) === undefined);
    if (allValid) {
      repo.add(new Models.LicenseExpression(texts.length === 1 ? (texts[0] as string) : texts.map((t) => (/\s/.test(t) ? `(${t})` : t)).join(" AND ")));
      return repo;
    }
  }
  for (const text of texts) {
    const id = supportedSpdxId(text);
    repo.add(id === undefined ? new Models.NamedLicense(text) : new Models.SpdxLicense(id));
  }
  return repo;
}
