import type { Location } from "./finding.ts";

// One union, prefixed by area. src/cli prints "<location>: <message> [<code>]" and exits 2 for all of them.
export type ErrorCode =
  | "DOCKERFILE_SYNTAX"
  | "EXPANSION_FAILED"
  | "DOCKERFILE_EMPTY"
  | "INPUT_BINARY"
  | "INPUT_TOO_LARGE"
  | "INPUT_UNREADABLE"
  | "CONFIG_INVALID"
  | "USAGE";

export class DrydockError extends Error {
  override readonly name = "DrydockError";
  readonly code: ErrorCode;
  readonly location: Location | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: Location; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
  }
}

export function isDrydockError(e: unknown): e is DrydockError {
  return e instanceof DrydockError;
}

/** "file:line:col" (or less) for a location, as compilers print it. */
export function formatLocation(loc: Location | undefined): string {
  if (loc === undefined) return "";
  switch (loc.kind) {
    case "text":
      return `${loc.file}:${loc.start.line}:${loc.start.column}`;
    case "layer":
      return `${loc.image}@${loc.digest}:/${loc.path}`;
    case "ref":
      return loc.ref;
  }
}
