import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DIFF_JSON_SCHEMA, renderDiffJson, renderDiffText } from "../../src/diff/render.ts";
import { BASE_CONFIG, BASE_FILES, TOP_FILES, diffVariants, edit, gzipAt } from "./images.ts";

/** The text without its first two lines (they name temporary paths). */
function body(text: string): string[] {
  return text.split("\n").slice(2);
}

describe("text", () => {
  test("a mode change: the verdict, the layer, the merged view", async () => {
    const d = await diffVariants({}, { base: edit(BASE_FILES, { "bin/tool": { mode: 0o700 } }) });
    const text = renderDiffText(d);
    assert.match(text.split("\n")[0] ?? "", /^A: oci:.*\/a:1\.0 \(sha256:[0-9a-f]{64}, linux\/amd64, 2 layers\)$/);
    assert.deepEqual(body(text), [
      "different: mode",
      "layer 0: mode",
      "  0 added, 0 removed, 1 changed",
      "  ~ /bin/tool: mode 0755 -> 0700",
      "filesystem (merged view): 0 added, 0 removed, 1 changed",
      "  ~ /bin/tool: mode 0755 -> 0700",
      "",
    ]);
  });

  test("config and history changes, and the semantic verdict", async () => {
    const b = { config: { ...BASE_CONFIG, User: "root", Env: ["PATH=/usr/local/bin:/usr/bin:/bin"] }, history: [{ created_by: "COPY / /" }, { created_by: "/bin/sh -c step 1", created: "2024-01-02T03:04:05Z" }] };
    assert.deepEqual(body(renderDiffText(await diffVariants({}, b))), [
      "different: user, env, history",
      "config",
      '  ~ user: "app" -> "root"',
      '  - env MODE: "prod"',
      "history",
      '  - history 0.created: "2024-01-02T03:04:05Z"',
      '  ~ history 0.created_by: "/bin/sh -c step 0" -> "COPY / /"',
      "",
    ]);
    assert.deepEqual(body(renderDiffText(await diffVariants({}, { history: b.history }, { semantic: true }))), [
      "same (semantic comparison)",
      "ignored: history, created, name, mtime, order, tar-encoding, config-encoding, annotations:org.opencontainers.image.created, annotations:org.opencontainers.image.ref.name, annotations:io.containerd.image.name",
      "",
    ]);
  });

  test("compression only names both blobs and the shared diffID", async () => {
    const d = await diffVariants({}, { baseLayer: gzipAt(1) });
    const [line] = body(renderDiffText(d)).slice(1);
    assert.match(line ?? "", /^layer 0: compression only \(same diffID sha256:[0-9a-f]{64}; blob sha256:[0-9a-f]{64} gzip -> sha256:[0-9a-f]{64} gzip\)$/);
  });

  test("the first N changes of a group, then a count; --all lists every one", async () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ name: `srv/f${String(i).padStart(2, "0")}`, content: "x" }));
    const d = await diffVariants({}, { top: [...TOP_FILES, ...many] });
    const short = body(renderDiffText(d, { maxPerGroup: 3 }));
    assert.deepEqual(short.slice(-5), ["  + /srv/f00 (file)", "  + /srv/f01 (file)", "  + /srv/f02 (file)", "  ... and 12 more (--all lists every change)", ""]);
    const all = body(renderDiffText(d, { maxPerGroup: Infinity }));
    assert.equal(all.filter((l) => l.startsWith("  + /srv/f")).length, 30, "15 in layer 1 and 15 in the merged view");
    assert.ok(!all.some((l) => l.includes("more (--all")));
  });

  test("a hostile path cannot forge a line: control characters are escaped", async () => {
    const d = await diffVariants({}, { top: [...TOP_FILES, { name: "srv/evil\nB: forged\u001b[31m", content: "x" }] });
    const lines = renderDiffText(d).split("\n");
    assert.ok(lines.includes('  + "/srv/evil\\nB: forged\\u001b[31m" (file)'), lines.join("\n"));
    assert.ok(!lines.some((l) => l.startsWith("B: forged")));
  });
});

describe("json", () => {
  test("the ImageDiff under a schema name, with content digests and reasons", async () => {
    const d = await diffVariants({}, { base: edit(BASE_FILES, { "etc/app.conf": { content: "world" } }) });
    const json = JSON.parse(renderDiffJson(d)) as Record<string, unknown>;
    assert.equal(json.schema, DIFF_JSON_SCHEMA);
    assert.equal(json.same, false);
    assert.deepEqual(json.aspects, ["content"]);
    const fs = json.filesystem as { changes: { path: string; change: string; reasons: string[]; a: { sha256: string }; b: { sha256: string } }[] };
    assert.deepEqual(fs.changes.map((c) => [c.path, c.change, c.reasons]), [["etc/app.conf", "changed", ["content"]]]);
    assert.notEqual(fs.changes[0]?.a.sha256, fs.changes[0]?.b.sha256);
    const layers = json.layers as { index: number; aspects: string[]; a: { diffId: string } }[];
    assert.deepEqual(layers.map((l) => [l.index, l.aspects]), [[0, ["content"]]]);
    assert.ok(Array.isArray(json.notCompared));
  });
});
