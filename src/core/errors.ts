import type { Location } from "./finding.ts";

// One union, prefixed by area. src/cli prints "<location>: <message> [<code>]" and exits 2 for all of them.
export type ErrorCode =
  | "DOCKERFILE_SYNTAX"
  | "EXPANSION_FAILED"
  | "DOCKERFILE_EMPTY"
  | "INPUT_BINARY"
  | "INPUT_TOO_LARGE"
  | "INPUT_UNREADABLE"
  | "CONFIG_INVALID"
  | "DOCKERIGNORE_INVALID"
  | "USAGE"
  // `drydock lsp`: the client broke the protocol's lifecycle (exit without shutdown).
  | "LSP_PROTOCOL"
  // Images (src/image): the source, its JSON documents, its blobs, and the tar streams inside them.
  | "IMAGE_NOT_FOUND"
  | "IMAGE_FORMAT_UNKNOWN"
  | "IMAGE_AMBIGUOUS"
  | "IMAGE_TOO_LARGE"
  | "IMAGE_CONFIG_INVALID"
  | "PLATFORM_NOT_FOUND"
  | "MANIFEST_INVALID"
  | "MEDIA_TYPE_UNKNOWN"
  | "BLOB_MISSING"
  | "BLOB_DIGEST_MISMATCH"
  | "LAYER_DIGEST_MISMATCH"
  | "LAYER_DIFFID_MISMATCH"
  | "LAYER_CORRUPT"
  | "TAR_HEADER_INVALID"
  | "TAR_HEADER_TOO_LARGE"
  | "TAR_TRUNCATED"
  | "TAR_PATH_ESCAPE"
  | "TAR_LINK_LOOP"
  // Vulnerability data (src/vuln): versions, advisory files, zip archives, the local database, downloads.
  | "VERSION_INVALID"
  | "ADVISORY_INVALID"
  | "ZIP_INVALID"
  | "ZIP_TRUNCATED"
  | "ZIP_TOO_LARGE"
  | "DB_NOT_FOUND"
  | "DB_INVALID"
  | "DOWNLOAD_FAILED"
  // OpenVEX documents given to `drydock scan --vex`.
  | "VEX_INVALID"
  // Registries (src/registry): references, the distribution API, auth and credentials.
  | "REFERENCE_INVALID"
  | "REGISTRY_AUTH"
  | "REGISTRY_UNAVAILABLE"
  | "REGISTRY_TLS"
  | "REGISTRY_PROTOCOL"
  | "MANIFEST_NOT_FOUND"
  | "MANIFEST_UNSUPPORTED"
  | "CREDENTIALS_UNREADABLE"
  | "OUTPUT_UNWRITABLE"
  // Builds (src/build): instructions a daemonless build cannot run, sources it cannot find, inputs it cannot trust.
  | "BUILD_RUN_UNSUPPORTED"
  | "BUILD_INVALID"
  | "BUILD_SOURCE_MISSING"
  | "BUILD_CHECKSUM_MISMATCH"
  // Runtime configuration (src/runtime): YAML inputs, compose projects, Kubernetes manifests, docker run lines.
  | "YAML_SYNTAX"
  | "YAML_LIMIT"
  | "RUNTIME_INVALID"
  | "RUNTIME_UNKNOWN_KIND"
  | "RUNTIME_UNRECOGNIZED"
  // `drydock check` (src/check): baseline files, an existing drydock.yaml `init` will not overwrite.
  | "BASELINE_INVALID"
  | "CONFIG_EXISTS"
  // SBOMs (src/sbom): a CycloneDX or SPDX document read back as a target.
  | "SBOM_INVALID"
  // Executables read for embedded package data (src/sbom/binary): ELF, Mach-O, PE structures out of bounds.
  | "EXECUTABLE_INVALID"
  // Signing (src/sign): key files, passwords, signed payloads, DSSE envelopes, in-toto statements, bundles.
  | "KEY_INVALID"
  | "KEY_UNSUPPORTED"
  | "KEY_PASSWORD_WRONG"
  | "SIGNATURE_INVALID"
  | "PAYLOAD_INVALID"
  | "ENVELOPE_INVALID"
  | "STATEMENT_INVALID"
  | "BUNDLE_INVALID"
  // Debian bases (src/base): apt repositories, their signatures and hashes, resolution, the lock, .deb files.
  | "BASE_REPOSITORY_UNAVAILABLE"
  | "BASE_KEYRING_INVALID"
  | "BASE_SIGNATURE_INVALID"
  | "BASE_RELEASE_INVALID"
  | "BASE_RELEASE_EXPIRED"
  | "BASE_HASH_MISMATCH"
  | "BASE_INDEX_INVALID"
  | "BASE_UNSATISFIABLE"
  | "BASE_LOCK_INVALID"
  | "BASE_LOCK_STALE"
  | "BASE_DEB_INVALID"
  // The SBOM cataloged from a built base image does not list exactly the locked packages (a bug, never a user error).
  | "BASE_SBOM_MISMATCH";

export class DrydockError extends Error {
  override readonly name = "DrydockError";
  readonly code: ErrorCode;
  readonly location: Location | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: Location; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
  }
}

export function isDrydockError(e: unknown): e is DrydockError {
  return e instanceof DrydockError;
}

/** "file:line:col" (or less) for a location, as compilers print it. */
export function formatLocation(loc: Location | undefined): string {
  if (loc === undefined) return "";
  switch (loc.kind) {
    case "text":
      return `${loc.file}:${loc.start.line}:${loc.start.column}`;
    case "layer":
      return `${loc.image}@${loc.digest}:/${loc.path}`;
    case "ref":
      return loc.ref;
  }
}
