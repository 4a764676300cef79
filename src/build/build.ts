// `drydock build` as a library call: Dockerfile + context → assembled image → outputs. Scratch space lives in
// a temporary directory that is removed whatever happens.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DrydockError } from "../core/errors.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import type { Platform } from "../image/platform.ts";
import type { RegistryClient } from "../registry/client.ts";
import { assembleImage } from "./assemble.ts";
import { readContext } from "./context.ts";
import { writeImage, type OutputSpec, type WriteResult } from "./image.ts";
import type { LayerCompression } from "./layer.ts";

export interface BuildRequest {
  /** The context directory. */
  context: string;
  /** The Dockerfile (default: CONTEXT/Dockerfile). */
  dockerfile?: string;
  target?: string;
  buildArgs?: Readonly<Record<string, string>>;
  platform: Platform;
  /** Reproducible builds clamp every timestamp to this (seconds) and normalise context modes. */
  reproducible: boolean;
  sourceDateEpoch: number | undefined;
  compression?: LayerCompression;
  outputs: readonly OutputSpec[];
  client: RegistryClient;
  cwd: string;
  contexts?: ReadonlyMap<string, string>;
  fetch?: typeof fetch;
  onStep?: (text: string) => void;
  /** Where scratch space is made (default: the OS temp directory). */
  tempRoot?: string;
}

export interface BuildResult {
  /** The image manifest's digest. */
  digest: string;
  configDigest: string;
  layers: { digest: string; diffId: string; size: number }[];
  outputs: WriteResult[];
}

/** SOURCE_DATE_EPOCH as the spec reads it: decimal seconds; anything else is an error. */
export function parseSourceDateEpoch(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new DrydockError("USAGE", `SOURCE_DATE_EPOCH must be whole seconds since 1970, got ${JSON.stringify(text)}`);
  return Number(text.trim());
}

export async function buildImage(req: BuildRequest): Promise<BuildResult> {
  const contextDir = resolve(req.cwd, req.context);
  const dockerfilePath = resolve(req.cwd, req.dockerfile ?? join(req.context, "Dockerfile"));
  let text: string;
  try {
    text = await readFile(dockerfilePath, "utf8");
  } catch (e) {
    throw new DrydockError("INPUT_UNREADABLE", `${dockerfilePath}: cannot read the Dockerfile`, { cause: e });
  }
  const dockerfile = parseDockerfile(text, { file: req.dockerfile ?? join(req.context, "Dockerfile") });
  const context = await readContext(contextDir, { normalizeModes: req.reproducible, dockerfile: dockerfilePath });
  const workDir = await mkdtemp(join(req.tempRoot ?? tmpdir(), "drydock-build-"));
  try {
    const image = await assembleImage({
      dockerfile,
      context,
      ...(req.target === undefined ? {} : { target: req.target }),
      ...(req.buildArgs === undefined ? {} : { buildArgs: req.buildArgs }),
      platform: req.platform,
      sourceDateEpoch: req.reproducible ? (req.sourceDateEpoch ?? 0) : req.sourceDateEpoch,
      ...(req.compression === undefined ? {} : { compression: req.compression }),
      client: req.client,
      workDir,
      cwd: req.cwd,
      ...(req.contexts === undefined ? {} : { contexts: req.contexts }),
      ...(req.fetch === undefined ? {} : { fetch: req.fetch }),
      ...(req.onStep === undefined ? {} : { onStep: req.onStep }),
    });
    try {
      const outputs: WriteResult[] = [];
      for (const out of req.outputs) outputs.push(await writeImage(image, out, req.client));
      return {
        digest: image.manifest.digest,
        configDigest: image.configDescriptor.digest,
        layers: image.layers.map((l) => ({ digest: l.descriptor.digest, diffId: l.diffId, size: l.descriptor.size })),
        outputs,
      };
    } finally {
      await image.close();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
