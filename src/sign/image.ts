// Signing, attesting and verifying images as cosign v3 does with a key (no Fulcio, no Rekor):
//  - sign: by default a Sigstore bundle (DSSE over an in-toto v1 statement with cosign's sign predicate) as an
//    OCI 1.1 referrer; with the legacy format a simple-signing payload appended to `sha256-<hex>.sig`;
//  - attest: an in-toto statement (v0.1, as cosign's statement generator writes for both formats) in a DSSE
//    envelope, as a bundle referrer or a layer of `sha256-<hex>.att`;
//  - verify: bundles first; only when there are none, the legacy tag (cosign's fallback order). Every
//    candidate is checked for its signature, the digest it names and the annotations asked for, and the
//    reason each one failed is kept for the user.
import type { KeyObject } from "node:crypto";
import { DrydockError } from "../core/errors.ts";
import { descriptorOf, type ManifestBlob } from "../registry/manifest.ts";
import { BUNDLE_MEDIA_TYPE, makeBundle, parseBundle } from "./bundle.ts";
import { envelopeJson, INTOTO_PAYLOAD_TYPE, parseEnvelope, signEnvelope, verifyEnvelope, type Envelope } from "./dsse.ts";
import { COSIGN_SIGN_PREDICATE, customPredicate, parseStatement, predicateTypeFor, statement, type ParsedStatement } from "./intoto.ts";
import { signBytes, verifyBytes, type SigningKey } from "./keys.ts";
import { decodeStdBase64, DSSE_MEDIA_TYPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from "./media.ts";
import { parseSimpleSigning, simpleSigningPayload } from "./payload.ts";
import {
  cosignTag, readBundleReferrers, readCosignArtifact, writeBundleReferrer, writeCosignArtifact, type ArtifactStore, type CosignLayer, type StoredBundle,
} from "./store.ts";

export type SignatureFormat = "bundle" | "legacy";

/** The layer annotation cosign's `.att` layers carry for their predicate type. */
const PREDICATE_TYPE_ANNOTATION = "predicateType";

export interface SignOptions {
  format: SignatureFormat;
  /** `-a k=v`: in the simple-signing `optional` map, or the statement subject's annotations. */
  annotations: Readonly<Record<string, string>>;
  /** For the referrer's created annotation (tests pin it). */
  now?: Date;
}

export interface SignResult {
  /** The manifest (or index) signed. */
  digest: string;
  format: SignatureFormat;
  /** Where it went: the `.sig` tag or the referrer manifest's digest. */
  stored: string;
  /** True when an identical payload signed with the same key was already there (legacy; cosign skips it too). */
  alreadySigned: boolean;
  /** What was signed (simple-signing payload or in-toto statement) and the signature over it (DER). */
  payload: Buffer;
  signature: Buffer;
}

export async function signImage(store: ArtifactStore, key: SigningKey, options: SignOptions): Promise<SignResult> {
  const subject = await store.subject();
  const annotations = { ...options.annotations };
  const hasAnnotations = Object.keys(annotations).length > 0;
  if (options.format === "legacy") {
    const payload = simpleSigningPayload(store.identity, subject.digest, hasAnnotations ? annotations : undefined);
    const signature = signBytes(key, payload);
    const existing = await readCosignArtifact(store, subject.digest, "sig");
    const tag = cosignTag(subject.digest, "sig");
    const kept = existing?.layers ?? [];
    // cosign's duplicate detector: the same payload, already signed by this key, is not added again.
    const duplicate = kept.some((l) => l.payload.equals(payload) && legacySignatureVerifies(key.publicKey, l));
    if (!duplicate) {
      const layer: CosignLayer = { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations: { [SIGNATURE_ANNOTATION]: signature.toString("base64") } };
      await writeCosignArtifact(store, subject.digest, "sig", [...kept, layer]);
    }
    return { digest: subject.digest, format: "legacy", stored: tag, alreadySigned: duplicate, payload, signature };
  }
  const body = statement("v1", [{ digest: { sha256: hexOf(subject.digest) }, ...(hasAnnotations ? { annotations } : {}) }], COSIGN_SIGN_PREDICATE, {});
  const envelope = signEnvelope(key, INTOTO_PAYLOAD_TYPE, body);
  const referrer = await storeBundle(store, subject, envelope, key.publicKey, COSIGN_SIGN_PREDICATE, options.now);
  return { digest: subject.digest, format: "bundle", stored: referrer.digest, alreadySigned: false, payload: body, signature: envelopeSignature(envelope) };
}

export interface AttestOptions {
  format: SignatureFormat;
  /** cosign's --type: custom (default), slsaprovenance, spdxjson, cyclonedx, vuln, openvex, ..., or a URI. */
  type: string;
  /** The predicate file's bytes (JSON, or any text for --type custom). */
  predicate: Buffer;
  /** Legacy only: drop earlier `.att` layers with the same predicate type (cosign's --replace). */
  replace: boolean;
  now?: Date;
}

export interface AttestResult {
  digest: string;
  format: SignatureFormat;
  predicateType: string;
  stored: string;
  /** Earlier attestations of the same predicate type removed (--replace). */
  replaced: number;
}

export async function attestImage(store: ArtifactStore, key: SigningKey, options: AttestOptions): Promise<AttestResult> {
  const subject = await store.subject();
  const now = options.now ?? new Date();
  const predicateType = predicateTypeFor(options.type);
  const predicate = predicateFrom(options.type, predicateType, options.predicate, now);
  const body = statement("v0.1", [{ name: store.identity, digest: { sha256: hexOf(subject.digest) } }], predicateType, predicate);
  const envelope = signEnvelope(key, INTOTO_PAYLOAD_TYPE, body);
  if (options.format === "bundle") {
    const referrer = await storeBundle(store, subject, envelope, key.publicKey, predicateType, now);
    return { digest: subject.digest, format: "bundle", predicateType, stored: referrer.digest, replaced: 0 };
  }
  const existing = await readCosignArtifact(store, subject.digest, "att");
  const before = existing?.layers ?? [];
  const kept = options.replace ? before.filter((l) => l.annotations[PREDICATE_TYPE_ANNOTATION] !== predicateType) : before;
  const layer: CosignLayer = {
    mediaType: DSSE_MEDIA_TYPE,
    payload: envelopeJson(envelope),
    annotations: { [PREDICATE_TYPE_ANNOTATION]: predicateType, [SIGNATURE_ANNOTATION]: "" },
  };
  await writeCosignArtifact(store, subject.digest, "att", [...kept, layer]);
  return { digest: subject.digest, format: "legacy", predicateType, stored: cosignTag(subject.digest, "att"), replaced: before.length - kept.length };
}

/** `--type custom` wraps any text as cosign does; every other type needs a JSON predicate (an object for URIs). */
function predicateFrom(type: string, predicateType: string, bytes: Buffer, now: Date): unknown {
  const text = bytes.toString("utf8");
  if (type === "custom") return customPredicate(text, rfc3339(now));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DrydockError("PAYLOAD_INVALID", `the predicate for --type ${type} (${predicateType}) must be JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new DrydockError("PAYLOAD_INVALID", `the predicate for --type ${type} must be a JSON object`);
  }
  return json;
}

async function storeBundle(store: ArtifactStore, subject: ManifestBlob, envelope: Envelope, publicKey: KeyObject, predicateType: string, now: Date | undefined): Promise<ManifestBlob> {
  const bundle = makeBundle(envelope, publicKey);
  return writeBundleReferrer(store, descriptorOf(subject), bundle, BUNDLE_MEDIA_TYPE, predicateType, now ?? new Date());
}

// ---- verification ----

export interface VerifiedSignature {
  format: SignatureFormat;
  /** The `.sig` tag and layer, or the referrer manifest. */
  source: string;
  /** The annotations the signature carries (simple-signing optional, or the statement subject's). */
  annotations: Record<string, unknown>;
  /** Legacy only: critical.identity.docker-reference (not checked, as cosign does not). */
  dockerReference?: string;
}

export interface RejectedCandidate {
  format: SignatureFormat;
  source: string;
  reason: string;
}

export interface VerifyOutcome<T> {
  digest: string;
  verified: T[];
  rejected: RejectedCandidate[];
  /** Where signatures were looked for, for "none found". */
  looked: string;
}

export interface VerifyOptions {
  /** `-a k=v`: each must be among the signature's annotations with this value. */
  annotations: Readonly<Record<string, string>>;
  /** How the key is named in reasons ("cosign.pub"). */
  keyName: string;
}

/** Checks the image's signatures against one key. Never throws for a bad signature: it is a rejected candidate. */
export async function verifyImage(store: ArtifactStore, publicKey: KeyObject, options: VerifyOptions): Promise<VerifyOutcome<VerifiedSignature>> {
  const subject = await store.subject();
  const digest = subject.digest;
  const looked = `${store.referrersWhere(digest)} and tag ${cosignTag(digest, "sig")}`;
  const verified: VerifiedSignature[] = [];
  const rejected: RejectedCandidate[] = [];
  const bundles = (await readBundleReferrers(store, digest, BUNDLE_MEDIA_TYPE)).filter((b) => b.predicateType === undefined || b.predicateType === COSIGN_SIGN_PREDICATE);
  for (const b of bundles) {
    const source = `referrer ${b.digest}`;
    const result = attempt(() => checkSignatureBundle(b, publicKey, digest, options));
    if (typeof result === "string") rejected.push({ format: "bundle", source, reason: result });
    else if (result !== undefined) verified.push({ format: "bundle", source, annotations: result });
  }
  if (bundles.length > 0) return { digest, verified, rejected, looked };
  const sig = await readCosignArtifact(store, digest, "sig");
  for (const [i, layer] of (sig?.layers ?? []).entries()) {
    const source = `${sig?.tag ?? ""} layer ${i}`;
    const result = attempt(() => checkLegacySignature(layer, publicKey, digest, options, source));
    if (typeof result === "string") rejected.push({ format: "legacy", source, reason: result });
    else verified.push({ format: "legacy", source, ...result });
  }
  return { digest, verified, rejected, looked };
}

/** A check's value, or its failure as the reason text (bad input in one candidate does not stop the others). */
function attempt<T>(check: () => T): T | string {
  try {
    return check();
  } catch (e) {
    if (e instanceof DrydockError) return e.message;
    throw e;
  }
}

/** The subject annotations of a verified sign bundle; undefined for a bundle holding another predicate. */
function checkSignatureBundle(b: StoredBundle, publicKey: KeyObject, digest: string, options: VerifyOptions): Record<string, unknown> | undefined {
  const envelope = parseBundle(b.bytes, `referrer ${b.digest}`).envelope;
  if (envelope === undefined) throw new DrydockError("SIGNATURE_INVALID", "the bundle holds no DSSE envelope");
  const payload = verifyEnvelope(publicKey, envelope);
  if (payload === undefined) throw new DrydockError("SIGNATURE_INVALID", `signature does not verify with ${options.keyName}`);
  const parsed = parseStatement(payload, `referrer ${b.digest}`);
  if (parsed.predicateType !== COSIGN_SIGN_PREDICATE) return undefined;
  const subject = subjectFor(parsed, digest);
  const annotations: Record<string, unknown> = { ...(subject.annotations ?? {}) };
  requireAnnotations(annotations, options.annotations);
  return annotations;
}

function checkLegacySignature(layer: CosignLayer, publicKey: KeyObject, digest: string, options: VerifyOptions, source: string): { annotations: Record<string, unknown>; dockerReference: string } {
  const encoded = layer.annotations[SIGNATURE_ANNOTATION];
  if (encoded === undefined) throw new DrydockError("SIGNATURE_INVALID", `the layer has no ${SIGNATURE_ANNOTATION} annotation`);
  const signature = decodeStdBase64(encoded, "SIGNATURE_INVALID", "the signature annotation");
  if (!verifyBytes(publicKey, layer.payload, signature)) throw new DrydockError("SIGNATURE_INVALID", `signature does not verify with ${options.keyName}`);
  const payload = parseSimpleSigning(layer.payload, source);
  if (payload.manifestDigest !== digest) throw new DrydockError("SIGNATURE_INVALID", `signed digest ${payload.manifestDigest} ≠ image ${digest}`);
  const annotations = payload.optional ?? {};
  requireAnnotations(annotations, options.annotations);
  return { annotations, dockerReference: payload.dockerReference };
}

function legacySignatureVerifies(publicKey: KeyObject, layer: CosignLayer): boolean {
  const encoded = layer.annotations[SIGNATURE_ANNOTATION];
  if (encoded === undefined) return false;
  try {
    return verifyBytes(publicKey, layer.payload, decodeStdBase64(encoded, "SIGNATURE_INVALID", "signature"));
  } catch {
    return false;
  }
}

/** The statement subject naming the image; a reason when none does. */
function subjectFor(parsed: ParsedStatement, digest: string): ParsedStatement["subjects"][number] {
  const hex = hexOf(digest);
  const found = parsed.subjects.find((s) => s.digest["sha256"] === hex);
  if (found !== undefined) return found;
  const named = parsed.subjects.map((s) => (s.digest["sha256"] === undefined ? Object.entries(s.digest).map(([k, v]) => `${k}:${v}`).join(",") : `sha256:${s.digest["sha256"]}`));
  throw new DrydockError("SIGNATURE_INVALID", `signed digest ${named.join(", ") || "(none)"} ≠ image ${digest}`);
}

/** cosign compares annotation values as strings (-a values are strings; payload values may be any JSON). */
function requireAnnotations(have: Record<string, unknown>, wanted: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(wanted)) {
    const actual = have[k];
    if (actual === undefined) throw new DrydockError("SIGNATURE_INVALID", `annotation ${k}=${v} missing`);
    const text = typeof actual === "string" ? actual : JSON.stringify(actual);
    if (text !== v) throw new DrydockError("SIGNATURE_INVALID", `annotation ${k}=${v} missing (the signature has ${k}=${text})`);
  }
}

export interface VerifiedAttestation {
  format: SignatureFormat;
  source: string;
  predicateType: string;
  statement: ParsedStatement;
  /** The verified statement bytes, as signed. */
  payload: Buffer;
}

export interface VerifyAttestationOptions {
  /** --type: only attestations of this predicate type count (others are listed as rejected). */
  type?: string;
  keyName: string;
}

export async function verifyImageAttestations(store: ArtifactStore, publicKey: KeyObject, options: VerifyAttestationOptions): Promise<VerifyOutcome<VerifiedAttestation>> {
  const subject = await store.subject();
  const digest = subject.digest;
  const wantedType = options.type === undefined ? undefined : predicateTypeFor(options.type);
  const looked = `${store.referrersWhere(digest)} and tag ${cosignTag(digest, "att")}`;
  const verified: VerifiedAttestation[] = [];
  const rejected: RejectedCandidate[] = [];
  const check = (envelope: Envelope, format: SignatureFormat, source: string): void => {
    const result = attempt(() => checkAttestation(envelope, publicKey, digest, wantedType, options.keyName, source));
    if (typeof result === "string") rejected.push({ format, source, reason: result });
    else verified.push({ format, source, ...result });
  };
  const bundles = (await readBundleReferrers(store, digest, BUNDLE_MEDIA_TYPE)).filter((b) => b.predicateType !== COSIGN_SIGN_PREDICATE);
  for (const b of bundles) {
    const source = `referrer ${b.digest}`;
    const envelope = attempt(() => parseBundle(b.bytes, source).envelope);
    if (typeof envelope === "string" || envelope === undefined) rejected.push({ format: "bundle", source, reason: envelope ?? "the bundle holds no DSSE envelope" });
    else check(envelope, "bundle", source);
  }
  if (bundles.length > 0) return { digest, verified, rejected, looked };
  const att = await readCosignArtifact(store, digest, "att");
  for (const [i, layer] of (att?.layers ?? []).entries()) {
    const source = `${att?.tag ?? ""} layer ${i}`;
    const envelope = attempt(() => parseEnvelope(layer.payload, source));
    if (typeof envelope === "string") rejected.push({ format: "legacy", source, reason: envelope });
    else check(envelope, "legacy", source);
  }
  return { digest, verified, rejected, looked };
}

function checkAttestation(envelope: Envelope, publicKey: KeyObject, digest: string, wantedType: string | undefined, keyName: string, source: string): Omit<VerifiedAttestation, "format" | "source"> {
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) throw new DrydockError("SIGNATURE_INVALID", `payload type ${envelope.payloadType} is not ${INTOTO_PAYLOAD_TYPE}`);
  const payload = verifyEnvelope(publicKey, envelope);
  if (payload === undefined) throw new DrydockError("SIGNATURE_INVALID", `signature does not verify with ${keyName}`);
  const parsed = parseStatement(payload, source);
  subjectFor(parsed, digest);
  if (wantedType !== undefined && parsed.predicateType !== wantedType) {
    throw new DrydockError("SIGNATURE_INVALID", `predicate type ${parsed.predicateType}, not ${wantedType}`);
  }
  return { predicateType: parsed.predicateType, statement: parsed, payload };
}

// ---- helpers ----

function hexOf(digest: string): string {
  if (!digest.startsWith("sha256:")) throw new DrydockError("MANIFEST_INVALID", `${digest}: cosign signs sha256 digests only`);
  return digest.slice("sha256:".length);
}

function envelopeSignature(envelope: Envelope): Buffer {
  const sig = envelope.signatures[0]?.sig ?? "";
  return Buffer.from(sig, "base64");
}

/** Go's time.RFC3339 of a UTC time: seconds, "Z". */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
