// Cataloging an executable file that may hold several programs: a universal Mach-O carries one thin Mach-O per
// architecture, usually built from the same sources. Each slice is cataloged on its own; a package found in
// several slices is reported once, with the slices it was found in.
import { isDrydockError } from "../../core/errors.ts";
import type { CatalogContext, CatalogedPackage, CatalogFile } from "../model.ts";
import { readExecutable, type Executable } from "./exe.ts";
import { isFatMachO, readFatSlices, type FatSlice } from "./fat.ts";

/** Catalogs one executable; `where` names it in notes ("usr/bin/x", or "usr/bin/x (arm64 slice)"). */
export type SliceCataloger = (exe: Executable, where: string) => CatalogedPackage[];

/** Metadata key listing the universal binary slices a package was found in ("x86_64,arm64"). */
export const ARCHITECTURES_KEY = "architectures";

/**
 * Reads `file` as an executable (each slice of a universal binary in turn) and catalogs it; an unreadable file or
 * slice is noted and skipped, never thrown.
 */
export function catalogExecutable(file: CatalogFile, context: CatalogContext, catalogSlice: SliceCataloger): CatalogedPackage[] {
  if (!isFatMachO(file.bytes)) {
    const exe = readNoted(file.bytes, file.path, context);
    return exe === undefined ? [] : catalogSlice(exe, file.path);
  }
  let slices: FatSlice[];
  try {
    slices = readFatSlices(file.bytes, file.path);
  } catch (e) {
    context.note(isDrydockError(e) ? e.message : `${file.path}: ${String(e)}`);
    return [];
  }
  const found: SlicePackages[] = [];
  for (const slice of slices) {
    const where = `${file.path} (${slice.arch} slice)`;
    const exe = readNoted(file.bytes.subarray(slice.offset, slice.offset + slice.size), where, context);
    if (exe === undefined) continue;
    if (exe.format !== "macho") {
      context.note(`${where}: a ${exe.format} file inside a universal Mach-O; not read`);
      continue;
    }
    found.push({ arch: slice.arch, packages: catalogSlice(exe, where) });
  }
  return mergeSlices(found);
}

function readNoted(bytes: Uint8Array, where: string, context: CatalogContext): Executable | undefined {
  try {
    return readExecutable(bytes, where);
  } catch (e) {
    context.note(isDrydockError(e) ? e.message : `${where}: ${String(e)}`);
    return undefined;
  }
}

interface SlicePackages {
  arch: string;
  packages: CatalogedPackage[];
}

interface Merged {
  first: CatalogedPackage;
  arches: string[];
  metadata: Array<Record<string, string>>;
}

/**
 * One package per purl (the n-th package with a purl in one slice joins the n-th with it in the others), in order
 * of first appearance. Metadata keeps the values every slice agrees on: GOARCH differs between slices and is
 * dropped, the architectures list says where the package is.
 */
export function mergeSlices(slices: readonly SlicePackages[]): CatalogedPackage[] {
  const merged = new Map<string, Merged>();
  for (const slice of slices) {
    const seen = new Map<string, number>();
    for (const pkg of slice.packages) {
      const n = seen.get(pkg.purl) ?? 0;
      seen.set(pkg.purl, n + 1);
      const key = `${n}\u0000${pkg.purl}`;
      const entry = merged.get(key);
      if (entry === undefined) {
        merged.set(key, { first: pkg, arches: [slice.arch], metadata: [pkg.metadata ?? {}] });
      } else {
        if (!entry.arches.includes(slice.arch)) entry.arches.push(slice.arch);
        entry.metadata.push(pkg.metadata ?? {});
      }
    }
  }
  return [...merged.values()].map(({ first, arches, metadata }) => ({
    ...first,
    metadata: { ...commonMetadata(metadata), [ARCHITECTURES_KEY]: arches.join(",") },
  }));
}

function commonMetadata(all: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = all;
  const common: Record<string, string> = {};
  for (const [key, value] of Object.entries(first ?? {})) {
    if (rest.every((m) => m[key] === value)) common[key] = value;
  }
  return common;
}
