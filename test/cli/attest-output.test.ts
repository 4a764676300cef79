// `drydock sbom --attest` and `drydock scan --attest`: the SBOM / the scan report attached to an image as signed
// attestations (CycloneDX and cosign's vuln predicate), read back by `drydock verify-attestation`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles } from "../image/fixtures.ts";
import { buildScanDb } from "../scan/fixtures.ts";

const ENV = { COSIGN_PASSWORD: "test-password", DRYDOCK_DB: "/nonexistent/drydock.db" };
const STATUS = "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n" +
  "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\n";
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';

describe("sbom --attest", () => {
  const work = tempDir();
  const layout = join(work.dir, "layout");
  before(async () => {
    const image = buildImage({
      layers: [{ tar: await tarOf([{ name: "var/lib/dpkg/status", content: STATUS }, { name: "etc/os-release", content: OS_RELEASE }]), compression: "gzip" }],
    });
    writeFiles(layout, ociLayoutFiles([{ image, tag: "1" }]));
    const keys = await runCli(["key", "generate"], { cwd: work.dir, env: ENV });
    assert.equal(keys.code, 0, keys.stderr);
  });
  after(() => work.cleanup());

  test("the CycloneDX SBOM becomes a verifiable cyclonedx attestation; the SBOM is still printed", async () => {
    const sbom = await runCli(["sbom", `oci:${layout}:1`, "-f", "cyclonedx", "--attest", "--key", "cosign.key"], { cwd: work.dir, env: ENV });
    assert.equal(sbom.code, 0, sbom.stderr);
    assert.match(sbom.stderr, /attested .* with https:\/\/cyclonedx\.org\/bom/);
    assert.equal(JSON.parse(sbom.stdout).bomFormat, "CycloneDX");
    const verified = await runCli(["verify-attestation", `oci:${layout}:1`, "--key", "cosign.pub", "--type", "cyclonedx", "--print-predicate"], { cwd: work.dir, env: ENV });
    assert.equal(verified.code, 0, verified.stderr);
    const predicate = JSON.parse(verified.stdout.trim().split("\n")[0] ?? "") as { components: { name: string; version: string; purl?: string }[] };
    assert.deepEqual(predicate.components.filter((c) => c.purl?.startsWith("pkg:deb/") === true).map((c) => [c.name, c.version]),
      [["libssl3", "3.0.11-1~deb12u1"], ["zlib1g", "1:1.2.13.dfsg-1"]]);
  });

  test("scan --attest attaches cosign's vuln predicate with the report; the scan verdict still decides the exit code", async () => {
    const db = await buildScanDb(work.dir);
    const scan = await runCli(["scan", `oci:${layout}:1`, "--db", db, "-f", "json", "--attest", "--key", "cosign.key"], { cwd: work.dir, env: ENV });
    assert.equal(scan.code, 1, scan.stderr);
    assert.match(scan.stderr, /attested .* with https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1; stored as referrer sha256:/);
    const verified = await runCli(["verify-attestation", `oci:${layout}:1`, "--key", "cosign.pub", "--type", "vuln", "--print-predicate"], { cwd: work.dir, env: ENV });
    assert.equal(verified.code, 0, verified.stderr);
    const predicate = JSON.parse(verified.stdout.trim()) as { scanner: { uri: string; result: { vulnerabilities: { id: string; package: { name: string } }[] } }; metadata: { scanStartedOn: string } };
    assert.equal(predicate.scanner.uri, "pkg:npm/drydock");
    assert.deepEqual(predicate.scanner.result.vulnerabilities.map((v) => [v.id, v.package.name]), [["CVE-2023-5363", "libssl3"], ["CVE-2024-0727", "libssl3"]]);
    assert.match(predicate.metadata.scanStartedOn, /^\d{4}-\d\d-\d\dT/);
  });

  test("without --key, or on a directory, --attest is a usage error (exit 2) and nothing is attached", async () => {
    const noKey = await runCli(["sbom", `oci:${layout}:1`, "--attest"], { cwd: work.dir, env: ENV });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /--attest needs --key/);
    const dir = await runCli(["sbom", work.dir, "--attest", "--key", "cosign.key"], { cwd: work.dir, env: ENV });
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /--attest needs an image/);
  });
});
