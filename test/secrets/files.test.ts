import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { secretFile } from "../../src/secrets/files.ts";

const describeOf = (path: string): string | undefined => secretFile(path)?.description;

describe("secretFile", () => {
  test("private keys, credential files and dot-files that hold tokens", () => {
    const cases: [string, string][] = [
      ["id_rsa", "an SSH private key"],
      ["/root/.ssh/id_ed25519", "an SSH private key"],
      ["deploy/server.key", "a private key file"],
      ["privkey.pem", "a PEM file that may hold a private key"],
      ["*.pem", "a PEM file that may hold a private key"],
      ["client.p12", "a PKCS#12 key store"],
      ["cert.PFX", "a PKCS#12 key store"],
      [".env", "an environment file"],
      ["config/.env.production", "an environment file"],
      [".npmrc", "npm configuration with registry tokens"],
      [".pypirc", "PyPI configuration with upload credentials"],
      [".netrc", "a netrc file with login credentials"],
      [".git-credentials", "git's stored credentials"],
      ["credentials.json", "a credentials file"],
      ["client_secret_1234.apps.googleusercontent.com.json", "an OAuth client secret"],
      ["kubeconfig", "a kubeconfig with cluster credentials"],
      ["prod.kubeconfig", "a kubeconfig with cluster credentials"],
      [".kube/config", "a kubeconfig with cluster credentials"],
      [".aws/credentials", "AWS credentials"],
      ["home/.docker/config.json", "Docker registry credentials"],
      [".docker/key.pem", "a PEM file that may hold a private key"],
      [".config/gcloud/application_default_credentials.json", "gcloud credentials"],
      [".ssh/deploy", "an SSH key file"],
    ];
    for (const [path, description] of cases) assert.equal(describeOf(path), description, path);
  });

  test("a credentials directory itself is a directory match; extension-only matches say so", () => {
    assert.deepEqual(secretFile(".ssh"), { description: "an SSH directory with private keys", directory: true, byExtension: false });
    assert.deepEqual(secretFile("/root/.aws/"), { description: "AWS credentials", directory: true, byExtension: false });
    assert.equal(secretFile("server.key")?.byExtension, true);
    assert.equal(secretFile("id_ed25519")?.byExtension, false);
    assert.equal(secretFile("/home/me/.config/gcloud")?.directory, true);
    assert.equal(secretFile("src/gcloud"), undefined, "only under .config");
  });

  test("templates, certificates, public keys and harmless files are not secrets", () => {
    for (const path of [
      ".", "./", ".env.example", ".env.sample", ".env.template", "ca.pem", "fullchain.pem", "certs/server-cert.pem", "public.pem", "Release.key", "docker-archive-keyring.key",
      ".ssh/known_hosts", ".ssh/config", ".ssh/id_rsa.pub", "/root/.ssh/authorized_keys", ".docker/buildx/instances/x",
      ".kube/cache/discovery", "package.json", "config/", "environment.ts", "id_rsa_notes.md", "keys/", "app.keynote",
    ]) {
      assert.equal(secretFile(path), undefined, path);
    }
  });
});
