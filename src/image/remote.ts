// A registry as an image source (`docker://REF`): the manifest and config are fetched and verified up front;
// each layer streams from the registry when the walker asks for it, verified as it arrives. Nothing touches disk.
import { homedir } from "node:os";
import { DrydockError } from "../core/errors.ts";
import { RegistryClient, type RegistryClientOptions } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import { parseReference } from "../registry/reference.ts";
import { resolveRemoteImage } from "../registry/remote.ts";
import { AnomalyLog } from "./anomaly.ts";
import { configPlatform, parseImageConfig } from "./config.ts";
import type { ImageLimits } from "./limits.ts";
import { layerCompression } from "./media.ts";
import type { Platform } from "./platform.ts";
import type { BlobLayer, ImageSource } from "./source.ts";

export const REMOTE_PREFIX = "docker://";

export interface RemoteOptions {
  platform: Platform | undefined;
  limits: ImageLimits;
  /** Client settings (insecure registries, CA files, credentials); credentials default to docker's config files. */
  registry?: RegistryClientOptions;
}

export async function openRemoteImage(ref: string, options: RemoteOptions): Promise<ImageSource> {
  const reference = parseReference(ref.slice(REMOTE_PREFIX.length));
  const client = new RegistryClient({
    credentials: credentialProvider({ env: process.env, home: process.env["HOME"] ?? homedir() }),
    userAgent: "drydock",
    ...options.registry,
  });
  const remote = await resolveRemoteImage(client, reference, options.platform === undefined ? {} : { platform: options.platform });
  let json: unknown;
  try {
    json = JSON.parse(remote.config.bytes.toString("utf8"));
  } catch (e) {
    throw new DrydockError("IMAGE_CONFIG_INVALID", `${ref}: the image config is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const config = parseImageConfig(json, ref);
  if (remote.layers.length > options.limits.maxLayers) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${ref}: ${remote.layers.length} layers is more than the limit of ${options.limits.maxLayers}`);
  }
  const layers: BlobLayer[] = remote.layers.map((d, i) => {
    const compression = layerCompression(d.mediaType);
    if (compression === undefined) {
      throw new DrydockError("MEDIA_TYPE_UNKNOWN", `${ref}: layer ${i} has media type ${d.mediaType}, which is not a layer format drydock reads`);
    }
    return {
      kind: "blob", index: i, digest: d.digest, size: d.size, diffId: config.diffIds[i], mediaType: d.mediaType, compression,
      open: async () => remote.openBlob(d),
    };
  });
  return {
    ref,
    transport: "docker",
    path: ref,
    name: reference.tag,
    manifest: { digest: remote.manifest.digest, mediaType: remote.manifest.mediaType, size: remote.manifest.bytes.length },
    config,
    configDigest: remote.config.descriptor.digest,
    platform: configPlatform(config),
    layers,
    anomalies: new AnomalyLog(options.limits.maxAnomalies).list,
    limits: options.limits,
    close: async () => {},
  };
}
