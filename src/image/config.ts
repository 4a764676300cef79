// The image configuration (OCI image-spec config.md; Docker's image JSON is the same shape), parsed into the
// fields checks and `inspect` use. Unknown fields are ignored; known fields of the wrong type are an error.
import { DrydockError } from "../core/errors.ts";
import { requireDigest, formatDigest } from "./digest.ts";
import { Fields, isObject } from "./json.ts";
import type { Platform } from "./platform.ts";

export interface HealthCheck {
  /** ["NONE"], ["CMD", ...args], ["CMD-SHELL", command]. */
  test: string[];
  /** Durations in nanoseconds, as the config stores them. */
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
}

export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  author?: string;
  comment?: string;
  emptyLayer: boolean;
  /** Index of the layer this step made; undefined for empty-layer steps (and when history and layers disagree). */
  layer: number | undefined;
}

export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  created?: string;
  author?: string;
  /** "" when unset: the container runs as root. */
  user: string;
  /** "KEY=value" strings, in order. */
  env: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  workingDir: string;
  /** "80/tcp", "53/udp". */
  exposedPorts: string[];
  volumes: string[];
  labels: Record<string, string>;
  healthcheck: HealthCheck | undefined;
  stopSignal?: string;
  shell?: string[];
  onBuild: string[];
  /** Uncompressed digests of the layers, bottom first. */
  diffIds: string[];
  history: HistoryEntry[];
}

export function parseImageConfig(json: unknown, where: string): ImageConfig {
  const code = "IMAGE_CONFIG_INVALID";
  const top = Fields.of(json, where, code);
  const c = top.object("config") ?? new Fields({}, `${where}.config`, code);
  const rootfs = top.object("rootfs");
  if (rootfs === undefined) throw new DrydockError(code, `${where}: "rootfs" is missing; this is not an image configuration`);
  const rootfsType = rootfs.string("type");
  if (rootfsType !== "layers") throw new DrydockError(code, `${where}: rootfs.type must be "layers", got ${JSON.stringify(rootfsType)}`);
  const diffIds = (rootfs.strings("diff_ids") ?? []).map((d, i) => formatDigest(requireDigestIn(d, `${where}: rootfs.diff_ids[${i}]`)));
  const hc = c.object("Healthcheck");
  const healthcheck = hc === undefined ? undefined : parseHealthcheck(hc);
  const config: ImageConfig = {
    os: top.string("os") ?? "",
    architecture: top.string("architecture") ?? "",
    user: c.string("User") ?? "",
    env: c.strings("Env") ?? [],
    entrypoint: c.strings("Entrypoint"),
    cmd: c.strings("Cmd"),
    workingDir: c.string("WorkingDir") ?? "",
    exposedPorts: c.keys("ExposedPorts") ?? [],
    volumes: c.keys("Volumes") ?? [],
    labels: c.stringMap("Labels") ?? {},
    healthcheck,
    onBuild: c.strings("OnBuild") ?? [],
    diffIds,
    history: parseHistory(top, diffIds.length),
  };
  const optional = {
    variant: top.string("variant"),
    osVersion: top.string("os.version"),
    created: top.string("created"),
    author: top.string("author"),
    stopSignal: c.string("StopSignal"),
    shell: c.strings("Shell"),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(config, { [k]: v });
  return config;
}

export function configPlatform(config: ImageConfig): Platform {
  return config.variant === undefined
    ? { os: config.os, architecture: config.architecture }
    : { os: config.os, architecture: config.architecture, variant: config.variant };
}

function requireDigestIn(value: string, where: string): ReturnType<typeof requireDigest> {
  try {
    return requireDigest(value, where);
  } catch (e) {
    throw new DrydockError("IMAGE_CONFIG_INVALID", e instanceof Error ? e.message : where, { cause: e });
  }
}

function parseHealthcheck(hc: Fields): HealthCheck {
  const h: HealthCheck = { test: hc.strings("Test") ?? [] };
  const durations = { interval: "Interval", timeout: "Timeout", startPeriod: "StartPeriod", startInterval: "StartInterval", retries: "Retries" } as const;
  for (const [field, key] of Object.entries(durations)) {
    const v = hc.number(key);
    if (v !== undefined) h[field as keyof typeof durations] = v;
  }
  return h;
}

function parseHistory(top: Fields, layerCount: number): HistoryEntry[] {
  const raw = top.array("history") ?? [];
  const out: HistoryEntry[] = [];
  let layer = 0;
  raw.forEach((item, i) => {
    if (!isObject(item)) throw new DrydockError("IMAGE_CONFIG_INVALID", `${top.where}: history[${i}] is not an object`);
    const h = new Fields(item, `${top.where}.history[${i}]`, "IMAGE_CONFIG_INVALID");
    const emptyLayer = h.boolean("empty_layer") === true;
    const entry: HistoryEntry = { emptyLayer, layer: undefined };
    if (!emptyLayer && layer < layerCount) entry.layer = layer;
    if (!emptyLayer) layer++;
    const created = h.string("created");
    const createdBy = h.string("created_by");
    const author = h.string("author");
    const comment = h.string("comment");
    if (created !== undefined) entry.created = created;
    if (createdBy !== undefined) entry.createdBy = createdBy;
    if (author !== undefined) entry.author = author;
    if (comment !== undefined) entry.comment = comment;
    out.push(entry);
  });
  return out;
}
