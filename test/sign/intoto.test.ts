import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyEnvelope, parseEnvelope } from "../../src/sign/dsse.ts";
import {
  COSIGN_SIGN_PREDICATE, customPredicate, parseStatement, predicateTypeFor, statement,
} from "../../src/sign/intoto.ts";
import { loadPublicKey } from "../../src/sign/keys.ts";
import { ATTEST_BLOB_SHA256, ATTEST_ENVELOPE_B64, ATTEST_PUBKEY } from "./vectors.ts";

test("a v0.1 statement matches the one cosign signed in its test vector (same document, same header bytes)", () => {
  // The payload cosign signed in verify_blob_attestation_test.go, recovered by verifying it.
  const signed = verifyEnvelope(loadPublicKey(ATTEST_PUBKEY, "p"), parseEnvelope(Buffer.from(ATTEST_ENVELOPE_B64, "base64"), "e"));
  assert.ok(signed !== undefined);
  const ours = statement("v0.1", [{ name: "blob", digest: { sha256: ATTEST_BLOB_SHA256 } }], predicateTypeFor("slsaprovenance"),
    { builder: { id: "2" }, buildType: "x", invocation: { configSource: {} } });
  // Same document; cosign's Go struct keeps SLSA field order where we sort keys, so compare parsed, then the header bytes.
  assert.deepEqual(JSON.parse(ours.toString()), JSON.parse(signed.toString()));
  const header = `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"blob","digest":{"sha256":"${ATTEST_BLOB_SHA256}"}}],"predicate":`;
  assert.ok(ours.toString().startsWith(header));
  assert.ok(signed.toString().startsWith(header));
});

test("a v1 statement as cosign v3 signs images: subject digest + annotations, empty predicate", () => {
  const out = statement("v1", [{ digest: { sha256: "ab".repeat(32) }, annotations: { env: "prod", a: "1" } }], COSIGN_SIGN_PREDICATE, {});
  assert.equal(out.toString(),
    `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"${"ab".repeat(32)}"},"annotations":{"a":"1","env":"prod"}}],` +
    `"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`);
  const parsed = parseStatement(out, "s");
  assert.equal(parsed.type, "https://in-toto.io/Statement/v1");
  assert.deepEqual(parsed.subjects, [{ digest: { sha256: "ab".repeat(32) }, annotations: { a: "1", env: "prod" } }]);
  assert.deepEqual(parsed.predicate, {});
});

test("cosign's --type names map to its predicate URIs; URIs pass through; other words are refused", () => {
  assert.equal(predicateTypeFor("custom"), "https://cosign.sigstore.dev/attestation/v1");
  assert.equal(predicateTypeFor("slsaprovenance1"), "https://slsa.dev/provenance/v1");
  assert.equal(predicateTypeFor("spdxjson"), "https://spdx.dev/Document");
  assert.equal(predicateTypeFor("cyclonedx"), "https://cyclonedx.org/bom");
  assert.equal(predicateTypeFor("vuln"), "https://cosign.sigstore.dev/attestation/vuln/v1");
  assert.equal(predicateTypeFor("openvex"), "https://openvex.dev/ns");
  assert.equal(predicateTypeFor("link"), "https://in-toto.io/Link/v1");
  assert.equal(predicateTypeFor("https://example.com/my/v1"), "https://example.com/my/v1");
  assert.throws(() => predicateTypeFor("notreallyslsaprovenance"), { name: "DrydockError", code: "USAGE" });
  assert.throws(() => predicateTypeFor(""), { code: "USAGE" });
});

test("the custom predicate is {Data, Timestamp} in that order", () => {
  const out = statement("v0.1", [{ name: "r", digest: { sha256: "00" } }], predicateTypeFor("custom"), customPredicate("hello\n", "2024-01-02T03:04:05Z"));
  assert.ok(out.toString().endsWith(`"predicate":{"Data":"hello\\n","Timestamp":"2024-01-02T03:04:05Z"}}`));
});

test("malformed statements are STATEMENT_INVALID", () => {
  for (const bad of ["{", "[]", `{"_type":"x","predicateType":"p","subject":[]}`, `{"_type":"https://in-toto.io/Statement/v1","subject":[]}`,
    `{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":{}}`,
    `{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"name":"n"}]}`,
    `{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"digest":{"sha256":5}}]}`]) {
    assert.throws(() => parseStatement(Buffer.from(bad), "s"), { name: "DrydockError", code: "STATEMENT_INVALID" }, bad);
  }
});
