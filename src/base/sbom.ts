// The SBOM of a base image, made the way `drydock sbom` makes one: the built image is walked once by every
// cataloger, so it describes what is really in the layer (licences from the packages' copyright files, os-release,
// files added with `files:`). The Debian packages it finds must be exactly the locked ones; anything else is a bug
// in assembly or cataloging and fails the build rather than shipping a wrong SBOM.
import { DrydockError } from "../core/errors.ts";
import type { AssembledImage } from "../build/assemble.ts";
import { parseImageConfig } from "../image/config.ts";
import { withDefaults } from "../image/limits.ts";
import type { ImageSource } from "../image/source.ts";
import { catalogImage } from "../sbom/catalog.ts";
import { allCatalogers } from "../sbom/catalogers/index.ts";
import { writeCycloneDx } from "../sbom/cyclonedx.ts";
import type { Catalog, Cataloger } from "../sbom/model.ts";
import type { LockedPackage } from "./lock.ts";

export interface BaseSbomOptions {
  /** How the catalog names the image (the first output, e.g. "oci:out:latest"). */
  ref: string;
  /** Default: every cataloger, as `drydock sbom`. */
  catalogers?: readonly Cataloger[];
}

export interface BaseSbom {
  catalog: Catalog;
  /** CycloneDX 1.6 JSON, reproducible: dated and numbered from the image's creation time and content. */
  cyclonedx: string;
}

/** Catalogs the assembled image and checks its Debian packages against the lock. */
export async function baseImageSbom(image: AssembledImage, locked: readonly LockedPackage[], options: BaseSbomOptions): Promise<BaseSbom> {
  const catalog = await catalogImage(assembledSource(image, options.ref), { catalogers: options.catalogers ?? allCatalogers });
  const found = catalog.packages.filter((p) => p.type === "deb").map((p) => `${p.name}=${p.version} ${p.metadata?.arch ?? "?"}`);
  const expected = locked.map((p) => `${p.name}=${p.version} ${p.architecture}`);
  const problems = packageSetDifferences(expected, found);
  if (problems.length > 0) {
    throw new DrydockError("BASE_SBOM_MISMATCH", `the image's SBOM does not list exactly the locked packages (${problems.slice(0, 5).join("; ")}${problems.length > 5 ? `; ${problems.length - 5} more` : ""}); this is a drydock bug, please report it`);
  }
  const created = parseImageConfig(JSON.parse(image.config.toString("utf8")) as unknown, "the base image config").created;
  const seconds = created === undefined ? Number.NaN : Math.floor(Date.parse(created) / 1000);
  const cyclonedx = writeCycloneDx(catalog, Number.isFinite(seconds) ? { sourceDateEpoch: String(seconds) } : {});
  return { catalog, cyclonedx };
}

/** "missing x=1 amd64" / "unexpected y=2 all" / "listed twice z=3 amd64", sorted. */
export function packageSetDifferences(expected: readonly string[], found: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f, (counts.get(f) ?? 0) + 1);
  const want = new Set(expected);
  const out: string[] = [];
  for (const e of [...want].sort()) if (!counts.has(e)) out.push(`missing ${e}`);
  for (const [f, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!want.has(f)) out.push(`unexpected ${f}`);
    else if (n > 1) out.push(`listed ${n} times: ${f}`);
  }
  return out;
}

/** The assembled image as an image source: its layers are read back from the files the build wrote. */
function assembledSource(image: AssembledImage, ref: string): ImageSource {
  const config = parseImageConfig(JSON.parse(image.config.toString("utf8")) as unknown, "the base image config");
  return {
    ref,
    transport: "oci",
    path: ref,
    name: undefined,
    manifest: { digest: image.manifest.digest, mediaType: image.manifest.mediaType, size: image.manifest.bytes.length },
    config,
    configDigest: image.configDescriptor.digest,
    platform: image.platform,
    layers: image.layers.map((l, index) => ({
      kind: "blob" as const,
      index,
      digest: l.descriptor.digest,
      size: l.descriptor.size,
      diffId: l.diffId,
      mediaType: l.descriptor.mediaType,
      compression: undefined, // the walker reads it from the bytes
      open: async () => l.open(),
    })),
    anomalies: [],
    limits: withDefaults({}),
    close: async () => {},
  };
}
