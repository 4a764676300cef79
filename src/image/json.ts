// Reading untrusted JSON documents (manifests, indexes, configs): parse, then check each field's type.
import { DrydockError, type ErrorCode } from "../core/errors.ts";

export type JsonObject = Readonly<Record<string, unknown>>;

export function parseJson(bytes: Uint8Array, what: string, code: ErrorCode): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new DrydockError(code, `${what} is not UTF-8 text`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DrydockError(code, `${what} is not valid JSON (${e instanceof SyntaxError ? e.message : "parse error"})`, { cause: e });
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Field readers: null counts as absent (Go writes nil slices and maps as null). */
export class Fields {
  readonly obj: JsonObject;
  readonly where: string;
  readonly code: ErrorCode;

  constructor(obj: JsonObject, where: string, code: ErrorCode) {
    this.obj = obj;
    this.where = where;
    this.code = code;
  }

  static of(value: unknown, where: string, code: ErrorCode): Fields {
    if (!isObject(value)) throw new DrydockError(code, `${where} is not a JSON object`);
    return new Fields(value, where, code);
  }

  error(key: string, expected: string): DrydockError {
    return new DrydockError(this.code, `${this.where}: "${key}" must be ${expected}`);
  }

  fail(key: string, expected: string): never {
    throw this.error(key, expected);
  }

  has(key: string): boolean {
    const v = this.obj[key];
    return v !== undefined && v !== null;
  }

  string(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") this.fail(key, "a string");
    return v;
  }

  requiredString(key: string): string {
    return this.string(key) ?? this.fail(key, "a string");
  }

  number(key: string): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(key, "a number");
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") this.fail(key, "true or false");
    return v;
  }

  strings(key: string): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) this.fail(key, "an array of strings");
    return v as string[];
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v) || !Object.values(v).every((s) => typeof s === "string")) this.fail(key, "an object of strings");
    return { ...(v as Record<string, string>) };
  }

  /** The keys of an object used as a set ({"80/tcp": {}}). */
  keys(key: string): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(key, "an object");
    return Object.keys(v);
  }

  object(key: string): Fields | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(key, "an object");
    return new Fields(v, `${this.where}.${key}`, this.code);
  }

  array(key: string): readonly unknown[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(key, "an array");
    return v;
  }
}
