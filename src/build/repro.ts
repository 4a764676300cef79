// `drydock repro`: the same build twice from two perturbed copies of the context — files created in opposite
// orders, under different umasks, with different mtimes — each into its own OCI layout. Same manifest digest:
// reproducible. Otherwise what differs, explained by `drydock diff` (config, history, layers, files and why).
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { diffImages } from "../diff/diff.ts";
import { renderDiffText } from "../diff/render.ts";
import { openImage } from "../image/source.ts";
import { buildImage, type BuildRequest, type BuildResult } from "./build.ts";

export interface ReproResult {
  reproducible: boolean;
  digests: [string, string];
  /** Human-readable differences, most important first (empty when reproducible). */
  differences: string[];
}

export type ReproRequest = Omit<BuildRequest, "outputs">;

export async function checkReproducible(req: ReproRequest, options: { maxDifferences?: number } = {}): Promise<ReproResult> {
  const root = await mkdtemp(join(req.tempRoot ?? tmpdir(), "drydock-repro-"));
  try {
    const contextDir = resolve(req.cwd, req.context);
    const dockerfile = resolve(req.cwd, req.dockerfile ?? join(req.context, "Dockerfile"));
    const inside = !relative(contextDir, dockerfile).startsWith("..");
    const runs: { result: BuildResult; layout: string }[] = [];
    for (const variant of [0, 1] as const) {
      const ctx = join(root, `context-${variant}`);
      await copyPerturbed(contextDir, ctx, variant);
      const layout = join(root, `image-${variant}`);
      const result = await buildImage({
        ...req,
        context: ctx,
        dockerfile: inside ? join(ctx, relative(contextDir, dockerfile)) : dockerfile,
        outputs: [{ kind: "oci", path: layout, tag: undefined }],
        tempRoot: root,
      });
      runs.push({ result, layout });
    }
    const [a, b] = runs as [{ result: BuildResult; layout: string }, { result: BuildResult; layout: string }];
    const digests: [string, string] = [a.result.digest, b.result.digest];
    if (a.result.digest === b.result.digest) return { reproducible: true, digests, differences: [] };
    const differences = await explain(a, b, options.maxDifferences ?? 20);
    return { reproducible: false, digests, differences };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Copies a directory tree. Variant 0: sorted creation order, umask-like modes 0644/0755, mtimes of 2001;
 * variant 1: reverse order, group-writable modes (umask 002), mtimes of 2031.
 */
async function copyPerturbed(from: string, to: string, variant: 0 | 1): Promise<void> {
  const time = variant === 0 ? new Date("2001-02-03T04:05:06Z") : new Date("2031-06-07T08:09:10Z");
  const extra = variant === 0 ? 0 : 0o020;
  const dirs: string[] = [];
  const walk = async (src: string, dst: string): Promise<void> => {
    await mkdir(dst, { recursive: true });
    dirs.push(dst);
    const names = (await readdir(src)).sort();
    if (variant === 1) names.reverse();
    for (const name of names) {
      const s = join(src, name);
      const d = join(dst, name);
      const info = await lstat(s);
      if (info.isDirectory()) await walk(s, d);
      else if (info.isSymbolicLink()) await symlink(await readlink(s), d);
      else if (info.isFile()) {
        await writeFile(d, await readFile(s));
        await chmod(d, ((info.mode & 0o111) !== 0 ? 0o755 : 0o644) | extra);
        await utimes(d, time, time);
      }
    }
  };
  await walk(from, to);
  for (const d of dirs.reverse()) {
    await chmod(d, 0o755 | extra);
    await utimes(d, time, time);
  }
}

/** What differs between the two builds, as `drydock diff` explains it (its first lines name the two images). */
async function explain(a: { result: BuildResult; layout: string }, b: { result: BuildResult; layout: string }, max: number): Promise<string[]> {
  const first = await openImage(`oci:${a.layout}`);
  try {
    const second = await openImage(`oci:${b.layout}`);
    try {
      const diff = await diffImages(first, second);
      return renderDiffText(diff, { maxPerGroup: max }).trimEnd().split("\n").slice(2);
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
}
