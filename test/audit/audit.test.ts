// `drydock audit` end to end, through the library API: images assembled from this machine's own files (its
// /etc/passwd and /etc/group, real setuid binaries, a real shell) plus an application layer with leftovers and
// a key deleted in a later layer, in the formats docker and skopeo write; the policy flags; input errors.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { auditImage } from "../../src/audit.ts";
import { emptyConfig, parseConfig } from "../../src/core/config.ts";
import { json } from "../../src/report/json.ts";
import { sarifLog } from "../../src/report/sarif.ts";
import { archiveOf, buildImage, dockerArchiveFiles, ociLayoutFiles, tarOf, tempDir, writeFiles, type FileSpec, type ImageSpec } from "../image/fixtures.ts";
import { checksummedToken, FakeSource } from "../secrets/fakes.ts";
import { ed25519Raw, openSshEd25519 } from "../secrets/labeled/keys.ts";

const fakes = new FakeSource("audit-e2e");
const GHP = checksummedToken("ghp", fakes);

/** A file of this machine, with its mode, as an image entry. */
function hostFile(path: string, name = path.replace(/^\//, "")): FileSpec[] {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  return [{ name, content: readFileSync(path), mode: st.mode & 0o7777 }];
}

function machineImage(): ImageSpec {
  return {
    layers: [], // filled by layers()
    config: { Env: ["PATH=/usr/bin:/bin", `GITHUB_TOKEN=${GHP}`], Cmd: ["/bin/sh"], ExposedPorts: { "8080/tcp": {} } },
    history: [
      { created_by: "/bin/sh -c #(nop) ADD file:4f2c in / " },
      { created_by: "/bin/sh -c apt-get update" },
      { created_by: "COPY . /app # buildkit" },
      { created_by: "RUN /bin/sh -c rm /app/deploy_key # buildkit" },
    ],
  };
}

async function layers(): Promise<ImageSpec["layers"]> {
  const shadow = `root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nbackup::19700:0:99999:7:::\n`;
  const base = await tarOf([
    ...hostFile("/etc/passwd"), ...hostFile("/etc/group"), { name: "etc/shadow", content: shadow, mode: 0o640 },
    ...hostFile("/etc/os-release"), ...hostFile("/usr/lib/os-release"),
    ...hostFile("/usr/bin/su"), ...hostFile("/usr/bin/passwd"), ...hostFile("/bin/dash", "bin/sh"),
    { name: "tmp/", type: "directory", mode: 0o1777 },
  ]);
  const key = openSshEd25519(ed25519Raw(), "deploy@ci");
  const app = await tarOf([
    { name: "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", content: Buffer.alloc(4096, 0x41) },
    { name: "app/deploy_key", content: key, mode: 0o600 },
    { name: "app/.git/HEAD", content: "ref: refs/heads/main\n" },
    { name: "app/server.js", content: "require('http').createServer().listen(8080);\n" },
  ]);
  const cleanup = await tarOf([{ name: "app/.wh.deploy_key", content: "" }]);
  return [{ tar: base, compression: "gzip" }, { tar: app, compression: "zstd" }, { tar: cleanup, compression: "none" }];
}

describe("drydock audit, end to end", () => {
  const setup = (async () => {
    const t = tempDir();
    const spec = { ...machineImage(), layers: await layers() };
    const image = buildImage(spec);
    writeFiles(join(t.dir, "oci"), ociLayoutFiles([{ image, tag: "1.0" }]));
    writeFileSync(join(t.dir, "classic.tar"), await archiveOf(dockerArchiveFiles([{ image, repoTags: ["shop/app:latest"] }], "classic")));
    writeFileSync(join(t.dir, "docker25.tar"), await archiveOf(dockerArchiveFiles([{ image, repoTags: ["shop/app:1.0"] }], "docker25")));
    return t;
  })();

  test("finds what the image holds, with dockle and CIS aliases, the same in every format", async () => {
    const t = await setup;
    const outcomes = await Promise.all(["oci:oci", "classic.tar", "docker-archive:docker25.tar"].map((ref) => auditImage({ ref, cwd: t.dir })));
    const [oci] = outcomes;
    assert.ok(oci !== undefined);
    assert.deepEqual(oci.report.errors, []);
    assert.equal(oci.exitCode, 1);
    const lines = oci.report.findings.map((f) => `${f.ruleId} ${f.message}`);
    const expected = [
      "DI001 no USER is set, so the container runs as root",
      "DI002 no HEALTHCHECK is defined",
      "DI003 history step 1 updates the apt index without installing in the same step (RUN apt-get update)",
      "DI006 GitHub personal access token (ghp_****) in ENV GITHUB_TOKEN",
      "DI009 apt package lists left in /var/lib/apt/lists (1 file, 4.0 KiB, from layer 1)",
      "DI012 git directory /app/.git is in the image (1 file)",
      "DI017 backup has an empty password in /etc/shadow (line 3)",
      "DI006 OpenSSH private key at line 1 in /app/deploy_key: deleted in layer 2, still extractable from layer 1",
    ];
    for (const e of expected) assert.ok(lines.includes(e), `missing: ${e}\n${lines.join("\n")}`);
    if (existsSync("/usr/bin/su") && (statSync("/usr/bin/su").mode & 0o4000) !== 0) {
      assert.ok(lines.some((l) => l.startsWith("DI004 /usr/bin/su is setuid (uid 0")), "the machine's su is setuid");
    }
    const di001 = oci.report.findings.find((f) => f.ruleId === "DI001");
    assert.deepEqual(di001?.aliases, ["dockle:CIS-DI-0001", "cis:4.1"]);
    // The classic docker-archive names the image shop/app:latest: DKL-DI-0006.
    // Layer digests differ between the formats (docker save stores layers uncompressed), and findings sort by them.
    const classic = outcomes[1]?.report.findings.map((f) => `${f.ruleId} ${f.message}`) ?? [];
    assert.deepEqual(classic.filter((l) => !l.startsWith("DI016")).sort(), [...lines].sort());
    assert.ok(classic.includes("DI016 the image is tagged latest (shop/app:latest)"));
    assert.deepEqual(outcomes[2]?.report.findings.map((f) => `${f.ruleId} ${f.message}`).sort(), [...lines].sort());
  });

  test("the config's ignores (by alias), severities, allow-lists and threshold apply as in lint", async () => {
    const t = await setup;
    const config = parseConfig([
      "ignore: [dockle:CIS-DI-0006, dockle:CIS-DI-0007, DI012]",
      "severity: {DI009: off, 'cis:4.1': error}",
      "failureThreshold: error",
      "audit:",
      "  setuidAllow: [/usr/bin/*]",
      "  secretPathAllow: [/app]",
    ].join("\n"), "drydock.yaml");
    const outcome = await auditImage({ ref: "oci:oci", cwd: t.dir, config });
    const ids = outcome.report.findings.map((f) => `${f.ruleId}:${f.severity}`);
    assert.ok(!ids.some((i) => /^DI00[239]|^DI004|^DI012/.test(i)), ids.join(" "));
    assert.ok(ids.includes("DI001:error"));
    assert.equal(outcome.report.findings.filter((f) => f.ruleId === "DI006").length, 1, "only the ENV token: /app is allowed");
    assert.equal(outcome.exitCode, 1);
    const quiet = await auditImage({ ref: "oci:oci", cwd: t.dir, config: { ...emptyConfig(), failureThreshold: "error" }, cli: { ignore: ["DI001", "DI006", "DI017"], severityOverride: {} } });
    assert.equal(quiet.exitCode, 0);
    const noFail = await auditImage({ ref: "oci:oci", cwd: t.dir, cli: { ignore: [], severityOverride: {}, noFail: true } });
    assert.equal(noFail.exitCode, 0);
  });

  test("JSON names image, layer digest and path; SARIF uses the image as artifact and the path as logical location", async () => {
    const t = await setup;
    const outcome = await auditImage({ ref: "oci:oci", cwd: t.dir });
    const parsed = JSON.parse(json.render(outcome.report, { color: false })) as { findings: Record<string, unknown>[] };
    const key = parsed.findings.find((f) => f["path"] === "/app/deploy_key");
    assert.equal(key?.["file"], "oci:oci");
    assert.equal(key?.["layer"], 1);
    assert.match(String(key?.["digest"]), /^sha256:[0-9a-f]{64}$/);
    const log = sarifLog(outcome.report, t.dir);
    const result = log.runs[0].results.find((r) => r.message.text.includes("/app/deploy_key"));
    assert.equal(result?.locations[0]?.logicalLocations?.[0]?.name, "/app/deploy_key");
    assert.equal(result?.locations[0]?.physicalLocation.artifactLocation.uri, "oci%3Aoci");
    assert.ok(log.runs[0].tool.driver.rules.some((r) => r.id === "DI006" && r.properties?.tags.includes("dockle:CIS-DI-0010")));
    assert.ok(!JSON.stringify(log).includes(GHP.slice(4)), "no secret in the SARIF log");
  });

  test("a root file system directory: file checks run, configuration checks have nothing to read", async () => {
    const t = await setup;
    const root = join(t.dir, "rootfs");
    writeFiles(root, new Map([["etc/passwd", Buffer.from("root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n")], ["root/.npmrc", Buffer.from(`//registry.npmjs.org/:_authToken=${checksummedToken("npm", fakes)}\n`)]]));
    const outcome = await auditImage({ ref: `dir:${root}` });
    assert.deepEqual(outcome.report.findings.map((f) => `${f.ruleId} ${f.message}`), [
      "DI018 duplicate uid 0 (root and toor) in /etc/passwd, lines 1 and 2",
      "DI006 npm access token (npm_****) at line 1 in /root/.npmrc",
    ]);
  });

  test("an image that cannot be read is an input error and exit code 2, never a pass", async () => {
    const t = await setup;
    const missing = await auditImage({ ref: "oci:does-not-exist", cwd: t.dir });
    assert.equal(missing.exitCode, 2);
    assert.deepEqual(missing.report.errors.map((e) => e.code), ["IMAGE_NOT_FOUND"]);
    const spec = { ...machineImage(), layers: [{ tar: await tarOf([{ name: "a", content: "x" }]), tamper: (b: Buffer) => Buffer.concat([b.subarray(0, -8), Buffer.alloc(8)]) }] };
    const bad = join(t.dir, "tampered");
    writeFiles(bad, ociLayoutFiles([{ image: buildImage({ ...spec, history: [] }) }]));
    const tampered = await auditImage({ ref: `oci:${bad}` });
    assert.equal(tampered.exitCode, 2);
    assert.equal(tampered.report.findings.length, 0);
    assert.match(tampered.report.errors[0]?.code ?? "", /LAYER_(DIGEST_MISMATCH|CORRUPT)/);
  });

  test("cleanup", async () => (await setup).cleanup());
});
