import assert from "node:assert/strict";
import { test } from "node:test";
import { applyContentChanges, LspText } from "../../src/lsp/positions.ts";

test("positions count UTF-16 code units: a character outside the BMP is two", () => {
  const text = "a😀b\né\n";
  const lsp = new LspText(text);
  assert.deepEqual(lsp.positionAt(text.indexOf("b")), { line: 0, character: 3 });
  assert.deepEqual(lsp.positionAt(text.indexOf("é")), { line: 1, character: 0 });
  assert.equal(lsp.offsetAt({ line: 0, character: 3 }), text.indexOf("b"));
});

test("\\r\\n, \\n and a lone \\r each end a line; positions past a line's end clamp to it", () => {
  const text = "ab\r\ncd\ref\ngh";
  const lsp = new LspText(text);
  assert.deepEqual(lsp.positionAt(text.indexOf("c")), { line: 1, character: 0 });
  assert.deepEqual(lsp.positionAt(text.indexOf("e")), { line: 2, character: 0 });
  assert.deepEqual(lsp.positionAt(text.indexOf("h")), { line: 3, character: 1 });
  assert.equal(lsp.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(lsp.offsetAt({ line: 9, character: 0 }), text.length);
  assert.equal(lsp.lineText(1), "cd");
  assert.equal(lsp.eol, "\r\n");
});

test("incremental changes apply in order, each against the text the previous one left", () => {
  const start = "FROM alpine\r\nRUN apk add curl\r\n";
  const out = applyContentChanges(start, [
    { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 11 } }, text: " --no-cache" },
    { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 11 } }, text: "debian😀" },
    { range: { start: { line: 0, character: 13 }, end: { line: 0, character: 13 } }, text: ":12" },
  ]);
  assert.equal(out, "FROM debian😀:12\r\nRUN apk add --no-cache curl\r\n");
  assert.equal(applyContentChanges(out, [{ text: "whole" }]), "whole");
});
