// Bounds on what an image may make us do. Hostile input meets one of these before it meets a large allocation.

export interface ImageLimits {
  /** Entries in all layers together (tar bombs of many tiny files). */
  maxEntries: number;
  /** Characters of entry paths in all layers together: what a merged view keeps per entry. */
  maxTotalPathLength: number;
  /** Uncompressed bytes in all layers together (decompression bombs). */
  maxUncompressedBytes: number;
  /** Layers in one image; Docker's overlay driver stops at 128. */
  maxLayers: number;
  /** One PAX extended header or GNU long name; real ones are a few hundred bytes. */
  maxTarMetadataBytes: number;
  /** One JSON document: manifest, index, config, manifest.json, oci-layout. */
  maxJsonBytes: number;
  /** Entries of an outer archive (docker save / oci-archive tar). */
  maxArchiveEntries: number;
  /** The largest content head a consumer may ask for per entry. */
  maxHeadBytes: number;
  /** Anomalies recorded one by one; beyond this they are only counted. */
  maxAnomalies: number;
}

export const DEFAULT_LIMITS: ImageLimits = {
  maxEntries: 2_000_000,
  maxTotalPathLength: 256 * 1024 * 1024,
  maxUncompressedBytes: 64 * 1024 ** 3,
  maxLayers: 1024,
  maxTarMetadataBytes: 1024 * 1024,
  maxJsonBytes: 16 * 1024 * 1024,
  maxArchiveEntries: 1_000_000,
  maxHeadBytes: 64 * 1024 * 1024,
  maxAnomalies: 1000,
};

export function withDefaults(limits: Partial<ImageLimits> | undefined): ImageLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
