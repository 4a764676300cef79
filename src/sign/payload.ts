// The simple-signing payload cosign signs in its classic format (sigstore/sigstore pkg/signature/payload).
import { DrydockError } from "../core/errors.ts";
import { goJsonString, goJsonValue, isRecord, parseJsonBytes } from "./media.ts";

/** The only `critical.type` cosign writes and accepts. */
export const COSIGN_SIGNATURE_TYPE = "cosign container image signature";

export interface SimpleSigning {
  dockerReference: string;
  manifestDigest: string;
  type: string;
  /** The `-a k=v` annotations; null when the signer gave none. */
  optional: Record<string, unknown> | null;
}

/**
 * The payload bytes exactly as cosign (Go encoding/json) writes them: fixed field order, no whitespace,
 * annotation keys sorted, `"optional":null` without annotations. Annotation values may be any JSON value
 * (cosign's own are strings; the upstream golden vectors also use numbers and objects).
 */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string, annotations?: Readonly<Record<string, unknown>>): Buffer {
  // Go marshals a nil map as null; cosign passes nil when no -a was given, so an empty set is written the same way.
  const optional = annotations === undefined || Object.keys(annotations).length === 0 ? "null" : goJsonValue(annotations);
  const text = `{"critical":{"identity":{"docker-reference":${goJsonString(dockerReference)}},` +
    `"image":{"docker-manifest-digest":${goJsonString(manifestDigest)}},"type":${goJsonString(COSIGN_SIGNATURE_TYPE)}},` +
    `"optional":${optional}}`;
  return Buffer.from(text, "utf8");
}

/** Reads a simple-signing payload; rejects other signature types, as sigstore's unmarshaller does. */
export function parseSimpleSigning(bytes: Uint8Array, where: string): SimpleSigning {
  const json = parseJsonBytes(bytes, "PAYLOAD_INVALID", `${where}: the signed payload`);
  const critical = isRecord(json) ? json.critical : undefined;
  if (!isRecord(json) || !isRecord(critical)) throw new DrydockError("PAYLOAD_INVALID", `${where}: the signed payload has no "critical" object`);
  const identity = critical.identity;
  const image = critical.image;
  const reference = isRecord(identity) ? identity["docker-reference"] : undefined;
  const digest = isRecord(image) ? image["docker-manifest-digest"] : undefined;
  if (typeof reference !== "string") throw new DrydockError("PAYLOAD_INVALID", `${where}: critical.identity.docker-reference is missing or not a string`);
  if (typeof digest !== "string") throw new DrydockError("PAYLOAD_INVALID", `${where}: critical.image.docker-manifest-digest is missing or not a string`);
  if (critical.type !== COSIGN_SIGNATURE_TYPE) {
    throw new DrydockError("PAYLOAD_INVALID", `${where}: critical.type is ${JSON.stringify(critical.type)}, not "${COSIGN_SIGNATURE_TYPE}"`);
  }
  const optional = json.optional ?? null;
  if (optional !== null && !isRecord(optional)) throw new DrydockError("PAYLOAD_INVALID", `${where}: "optional" must be an object or null`);
  return { dockerReference: reference, manifestDigest: digest, type: critical.type, optional };
}
