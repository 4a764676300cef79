import assert from "node:assert/strict";
import { test } from "node:test";
import { Connection, encodeMessage, ERROR_CODES, MessageReader, RpcError, type ReadEvent } from "../../src/lsp/protocol.ts";

const frame = (body: string): Buffer => Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);
const messages = (events: ReadEvent[]): unknown[] => events.map((e) => (e.kind === "message" ? e.message : e));

test("a frame split at every byte still yields one message, multi-byte characters included", () => {
  const reader = new MessageReader();
  const bytes = frame(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "x", params: { text: "é😀日本" } }));
  const events: ReadEvent[] = [];
  for (const b of bytes) events.push(...reader.push(Uint8Array.of(b)));
  assert.deepEqual(messages(events), [{ jsonrpc: "2.0", id: 7, method: "x", params: { text: "é😀日本" } }]);
});

test("several frames in one chunk come out in order; a Content-Type header with utf-8 is accepted", () => {
  const reader = new MessageReader();
  const body = '{"jsonrpc":"2.0","method":"b","params":1}';
  const typed = Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
  const out = reader.push(Buffer.concat([frame('{"jsonrpc":"2.0","method":"a"}'), typed]));
  assert.deepEqual(messages(out), [{ jsonrpc: "2.0", method: "a" }, { jsonrpc: "2.0", method: "b", params: 1 }]);
  const latin = reader.push(Buffer.from(`Content-Type: application/json; charset=latin1\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
  assert.deepEqual(latin.map((e) => e.kind), ["error"]);
});

test("bad JSON, a bad header and a non-JSON-RPC object are errors, and reading goes on after each", () => {
  const reader = new MessageReader();
  const out = reader.push(Buffer.concat([
    frame("{not json"),
    Buffer.from("Content-Length: ten\r\n\r\n"),
    Buffer.from("X-Nothing: 1\r\n\r\n"),
    frame('{"jsonrpc":"2.0","id":3}'),
    frame('{"jsonrpc":"1.0","id":4,"method":"m"}'),
    frame("[1,2]"),
    frame(Buffer.from([0xff, 0xfe]).toString("latin1")),
    frame('{"jsonrpc":"2.0","id":"ok","method":"m"}'),
  ]));
  const summary = out.map((e) => (e.kind === "error" ? [e.error.code, e.id] : ["message"]));
  assert.deepEqual(summary, [
    [ERROR_CODES.parseError, null],
    [ERROR_CODES.parseError, null],
    [ERROR_CODES.parseError, null],
    [ERROR_CODES.invalidRequest, 3],
    [ERROR_CODES.invalidRequest, 4],
    [ERROR_CODES.invalidRequest, null],
    [ERROR_CODES.parseError, null],
    ["message"],
  ]);
});

test("a frame over the size bound is skipped, even when its body arrives later in pieces", () => {
  const reader = new MessageReader({ maxMessageBytes: 40 });
  const next = frame('{"jsonrpc":"2.0","method":"a"}');
  const events = [
    ...reader.push(Buffer.from("Content-Length: 45\r\n\r\n0123456789")),
    ...reader.push(Buffer.from("0123456789".repeat(3))),
    ...reader.push(Buffer.concat([Buffer.from("01234"), next.subarray(0, 5)])),
  ];
  assert.deepEqual(events.map((e) => (e.kind === "error" ? e.error.code : "message")), [ERROR_CODES.parseError]);
  // The next frame is read from exactly where the skipped one ended.
  assert.deepEqual(messages(reader.push(next.subarray(5))), [{ jsonrpc: "2.0", method: "a" }]);
});

test("a header that never ends is dropped once past its bound", () => {
  const reader = new MessageReader();
  const out = reader.push(Buffer.alloc(9000, "a"));
  assert.equal(out.length, 1);
  assert.equal(out[0]?.kind, "error");
  assert.deepEqual(messages(reader.push(frame('{"jsonrpc":"2.0","method":"after"}'))), [{ jsonrpc: "2.0", method: "after" }]);
});

test("encodeMessage counts bytes, not characters", () => {
  const text = encodeMessage({ jsonrpc: "2.0", method: "m", params: "😀" });
  const [header, body = ""] = text.split("\r\n\r\n");
  assert.equal(header, `Content-Length: ${Buffer.byteLength(body)}`);
  assert.notEqual(Buffer.byteLength(body), body.length);
});

test("the connection answers requests, maps errors, and matches responses to its own requests", async () => {
  const out: unknown[] = [];
  const reader = new MessageReader();
  const connection = new Connection((f) => out.push(...messages(reader.push(Buffer.from(f)))), {
    request(method) {
      if (method === "fail") throw new RpcError(ERROR_CODES.methodNotFound, "no");
      if (method === "crash") throw new Error("boom");
      return Promise.resolve({ ok: method });
    },
    notification() {
      throw new Error("ignored");
    },
  });
  const asked = connection.request("client/thing", { a: 1 });
  connection.receive(Buffer.concat([
    frame('{"jsonrpc":"2.0","id":1,"method":"ping"}'),
    frame('{"jsonrpc":"2.0","id":2,"method":"fail"}'),
    frame('{"jsonrpc":"2.0","id":3,"method":"crash"}'),
    frame('{"jsonrpc":"2.0","method":"note"}'),
    frame('{"jsonrpc":"2.0","id":"drydock-1","result":42}'),
  ]));
  assert.equal(await asked, 42);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(out[0], { jsonrpc: "2.0", id: "drydock-1", method: "client/thing", params: { a: 1 } });
  // Answers may come in any order (JSON-RPC matches them by id); the notification's failure sends nothing.
  const byId = new Map(out.slice(1).map((m) => [(m as { id: number }).id, m]));
  assert.deepEqual(byId.get(1), { jsonrpc: "2.0", id: 1, result: { ok: "ping" } });
  assert.deepEqual(byId.get(2), { jsonrpc: "2.0", id: 2, error: { code: ERROR_CODES.methodNotFound, message: "no" } });
  const crash = byId.get(3) as { error: { code: number } };
  assert.equal(crash.error.code, ERROR_CODES.internalError);
  assert.equal(out.length, 4);
});
