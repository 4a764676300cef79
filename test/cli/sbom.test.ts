// `drydock sbom` as a command, registered on a commander program as main.ts does, with real catalogers (dpkg and
// npm) over a root file system written by the test; SBOM files as targets are converted.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { Command } from "commander";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import type { Io } from "../../src/cli/main.ts";
import { registerSbom } from "../../src/cli/sbom.ts";
import { isDrydockError } from "../../src/core/errors.ts";
import { dpkgCataloger } from "../../src/sbom/catalogers/dpkg.ts";
import { npmPackageCataloger } from "../../src/sbom/catalogers/npm.ts";
import type { Catalog } from "../../src/sbom/model.ts";

const CATALOGERS = [dpkgCataloger, npmPackageCataloger];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sbom ARGS` in-process; a DrydockError becomes exit 2 with main()'s message, as the real CLI does. */
async function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, env, cwd };
  const program = new Command("drydock").exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerSbom(program, io, CATALOGERS);
  try {
    await program.parseAsync(["sbom", ...args], { from: "user" });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (!isDrydockError(e)) throw e;
    return { code: 2, stdout, stderr: `${stderr}drydock: ${e.message} [${e.code}]\n` };
  }
}

const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library

Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5
Description: Debian base system miscellaneous files
`;

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

describe("drydock sbom (command)", () => {
  const dir = mkdtempSync(join(tmpdir(), "drydock-sbom-cli-"));
  writeTree(join(dir, "rootfs"), {
    "etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
    "var/lib/dpkg/status": STATUS,
    "usr/lib/node_modules/left-pad/package.json": JSON.stringify({ name: "left-pad", version: "1.3.0", license: "WTFPL" }),
  });
  const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

  test("default table: TYPE NAME VERSION LOCATION, sorted, with the distribution and count", async () => {
    const r = await run(["dir:rootfs"], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, [
      "TYPE  NAME        VERSION         LOCATION",
      "deb   base-files  12.4+deb12u5    /var/lib/dpkg/status",
      "deb   libc6       2.36-9+deb12u4  /var/lib/dpkg/status",
      "npm   left-pad    1.3.0           /usr/lib/node_modules/left-pad/package.json",
      "",
      "dir:rootfs: Debian GNU/Linux 12 (bookworm), 3 packages",
      "",
    ].join("\n"));
  });

  test("--format cyclonedx: schema-valid, OS packages with release and distro qualifier", async () => {
    const r = await run(["--format", "cyclonedx", "dir:rootfs"], dir, EPOCH);
    assert.equal(r.code, 0);
    assert.equal(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(r.stdout), null);
    const bom = JSON.parse(r.stdout) as { metadata: { timestamp: string }; components: { type: string; name: string; purl?: string }[] };
    assert.equal(bom.metadata.timestamp, "2023-11-14T22:13:20.000Z");
    assert.deepEqual(bom.components.map((c) => [c.type, c.name]).sort(),
      [["library", "base-files"], ["library", "left-pad"], ["library", "libc6"], ["operating-system", "debian"]]);
    const libc = bom.components.find((c) => c.name === "libc6");
    assert.match(libc?.purl ?? "", /^pkg:deb\/debian\/libc6@2\.36-9%2Bdeb12u4\?.*distro=debian-12/);
    assert.equal((await run(["-f", "cyclonedx-json", "dir:rootfs"], dir, EPOCH)).stdout, r.stdout, "cyclonedx-json is the same format");
  });

  test("-o writes the file (and nothing to stdout); --catalogers restricts; spdx and json formats", async () => {
    const r = await run(["--format", "spdx", "-o", "out.spdx.json", "--catalogers", "npm-package", "dir:rootfs"], dir, EPOCH);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    const doc = JSON.parse(readFileSync(join(dir, "out.spdx.json"), "utf8")) as { spdxVersion: string; packages: { name: string }[] };
    assert.equal(doc.spdxVersion, "SPDX-2.3");
    assert.deepEqual(doc.packages.map((p) => p.name).slice(1), ["debian", "left-pad"]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temporary file left behind");

    const json = await run(["--format", "json", "--catalogers", "dpkg", "dir:rootfs"], dir);
    const catalog = JSON.parse(json.stdout) as Catalog;
    assert.equal(catalog.kind, "rootfs");
    assert.deepEqual(catalog.distro, { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" });
    assert.deepEqual(catalog.packages.map((p) => [p.name, p.version, p.ecosystem, p.release, p.sourceName, p.cataloger]).sort(),
      [["base-files", "12.4+deb12u5", "Debian", "12", undefined, "dpkg"], ["libc6", "2.36-9+deb12u4", "Debian", "12", "glibc", "dpkg"]]);
  });

  test("an SBOM file as the target is converted: CycloneDX in, SPDX and table out, same packages", async () => {
    writeFileSync(join(dir, "in.cdx.json"), (await run(["--format", "cyclonedx", "dir:rootfs"], dir, EPOCH)).stdout);
    const table = await run(["in.cdx.json"], dir);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^deb   libc6       2\.36-9\+deb12u4  \/var\/lib\/dpkg\/status$/m);
    assert.match(table.stdout, /in\.cdx\.json: Debian GNU\/Linux 12 \(bookworm\), 3 packages\n$/);
    const spdx = JSON.parse((await run(["-f", "spdx", "sbom:in.cdx.json"], dir, EPOCH)).stdout) as { packages: { name: string }[] };
    assert.deepEqual(spdx.packages.map((p) => p.name).slice(1).sort(), ["base-files", "debian", "left-pad", "libc6"]);
  });

  test("bad input exits 2 with an actionable message", async () => {
    const unknown = await run(["--catalogers", "dpkg,nope", "dir:rootfs"], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--catalogers: no cataloger named "nope"; known: dpkg, npm-package \[USAGE\]/);

    writeFileSync(join(dir, "broken.json"), '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": 3}');
    const broken = await run(["broken.json"], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json: CycloneDX "components" must be an array \[SBOM_INVALID\]/);

    const missing = await run(["sbom:nothing.json"], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nothing\.json: cannot be read \(no such file\) \[INPUT_UNREADABLE\]/);

    const epoch = await run(["-f", "spdx", "dir:rootfs"], dir, { SOURCE_DATE_EPOCH: "last tuesday" });
    assert.equal(epoch.code, 2);
    assert.match(epoch.stderr, /SOURCE_DATE_EPOCH must be a whole number/);
  });

  test("notes go to stderr, the SBOM still to stdout", async () => {
    writeTree(join(dir, "noted"), { "var/lib/dpkg/status": "Package: a\nVersion: 1\nStatus: install ok installed\n\nnot a field line\n" });
    const r = await run(["dir:noted"], dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^drydock: note: /m);
    assert.match(r.stdout, /^deb +a +1 +\/var\/lib\/dpkg\/status$/m);
  });

  test("a directory with nothing to catalog says so", async () => {
    writeTree(join(dir, "empty"), { "README.md": "nothing here\n" });
    const r = await run(["empty"], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "empty: no packages found\n");
  });

  test("cleanup", () => rmSync(dir, { recursive: true, force: true }));
});
