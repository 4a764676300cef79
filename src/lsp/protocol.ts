// JSON-RPC 2.0 as the Language Server Protocol frames it: `Content-Length: N\r\n\r\n` then N bytes of UTF-8 JSON.
// The reader takes chunks as they arrive (a frame may be split anywhere, several may come at once), bounds what it
// buffers, and turns every bad frame into an error event instead of throwing: a client's mistake costs one message,
// never the server. The connection routes requests and notifications to handlers and answers each request once.

export type RequestId = number | string;

export interface RequestMessage {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: unknown;
}

export interface NotificationMessage {
  jsonrpc: "2.0";
  method: string;
  params?: unknown;
}

export interface ResponseError {
  code: number;
  message: string;
  data?: unknown;
}

export interface ResponseMessage {
  jsonrpc: "2.0";
  id: RequestId | null;
  result?: unknown;
  error?: ResponseError;
}

export type Message = RequestMessage | NotificationMessage | ResponseMessage;

/** JSON-RPC's reserved codes and the two LSP adds. */
export const ERROR_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  serverNotInitialized: -32002,
  requestCancelled: -32800,
} as const;

/** A handler throws this to answer a request with a specific JSON-RPC error. */
export class RpcError extends Error {
  override readonly name = "RpcError";
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** What the reader made of the bytes: a message, or a frame that could not be one (answered with an error). */
export type ReadEvent =
  | { kind: "message"; message: Message }
  | { kind: "error"; error: ResponseError; id: RequestId | null };

/** A whole document, several times over; editors send the full text of a file in one message at most. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Headers are two short lines; more than this without the blank line is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from("\r\n\r\n");

export class MessageReader {
  private readonly maxBytes: number;
  private buffer: Buffer = Buffer.alloc(0);
  /** Body length of the frame whose header has been read; undefined while reading a header. */
  private bodyLength: number | undefined;
  /** Bytes still to drop of a frame too large to keep. */
  private skipping = 0;

  constructor(options: { maxMessageBytes?: number } = {}) {
    this.maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Everything the chunk completes, in order. */
  push(chunk: Uint8Array): ReadEvent[] {
    const events: ReadEvent[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skipping > 0) {
      const dropped = Math.min(this.skipping, data.length);
      this.skipping -= dropped;
      data = data.subarray(dropped);
    }
    this.buffer = this.buffer.length === 0 ? Buffer.from(data) : Buffer.concat([this.buffer, data]);
    for (;;) {
      if (this.bodyLength === undefined) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end === -1) {
          if (this.buffer.length > MAX_HEADER_BYTES) {
            events.push(frameError(`no end of header within ${MAX_HEADER_BYTES} bytes; the input was dropped`));
            this.buffer = Buffer.alloc(0);
          }
          return events;
        }
        const header = this.buffer.subarray(0, end).toString("latin1");
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        const length = contentLength(header);
        if (typeof length === "string") {
          events.push(frameError(length));
          continue;
        }
        if (length > this.maxBytes) {
          events.push(frameError(`a message of ${length} bytes is larger than the ${this.maxBytes} this server reads; it was dropped`));
          const dropped = Math.min(length, this.buffer.length);
          this.skipping = length - dropped;
          this.buffer = this.buffer.subarray(dropped);
          continue;
        }
        this.bodyLength = length;
      }
      if (this.buffer.length < this.bodyLength) return events;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = undefined;
      events.push(decodeBody(body));
    }
  }
}

function frameError(message: string): ReadEvent {
  return { kind: "error", error: { code: ERROR_CODES.parseError, message }, id: null };
}

/** The body length a header block gives, or why it gives none. */
function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) return `header line ${JSON.stringify(line.slice(0, 80))} is not "Name: value"`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value)) return `Content-Length ${JSON.stringify(value.slice(0, 80))} is not a byte count`;
      length = Number(value);
    } else if (name === "content-type") {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(value)?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") return `charset ${charset} is not supported (only utf-8)`;
    }
  }
  return length ?? "a header without Content-Length";
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeBody(body: Buffer): ReadEvent {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(body));
  } catch (e) {
    const reason = e instanceof SyntaxError ? e.message : "the body is not UTF-8";
    return { kind: "error", error: { code: ERROR_CODES.parseError, message: `the message is not JSON: ${reason}` }, id: null };
  }
  return toMessage(value);
}

/** Checks the shape JSON-RPC 2.0 requires of a parsed message. */
export function toMessage(value: unknown): ReadEvent {
  if (!isRecord(value)) return invalid("a message must be a JSON object (batches are not used by LSP)", null);
  const id = value["id"];
  const validId = typeof id === "number" || typeof id === "string" ? id : null;
  if (value["jsonrpc"] !== "2.0") return invalid('"jsonrpc" must be "2.0"', validId);
  const method = value["method"];
  if (typeof method === "string") {
    if (id === undefined) return { kind: "message", message: { jsonrpc: "2.0", method, ...paramsOf(value) } };
    if (validId === null) return invalid('"id" must be a number or a string', null);
    return { kind: "message", message: { jsonrpc: "2.0", id: validId, method, ...paramsOf(value) } };
  }
  if (method !== undefined) return invalid('"method" must be a string', validId);
  if ("result" in value || isRecord(value["error"])) {
    const error = value["error"];
    const message: ResponseMessage = { jsonrpc: "2.0", id: validId };
    if (isRecord(error)) {
      message.error = { code: typeof error["code"] === "number" ? error["code"] : ERROR_CODES.internalError, message: String(error["message"] ?? "") };
    } else message.result = value["result"];
    return { kind: "message", message };
  }
  return invalid("a message needs a method (request, notification) or a result or error (response)", validId);
}

function paramsOf(value: Record<string, unknown>): { params?: unknown } {
  return "params" in value ? { params: value["params"] } : {};
}

function invalid(message: string, id: RequestId | null): ReadEvent {
  return { kind: "error", error: { code: ERROR_CODES.invalidRequest, message }, id };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One frame: the header counts bytes of UTF-8, not characters. */
export function encodeMessage(message: Message): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body, "utf8")}\r\n\r\n${body}`;
}

export function isRequest(m: Message): m is RequestMessage {
  return "method" in m && "id" in m;
}

export function isNotification(m: Message): m is NotificationMessage {
  return "method" in m && !("id" in m);
}

export interface ConnectionHandlers {
  /** Answers a request; throw RpcError for a protocol error, anything else becomes an internal error. */
  request(method: string, params: unknown, id: RequestId): unknown;
  notification(method: string, params: unknown): void;
}

/** Requests and notifications in, responses out; also sends our own requests and matches their responses. */
export class Connection {
  private readonly reader: MessageReader;
  private readonly write: (frame: string) => void;
  private readonly handlers: ConnectionHandlers;
  private readonly pending = new Map<RequestId, (response: ResponseMessage) => void>();
  private nextId = 1;
  private closed = false;

  constructor(write: (frame: string) => void, handlers: ConnectionHandlers, options: { maxMessageBytes?: number } = {}) {
    this.write = write;
    this.handlers = handlers;
    this.reader = new MessageReader(options);
  }

  receive(chunk: Uint8Array): void {
    for (const event of this.reader.push(chunk)) {
      if (this.closed) return;
      if (event.kind === "error") this.send({ jsonrpc: "2.0", id: event.id, error: event.error });
      else this.dispatch(event.message);
    }
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** A request to the client; resolves with its result, rejects with its error. */
  request(method: string, params: unknown): Promise<unknown> {
    const id = `drydock-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (response) => (response.error === undefined ? resolve(response.result) : reject(new RpcError(response.error.code, response.error.message))));
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  /** Nothing is sent or handled after this. */
  close(): void {
    this.closed = true;
    this.pending.clear();
  }

  private send(message: Message): void {
    if (!this.closed) this.write(encodeMessage(message));
  }

  private dispatch(message: Message): void {
    if (isRequest(message)) {
      void this.answer(message);
    } else if (isNotification(message)) {
      try {
        this.handlers.notification(message.method, message.params);
      } catch {
        // A notification has no answer to carry an error; a bad one is dropped and the server goes on.
      }
    } else if (message.id !== null) {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message);
    }
  }

  private async answer(request: RequestMessage): Promise<void> {
    try {
      const result = await this.handlers.request(request.method, request.params, request.id);
      this.send({ jsonrpc: "2.0", id: request.id, result: result ?? null });
    } catch (e) {
      const error: ResponseError = e instanceof RpcError
        ? { code: e.code, message: e.message }
        : { code: ERROR_CODES.internalError, message: `drydock failed on ${request.method}: ${e instanceof Error ? e.message : String(e)}` };
      this.send({ jsonrpc: "2.0", id: request.id, error });
    }
  }
}
