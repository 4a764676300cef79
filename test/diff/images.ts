// Pairs of real images (tar-stream layers, gzip, OCI layouts and docker save archives) that differ in one aspect.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { diffImages, type DiffOptions, type ImageDiff } from "../../src/diff/diff.ts";
import { collectImage, type CollectedImage } from "../../src/diff/collect.ts";
import { openImage } from "../../src/image/source.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles, type BuiltImage, type FileSpec, type ImageSpec, type LayerSpec } from "../image/fixtures.ts";

export const BASE_FILES: FileSpec[] = [
  { name: "bin/", type: "directory" },
  { name: "bin/tool", content: "#!/bin/sh\necho tool\n", mode: 0o755 },
  { name: "bin/link", type: "symlink", linkname: "tool" },
  { name: "etc/", type: "directory" },
  { name: "etc/app.conf", content: "hello" },
];
export const TOP_FILES: FileSpec[] = [
  { name: "srv/", type: "directory" },
  { name: "srv/data.txt", content: "data\n" },
];
export const BASE_CONFIG = {
  User: "app",
  Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "MODE=prod"],
  Entrypoint: ["/bin/tool"],
  Labels: { "org.opencontainers.image.title": "demo" },
};

export interface Variant {
  base?: FileSpec[];
  top?: FileSpec[];
  config?: Record<string, unknown>;
  history?: Record<string, unknown>[];
  /** Replaces how the bottom layer is stored. */
  baseLayer?: (tar: Buffer) => Partial<LayerSpec>;
  docker?: boolean;
  /** Leave out the upper layer. */
  baseOnly?: boolean;
}

export async function variantImage(v: Variant = {}): Promise<BuiltImage> {
  const baseTar = await tarOf(v.base ?? BASE_FILES);
  const topTar = await tarOf(v.top ?? TOP_FILES);
  const spec: ImageSpec = {
    layers: [{ tar: baseTar, ...v.baseLayer?.(baseTar) }, ...(v.baseOnly === true ? [] : [{ tar: topTar }])],
    config: v.config ?? BASE_CONFIG,
    ...(v.history === undefined ? {} : { history: v.history }),
    ...(v.docker === undefined ? {} : { docker: v.docker }),
  };
  return buildImage(spec);
}

/** A layer gzipped at the given level (Node's zlib; the header's XFL byte alone differs between 1 and 9). */
export function gzipAt(level: number): (tar: Buffer) => Partial<LayerSpec> {
  return (tar) => ({ compression: "gzip", blob: gzipSync(tar, { level }) });
}

/** Files replaced by name (and, with `undefined`, removed) in a copy of the list. */
export function edit(files: readonly FileSpec[], changes: Record<string, Partial<FileSpec> | undefined>): FileSpec[] {
  const out: FileSpec[] = [];
  for (const f of files) {
    if (!Object.hasOwn(changes, f.name)) out.push(f);
    else if (changes[f.name] !== undefined) out.push({ ...f, ...changes[f.name] });
  }
  return out;
}

/** A temporary directory for a test's layouts; cleanup() removes it. */
export function workspace(): { layout: (image: BuiltImage, name: string, tag?: string) => string; dir: string; cleanup: () => void } {
  const t = tempDir();
  return {
    dir: t.dir,
    cleanup: t.cleanup,
    layout(image, name, tag = "1.0") {
      const dir = join(t.dir, name);
      writeFiles(dir, ociLayoutFiles([{ image, tag }]));
      return `oci:${dir}:${tag}`;
    },
  };
}

export async function collect(ref: string): Promise<CollectedImage> {
  const source = await openImage(ref);
  try {
    return await collectImage(source);
  } finally {
    await source.close();
  }
}

/** Writes both images as OCI layouts and diffs them the way the CLI does. */
export async function diffVariants(a: Variant, b: Variant, options: DiffOptions = {}): Promise<ImageDiff> {
  const ws = workspace();
  try {
    const refA = ws.layout(await variantImage(a), "a");
    const refB = ws.layout(await variantImage(b), "b");
    const sa = await openImage(refA);
    const sb = await openImage(refB);
    try {
      return await diffImages(sa, sb, options);
    } finally {
      await sa.close();
      await sb.close();
    }
  } finally {
    ws.cleanup();
  }
}
