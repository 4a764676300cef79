import { test } from "node:test";
import assert from "node:assert/strict";
import { dsse as sigstoreDsse } from "@sigstore/core";
import fc from "fast-check";
import { parseBundle } from "../../src/sign/bundle.ts";
import { encodePem } from "../../src/sign/media.ts";
import { parseSimpleSigning } from "../../src/sign/payload.ts";
import { envelopeJson, INTOTO_PAYLOAD_TYPE, pae, parseEnvelope, signEnvelope, verifyEnvelope } from "../../src/sign/dsse.ts";
import { loadPrivateKey, loadPublicKey } from "../../src/sign/keys.ts";
import { parseStatement } from "../../src/sign/intoto.ts";
import { ATTEST_BLOB_SHA256, ATTEST_ENVELOPE_B64, ATTEST_PUBKEY, ECDSA_PRIV, ECDSA_PUB } from "./vectors.ts";

test("PAE matches the DSSE spec's vector (secure-systems-lab/dsse protocol.md)", () => {
  assert.equal(pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString(), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
});

test("PAE agrees with @sigstore/core on byte lengths (multi-byte type and payload)", () => {
  for (const [type, body] of [[INTOTO_PAYLOAD_TYPE, "{}"], ["type/ü", "é\u0000€"], ["", ""]] as const) {
    assert.deepEqual(pae(type, Buffer.from(body)), sigstoreDsse.preAuthEncoding(type, Buffer.from(body)));
  }
});

test("cosign's attestation envelope (verify_blob_attestation_test.go) verifies with its public key", () => {
  const envelope = parseEnvelope(Buffer.from(ATTEST_ENVELOPE_B64, "base64"), "att");
  assert.equal(envelope.payloadType, INTOTO_PAYLOAD_TYPE);
  const payload = verifyEnvelope(loadPublicKey(ATTEST_PUBKEY, "cosign.pub"), envelope);
  assert.ok(payload !== undefined);
  const statement = parseStatement(payload, "att");
  assert.equal(statement.predicateType, "https://slsa.dev/provenance/v0.2");
  assert.deepEqual(statement.subjects, [{ name: "blob", digest: { sha256: ATTEST_BLOB_SHA256 } }]);
  // A different key, a different payload type or a changed payload: nothing verifies.
  assert.equal(verifyEnvelope(loadPublicKey(ECDSA_PUB, "other.pub"), envelope), undefined);
  assert.equal(verifyEnvelope(loadPublicKey(ATTEST_PUBKEY, "p"), { ...envelope, payloadType: "application/json" }), undefined);
  const tampered = Buffer.from(envelope.payload, "base64");
  tampered.writeUInt8(tampered.readUInt8(10) ^ 1, 10);
  assert.equal(verifyEnvelope(loadPublicKey(ATTEST_PUBKEY, "p"), { ...envelope, payload: tampered.toString("base64") }), undefined);
});

test("signEnvelope writes cosign's field order and verifies; URL-safe base64 is accepted on read", () => {
  const key = loadPrivateKey(ECDSA_PRIV, "", "k");
  const env = signEnvelope(key, INTOTO_PAYLOAD_TYPE, Buffer.from(`{"a":"~~~???>>>"}`));
  const json = envelopeJson(env).toString();
  assert.match(json, /^\{"payloadType":"application\/vnd\.in-toto\+json","payload":"[^"]+","signatures":\[\{"keyid":"","sig":"[^"]+"\}\]\}$/);
  const pub = loadPublicKey(ECDSA_PUB, "p");
  assert.equal(verifyEnvelope(pub, parseEnvelope(Buffer.from(json), "e"))?.toString(), `{"a":"~~~???>>>"}`);
  const urlSafe = { ...env, payload: env.payload.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "") };
  assert.ok(urlSafe.payload !== env.payload, "the payload was chosen to need + or /");
  assert.equal(verifyEnvelope(pub, parseEnvelope(envelopeJson(urlSafe), "e"))?.toString(), `{"a":"~~~???>>>"}`);
});

test("malformed envelopes are ENVELOPE_INVALID", () => {
  for (const bad of ["", "{", "[]", `{"payloadType":"t","signatures":[{"sig":"AA=="}]}`, `{"payload":"AA==","signatures":[{"sig":"AA=="}]}`,
    `{"payload":"AA==","payloadType":"t","signatures":[]}`, `{"payload":"AA==","payloadType":"t","signatures":[{"keyid":"k"}]}`,
    `{"payload":"!!","payloadType":"t","signatures":[{"sig":"AA=="}]}`, `{"payload":"AA==","payloadType":"t","signatures":[{"sig":"AA==","keyid":3}]}`]) {
    assert.throws(() => parseEnvelope(Buffer.from(bad), "e"), { name: "DrydockError", code: "ENVELOPE_INVALID" }, bad);
  }
});

test("hostile input to every parser is a DrydockError or a value, never another exception", () => {
  const parsers: ((b: Uint8Array) => unknown)[] = [
    (b) => parseEnvelope(b, "f"), (b) => parseStatement(b, "f"), (b) => parseBundle(b, "f"), (b) => parseSimpleSigning(b, "f"),
    (b) => loadPrivateKey(Buffer.from(b).toString("latin1"), "pw", "f"), (b) => loadPublicKey(Buffer.from(b).toString("latin1"), "f"),
  ];
  // JSON-ish and PEM-ish shapes reach deeper than random bytes.
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.json().map((s) => Buffer.from(s)),
    fc.record({ payload: fc.oneof(fc.string(), fc.integer()), payloadType: fc.string(), signatures: fc.array(fc.record({ sig: fc.string() })) })
      .map((o) => Buffer.from(JSON.stringify(o))),
    fc.tuple(fc.constantFrom("PUBLIC KEY", "PRIVATE KEY", "EC PRIVATE KEY", "CERTIFICATE", "ENCRYPTED SIGSTORE PRIVATE KEY"), fc.uint8Array({ maxLength: 120 }))
      .map(([label, der]) => Buffer.from(encodePem(label, der))),
  );
  fc.assert(fc.property(input, (bytes) => {
    for (const parse of parsers) {
      try {
        parse(bytes);
      } catch (e) {
        assert.ok(e instanceof Error && e.name === "DrydockError", `${String(e)}`);
      }
    }
  }), { numRuns: 300 });
});
