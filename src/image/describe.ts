// What `drydock inspect` shows, as data: taken from the manifest and config only, no layer is read.
import type { HealthCheck, HistoryEntry } from "./config.ts";
import { formatPlatform } from "./platform.ts";
import type { ImageSource, Transport } from "./source.ts";

export interface LayerDescription {
  index: number;
  digest: string | undefined;
  diffId: string | undefined;
  /** Bytes of the blob as stored. */
  size: number | undefined;
  mediaType: string | undefined;
}

export interface ImageDescription {
  ref: string;
  transport: Transport;
  name: string | undefined;
  platform: string | undefined;
  manifest: { digest: string; mediaType: string; size: number } | undefined;
  configDigest: string | undefined;
  created: string | undefined;
  author: string | undefined;
  /** undefined for a root file system directory (it has no config). */
  config:
    | {
        user: string;
        env: string[];
        entrypoint: string[] | undefined;
        cmd: string[] | undefined;
        workingDir: string;
        exposedPorts: string[];
        volumes: string[];
        labels: Record<string, string>;
        healthcheck: HealthCheck | undefined;
        stopSignal: string | undefined;
        shell: string[] | undefined;
        onBuild: string[];
      }
    | undefined;
  history: HistoryEntry[];
  layers: LayerDescription[];
  /** Sum of the stored layer sizes, when all are known. */
  totalSize: number | undefined;
}

export function describeImage(source: ImageSource): ImageDescription {
  const c = source.config;
  const layers = source.layers.map((l): LayerDescription => ({ index: l.index, digest: l.digest, diffId: l.diffId, size: l.size, mediaType: l.mediaType }));
  const sizes = layers.map((l) => l.size);
  return {
    ref: source.ref,
    transport: source.transport,
    name: source.name,
    platform: source.platform === undefined ? undefined : formatPlatform(source.platform),
    manifest: source.manifest === undefined ? undefined : { digest: source.manifest.digest, mediaType: source.manifest.mediaType, size: source.manifest.size },
    configDigest: source.configDigest,
    created: c?.created,
    author: c?.author,
    config: c === undefined ? undefined : {
      user: c.user,
      env: c.env,
      entrypoint: c.entrypoint,
      cmd: c.cmd,
      workingDir: c.workingDir,
      exposedPorts: c.exposedPorts,
      volumes: c.volumes,
      labels: c.labels,
      healthcheck: c.healthcheck,
      stopSignal: c.stopSignal,
      shell: c.shell,
      onBuild: c.onBuild,
    },
    history: c?.history ?? [],
    layers: source.transport === "dir" ? [] : layers,
    totalSize: sizes.every((s) => s !== undefined) && sizes.length > 0 ? sizes.reduce((a, b) => a + b, 0) : undefined,
  };
}
