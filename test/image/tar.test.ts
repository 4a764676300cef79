// The tar parser against tar-stream (an independent reader and writer) and against hand-made header blocks.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { extract } from "tar-stream";
import type { AnomalyCode } from "../../src/image/anomaly.ts";
import { TarParser, type TarHeader } from "../../src/image/tar.ts";
import { blocks, END, paxData, rawEntry, rawHeader, tarOf, type FileSpec } from "./fixtures.ts";

interface Parsed {
  headers: TarHeader[];
  heads: Map<string, string>;
  anomalies: AnomalyCode[];
}

/** Parses bytes fed in the given chunk sizes (cycled), collecting up to headBytes of every file. */
function parse(bytes: Buffer, chunkSizes: readonly number[] = [bytes.length || 1], headBytes = 64): Parsed {
  const out: Parsed = { headers: [], heads: new Map(), anomalies: [] };
  const parser = new TarParser(
    {
      entry(h) {
        out.headers.push(h);
        return h.type === "file" ? headBytes : 0;
      },
      content(h, head) {
        out.heads.set(h.name, Buffer.from(head).toString("latin1"));
      },
      anomaly(code) {
        out.anomalies.push(code);
      },
    },
    { where: "test", maxMetadataBytes: 64 * 1024, headBuffer: new Uint8Array(headBytes) },
  );
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const n = Math.max(1, chunkSizes[i++ % chunkSizes.length] ?? 1);
    parser.write(bytes.subarray(pos, pos + n));
    pos += n;
  }
  parser.end();
  return out;
}

const TYPE_NAMES: Record<string, string> = { link: "hardlink", directory: "dir", "character-device": "char-device", "contiguous-file": "file" };

/** What tar-stream's extractor reads from the same bytes, in our vocabulary. */
async function tarStreamView(bytes: Buffer): Promise<string[]> {
  const ex = extract();
  const seen: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on("entry", (h, stream, next) => {
      const type = TYPE_NAMES[h.type] ?? h.type;
      seen.push(`${type} ${h.name.replace(/\/$/, "")} ${h.mode & 0o7777} ${h.uid}:${h.gid} ${type === "file" ? h.size : 0} ${h.linkname ?? ""} ${h.mtime.getTime() / 1000}`);
      stream.on("end", () => next());
      stream.resume();
    });
    ex.on("finish", resolve);
    ex.on("error", reject);
  });
  ex.end(bytes);
  await done;
  return seen;
}

function ourView(p: Parsed): string[] {
  return p.headers.map((h) => `${h.type} ${h.name.replace(/\/$/, "")} ${h.mode} ${h.uid}:${h.gid} ${h.size} ${h.linkname} ${h.mtime}`);
}

const SAMPLE: FileSpec[] = [
  { name: "etc/", type: "directory" },
  { name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\n" },
  { name: "empty", content: "" },
  { name: "bin/sh", content: Buffer.alloc(5000, 0x7f), mode: 0o4755, uid: 1000, gid: 50 },
  { name: "bin/link", type: "symlink", linkname: "/usr/bin/dash" },
  { name: "bin/hard", type: "link", linkname: "bin/sh" },
  { name: `deep/${"d".repeat(90)}/${"e".repeat(90)}/file.txt`, content: "ustar prefix or PAX path" },
  { name: `${"n".repeat(150)}`, content: "a name only PAX can hold" },
  { name: "unicode/ünïcödé-名前.txt", content: "utf-8 names go through PAX" },
  { name: "links/long", type: "symlink", linkname: `/${"t".repeat(120)}` },
  { name: "dev/null", type: "character-device", mode: 0o666 },
  { name: "run/fifo", type: "fifo" },
];

describe("tar parser", () => {
  test("reads what tar-stream writes, as tar-stream reads it", async () => {
    const bytes = await tarOf(SAMPLE);
    const ours = parse(bytes);
    assert.deepEqual(ourView(ours), await tarStreamView(bytes));
    assert.equal(ours.heads.get("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    assert.equal(ours.heads.get("empty"), "");
    assert.equal(ours.heads.get("bin/sh"), "\x7f".repeat(64), "the head stops at headBytes");
    assert.deepEqual(ours.anomalies, []);
  });

  test("any chunking of the stream gives the same entries and heads", async () => {
    const bytes = await tarOf(SAMPLE);
    const whole = parse(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const chunked = parse(bytes, sizes);
        assert.deepEqual(ourView(chunked), ourView(whole));
        assert.deepEqual(chunked.heads, whole.heads);
      }),
      { numRuns: 60 },
    );
    assert.deepEqual(ourView(parse(bytes, [1])), ourView(whole), "byte by byte");
  });

  test("random archives written by tar-stream are read exactly as tar-stream reads them", async () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9._-]{1,40}(\/[a-zA-Z0-9._ -]{1,60}){0,3}$/);
    const spec = fc.record({
      name,
      kind: fc.constantFrom("file", "directory", "symlink"),
      content: fc.uint8Array({ maxLength: 1500 }),
      mode: fc.integer({ min: 0, max: 0o7777 }),
      uid: fc.integer({ min: 0, max: 2_000_000 }),
      mtime: fc.integer({ min: 0, max: 2_000_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(spec, { selector: (s) => s.name, maxLength: 12 }), async (specs) => {
        const bytes = await tarOf(specs.map((s) => ({
          name: s.name,
          type: s.kind as FileSpec["type"],
          mode: s.mode,
          uid: s.uid,
          gid: s.uid % 7,
          mtime: s.mtime,
          ...(s.kind === "file" ? { content: Buffer.from(s.content) } : {}),
          ...(s.kind === "symlink" ? { linkname: `../${s.name}` } : {}),
        })));
        assert.deepEqual(ourView(parse(bytes, [509])), await tarStreamView(bytes));
      }),
      { numRuns: 40 },
    );
  });

  test("GNU long names and long link names ('L' and 'K' headers)", () => {
    const longName = `gnu/${"x".repeat(200)}`;
    const longLink = `/${"y".repeat(300)}`;
    const bytes = Buffer.concat([
      rawEntry({ name: "././@LongLink", typeflag: "L", magic: "gnu" }, `${longName}\0`),
      rawEntry({ name: "././@LongLink", typeflag: "K", magic: "gnu" }, `${longLink}\0`),
      rawHeader({ name: "truncated-name", typeflag: "2", magic: "gnu", linkname: "truncated" }),
      END,
    ]);
    const [h] = parse(bytes).headers;
    assert.equal(h?.name, longName);
    assert.equal(h?.linkname, longLink);
    assert.equal(h?.type, "symlink");
  });

  test("PAX: per-entry records override the header, global records apply to every later entry", () => {
    const bytes = Buffer.concat([
      rawEntry({ name: "pax_global_header", typeflag: "g" }, paxData({ uid: "4242", gname: "global" })),
      rawEntry({ name: "PaxHeaders/a", typeflag: "x" }, paxData({ path: "real/name.txt", mtime: "1700000000.25", "SCHILY.xattr.security.capability": "\u0001\u0002" })),
      rawEntry({ name: "a", uid: 1 }, "abc"),
      rawEntry({ name: "b", uid: 2 }, "def"),
      END,
    ]);
    const { headers } = parse(bytes);
    assert.deepEqual(headers.map((h) => [h.name, h.uid, h.gname, h.mtime]), [["real/name.txt", 4242, "global", 1700000000.25], ["b", 4242, "global", 1700000000]]);
    assert.deepEqual([...(headers[0]?.xattrs ?? [])].map(([k, v]) => [k, [...v]]), [["security.capability", [1, 2]]]);
    assert.equal(headers[1]?.xattrs, undefined);
  });

  test("a PAX size overrides the header's, so the data is skipped by the right amount", () => {
    const big = "z".repeat(700);
    const bytes = Buffer.concat([
      rawEntry({ name: "PaxHeaders/big", typeflag: "x" }, paxData({ size: String(big.length) })),
      rawHeader({ name: "big", size: 0 }),
      blocks(big),
      rawEntry({ name: "after" }, "ok"),
      END,
    ]);
    const p = parse(bytes, [100], 1000);
    assert.deepEqual(p.headers.map((h) => [h.name, h.size]), [["big", 700], ["after", 2]]);
    assert.equal(p.heads.get("big"), big);
    assert.equal(p.heads.get("after"), "ok");
  });

  test("base-256 sizes, ustar prefixes, v7 headers and old signed checksums", () => {
    const content = "q".repeat(10);
    const bytes = Buffer.concat([
      rawHeader({ name: "b256", sizeBytes: [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10] }),
      blocks(content),
      rawEntry({ name: "file", prefix: "some/prefix" }, "p"),
      rawEntry({ name: "v7dir/", typeflag: "\0", magic: "none" }),
      rawEntry({ name: "v7file", typeflag: "\0", magic: "none" }, "v7"),
      END,
    ]);
    const p = parse(bytes);
    assert.deepEqual(p.headers.map((h) => `${h.type} ${h.name} ${h.size}`), ["file b256 10", "file some/prefix/file 1", "dir v7dir/ 0", "file v7file 2"]);
    // Signed checksum: a name byte >= 0x80 sums differently as a signed char; both sums are accepted.
    const signed = rawHeader({ name: "s\u00ff" });
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : ((signed[i] ?? 0) >= 128 ? (signed[i] ?? 0) - 256 : (signed[i] ?? 0));
    signed.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    assert.equal(parse(Buffer.concat([signed, END])).headers.length, 1);
  });

  test("the end: two zero blocks, one zero block then EOF, none at all, data after the end", () => {
    const entry = rawEntry({ name: "f" }, "x");
    assert.deepEqual(parse(Buffer.concat([entry, END])).anomalies, []);
    assert.deepEqual(parse(Buffer.concat([entry, Buffer.alloc(512)])).anomalies, []);
    assert.deepEqual(parse(entry).anomalies, ["NO_END_MARKER"]);
    assert.deepEqual(parse(Buffer.concat([entry, END, Buffer.from("hidden data")])).anomalies, ["TRAILING_DATA"]);
    assert.deepEqual(parse(Buffer.alloc(0)).anomalies, [], "an empty stream is an empty archive");
  });

  test("skip() jumps over data nobody wants and lands on the next header", () => {
    const bytes = Buffer.concat([rawEntry({ name: "a" }, "A".repeat(1500)), rawEntry({ name: "b" }, "B"), END]);
    const names: string[] = [];
    const parser = new TarParser(
      { entry: (h) => (names.push(`${h.name}@${h.dataOffset}`), 0), content: () => {}, anomaly: () => {} },
      { where: "t", maxMetadataBytes: 1024, headBuffer: new Uint8Array(0) },
    );
    while (!parser.ended) {
      const jump = parser.skippable();
      if (jump > 0) parser.skip(jump);
      else parser.write(bytes.subarray(parser.offset, parser.offset + 512));
    }
    assert.deepEqual(names, ["a@512", "b@2560"]);
  });
});
