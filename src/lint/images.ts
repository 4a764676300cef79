// `lint --resolve-images`: the platforms each stage's base image is published for, looked up in its registry
// before the rules run (rules are synchronous and never do I/O). A lookup that fails is a note, never a finding
// or an error: lint must not fail because a registry is down.
import { isDrydockError } from "../core/errors.ts";
import type { BaseImagePlatforms } from "../core/rule.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { buildStageGraph, type StageOptions } from "../dockerfile/stages.ts";
import { formatPlatform, hostPlatform, parsePlatform, type Platform } from "../image/platform.ts";
import { RegistryClient, type RegistryClientOptions } from "../registry/client.ts";
import { isRecord, manifestContent } from "../registry/manifest.ts";
import { parseReference, withDefaultTag } from "../registry/reference.ts";
import { RegistryReader } from "../registry/store.ts";
import { stageBaseImages } from "../rules/dockerfile/InvalidBaseImagePlatform.ts";

export interface ResolveImagesOptions {
  /** Registry client settings: insecure registries, CA files, mirrors, credentials. */
  registry?: RegistryClientOptions;
  /** The build's target platform, "os/arch[/variant]" (lint --platform); default: the host's. */
  platform?: string;
  /** Per image lookup, all requests included (default 10 s). */
  timeoutMs?: number;
}

export interface ResolvedImagePlatforms {
  platforms: BaseImagePlatforms;
  /** One per image that could not be looked up. */
  notices: string[];
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Lookups at once; a Dockerfile rarely names more than a handful of bases. */
const PARALLEL = 4;
/** An image config is a few KiB; anything this big is not one. */
const MAX_CONFIG_BYTES = 1 << 20;

type Lookup = { ok: true; platforms: string[] } | { ok: false; reason: string };

/** Looks up every base image the inputs' builds would pull (each reference once), for InvalidBaseImagePlatform. */
export async function resolveBaseImagePlatforms(
  inputs: readonly { file: string; text: string }[],
  stageOptions: StageOptions,
  options: ResolveImagesOptions = {},
): Promise<ResolvedImagePlatforms> {
  const target = options.platform === undefined ? hostPlatform() : parsePlatform(options.platform);
  const build = hostPlatform();
  const refs = new Set<string>();
  for (const input of inputs) {
    let model;
    try {
      model = parseDockerfile(input.text, { file: input.file });
    } catch (e) {
      if (isDrydockError(e)) continue; // lint reports the syntax error itself
      throw e;
    }
    const graph = buildStageGraph(model, stageOptions);
    for (const base of stageBaseImages(graph, model.escapeToken, target, build)) refs.add(base.ref);
  }
  const found = new Map<string, string[]>();
  const notices: string[] = [];
  if (refs.size > 0) {
    const client = new RegistryClient({ userAgent: "drydock", retry: { attempts: 2 }, ...options.registry });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      const list = [...refs];
      const results = new Map<string, Lookup>();
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < list.length; i = next++) {
          const ref = list[i] ?? "";
          results.set(ref, await withTimeout(publishedPlatforms(client, ref), timeoutMs));
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, list.length) }, worker));
      for (const ref of list) {
        const r = results.get(ref);
        if (r === undefined) continue;
        if (r.ok) found.set(ref, r.platforms);
        else notices.push(`could not look up base image ${ref} (${r.reason}): InvalidBaseImagePlatform skipped it`);
      }
    } finally {
      client.close();
    }
  }
  return {
    platforms: { target: formatPlatform(target), build: formatPlatform(build), platformsOf: (ref) => found.get(ref) },
    notices,
  };
}

/** The platforms of an index's images, or the platform in a single image's config. */
async function publishedPlatforms(client: RegistryClient, text: string): Promise<Lookup> {
  try {
    const ref = withDefaultTag(parseReference(text));
    const reader = new RegistryReader(client, ref);
    const root = await reader.root();
    const content = manifestContent(root, `${reader.description}: ${root.digest}`);
    if (content.kind === "index") {
      // Attestation manifests are listed as unknown/unknown; they are not images anyone runs.
      const platforms = content.manifests.flatMap((d) => (d.platform === undefined || d.platform.os === "unknown" ? [] : [formatPlatform(d.platform)]));
      return platforms.length === 0 ? { ok: false, reason: "its index names no platforms" } : { ok: true, platforms };
    }
    if (content.config.size > MAX_CONFIG_BYTES) return { ok: false, reason: `its config is ${content.config.size} bytes` };
    const chunks: Buffer[] = [];
    for await (const chunk of reader.blob(content.config)) chunks.push(Buffer.from(chunk));
    const platform = configPlatformOf(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    return platform === undefined ? { ok: false, reason: "its config names no platform" } : { ok: true, platforms: [formatPlatform(platform)] };
  } catch (e) {
    return { ok: false, reason: reasonOf(e) };
  }
}

function configPlatformOf(json: unknown): Platform | undefined {
  if (!isRecord(json)) return undefined;
  const { os, architecture, variant } = json;
  if (typeof os !== "string" || typeof architecture !== "string" || os === "" || architecture === "") return undefined;
  return typeof variant === "string" && variant !== "" ? { os, architecture, variant } : { os, architecture };
}

/** The lookup's result, or a timeout: the request left running is cut off when the client closes. */
async function withTimeout(work: Promise<Lookup>, ms: number): Promise<Lookup> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Lookup>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${ms / 1000} s` }), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// DrydockError messages name the host and status, never credentials; other errors are network failures.
function reasonOf(e: unknown): string {
  if (isDrydockError(e)) return e.message;
  if (e instanceof SyntaxError) return "its config is not JSON";
  const code = isRecord(e) && typeof e["code"] === "string" ? `${e["code"]}: ` : "";
  return `${code}${e instanceof Error ? e.message : String(e)}`;
}
