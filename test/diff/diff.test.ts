import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { compareImages, DIFF_ASPECTS, type ImageDiff } from "../../src/diff/diff.ts";
import { BASE_CONFIG, BASE_FILES, TOP_FILES, collect, diffVariants, edit, gzipAt, variantImage, workspace, type Variant } from "./images.ts";

/** Every change the diff lists, as "section aspect [key|path]" strings. */
function changesOf(d: ImageDiff): string[] {
  return [
    ...d.manifest.map((c) => `manifest ${c.aspect}${c.key === undefined ? "" : ` ${c.key}`}`),
    ...d.config.map((c) => `config ${c.aspect}${c.key === undefined ? "" : ` ${c.key}`}`),
    ...d.history.map((c) => `history ${c.key ?? ""}`),
    ...d.layers.flatMap((l) => [`layer ${l.index}: ${l.aspects.join(",")}`, ...l.changes.map((c) => `layer ${l.index} ${c.change} ${c.path} ${c.reasons.join(",")}`)]),
    ...d.filesystem.changes.map((c) => `fs ${c.change} ${c.path} ${c.reasons.join(",")}`),
  ];
}

/** One aspect per pair: the diff must name exactly it, in every section where it shows, and nothing else. */
const ONE_ASPECT: { name: string; b: Variant; aspects: string[]; changes: string[]; semanticSame?: boolean }[] = [
  {
    name: "a file's content (same size)",
    b: { base: edit(BASE_FILES, { "etc/app.conf": { content: "world" } }) },
    aspects: ["content"],
    changes: ["layer 0: content", "layer 0 changed etc/app.conf content", "fs changed etc/app.conf content"],
  },
  {
    name: "a file's mode",
    b: { base: edit(BASE_FILES, { "bin/tool": { mode: 0o700 } }) },
    aspects: ["mode"],
    changes: ["layer 0: mode", "layer 0 changed bin/tool mode", "fs changed bin/tool mode"],
  },
  {
    name: "a file's owner",
    b: { top: edit(TOP_FILES, { "srv/data.txt": { uid: 1000, gid: 1000 } }) },
    aspects: ["uid", "gid"],
    changes: ["layer 1: uid,gid", "layer 1 changed srv/data.txt uid,gid", "fs changed srv/data.txt uid,gid"],
  },
  {
    name: "only a file's mtime",
    b: { base: edit(BASE_FILES, { "etc/app.conf": { mtime: 1_600_000_000 } }) },
    aspects: ["mtime"],
    changes: ["layer 0: mtime", "layer 0 changed etc/app.conf mtime", "fs changed etc/app.conf mtime"],
    semanticSame: true,
  },
  {
    name: "a symlink's target",
    b: { base: edit(BASE_FILES, { "bin/link": { linkname: "/bin/tool" } }) },
    aspects: ["linkname"],
    changes: ["layer 0: linkname", "layer 0 changed bin/link linkname", "fs changed bin/link linkname"],
  },
  {
    name: "an xattr",
    b: { base: edit(BASE_FILES, { "bin/tool": { pax: { "SCHILY.xattr.user.origin": "build-7" } } }) },
    aspects: ["xattrs"],
    changes: ["layer 0: xattrs", "layer 0 changed bin/tool xattrs", "fs changed bin/tool xattrs"],
  },
  {
    name: "only the order of entries in the tar",
    b: { top: [...TOP_FILES].reverse() },
    aspects: ["order"],
    changes: ["layer 1: order"],
    semanticSame: true,
  },
  {
    name: "only the compression (gzip level 1 vs 9: same diffID, other digest)",
    b: { baseLayer: gzipAt(1) },
    aspects: ["compression"],
    changes: ["layer 0: compression"],
  },
  {
    name: "an env variable",
    b: { config: { ...BASE_CONFIG, Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "MODE=debug"] } },
    aspects: ["env"],
    changes: ["config env MODE"],
  },
  {
    name: "the user",
    b: { config: { ...BASE_CONFIG, User: "root" } },
    aspects: ["user"],
    changes: ["config user"],
  },
  {
    name: "a label",
    b: { config: { ...BASE_CONFIG, Labels: { "org.opencontainers.image.title": "demo", "org.opencontainers.image.version": "2" } } },
    aspects: ["labels"],
    changes: ["config labels org.opencontainers.image.version"],
  },
  {
    name: "only the history",
    b: { history: [{ created: "2024-01-02T03:04:05Z", created_by: "COPY base /" }, { created: "2025-05-05T00:00:00Z", created_by: "COPY top /" }] },
    aspects: ["history"],
    changes: ["history 0.created_by", "history 1.created", "history 1.created_by"],
    semanticSame: true,
  },
  {
    name: "only how the tar spells names (./etc vs etc)",
    b: { base: BASE_FILES.map((f) => ({ ...f, name: `./${f.name}` })) },
    aspects: ["tar-encoding"],
    changes: ["layer 0: tar-encoding"],
    semanticSame: true,
  },
];

describe("images that differ in exactly one aspect", () => {
  test("identical images are the same, with nothing listed", async () => {
    const d = await diffVariants({}, {});
    assert.equal(d.same, true);
    assert.deepEqual(d.aspects, []);
    assert.deepEqual(changesOf(d), []);
  });

  for (const c of ONE_ASPECT) {
    test(c.name, async () => {
      const d = await diffVariants({}, c.b);
      assert.equal(d.same, false);
      assert.deepEqual(d.aspects, c.aspects);
      assert.deepEqual(changesOf(d), c.changes);
    });
    test(`${c.name}, --semantic: ${c.semanticSame === true ? "same" : "still different"}`, async () => {
      const d = await diffVariants({}, c.b, { semantic: true });
      if (c.semanticSame === true) {
        assert.equal(d.same, true, changesOf(d).join("\n"));
        assert.deepEqual(changesOf(d), []);
      } else {
        assert.deepEqual(d.aspects, c.aspects);
      }
    });
  }
});

describe("what a change says", () => {
  test("content of another size: content and size, with both digests", async () => {
    const d = await diffVariants({}, { base: edit(BASE_FILES, { "etc/app.conf": { content: "hello, world" } }) });
    const [c] = d.filesystem.changes;
    assert.deepEqual(c?.reasons, ["content", "size"]);
    assert.match(c?.a?.sha256 ?? "", /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(c?.a?.sha256, c?.b?.sha256);
    assert.deepEqual([c?.a?.size, c?.b?.size], [5, 12]);
  });

  test("a file that became a symlink: type, not content", async () => {
    const d = await diffVariants({}, { base: edit(BASE_FILES, { "etc/app.conf": { type: "symlink", linkname: "/srv/data.txt", content: undefined } }) });
    assert.deepEqual(d.filesystem.changes.map((c) => [c.path, c.reasons]), [["etc/app.conf", ["type", "size", "linkname"]]]);
  });

  test("added and removed files, per layer and merged", async () => {
    const d = await diffVariants({}, { top: [...edit(TOP_FILES, { "srv/data.txt": undefined }), { name: "srv/new.txt", content: "new" }] });
    assert.deepEqual(d.aspects, ["added", "removed"]);
    assert.deepEqual(d.filesystem.changes.map((c) => `${c.change} ${c.path}`), ["removed srv/data.txt", "added srv/new.txt"]);
    assert.deepEqual([d.filesystem.added, d.filesystem.removed, d.filesystem.changed], [1, 1, 0]);
  });

  test("a whiteout in the upper layer removes a lower file from the merged view only", async () => {
    const d = await diffVariants({}, { top: [...TOP_FILES, { name: "etc/.wh.app.conf" }] });
    assert.deepEqual(d.filesystem.changes.map((c) => `${c.change} ${c.path}`), ["removed etc/app.conf"]);
    assert.deepEqual(d.layers.flatMap((l) => l.changes.map((c) => `${l.index} ${c.change} ${c.path}`)), ["1 added etc/.wh.app.conf"]);
  });

  test("env order only is named as order, not as changed values", async () => {
    const d = await diffVariants({}, { config: { ...BASE_CONFIG, Env: [...BASE_CONFIG.Env].reverse() } });
    assert.deepEqual(d.aspects, ["env"]);
    assert.equal(d.config.length, 1);
    assert.equal(d.config[0]?.key, undefined);
    assert.match(d.config[0]?.note ?? "", /order/);
  });

  test("a different number of layers: layer count, and the merged view explains the files", async () => {
    const d = await diffVariants({}, { baseOnly: true, history: [{ created: "2024-01-02T03:04:05Z", created_by: "/bin/sh -c step 0" }] });
    assert.deepEqual(d.aspects, ["history", "layers", "removed"], "one history step fewer, one layer fewer, its files gone");
    const layerCount = d.manifest.find((c) => c.aspect === "layers");
    assert.deepEqual([layerCount?.a, layerCount?.b], [2, 1]);
    assert.equal(layerCount?.note, "the bottom 1 layer is the same; the file system diff shows what the rest change");
    assert.deepEqual(d.layers, [], "layers are not paired up when the counts differ");
    assert.deepEqual(d.filesystem.changes.map((c) => `${c.change} ${c.path}`), ["removed srv", "removed srv/data.txt"]);
  });

  test("config fields: entrypoint, cmd, workdir, ports, volumes, stop signal, healthcheck, platform", async () => {
    const b = {
      ...BASE_CONFIG,
      Entrypoint: ["/bin/sh"],
      Cmd: ["-c", "run"],
      WorkingDir: "/srv",
      ExposedPorts: { "8080/tcp": {} },
      Volumes: { "/data": {} },
      StopSignal: "SIGINT",
      Healthcheck: { Test: ["CMD", "/bin/tool", "health"], Interval: 30_000_000_000 },
    };
    const d = await diffVariants({}, { config: b });
    assert.deepEqual(d.config.map((c) => `${c.aspect}${c.key === undefined ? "" : ` ${c.key}`} ${c.change}`), [
      "entrypoint changed", "cmd added", "workdir changed", "exposed-ports 8080/tcp added", "volumes /data added", "stop-signal added", "healthcheck added",
    ]);
  });
});

describe("ignores", () => {
  test("--ignore env:MODE sets one variable aside; others still count", async () => {
    const b = { config: { ...BASE_CONFIG, Env: ["PATH=/bin", "MODE=debug"] } };
    const d = await diffVariants({}, b, { ignore: ["env:MODE"] });
    assert.deepEqual(d.config.map((c) => c.key), ["PATH"]);
    const all = await diffVariants({}, b, { ignore: ["env"] });
    assert.equal(all.same, true);
  });

  test("ignorePaths sets a directory aside, without claiming the tar is merely encoded differently", async () => {
    const d = await diffVariants({}, { top: edit(TOP_FILES, { "srv/data.txt": { content: "other\n" } }) }, { ignorePaths: ["/srv"] });
    assert.equal(d.same, true, changesOf(d).join("\n"));
    const glob = await diffVariants({}, { top: edit(TOP_FILES, { "srv/data.txt": { content: "other\n" } }) }, { ignorePaths: ["**/*.txt"] });
    assert.equal(glob.same, true);
    const miss = await diffVariants({}, { top: edit(TOP_FILES, { "srv/data.txt": { content: "other\n" } }) }, { ignorePaths: ["srv/*.conf"] });
    assert.deepEqual(miss.aspects, ["content", "size"]);
  });

  test("an unknown aspect is a usage error before any layer is read", async () => {
    await assert.rejects(diffVariants({}, {}, { ignore: ["colour"] }), { name: "DrydockError", code: "USAGE" });
  });

  test("every aspect the diff can name is one --ignore accepts", () => {
    for (const reason of ["content", "size", "mode", "type", "uid", "gid", "mtime", "linkname", "xattrs", "order", "compression", "tar-encoding"]) {
      assert.ok((DIFF_ASPECTS as readonly string[]).includes(reason), reason);
    }
  });
});

describe("collected once, compared many times", () => {
  test("compareImages reads nothing: one pair of collected images, strict and semantic verdicts", async () => {
    const ws = workspace();
    try {
      const a = await collect(ws.layout(await variantImage(), "a"));
      const b = await collect(ws.layout(await variantImage({ base: edit(BASE_FILES, { "bin/tool": { mtime: 1 } }) }), "b"));
      ws.cleanup();
      assert.deepEqual(compareImages(a, b).aspects, ["mtime"]);
      assert.equal(compareImages(a, b, { semantic: true }).same, true);
      assert.equal(compareImages(a, a).same, true);
      assert.equal(a.layers[0]?.entries.length, BASE_FILES.length);
      assert.deepEqual([...a.merged.keys()], ["bin", "bin/link", "bin/tool", "etc", "etc/app.conf", "srv", "srv/data.txt"]);
    } finally {
      ws.cleanup();
    }
  });
});

describe("whole content, streamed", () => {
  test("a 3 MiB file: its sha256 over every byte, and a change in its last byte is a content change", async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const changed = Buffer.from(big);
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    const ws = workspace();
    try {
      const a = await collect(ws.layout(await variantImage({ top: [{ name: "big.bin", content: big }] }), "a"));
      const b = await collect(ws.layout(await variantImage({ top: [{ name: "big.bin", content: changed }] }), "b"));
      assert.equal(a.merged.get("big.bin")?.sha256, `sha256:${createHash("sha256").update(big).digest("hex")}`);
      const d = compareImages(a, b);
      assert.deepEqual(d.aspects, ["content"]);
      assert.deepEqual(d.filesystem.changes.map((c) => c.path), ["big.bin"]);
    } finally {
      ws.cleanup();
    }
  });
});
