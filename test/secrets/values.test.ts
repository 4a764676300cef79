import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAwsSecretKeyName, isSecretName, nameWords, secretNoun } from "../../src/secrets/names.ts";
import { characterClasses, isPlaceholder, looksLikeSecretValue, shannonEntropy } from "../../src/secrets/values.ts";

describe("values", () => {
  test("shannonEntropy: bits per character", () => {
    assert.equal(shannonEntropy(""), 0);
    assert.equal(shannonEntropy("aaaa"), 0);
    assert.equal(shannonEntropy("abab"), 1);
    assert.equal(shannonEntropy("abcd"), 2);
    assert.ok(Math.abs(shannonEntropy("aab") - 0.9183) < 1e-4);
  });

  test("characterClasses", () => {
    assert.equal(characterClasses("abc"), 1);
    assert.equal(characterClasses("aB3-"), 4);
  });

  test("isPlaceholder: stand-ins, variables and templates", () => {
    for (const v of [
      "", "  ", "changeme", "CHANGE_ME", "Password123", "secret", "${TOKEN}", "$TOKEN", "$(cat /run/secrets/x)", "{{ token }}",
      "<token>", "your-token-here", "xxxxxxxx", "********", "00000000", "AKIAIOSFODNN7EXAMPLE", "replace-me-with-a-key", "%s",
      "@TOKEN@", "__TOKEN__", "my-fake-token", "REDACTED", "dummy123",
    ]) {
      assert.equal(isPlaceholder(v), true, v);
    }
    for (const v of ["Xk9pQ2vL7qRtW4", "hunter22x", "Tr0ub4dor&3x", "f3a9c27e5b1d48e0"]) assert.equal(isPlaceholder(v), false, v);
  });

  test("looksLikeSecretValue: long enough, random-looking, no path, URL or identifier", () => {
    for (const v of ["Xk9pQ2vL7qRtW4", "S3cr3t-P4ss", "f3a9c27e5b1d48e0a6c2", "KDJFHGYTRUEIWOSLQPZ7"]) assert.equal(looksLikeSecretValue(v), true, v);
    for (const v of [
      "short1A", "changeme1", "/run/secrets/db", "./secret.txt", "https://vault.example.com", "my-db-password", "DB_PASSWORD",
      "two words", "aaaaaaaaaaaa1", "kdjfhgytrueiwoslqpzm", "12345678901234567890", "prod.db.password",
    ]) {
      assert.equal(looksLikeSecretValue(v), false, v);
    }
    assert.equal(looksLikeSecretValue("x7Kp2qA", { minLength: 6 }), true);
  });
});

describe("names", () => {
  test("nameWords splits separators and camel case", () => {
    assert.deepEqual(nameWords("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
    assert.deepEqual(nameWords("_authToken"), ["auth", "token"]);
    assert.deepEqual(nameWords("X-Api-Key"), ["x", "api", "key"]);
    assert.deepEqual(nameWords("APIKey"), ["api", "key"]);
    assert.deepEqual(nameWords("spring.datasource.password"), ["spring", "datasource", "password"]);
  });

  test("isSecretName: the secret word ends the name", () => {
    for (const n of [
      "DB_PASSWORD", "password", "GITHUB_TOKEN", "NODE_AUTH_TOKEN", "_authToken", "_auth", "apiKey", "X-Api-Key", "api-key",
      "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY", "SECRET_KEY_BASE", "MYSQL_ROOT_PASS", "private_key", "GITLAB_PAT", "credentials",
    ]) {
      assert.equal(isSecretName(n), true, n);
    }
    for (const n of [
      "GPG_KEY", "KEY", "SSH_KEY_PATH", "DB_PASSWORD_FILE", "TOKEN_URL", "PASSWORD_LENGTH", "NEXT_PUBLIC_API_KEY", "STRIPE_PUBLISHABLE_KEY",
      "AUTHOR", "TOKENIZER", "PATH", "USER", "BUILD_ID", "PASSWORD_MIN_LENGTH",
    ]) {
      assert.equal(isSecretName(n), false, n);
    }
  });

  test("isAwsSecretKeyName and secretNoun", () => {
    assert.equal(isAwsSecretKeyName("aws_secret_access_key"), true);
    assert.equal(isAwsSecretKeyName("SecretAccessKey"), true);
    assert.equal(isAwsSecretKeyName("AWS_ACCESS_KEY_ID"), false);
    assert.equal(secretNoun("DB_PASSWD"), "password");
    assert.equal(secretNoun("x-api-key"), "API key");
    assert.equal(secretNoun("SECRET_KEY_BASE"), "key");
    assert.equal(secretNoun("CLIENT_SECRET"), "secret");
    assert.equal(secretNoun("GITHUB_TOKEN"), "token");
    assert.equal(secretNoun("GOOGLE_CREDENTIALS"), "credential");
  });
});
