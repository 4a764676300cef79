// Where images are copied from and to, at the level of blobs and manifests: a registry repository, an OCI
// image layout, a docker-archive tar. The copy engine (copy.ts) sees only these two interfaces.
import { DrydockError } from "../core/errors.ts";
import type { Platform } from "../image/platform.ts";
import type { BlobSource, RegistryClient } from "./client.ts";
import type { Descriptor, ManifestBlob } from "./manifest.ts";
import { DEFAULT_TAG, formatReference, manifestReference, type ImageReference, type RepositoryName } from "./reference.ts";

export type BlobOutcome = "copied" | "exists" | "mounted";

export interface ImageReader {
  /** For messages: "docker.io/library/nginx:latest", "oci:/tmp/layout:1.0". */
  readonly description: string;
  /** The registry repository blobs come from (a cross-repository mount needs it). */
  readonly repository: RepositoryName | undefined;
  /** The tag the source names, if any; writers use it when the destination names none. */
  readonly tag: string | undefined;
  /** The manifest or index the source names. */
  root(): Promise<ManifestBlob>;
  /** A manifest the root points at, verified against its descriptor. */
  manifest(desc: Descriptor): Promise<ManifestBlob>;
  /** A blob's bytes; the iteration throws at its end unless size and digest matched. */
  blob(desc: Descriptor): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

export interface ImageWriter {
  readonly description: string;
  readonly repository: RepositoryName | undefined;
  /** A docker-archive holds one image: an index must be narrowed to a platform first. */
  readonly singleImage: boolean;
  hasBlob(desc: Descriptor): Promise<boolean>;
  putBlob(desc: Descriptor, source: BlobSource, options: { mountFrom: RepositoryName | undefined; onBytes: (n: number) => void }): Promise<BlobOutcome>;
  /** Children before parents; `root` is the one the destination's name (tag) points at. */
  putManifest(blob: ManifestBlob, options: { root: boolean; tag: string | undefined; platform: Platform | undefined }): Promise<void>;
  /** Makes the result visible (renames a staged directory or archive into place). */
  commit(root: ManifestBlob, tag: string | undefined): Promise<void>;
  /** Removes what a failed copy staged; the destination is left as it was. */
  abort(): Promise<void>;
}

export class RegistryReader implements ImageReader {
  readonly description: string;
  readonly repository: RepositoryName;
  readonly tag: string | undefined;
  private readonly client: RegistryClient;
  private readonly ref: ImageReference;

  constructor(client: RegistryClient, ref: ImageReference) {
    this.client = client;
    this.ref = ref;
    this.repository = { registry: ref.registry, repository: ref.repository };
    this.tag = ref.tag;
    this.description = formatReference(ref);
  }

  root(): Promise<ManifestBlob> {
    return this.client.getManifest(this.repository, manifestReference(this.ref));
  }

  manifest(desc: Descriptor): Promise<ManifestBlob> {
    return this.client.getManifest(this.repository, desc.digest);
  }

  blob(desc: Descriptor): AsyncIterable<Uint8Array> {
    return this.client.fetchBlob(this.repository, desc);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RegistryWriter implements ImageWriter {
  readonly description: string;
  readonly repository: RepositoryName;
  readonly singleImage = false;
  private readonly client: RegistryClient;
  private readonly ref: ImageReference;

  constructor(client: RegistryClient, ref: ImageReference) {
    this.client = client;
    this.ref = ref;
    this.repository = { registry: ref.registry, repository: ref.repository };
    this.description = formatReference(ref);
  }

  async hasBlob(desc: Descriptor): Promise<boolean> {
    return (await this.client.blobSize(this.repository, desc.digest, { forPush: true })) === desc.size;
  }

  async putBlob(desc: Descriptor, source: BlobSource, options: { mountFrom: RepositoryName | undefined; onBytes: (n: number) => void }): Promise<BlobOutcome> {
    const outcome = await this.client.uploadBlob(this.repository, desc, source, {
      ...(options.mountFrom === undefined ? {} : { mountFrom: options.mountFrom }),
      onBytes: options.onBytes,
      checked: true,
    });
    return outcome === "uploaded" ? "copied" : outcome;
  }

  async putManifest(blob: ManifestBlob, options: { root: boolean; tag: string | undefined }): Promise<void> {
    // A destination without tag or digest takes the source's tag, else "latest", as docker push does.
    const tag = this.ref.tag ?? options.tag ?? DEFAULT_TAG;
    const reference = options.root && this.ref.digest === undefined ? tag : blob.digest;
    if (options.root && this.ref.digest !== undefined && this.ref.digest !== blob.digest) {
      // A destination named by digest must receive exactly that manifest.
      throw new DrydockError("BLOB_DIGEST_MISMATCH", `${this.description}: the image's manifest is ${blob.digest}, not the digest the destination names`);
    }
    await this.client.putManifest(this.repository, reference, blob);
  }

  commit(): Promise<void> {
    return Promise.resolve();
  }

  abort(): Promise<void> {
    return Promise.resolve();
  }
}
