// DSSE envelopes (secure-systems-lab/dsse protocol.md): sign and verify over the pre-authentication encoding.
import type { KeyObject } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { signBytes, verifyBytes, type SigningKey } from "./keys.ts";
import { decodeAnyBase64, isRecord, parseJsonBytes } from "./media.ts";

export interface Envelope {
  /** base64 of the payload bytes. */
  payload: string;
  payloadType: string;
  signatures: { keyid?: string; sig: string }[];
}

export const INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes as ASCII decimal. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/**
 * One signature over PAE. Keys are in the order cosign's Go struct writes them (payloadType, payload,
 * signatures; keyid "" then sig), so JSON.stringify of the result is byte-identical to a cosign `.att` layer.
 */
export function signEnvelope(key: SigningKey, payloadType: string, payload: Uint8Array): Envelope {
  const sig = signBytes(key, pae(payloadType, payload)).toString("base64");
  return { payloadType, payload: Buffer.from(payload).toString("base64"), signatures: [{ keyid: "", sig }] };
}

/** The envelope's JSON bytes (as a cosign `.att` layer or a `--output-signature` file of attest-blob). */
export function envelopeJson(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), "utf8");
}

/** Reads an envelope; payload and signatures may use standard or URL-safe base64. */
export function parseEnvelope(bytes: Uint8Array, where: string): Envelope {
  const json = parseJsonBytes(bytes, "ENVELOPE_INVALID", `${where}: the DSSE envelope`);
  return envelopeFromJson(json, where);
}

/** Validates an already-parsed envelope object (also used for the dsseEnvelope of a bundle). */
export function envelopeFromJson(json: unknown, where: string): Envelope {
  if (!isRecord(json)) throw new DrydockError("ENVELOPE_INVALID", `${where}: the DSSE envelope is not a JSON object`);
  const { payload, payloadType, signatures } = json;
  if (typeof payload !== "string") throw new DrydockError("ENVELOPE_INVALID", `${where}: the DSSE envelope has no "payload" string`);
  if (typeof payloadType !== "string") throw new DrydockError("ENVELOPE_INVALID", `${where}: the DSSE envelope has no "payloadType" string`);
  if (!Array.isArray(signatures) || signatures.length === 0) throw new DrydockError("ENVELOPE_INVALID", `${where}: the DSSE envelope has no signatures`);
  decodeAnyBase64(payload, "ENVELOPE_INVALID", `${where}: the envelope payload`);
  const sigs = signatures.map((s: unknown, i) => {
    if (!isRecord(s) || typeof s.sig !== "string") throw new DrydockError("ENVELOPE_INVALID", `${where}: signature ${i} has no "sig" string`);
    if (s.keyid !== undefined && typeof s.keyid !== "string") throw new DrydockError("ENVELOPE_INVALID", `${where}: signature ${i} has a non-string "keyid"`);
    decodeAnyBase64(s.sig, "ENVELOPE_INVALID", `${where}: signature ${i}`);
    return s.keyid === undefined ? { sig: s.sig } : { keyid: s.keyid, sig: s.sig };
  });
  return { payload, payloadType, signatures: sigs };
}

/** The payload bytes that were verified (never re-encoded), or undefined when no signature verifies with the key. */
export function verifyEnvelope(publicKey: KeyObject, envelope: Envelope): Buffer | undefined {
  let payload: Buffer;
  try {
    payload = decodeAnyBase64(envelope.payload, "ENVELOPE_INVALID", "payload");
  } catch {
    return undefined;
  }
  const message = pae(envelope.payloadType, payload);
  for (const s of envelope.signatures) {
    let sig: Buffer;
    try {
      sig = decodeAnyBase64(s.sig, "ENVELOPE_INVALID", "sig");
    } catch {
      continue;
    }
    if (verifyBytes(publicKey, message, sig)) return payload;
  }
  return undefined;
}
