// in-toto Statements (in-toto/attestation spec v0.1 and v1) and cosign's predicate type names.
import { DrydockError } from "../core/errors.ts";
import { goJsonString, goJsonValue, isRecord, parseJsonBytes } from "./media.ts";

export interface Subject {
  name?: string;
  digest: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ParsedStatement {
  type: string;
  subjects: Subject[];
  predicateType: string;
  predicate: unknown;
}

export const STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
export const STATEMENT_V1 = "https://in-toto.io/Statement/v1";
/** The predicate of cosign v3's bundle signatures (an in-toto v1 statement with an empty predicate). */
export const COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
/** The predicate type of `--type custom`, cosign's default. */
export const COSIGN_CUSTOM_PREDICATE = "https://cosign.sigstore.dev/attestation/v1";

// cosign's --type names (cmd/cosign/cli/options/predicate.go, pkg/cosign/attestation).
const PREDICATE_TYPES: Readonly<Record<string, string>> = {
  custom: COSIGN_CUSTOM_PREDICATE,
  slsaprovenance: "https://slsa.dev/provenance/v0.2",
  slsaprovenance02: "https://slsa.dev/provenance/v0.2",
  slsaprovenance1: "https://slsa.dev/provenance/v1",
  spdx: "https://spdx.dev/Document",
  spdxjson: "https://spdx.dev/Document",
  cyclonedx: "https://cyclonedx.org/bom",
  cyclonedxxml: "https://cyclonedx.org/bom",
  link: "https://in-toto.io/Link/v1",
  vuln: "https://cosign.sigstore.dev/attestation/vuln/v1",
  openvex: "https://openvex.dev/ns",
};

/** A predicate type URI for a cosign `--type` name; any absolute URI passes through unchanged. */
export function predicateTypeFor(type: string): string {
  const known = PREDICATE_TYPES[type];
  if (known !== undefined) return known;
  // cosign accepts what Go's url.ParseRequestURI accepts: an absolute URI (scheme:...) or an absolute path.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(type) || /^\/[^\s]*$/.test(type)) return type;
  throw new DrydockError("USAGE",
    `invalid predicate type ${JSON.stringify(type)}: use one of ${Object.keys(PREDICATE_TYPES).join(", ")} or a URI`);
}

/** The predicate `--type custom` writes: the predicate file's text as a string, and when it was made (RFC 3339). */
export function customPredicate(data: string, timestamp: string): unknown {
  return { Data: data, Timestamp: timestamp };
}

/**
 * A statement's bytes. v0.1 in the field order of cosign's Go struct (_type, predicateType, subject, predicate);
 * v1 in protobuf field order (_type, subject, predicateType, predicate), as cosign v3 writes it for bundles.
 */
export function statement(version: "v0.1" | "v1", subjects: Subject[], predicateType: string, predicate: unknown): Buffer {
  const subject = `[${subjects.map((s) => subjectJson(s, version)).join(",")}]`;
  const text = version === "v0.1"
    ? `{"_type":${goJsonString(STATEMENT_V01)},"predicateType":${goJsonString(predicateType)},"subject":${subject},"predicate":${goJsonValue(predicate)}}`
    : `{"_type":${goJsonString(STATEMENT_V1)},"subject":${subject},"predicateType":${goJsonString(predicateType)}` +
      `${predicate === undefined ? "" : `,"predicate":${goJsonValue(predicate)}`}}`;
  return Buffer.from(text, "utf8");
}

function subjectJson(s: Subject, version: "v0.1" | "v1"): string {
  const parts: string[] = [];
  // v0.1's Go struct always writes name; v1 (protobuf) omits empty fields.
  if (version === "v0.1" || (s.name !== undefined && s.name !== "")) parts.push(`"name":${goJsonString(s.name ?? "")}`);
  parts.push(`"digest":${goJsonValue(s.digest)}`);
  if (s.annotations !== undefined && Object.keys(s.annotations).length > 0) parts.push(`"annotations":${goJsonValue(s.annotations)}`);
  return `{${parts.join(",")}}`;
}

/** Reads a statement of either version; subjects must carry a digest map of strings. */
export function parseStatement(bytes: Uint8Array, where: string): ParsedStatement {
  const json = parseJsonBytes(bytes, "STATEMENT_INVALID", `${where}: the in-toto statement`);
  if (!isRecord(json)) throw new DrydockError("STATEMENT_INVALID", `${where}: the in-toto statement is not a JSON object`);
  const type = json._type;
  if (type !== STATEMENT_V01 && type !== STATEMENT_V1) {
    throw new DrydockError("STATEMENT_INVALID", `${where}: _type ${JSON.stringify(type)} is not an in-toto statement (expected ${STATEMENT_V01} or ${STATEMENT_V1})`);
  }
  if (typeof json.predicateType !== "string" || json.predicateType === "") {
    throw new DrydockError("STATEMENT_INVALID", `${where}: the statement has no predicateType`);
  }
  if (!Array.isArray(json.subject)) throw new DrydockError("STATEMENT_INVALID", `${where}: the statement's "subject" is not a list`);
  const subjects = json.subject.map((s: unknown, i): Subject => parseSubject(s, `${where}: subject ${i}`));
  return { type, subjects, predicateType: json.predicateType, predicate: json.predicate ?? null };
}

function parseSubject(s: unknown, what: string): Subject {
  if (!isRecord(s)) throw new DrydockError("STATEMENT_INVALID", `${what} is not an object`);
  if (!isStringMap(s.digest)) throw new DrydockError("STATEMENT_INVALID", `${what} has no digest map of strings`);
  if (s.name !== undefined && typeof s.name !== "string") throw new DrydockError("STATEMENT_INVALID", `${what} has a non-string name`);
  const out: Subject = { digest: s.digest };
  if (typeof s.name === "string") out.name = s.name;
  if (isRecord(s.annotations)) {
    out.annotations = Object.fromEntries(Object.entries(s.annotations).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  }
  return out;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((x) => typeof x === "string");
}
