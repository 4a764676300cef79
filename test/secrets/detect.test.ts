import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { findSecrets, findSecretsInBytes, redactSecrets, secretInNamedValue } from "../../src/secrets/detect.ts";
import { awsAccessKeyId, awsSecretAccessKey, checksummedToken, FakeSource, jwt, withBrokenChecksum } from "./fakes.ts";

const fakes = new FakeSource("detect");

/** [kind, description, found text] for each match. */
function found(text: string): [string, string, string][] {
  return findSecrets(text).map((m) => [m.kind, m.description, text.slice(m.start, m.end)]);
}

describe("secrets by context", () => {
  test("assignments to secret names, in the forms config files and command lines use", () => {
    const pw = "Xk9pQ2vL7qRtW4";
    assert.deepEqual(found(`password=${pw}`), [["assigned-secret", "password", pw]]);
    assert.deepEqual(found(`  db_password: "${pw}"\n`), [["assigned-secret", "password", pw]]);
    assert.deepEqual(found(`{"apiKey": "${pw}Zz"}`), [["assigned-secret", "API key", `${pw}Zz`]]);
    assert.deepEqual(found(`mysql --password=${pw} -h db`), [["assigned-secret", "password", pw]]);
    assert.deepEqual(found(`//registry.npmjs.org/:_authToken=${pw}`), [["assigned-secret", "token", pw]]);
    assert.deepEqual(found(`SECRET_KEY_BASE := ${pw}`), [["assigned-secret", "key", pw]]);
    const m = findSecrets(`export DB_PASSWORD=${pw}`)[0];
    assert.equal(m?.name, "DB_PASSWORD");
    assert.equal(m?.evidence, "context");
  });

  test("AWS secret access keys by the name they are assigned to", () => {
    const key = awsSecretAccessKey(fakes);
    const id = awsAccessKeyId(fakes);
    const text = `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${key}\n`;
    assert.deepEqual(found(text), [["aws-access-key-id", "AWS access key ID", id], ["aws-secret-access-key", "AWS secret access key", key]]);
    assert.deepEqual(found("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), [], "AWS's documented sample");
  });

  test("URL user information, Authorization headers and .netrc lines", () => {
    const pw = "Q7wErTy9Uio2pZ";
    assert.deepEqual(found(`git clone https://deploy:${pw}@git.example.com/x.git`), [["url-credentials", "password in a URL", pw]]);
    const user = "f3a9c27e5b1d48e0a6c2";
    assert.deepEqual(found(`https://${user}@github.com/org/repo`), [["url-credentials", "token in a URL", user]]);
    const bearer = `${fakes.string(32)}`;
    assert.deepEqual(found(`-H "Authorization: Bearer ${bearer}"`), [["authorization-header", "bearer token in an Authorization header", bearer]]);
    const basic = Buffer.from(`ci:${pw}`).toString("base64");
    assert.deepEqual(found(`Authorization: Basic ${basic}`), [["authorization-header", "HTTP Basic credentials", basic]]);
    assert.deepEqual(found(`machine github.com\n  login bot\n  password ${pw}\n`), [["assigned-secret", "password", pw]]);
  });

  test("placeholders, variables and weak stand-ins are not secrets", () => {
    for (const text of [
      "password=changeme", "password=${DB_PASSWORD}", "password=$(cat /run/secrets/db)", 'password: "<your-password>"',
      "token=xxx", "password=", "api_key=your_api_key_here", "PASSWORD=password123", "secret: {{ .Values.secret }}",
      "password=%s", "POSTGRES_PASSWORD=mysecretpassword", "token=my-deploy-token", "password=/run/secrets/db_password",
      "https://user:pass@proxy:3128", "https://oauth2:${CI_JOB_TOKEN}@gitlab.com/x.git", "Authorization: Bearer $TOKEN",
      `Authorization: Basic ${Buffer.from("user:changeme").toString("base64")}`, "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
      "SSH_KEY_PATH=id_ed25519_deploy_key", "password_length=24", "the password is hunter22",
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  test("a token inside a secret assignment or a URL is reported once, as the token", () => {
    const token = checksummedToken("ghp", fakes);
    assert.deepEqual(found(`GITHUB_TOKEN=${token}`), [["github-token", "GitHub personal access token", token]]);
    assert.deepEqual(found(`https://x-access-token:${token}@github.com/o/r`).map((f) => f[0]), ["github-token"]);
    const bearer = jwt(fakes);
    assert.deepEqual(found(`Authorization: Bearer ${bearer}`).map((f) => f[0]), ["jwt"]);
  });

  test("a token-shaped value whose checksum fails is a sample, even under a secret name", () => {
    const sample = withBrokenChecksum(checksummedToken("ghp", fakes));
    assert.deepEqual(found(`GITHUB_TOKEN=${sample}`), []);
    assert.deepEqual(secretInNamedValue("GITHUB_TOKEN", sample), []);
  });
});

describe("secretInNamedValue", () => {
  test("the name makes a random-looking value a secret; offsets skip one layer of quotes", () => {
    const value = fakes.string(24);
    const [m] = secretInNamedValue("NODE_AUTH_TOKEN", `"${value}"`);
    assert.deepEqual([m?.kind, m?.description, m?.start, m?.end, m?.name], ["assigned-secret", "token", 1, 25, "NODE_AUTH_TOKEN"]);
    assert.deepEqual(secretInNamedValue("BUILD_ID", value), [], "not a secret name");
    assert.deepEqual(secretInNamedValue("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"), [], "a public key fingerprint");
    assert.deepEqual(secretInNamedValue("DB_PASSWORD", "changeme"), []);
    assert.deepEqual(secretInNamedValue("DB_PASSWORD_FILE", "/run/secrets/db"), []);
  });

  test("content is found whatever the name", () => {
    const key = awsSecretAccessKey(fakes);
    assert.deepEqual(secretInNamedValue("AWS_SECRET_ACCESS_KEY", key).map((m) => [m.kind, m.start, m.end]), [["aws-secret-access-key", 0, 40]]);
    const token = checksummedToken("npm", fakes);
    assert.deepEqual(secretInNamedValue("SOMETHING", `a ${token}`).map((m) => [m.kind, m.start]), [["npm-token", 2]]);
    assert.deepEqual(secretInNamedValue("REPO", "https://ci:Q7wErTy9Uio2pZ@git.example.com/x").map((m) => m.kind), ["url-credentials"]);
  });
});

describe("bytes", () => {
  test("offsets are byte offsets, whatever the encoding of the text around", () => {
    const token = checksummedToken("ghp", fakes);
    const bytes = Buffer.concat([Buffer.from("é€ token: ", "utf8"), Buffer.from([0x00, 0xff]), Buffer.from(token)]);
    const [m] = findSecretsInBytes(bytes);
    assert.equal(m?.start, Buffer.byteLength("é€ token: ") + 2);
    assert.equal(Buffer.from(bytes.subarray(m?.start, m?.end)).toString(), token);
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 3, bytes.byteLength - 3);
    assert.equal(findSecretsInBytes(view)[0]?.start, (m?.start ?? 0) - 3, "a view into a larger buffer");
  });
});

describe("redactSecrets and masks", () => {
  test("messages built with redactSecrets carry no secret", () => {
    const token = checksummedToken("ghp", fakes);
    assert.equal(redactSecrets(`clone https://x:${token}@github.com/o/r`), "clone https://x:****@github.com/o/r");
    assert.equal(redactSecrets(`token ${token} here`), "token ghp_**** here");
    assert.equal(redactSecrets("https://user:pass@host/x"), "https://user:****@host/x", "a URL password even when weak");
    assert.equal(redactSecrets("ssh://git@github.com/o/r"), "ssh://git@github.com/o/r", "a plain user name is no secret");
    assert.equal(redactSecrets(`https://${token}@github.com/o/r`), "https://ghp_****@github.com/o/r", "a token as the user name");
    assert.equal(redactSecrets("nothing to hide"), "nothing to hide");
  });

  test("property: every constructed token is found exactly, and its mask keeps only the prefix", () => {
    fc.assert(fc.property(fc.constantFrom("ghp", "gho", "ghu", "ghs", "ghr", "npm"), fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 1000 }), (prefix, before, n) => {
      const token = checksummedToken(prefix, new FakeSource(`p${n}`));
      const text = `${before} ${token} `;
      const matches = findSecrets(text).filter((m) => text.slice(m.start, m.end) === token);
      assert.equal(matches.length, 1);
      assert.equal(matches[0]?.masked, `${prefix}_****`);
    }), { numRuns: 200 });
  });

  test("hostile input costs linear time", () => {
    for (const text of ["a.".repeat(40000), "-".repeat(80000), "a".repeat(80000), "https://".repeat(10000), "x=".repeat(40000), "eyJ.".repeat(20000),
      "-----BEGIN PRIVATE KEY-----\n".repeat(3000), "xoxb-1-".repeat(10000), "machine a password ".repeat(4000)]) {
      const started = performance.now();
      findSecrets(text);
      assert.ok(performance.now() - started < 500, `${text.slice(0, 8)}... took ${performance.now() - started} ms`);
    }
  });

  test("property: any text gives sorted, disjoint matches inside it, without throwing", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      const matches = findSecrets(text);
      let last = 0;
      for (const m of matches) {
        assert.ok(m.start >= last && m.end > m.start && m.end <= text.length);
        last = m.end;
      }
    }), { numRuns: 500 });
  });
});
