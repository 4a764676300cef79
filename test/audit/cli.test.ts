// `drydock audit` as a command, run through main(), with lint's flags.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runMain, type MainResult } from "../helpers/main.ts";
import { buildImage, ociLayoutFiles, tarOf, tempDir, writeFiles } from "../image/fixtures.ts";

function run(args: string[], cwd: string): Promise<MainResult> {
  return runMain(["audit", ...args], { cwd });
}

describe("drydock audit (command)", () => {
  const setup = (async () => {
    const t = tempDir();
    const tar = await tarOf([{ name: "usr/bin/su", content: "ELF", mode: 0o4755 }, { name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\n" }]);
    writeFiles(join(t.dir, "img"), ociLayoutFiles([{ image: buildImage({ layers: [{ tar }], config: { User: "1000", Healthcheck: { Test: ["CMD", "/ok"] } } }), tag: "v1" }]));
    return t;
  })();

  test("text report and exit 1 for findings at or above the threshold", async () => {
    const t = await setup;
    const r = await run(["oci:img:v1"], t.dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^oci:img:v1 layer 0 \(sha256:[0-9a-f]{12}\) \/usr\/bin\/su: info DI004 \/usr\/bin\/su is setuid \(uid 0, mode 4755\) \[dockle\]$/m);
    assert.match(r.stdout, /1 finding \(1 info\) in 1 input\n$/);
  });

  test("--format json, --ignore by alias, --failure-threshold, --no-fail", async () => {
    const t = await setup;
    const j = await run(["--format", "json", "oci:img:v1"], t.dir);
    const parsed = JSON.parse(j.stdout) as { findings: { rule: string; aliases: string[]; path: string; file: string }[] };
    assert.deepEqual(parsed.findings.map((f) => [f.rule, f.aliases, f.path, f.file]), [["DI004", ["dockle:CIS-DI-0008", "cis:4.8"], "/usr/bin/su", "oci:img:v1"]]);
    assert.equal((await run(["--ignore", "cis:4.8", "oci:img:v1"], t.dir)).code, 0);
    assert.equal((await run(["-t", "warning", "oci:img:v1"], t.dir)).code, 0);
    assert.equal((await run(["--no-fail", "oci:img:v1"], t.dir)).code, 0);
  });

  test("drydock.yaml audit allow-lists; an unreadable image exits 2", async () => {
    const t = await setup;
    writeFileSync(join(t.dir, "drydock.yaml"), "audit:\n  setuidAllow: [/usr/bin/su]\n");
    const allowed = await run(["oci:img:v1"], t.dir);
    assert.equal(allowed.code, 0);
    assert.match(allowed.stdout, /no findings/);
    const missing = await run(["oci:nope"], t.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /IMAGE_NOT_FOUND/);
  });

  test("cleanup", async () => (await setup).cleanup());
});
