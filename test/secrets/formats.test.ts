import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { crc32 } from "node:zlib";
import {
  decodeBase62, encodeBase62, findFormattedSecrets, hasValidTokenChecksum, isChecksumFailingToken, isJwt,
} from "../../src/secrets/formats.ts";
import type { SecretMatch } from "../../src/secrets/match.ts";
import { awsAccessKeyId, base62, checksummedToken, FakeSource, jwt, withBrokenChecksum } from "./fakes.ts";

const fakes = new FakeSource("formats");

/** [kind, found text, evidence] for each match, to compare with expectations. */
function found(text: string): [string, string, string][] {
  return findFormattedSecrets(text).map((m: SecretMatch) => [m.kind, text.slice(m.start, m.end), m.evidence]);
}

describe("base 62 and the GitHub/npm checksum", () => {
  test("CRC32 is the standard one (check value of \"123456789\") and base 62 matches an independent encoder", () => {
    assert.equal(crc32("123456789"), 0xcbf43926);
    for (const n of [0, 1, 61, 62, 3843, 3844, 0xcbf43926, 0xffffffff]) {
      assert.equal(encodeBase62(n, 6), base62(n, 6), `${n}`);
      assert.equal(decodeBase62(encodeBase62(n, 6)), n);
    }
    assert.equal(encodeBase62(61, 6), "00000z");
    assert.equal(encodeBase62(62, 6), "000010");
    assert.equal(decodeBase62("00-000"), undefined);
  });

  test("constructed tokens of every checksummed prefix verify; a changed character fails", () => {
    for (const prefix of ["ghp", "gho", "ghu", "ghs", "ghr", "npm"]) {
      const token = checksummedToken(prefix, fakes);
      assert.equal(token.length, 40);
      assert.equal(hasValidTokenChecksum(token), true, token.slice(0, 4));
      assert.equal(hasValidTokenChecksum(withBrokenChecksum(token)), false);
      const flipped = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
      assert.equal(hasValidTokenChecksum(flipped), false, "a change in the random part breaks the checksum");
      assert.equal(isChecksumFailingToken(withBrokenChecksum(token)), true);
      assert.equal(isChecksumFailingToken(token), false);
    }
    assert.equal(hasValidTokenChecksum("ghx_" + "a".repeat(36)), false, "unknown prefix");
    assert.equal(isChecksumFailingToken("ghp_short"), false, "not the shape of a token at all");
  });
});

describe("tokens by format", () => {
  test("GitHub tokens: found when the checksum verifies, with the kind in the description", () => {
    const token = checksummedToken("ghp", fakes);
    const text = `GH_TOKEN=${token} x`;
    const [m] = findFormattedSecrets(text);
    assert.deepEqual([m?.kind, m?.description, m?.start, m?.end, m?.masked, m?.evidence],
      ["github-token", "GitHub personal access token", 9, 49, "ghp_****", "checksum"]);
    assert.deepEqual(found(`x ${checksummedToken("ghs", fakes)}`).map((f) => f[0]), ["github-token"]);
    assert.equal(findFormattedSecrets(`${checksummedToken("gho", fakes)}`)[0]?.description, "GitHub OAuth access token");
  });

  test("GitHub samples and look-alikes are not tokens", () => {
    const token = checksummedToken("ghp", fakes);
    assert.deepEqual(found("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), []);
    assert.deepEqual(found(withBrokenChecksum(token)), [], "checksum fails");
    assert.deepEqual(found(`x${token}`), [], "part of a longer word");
    assert.deepEqual(found(`${token}0`), [], "longer than a token");
  });

  test("GitHub fine-grained and new-style installation tokens", () => {
    const pat = `github_pat_${fakes.string(22)}_${fakes.string(59)}`;
    assert.deepEqual(found(`"${pat}"`), [["github-token", pat, "format"]]);
    assert.deepEqual(found(`github_pat_${"A".repeat(22)}_${"b".repeat(59)}`), [], "a placeholder body");
    const installation = `ghs_123456_${jwt(fakes, { alg: "RS256", typ: "JWT" })}`;
    assert.deepEqual(found(installation), [["github-token", installation, "structure"]], "the JWT inside is part of the token");
    assert.deepEqual(found(`ghs_123456_${jwt(fakes, { typ: "JWT" })}`).map((f) => f[0]), [], "no alg: neither a token nor a JWT");
  });

  test("npm tokens need their checksum too", () => {
    const token = checksummedToken("npm", fakes);
    assert.deepEqual(found(`//registry.npmjs.org/:_authToken=${token}`), [["npm-token", token, "checksum"]]);
    assert.deepEqual(found(`_authToken=${withBrokenChecksum(token)}`), []);
  });

  test("AWS access key ids: AKIA/ASIA and 16 base-32 characters; AWS's documented sample is not one", () => {
    const id = awsAccessKeyId(fakes);
    const temporary = awsAccessKeyId(fakes, "ASIA");
    assert.deepEqual(found(`aws_access_key_id = ${id}\n${temporary}`), [["aws-access-key-id", id, "format"], ["aws-access-key-id", temporary, "format"]]);
    assert.equal(findFormattedSecrets(temporary)[0]?.description, "AWS temporary access key ID");
    assert.deepEqual(found("AKIAIOSFODNN7EXAMPLE"), []);
    assert.deepEqual(found(`AKIA${"0".repeat(16)}`), [], "0, 1, 8 and 9 are not base 32");
    assert.deepEqual(found(`X${id}`), [], "inside a word");
  });

  test("GitLab, Slack, Stripe and Google keys", () => {
    const glpat = `glpat-${fakes.string(20, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-").replace(/[-_]$/, "x")}`;
    const slack = `xoxb-${fakes.string(12, "0123456789")}-${fakes.string(13, "0123456789")}-${fakes.string(24)}`;
    const stripe = `sk_live_${fakes.string(24)}`;
    const google = `AIza${fakes.string(35)}`;
    assert.deepEqual(found(`${glpat}. ${slack} ${stripe} ${google}`), [
      ["gitlab-token", glpat, "format"], ["slack-token", slack, "format"], ["stripe-key", stripe, "format"], ["google-api-key", google, "format"],
    ]);
    assert.deepEqual(found("glpat-xxxxxxxxxxxxxxxxxxxx glpat-12345678901234567890"), [], "placeholders");
    assert.deepEqual(found("xoxb-not-a-real-token-this-will-not-work"), [], "Slack's own sample");
    assert.deepEqual(found(`sk_test_${fakes.string(24)} pk_live_${fakes.string(24)}`), [], "test and publishable keys");
  });
});

describe("JWT", () => {
  test("three base64url parts whose header has an alg", () => {
    const token = jwt(fakes);
    assert.equal(isJwt(token), true);
    assert.deepEqual(found(`Authorization: Bearer ${token}`), [["jwt", token, "structure"]]);
    const unsigned = `${token.split(".").slice(0, 2).join(".")}.`;
    assert.equal(isJwt(unsigned), true, "alg none has an empty signature");
  });

  test("a header without alg, or parts that are not JSON, is not a JWT", () => {
    assert.equal(isJwt(jwt(fakes, { typ: "JWT" })), false);
    const noJson = `eyJ${Buffer.from("not json").toString("base64url")}.eyJhYmMi.sig`;
    assert.equal(isJwt(noJson), false);
    assert.deepEqual(found(noJson), []);
    assert.equal(isJwt("a.b"), false);
  });
});

describe("private keys", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });

  test("PEM blocks of real key encodings, from BEGIN to END", () => {
    const cases: [string, string][] = [
      [rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString(), "RSA private key"],
      [rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "private key"],
      [ec.privateKey.export({ type: "sec1", format: "pem" }).toString(), "EC private key"],
      [ec.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "x" }).toString(), "encrypted private key"],
      [rsa.privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "x" }).toString(), "RSA private key"],
    ];
    for (const [pem, description] of cases) {
      const text = `key:\n${pem}trailer`;
      const [m] = findFormattedSecrets(text);
      assert.equal(m?.kind, "private-key");
      assert.equal(m?.description, description);
      assert.equal(text.slice(m?.start, m?.end), pem.trimEnd(), description);
      assert.equal(m?.masked, "****");
    }
  });

  test("an OpenSSH key written by ssh-keygen", { skip: !hasTool("ssh-keygen") }, () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-secrets-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", join(dir, "id")]);
      const pem = readFileSync(join(dir, "id"), "utf8");
      assert.deepEqual(found(pem).map((f) => [f[0], f[1] === pem.trimEnd()]), [["private-key", true]]);
      assert.deepEqual(found(readFileSync(join(dir, "id.pub"), "utf8")), [], "the public key is no secret");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a key written with escaped newlines (ENV, JSON) and a truncated key are still keys", () => {
    const pem = ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString().trimEnd();
    const escaped = pem.replaceAll("\n", "\\n");
    assert.deepEqual(found(`{"private_key": "${escaped}"}`), [["private-key", escaped, "structure"]]);
    const truncated = pem.slice(0, pem.indexOf("-----END"));
    assert.deepEqual(found(truncated).map((f) => f[0]), ["private-key"]);
  });

  test("mentions, public keys, certificates and bodies that are no key are not reported", () => {
    const publicPem = rsa.publicKey.export({ type: "spki", format: "pem" }).toString();
    assert.deepEqual(found(publicPem), []);
    assert.deepEqual(found('grep -q "-----BEGIN PRIVATE KEY-----" key.pem'), []);
    assert.deepEqual(found(`-----BEGIN RSA PRIVATE KEY-----\n${"A".repeat(64)}\n-----END RSA PRIVATE KEY-----`), [], "decodes to zeros, not DER");
    assert.deepEqual(found(`-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from("x".repeat(60)).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----`), []);
  });
});

function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
