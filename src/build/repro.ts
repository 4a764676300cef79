// `drydock repro`: the same build twice from two perturbed copies of the context — files created in opposite
// orders, under different umasks, with different mtimes — each into its own OCI layout. Same manifest digest:
// reproducible. Otherwise the first differences: config fields, then per layer the entries that differ.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { blobPath } from "../registry/layout.ts";
import { readLayer } from "./base.ts";
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

async function explain(a: { result: BuildResult; layout: string }, b: { result: BuildResult; layout: string }, max: number): Promise<string[]> {
  const out: string[] = [];
  if (a.result.configDigest !== b.result.configDigest) {
    const ca = JSON.parse(await readFile(join(a.layout, blobPath(a.result.configDigest)), "utf8")) as Record<string, unknown>;
    const cb = JSON.parse(await readFile(join(b.layout, blobPath(b.result.configDigest)), "utf8")) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
      if (key === "rootfs") continue;
      const va = JSON.stringify(ca[key]);
      const vb = JSON.stringify(cb[key]);
      if (va !== vb) out.push(`config ${key}: ${clip(va)} vs ${clip(vb)}`);
    }
  }
  const n = Math.max(a.result.layers.length, b.result.layers.length);
  for (let i = 0; i < n && out.length < max; i++) {
    const la = a.result.layers[i];
    const lb = b.result.layers[i];
    if (la === undefined || lb === undefined) {
      out.push(`layer ${i}: only in the ${la === undefined ? "second" : "first"} build`);
      continue;
    }
    if (la.digest === lb.digest) continue;
    if (la.diffId === lb.diffId) {
      out.push(`layer ${i}: same content (diffID ${la.diffId}), different compression (${la.digest} vs ${lb.digest})`);
      continue;
    }
    out.push(`layer ${i}: ${la.digest} vs ${lb.digest}`);
    const ea = await entriesOf(join(a.layout, blobPath(la.digest)));
    const eb = await entriesOf(join(b.layout, blobPath(lb.digest)));
    const order = [...ea.keys()].join("\n") !== [...eb.keys()].join("\n");
    for (const path of new Set([...ea.keys(), ...eb.keys()])) {
      if (out.length >= max) break;
      const x = ea.get(path);
      const y = eb.get(path);
      if (x !== y) out.push(`  /${path}: ${x ?? "(missing)"} vs ${y ?? "(missing)"}`);
    }
    if (order && out.length < max) out.push("  entry order differs");
  }
  return out;
}

/** Path → "kind mode uid:gid mtime size sha256" for every entry of a layer blob. */
async function entriesOf(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await readLayer(createReadStream(file), file, async (path, node, body) => {
    if (node === "whiteout" || node === "opaque") {
      out.set(path, node);
      return;
    }
    let hash = "";
    if (body !== undefined) {
      const h = createHash("sha256");
      for await (const c of body as Readable) h.update(c as Buffer);
      hash = ` sha256:${h.digest("hex").slice(0, 12)}`;
    }
    out.set(path, `${node.kind} ${node.mode.toString(8)} ${node.uid}:${node.gid} mtime=${node.mtime} size=${node.size}${node.linkname === "" ? "" : ` -> ${node.linkname}`}${hash}`);
  });
  return out;
}

function clip(s: string | undefined): string {
  if (s === undefined) return "(absent)";
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
