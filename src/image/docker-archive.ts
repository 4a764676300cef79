// `docker save` / `podman save` archives (moby image/tarexport): manifest.json names each image's config and
// layer tars. Classic archives keep `<id>/layer.tar` (uncompressed, named by nothing we can verify but the
// diffID); Docker 25+ archives point manifest.json at OCI blobs (`blobs/sha256/<hex>`), which are verified too.
import { DrydockError } from "../core/errors.ts";
import { configPlatform, parseImageConfig, type ImageConfig } from "./config.ts";
import { sha256Of, shortDigest } from "./digest.ts";
import type { FileTree } from "./file-tree.ts";
import { Fields, isObject, parseJson } from "./json.ts";
import { normalizePath } from "./paths.ts";
import { formatPlatform, platformScore } from "./platform.ts";
import type { BlobLayer, ImageSource, ReadContext } from "./source.ts";

interface ArchivedImage {
  index: number;
  configPath: string;
  repoTags: string[];
  layerPaths: string[];
}

const BLOB_PATH = /^blobs\/(sha256|sha512)\/([0-9a-f]+)$/;

export async function readDockerArchive(tree: FileTree, ctx: ReadContext): Promise<ImageSource> {
  const bytes = await tree.read("manifest.json", ctx.limits.maxJsonBytes);
  if (bytes === undefined) throw new DrydockError("IMAGE_FORMAT_UNKNOWN", `${ctx.ref}: no manifest.json; this is not a docker save archive`);
  const images = parseArchiveManifest(parseJson(bytes, `${ctx.ref}: manifest.json`, "MANIFEST_INVALID"), ctx);
  const { image, config, configBytes } = await selectImage(tree, images, ctx);

  if (image.layerPaths.length > ctx.limits.maxLayers) {
    throw new DrydockError("IMAGE_TOO_LARGE", `${ctx.ref}: ${image.layerPaths.length} layers (limit ${ctx.limits.maxLayers})`);
  }
  if (image.layerPaths.length !== config.diffIds.length) {
    throw new DrydockError("MANIFEST_INVALID", `${ctx.ref}: manifest.json lists ${image.layerPaths.length} layers and the config ${config.diffIds.length} diff_ids`);
  }
  const layers: BlobLayer[] = [];
  for (const [i, path] of image.layerPaths.entries()) {
    const size = await tree.size(path);
    if (size === undefined) throw new DrydockError("BLOB_MISSING", `${ctx.ref}: layer ${i} (${path}) is not in the archive`);
    const blob = BLOB_PATH.exec(path);
    layers.push({
      kind: "blob",
      index: i,
      digest: blob === null ? undefined : `${blob[1]}:${blob[2]}`,
      size,
      diffId: config.diffIds[i],
      mediaType: undefined,
      compression: undefined,
      open: () => tree.open(path),
    });
  }
  return {
    ref: ctx.ref,
    transport: "docker-archive",
    path: ctx.path,
    name: image.repoTags[0],
    manifest: undefined,
    config,
    configDigest: sha256Of(configBytes),
    platform: configPlatform(config),
    layers,
    anomalies: ctx.anomalies.list,
    limits: ctx.limits,
    close: () => tree.close(),
  };
}

function parseArchiveManifest(json: unknown, ctx: ReadContext): ArchivedImage[] {
  const where = `${ctx.ref}: manifest.json`;
  if (!Array.isArray(json)) throw new DrydockError("MANIFEST_INVALID", `${where} is not a JSON array`);
  if (json.length === 0) throw new DrydockError("IMAGE_NOT_FOUND", `${where} lists no images`);
  return json.map((item: unknown, index) => {
    if (!isObject(item)) throw new DrydockError("MANIFEST_INVALID", `${where}[${index}] is not an object`);
    const f = new Fields(item, `${where}[${index}]`, "MANIFEST_INVALID");
    return {
      index,
      configPath: memberPath(f.requiredString("Config"), `${where}[${index}].Config`),
      repoTags: f.strings("RepoTags") ?? [],
      layerPaths: (f.strings("Layers") ?? []).map((p, i) => memberPath(p, `${where}[${index}].Layers[${i}]`)),
    };
  });
}

function memberPath(name: string, where: string): string {
  const n = normalizePath(name);
  if (n.escapes || n.path === "") throw new DrydockError("MANIFEST_INVALID", `${where}: ${JSON.stringify(name)} is not a path inside the archive`);
  return n.path;
}

/** "app" matches "app:latest", as docker does. */
function tagMatches(repoTag: string, wanted: string): boolean {
  if (repoTag === wanted) return true;
  const lastSlash = wanted.lastIndexOf("/");
  return !wanted.slice(lastSlash + 1).includes(":") && repoTag === `${wanted}:latest`;
}

async function selectImage(tree: FileTree, images: readonly ArchivedImage[], ctx: ReadContext): Promise<{ image: ArchivedImage; config: ImageConfig; configBytes: Uint8Array }> {
  const describe = (im: ArchivedImage): string => (im.repoTags.length > 0 ? im.repoTags.join(" ") : `@${im.index} (untagged)`);
  let candidates: readonly ArchivedImage[] = images;
  const selector = ctx.selector;
  if (selector !== undefined) {
    const at = /^@(\d+)$/.exec(selector);
    candidates = at !== null ? images.filter((im) => im.index === Number(at[1])) : images.filter((im) => im.repoTags.some((t) => tagMatches(t, selector)));
    if (candidates.length === 0) {
      throw new DrydockError("IMAGE_NOT_FOUND", `${ctx.ref}: no image ${JSON.stringify(selector)} in the archive; present: ${images.map(describe).join(", ")}`);
    }
  }
  const loaded = [];
  for (const image of candidates) {
    const bytes = await tree.read(image.configPath, ctx.limits.maxJsonBytes);
    if (bytes === undefined) throw new DrydockError("BLOB_MISSING", `${ctx.ref}: the config ${image.configPath} is not in the archive`);
    const where = `${ctx.ref}: config ${image.configPath}`;
    const blob = BLOB_PATH.exec(image.configPath);
    if (blob !== null && blob[1] === "sha256" && sha256Of(bytes) !== `sha256:${blob[2]}`) {
      throw new DrydockError("BLOB_DIGEST_MISMATCH", `${where}: the content does not match the digest in its name (${shortDigest(sha256Of(bytes))})`);
    }
    loaded.push({ image, config: parseImageConfig(parseJson(bytes, where, "IMAGE_CONFIG_INVALID"), where), configBytes: bytes });
  }
  // Several images (one per platform, as containerd exports them, or unrelated ones): the platform decides.
  const fitting = loaded.length === 1 && !ctx.explicitPlatform ? loaded : loaded.filter((l) => platformScore(ctx.platform, configPlatform(l.config)) !== undefined);
  const present = loaded.map((l) => `${describe(l.image)} [${formatPlatform(configPlatform(l.config))}]`).join(", ");
  if (fitting.length === 0) {
    throw new DrydockError("PLATFORM_NOT_FOUND", `${ctx.ref}: no image for ${formatPlatform(ctx.platform)}; present: ${present}`);
  }
  if (fitting.length > 1) {
    throw new DrydockError("IMAGE_AMBIGUOUS", `${ctx.ref}: the archive holds ${fitting.length} images; name one with :NAME:TAG or :@N — present: ${present}`);
  }
  return fitting[0] as (typeof loaded)[number];
}
