// Image references parsed as Docker parses them (distribution/reference: ParseNormalizedNamed): "nginx" is
// docker.io/library/nginx, a first component with "." or ":" (or "localhost", or upper case) is a registry,
// "name:tag@digest" keeps both, and the errors Docker gives for the same input.
import { DrydockError } from "../core/errors.ts";

export const DOCKER_HUB = "docker.io";
const LEGACY_DOCKER_HUB = "index.docker.io";
const OFFICIAL_PREFIX = "library/";
const MAX_NAME_LENGTH = 255;
export const DEFAULT_TAG = "latest";

/** A repository in a registry: "docker.io" + "library/nginx". */
export interface RepositoryName {
  /** host[:port] as written (upper case allowed, as Docker allows it); Docker Hub is "docker.io". */
  registry: string;
  /** Path components, lower case: "library/nginx". */
  repository: string;
}

export interface ImageReference extends RepositoryName {
  tag: string | undefined;
  /** "algorithm:hex"; when set it decides what is pulled, and the tag is only a name. */
  digest: string | undefined;
}

// The grammar (distribution/reference regexp.go), as strings so the pieces compose.
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const HEX64_RE = /^[a-f0-9]{64}$/;

/** Digest algorithms with the hex length their encoding must have (opencontainers/go-digest). */
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

function invalid(input: string, why: string): DrydockError {
  return new DrydockError("REFERENCE_INVALID", `invalid reference ${JSON.stringify(input)}: ${why}`);
}

/**
 * Parses a reference as `docker pull` does and normalises it: "nginx" → docker.io/library/nginx (no tag: see
 * withDefaultTag), "index.docker.io/x" → docker.io/library/x, "localhost:5000/a:b@sha256:…" kept whole.
 */
export function parseReference(input: string): ImageReference {
  if (input === "") throw invalid(input, "the name is empty");
  if (HEX64_RE.test(input)) throw invalid(input, "a 64-character hexadecimal string is an image ID, not a repository name");
  const { registry, remainder } = splitRegistry(input);
  const tagColon = remainder.indexOf(":");
  const remoteName = tagColon >= 0 ? remainder.slice(0, tagColon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) throw invalid(input, `repository name ${JSON.stringify(remoteName)} must be lowercase`);

  const full = `${registry}/${remainder}`;
  const m = REFERENCE_RE.exec(full);
  if (m === null) {
    if (REFERENCE_RE.test(full.toLowerCase())) throw invalid(input, "repository name must be lowercase");
    throw invalid(input, "invalid reference format");
  }
  const repository = (m[1] ?? "").slice(registry.length + 1);
  // Newer distribution/reference counts the path only, not the registry host.
  if (repository.length > MAX_NAME_LENGTH) throw invalid(input, `repository name must not be more than ${MAX_NAME_LENGTH} characters`);
  const digest = m[3] === undefined ? undefined : checkDigest(m[3], input);
  return { registry, repository, tag: m[2], digest };
}

/** A repository without tag or digest, for `drydock tags`; "nginx" → docker.io/library/nginx. */
export function parseRepositoryName(input: string): RepositoryName {
  const ref = parseReference(input);
  if (ref.tag !== undefined || ref.digest !== undefined) throw invalid(input, "expected a repository name without tag or digest");
  return { registry: ref.registry, repository: ref.repository };
}

/** Docker's splitDockerDomain: whether the first path component names a registry. */
function splitRegistry(input: string): { registry: string; remainder: string } {
  const slash = input.indexOf("/");
  let registry = DOCKER_HUB;
  let remainder = input;
  if (slash >= 0) {
    const first = input.slice(0, slash);
    const rest = input.slice(slash + 1);
    if (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first) {
      registry = first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first;
      remainder = rest;
    }
  }
  if (registry === DOCKER_HUB && !remainder.includes("/")) remainder = OFFICIAL_PREFIX + remainder;
  return { registry, remainder };
}

/** go-digest's validation: a registered algorithm needs its exact length in lower-case hex. */
function checkDigest(digest: string, input: string): string {
  const colon = digest.indexOf(":");
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_LENGTHS[algorithm];
  if (length === undefined) throw invalid(input, `unsupported digest algorithm ${JSON.stringify(algorithm)}`);
  if (hex.length !== length) throw invalid(input, `invalid checksum digest length for ${algorithm}`);
  if (!/^[a-f0-9]+$/.test(hex)) throw invalid(input, "invalid checksum digest format");
  return digest;
}

/** A reference with neither tag nor digest gets "latest", as `docker pull` does. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** "docker.io/library/nginx:latest@sha256:…": the fully qualified form. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

/** "nginx:latest", "user/app", "ghcr.io/o/a:1": Docker's short form (FamiliarString). */
export function familiarReference(ref: ImageReference): string {
  let name = `${ref.registry}/${ref.repository}`;
  if (ref.registry === DOCKER_HUB) {
    name = ref.repository.startsWith(OFFICIAL_PREFIX) && !ref.repository.slice(OFFICIAL_PREFIX.length).includes("/")
      ? ref.repository.slice(OFFICIAL_PREFIX.length)
      : ref.repository;
  }
  return `${name}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

export function formatRepository(repo: RepositoryName): string {
  return `${repo.registry}/${repo.repository}`;
}

/** What goes after /manifests/: the digest when there is one (it decides), else the tag, else "latest". */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export function isValidRegistryHost(host: string): boolean {
  return DOMAIN_RE.test(host);
}

export function isValidRepositoryPath(path: string): boolean {
  return PATH_RE.test(path) && path.length <= MAX_NAME_LENGTH;
}

/** The host the distribution API is served from: Docker Hub's API is not at docker.io. */
export function registryEndpointHost(registry: string): string {
  return registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
}
