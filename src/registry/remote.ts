// A remote image resolved for reading without saving it first: the manifest for a platform, its config (read and
// verified), and its layers as verified streams. The image reader's `docker://` source is built on this.
import { DrydockError } from "../core/errors.ts";
import { hostPlatform, type Platform } from "../image/platform.ts";
import type { RegistryClient } from "./client.ts";
import { narrowToPlatform } from "./copy.ts";
import { manifestContent, type Descriptor, type ManifestBlob } from "./manifest.ts";
import { formatReference, withDefaultTag, type ImageReference } from "./reference.ts";
import { RegistryReader } from "./store.ts";

/** Configs larger than this are not image configs anyone writes. */
const MAX_CONFIG_BYTES = 8 << 20;

export interface RemoteImage {
  /** The reference resolved ("latest" added when it named neither tag nor digest). */
  ref: ImageReference;
  /** The index the reference named, when it named one. */
  index: ManifestBlob | undefined;
  /** The image manifest chosen. */
  manifest: ManifestBlob;
  config: { descriptor: Descriptor; bytes: Buffer };
  /** Bottom first. */
  layers: Descriptor[];
  /** A blob's bytes, streamed; the iteration throws at its end unless size and digest match. */
  openBlob(desc: Descriptor): AsyncIterable<Uint8Array>;
}

export interface ResolveOptions {
  /** The platform to pick from an index (default: the host's); an index without it is an error, as in docker pull. */
  platform?: Platform;
}

export async function resolveRemoteImage(client: RegistryClient, ref: ImageReference, options: ResolveOptions = {}): Promise<RemoteImage> {
  const resolved = withDefaultTag(ref);
  const reader = new RegistryReader(client, resolved);
  const root = await reader.root();
  const wanted = options.platform ?? hostPlatform();
  const manifest = await narrowToPlatform(reader, root, wanted, true);
  const content = manifestContent(manifest, `${formatReference(resolved)}: manifest ${manifest.digest}`);
  if (content.kind !== "manifest") {
    throw new DrydockError("MANIFEST_INVALID", `${formatReference(resolved)}: the index has no image manifest to read`);
  }
  if (content.config.size > MAX_CONFIG_BYTES) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${formatReference(resolved)}: the config is ${content.config.size} bytes`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of reader.blob(content.config)) chunks.push(Buffer.from(chunk));
  return {
    ref: resolved,
    index: root.digest === manifest.digest ? undefined : root,
    manifest,
    config: { descriptor: content.config, bytes: Buffer.concat(chunks) },
    layers: content.layers,
    openBlob: (desc) => reader.blob(desc),
  };
}
