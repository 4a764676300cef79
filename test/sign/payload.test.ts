import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSimpleSigning, simpleSigningPayload } from "../../src/sign/payload.ts";

// sigstore/sigstore pkg/signature/payload/payload_test.go: TestMarshalCosign golden strings.
const DIGEST = "sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f";
const GOLDEN_NO_CLAIMS = `{"critical":{"identity":{"docker-reference":"example.com/test/image"},"image":{"docker-manifest-digest":"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f"},"type":"cosign container image signature"},"optional":null}`;
const GOLDEN_ATOMIC = `{"critical":{"identity":{"docker-reference":"example.com/atomic/test/image"},"image":{"docker-manifest-digest":"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f"},"type":"cosign container image signature"},"optional":{"creator":"atomic","timestamp":1458239713}}`;
const GOLDEN_ARBITRARY = `{"critical":{"identity":{"docker-reference":"example.com/cosign/test/image"},"image":{"docker-manifest-digest":"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f"},"type":"cosign container image signature"},"optional":{"CamelCase WithSpace":8.314,"creator":"anyone","some_struct":{"false":true,"foo":"bar","nothing":null}}}`;
// Same file, TestUnmarshalCosign "unknown type": must be rejected.
const UNKNOWN_TYPE = `{"critical":{"identity":{"docker-reference":"example.com/atomic/test/image"},"image":{"docker-manifest-digest":"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f"},"type":"atomic container signature"},"optional":{}}`;

test("payloads are byte-identical to sigstore's golden strings", () => {
  assert.equal(simpleSigningPayload("example.com/test/image", DIGEST).toString(), GOLDEN_NO_CLAIMS);
  assert.equal(simpleSigningPayload("example.com/test/image", DIGEST, {}).toString(), GOLDEN_NO_CLAIMS);
  // Keys given out of order: Go sorts map keys.
  assert.equal(simpleSigningPayload("example.com/atomic/test/image", DIGEST, { timestamp: 1458239713, creator: "atomic" }).toString(), GOLDEN_ATOMIC);
  assert.equal(simpleSigningPayload("example.com/cosign/test/image", DIGEST, {
    some_struct: { nothing: null, foo: "bar", false: true },
    creator: "anyone",
    "CamelCase WithSpace": 8.314,
  }).toString(), GOLDEN_ARBITRARY);
});

test("strings are escaped as Go's encoding/json escapes them", () => {
  const out = simpleSigningPayload("r", DIGEST, { k: "<a&b> \u2028 \"q\" \\ \n \u0001 é" }).toString();
  assert.ok(out.endsWith(`"optional":{"k":"\\u003ca\\u0026b\\u003e \\u2028 \\"q\\" \\\\ \\n \\u0001 é"}}`), out);
  assert.deepEqual(JSON.parse(out).optional, { k: "<a&b> \u2028 \"q\" \\ \n \u0001 é" });
});

test("parse reads the golden payloads back", () => {
  assert.deepEqual(parseSimpleSigning(Buffer.from(GOLDEN_NO_CLAIMS), "p"), {
    dockerReference: "example.com/test/image", manifestDigest: DIGEST, type: "cosign container image signature", optional: null,
  });
  const arbitrary = parseSimpleSigning(Buffer.from(GOLDEN_ARBITRARY), "p");
  assert.deepEqual(arbitrary.optional, { "CamelCase WithSpace": 8.314, creator: "anyone", some_struct: { false: true, foo: "bar", nothing: null } });
});

test("parse rejects other signature types and malformed payloads with PAYLOAD_INVALID", () => {
  for (const bad of [
    UNKNOWN_TYPE, "", "{", "[]", "null", `{"critical":{}}`,
    GOLDEN_NO_CLAIMS.replace(`"docker-reference":"example.com/test/image"`, `"docker-reference":1`),
    GOLDEN_NO_CLAIMS.replace(`"docker-manifest-digest"`, `"digest"`),
    GOLDEN_NO_CLAIMS.replace(`"optional":null`, `"optional":"x"`),
  ]) {
    assert.throws(() => parseSimpleSigning(Buffer.from(bad), "sig layer"), { name: "DrydockError", code: "PAYLOAD_INVALID" }, bad);
  }
  assert.throws(() => parseSimpleSigning(Buffer.from([0xff, 0xfe, 0x7b]), "p"), { code: "PAYLOAD_INVALID" });
});
