// Runs image checks over images built by code (real tars, gzip, OCI layouts) and shows findings compactly.
import assert from "node:assert/strict";
import { test } from "node:test";
import { auditImage } from "../../../src/audit.ts";
import { emptyConfig, type AuditSettings, type Config } from "../../../src/core/config.ts";
import type { Finding } from "../../../src/core/finding.ts";
import type { ImageCheck } from "../../../src/core/image-check.ts";
import { buildImage, ociLayoutFiles, sha256, tarOf, tempDir, writeFiles, type BuiltImage, type FileSpec, type ImageSpec } from "../../image/fixtures.ts";

export interface ImageCase {
  /** Each layer's files, bottom first. */
  layers?: FileSpec[][];
  /** The config's `config` object (User, Env, Labels, Healthcheck, ...). */
  config?: Record<string, unknown>;
  /** `created_by` of each history step; empty-layer steps are marked with a leading "-" (removed). */
  history?: string[];
  /** The tag the OCI layout gives the image. */
  tag?: string;
  /** Annotations of the image manifest. */
  annotations?: Record<string, string>;
  settings?: Partial<AuditSettings>;
}

/** A config that passes the configuration checks, so tests of file checks see only their own findings. */
export const QUIET_CONFIG = { User: "10001", Healthcheck: { Test: ["CMD", "/ok"] }, Env: ["PATH=/usr/bin:/bin"] };

/** The findings of the checks over the image the case describes: "<path or image>: <message>" lines. */
export async function findings(checks: readonly ImageCheck[], c: ImageCase): Promise<Finding[]> {
  const t = tempDir();
  try {
    const layers = await Promise.all((c.layers ?? [[]]).map(async (files) => ({ tar: await tarOf(files) })));
    const history = c.history?.map((h) => (h.startsWith("-") ? { created_by: h.slice(1), empty_layer: true } : { created_by: h }));
    const spec: ImageSpec = { layers, config: c.config ?? QUIET_CONFIG, ...(history === undefined ? {} : { history }) };
    const built = buildImage(spec);
    const image = c.annotations === undefined ? built : withManifestAnnotations(built, c.annotations);
    writeFiles(t.dir, ociLayoutFiles([{ image, tag: c.tag ?? "1.0" }]));
    const config: Config = { ...emptyConfig(), audit: { setuidAllow: [], secretPathAllow: [], worldWritableAllow: [], ...c.settings } };
    const outcome = await auditImage({ ref: `oci:${t.dir}`, checks, config });
    assert.deepEqual(outcome.report.errors, [], "no input errors");
    return [...outcome.report.findings];
  } finally {
    t.cleanup();
  }
}

/** The same image with annotations in its manifest (a new manifest blob and digest). */
export function withManifestAnnotations(image: BuiltImage, annotations: Record<string, string>): BuiltImage {
  const manifest = Buffer.from(JSON.stringify({ ...(JSON.parse(image.manifest.toString()) as object), annotations }));
  const manifestDigest = sha256(manifest);
  const blobs = new Map(image.blobs);
  blobs.delete(image.manifestDigest);
  blobs.set(manifestDigest, manifest);
  return { ...image, blobs, manifest, manifestDigest };
}

/** "/path: message" for a finding in a layer, ": message" for one about the image. */
export function show(f: Finding): string {
  return f.location.kind === "layer" ? `/${f.location.path}: ${f.message}` : `: ${f.message}`;
}

export interface CheckCases {
  fires: (ImageCase & { name: string; expect: string[] })[];
  silent: (ImageCase & { name: string })[];
}

/** Table tests for one check: each firing case gives the exact findings; each silent case none. */
export function checkCases(check: ImageCheck, cases: CheckCases): void {
  for (const c of cases.fires) {
    test(`fires: ${c.name}`, async () => {
      const found = await findings([check], c);
      assert.deepEqual(found.map(show), c.expect);
      for (const f of found) {
        assert.equal(f.ruleId, check.id);
        assert.deepEqual(f.aliases, check.aliases);
      }
    });
  }
  for (const c of cases.silent) {
    test(`silent: ${c.name}`, async () => assert.deepEqual((await findings([check], c)).map(show), []));
  }
}
