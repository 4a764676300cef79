// A minimal LSP client for tests: spawns `drydock lsp --stdio` from source and speaks Content-Length framing to it.
// The frame parser here is written independently of src/lsp/protocol.ts, so the two check each other.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = path.join(ROOT, "src/cli/entry.ts");

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  stderr = "";
  private buffer = Buffer.alloc(0);
  private readonly inbox: JsonObject[] = [];
  private waiters: { match: (m: JsonObject) => boolean; resolve: (m: JsonObject) => void }[] = [];
  private nextId = 1;

  constructor(args: readonly string[] = ["--stdio", "--no-shellcheck"]) {
    this.child = spawn(process.execPath, [ENTRY, "lsp", ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      const header = this.buffer.subarray(0, end).toString("ascii");
      const m = /^Content-Length: (\d+)$/im.exec(header);
      if (m === null) throw new Error(`bad header from server: ${header}`);
      const length = Number(m[1]);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.deliver(JSON.parse(body) as JsonObject);
    }
  }

  private deliver(message: JsonObject): void {
    const waiter = this.waiters.find((w) => w.match(message));
    if (waiter === undefined) {
      this.inbox.push(message);
      return;
    }
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve(message);
  }

  /** The next message matching, including ones already received and not yet taken. */
  waitFor(match: (m: JsonObject) => boolean, what: string, timeoutMs = 15000): Promise<JsonObject> {
    const i = this.inbox.findIndex(match);
    if (i !== -1) return Promise.resolve(this.inbox.splice(i, 1)[0] as JsonObject);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Messages received and not taken, matching. */
  pending(match: (m: JsonObject) => boolean): JsonObject[] {
    return this.inbox.filter(match);
  }

  sendRaw(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  send(message: JsonObject): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.sendRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  async request(method: string, params: Json): Promise<JsonObject> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return this.waitFor((m) => m["id"] === id && !("method" in m), `the response to ${method}`);
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** The next publishDiagnostics for a URI (optionally for a document version). */
  async diagnostics(uri: string, version?: number): Promise<JsonObject[]> {
    const m = await this.waitFor((msg) => {
      const p = msg["params"] as JsonObject | undefined;
      return msg["method"] === "textDocument/publishDiagnostics" && p?.["uri"] === uri && (version === undefined || p?.["version"] === version);
    }, `diagnostics for ${uri}`);
    return ((m["params"] as JsonObject)["diagnostics"] as JsonObject[]);
  }

  kill(): void {
    this.child.kill();
  }
}

/** Applies LSP TextEdits (0-based lines, UTF-16 characters, \n or \r\n line ends) to a text, last first. */
export function applyTextEdits(text: string, edits: readonly JsonObject[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offset = (p: JsonObject): number => (lineStarts[p["line"] as number] ?? text.length) + (p["character"] as number);
  const sorted = edits
    .map((e) => ({ start: offset((e["range"] as JsonObject)["start"] as JsonObject), end: offset((e["range"] as JsonObject)["end"] as JsonObject), text: e["newText"] as string }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
