// Shared by the language cataloger tests: build a CatalogFile from text, run a cataloger, collect its notes.
import type { CatalogFile, CatalogedPackage, Cataloger } from "../../src/sbom/model.ts";

export function textFile(path: string, text: string | Uint8Array, layerIndex?: number): CatalogFile {
  return {
    path,
    bytes: typeof text === "string" ? new TextEncoder().encode(text) : text,
    mode: 0o100644,
    location: layerIndex === undefined ? { path } : { path, layerIndex, layer: `sha256:${String(layerIndex).repeat(64).slice(0, 64)}` },
  };
}

export interface CatalogRun {
  packages: CatalogedPackage[];
  notes: string[];
}

/** Runs `cataloger` on one file as the driver would: only when it wants the path. */
export function catalog(cataloger: Cataloger, path: string, text: string | Uint8Array): CatalogRun {
  const file = textFile(path, text);
  if (!cataloger.wants(path, file.bytes.length, file.mode)) throw new Error(`${cataloger.name} does not want ${path}`);
  const notes: string[] = [];
  const packages = cataloger.parse(file, { note: (m) => void notes.push(m) });
  return { packages, notes };
}

/** name@version plus dev flag, sorted: the part of a lockfile's packages most assertions compare. */
export function summary(packages: CatalogedPackage[]): string[] {
  return packages.map((p) => `${p.name}@${p.version}${p.metadata?.["dev"] === "true" ? " dev" : ""}`).sort();
}

/**
 * Feeds every prefix of `text` (at `step` characters apart) to the cataloger: a truncated or half-written file
 * may yield fewer packages and notes, never an exception.
 */
export function assertTruncationsDoNotThrow(cataloger: Cataloger, path: string, text: string, step = 5): void {
  for (let cut = 0; cut <= text.length; cut += step) {
    const file = textFile(path, text.slice(0, cut));
    try {
      cataloger.parse(file, { note: () => {} });
    } catch (e) {
      throw new Error(`${cataloger.name} threw on ${path} cut at ${cut}: ${String(e)}`, { cause: e });
    }
  }
}
