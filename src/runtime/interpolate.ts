// Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
// `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`, nested in defaults, and `$$` for a literal `$`.
// Variables come from the project's `.env` (and whatever the caller adds); an unset variable without a default
// becomes "" as in compose, and is reported as unresolved so that checks do not judge a value nobody knows.

export interface Interpolation {
  value: string;
  /** Names of variables used without a value and without a default. */
  unresolved: string[];
  /** Whether the text held any `$` construct at all (so the value is no longer the text as written). */
  changed: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: ReadonlyMap<string, string>): Interpolation {
  if (!text.includes("$")) return { value: text, unresolved: [], changed: false };
  const unresolved: string[] = [];
  const value = expand(text, env, unresolved, 0);
  return { value, unresolved, changed: true };
}

/** Nesting of `${A:-${B:-...}}` followed; deeper text is kept as written. */
const MAX_NESTING = 16;

function expand(text: string, env: ReadonlyMap<string, string>, unresolved: string[], depth: number): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const close = matchingBrace(text, dollar + 2);
      if (close === -1 || depth >= MAX_NESTING) {
        out += text.slice(dollar); // compose rejects this; keep it as written rather than guess
        break;
      }
      out += braced(text.slice(dollar + 2, close), env, unresolved, depth);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        out += "$";
        i = dollar + 1;
      } else {
        out += lookup(name, env, unresolved);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`; -1 if none. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function braced(body: string, env: ReadonlyMap<string, string>, unresolved: string[], depth: number): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) return `\${${body}}`;
  const rest = body.slice(name.length);
  const value = env.get(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== "";
  const operand = (op: string): string => expand(rest.slice(op.length), env, unresolved, depth + 1);
  if (rest === "") return lookup(name, env, unresolved);
  if (rest.startsWith(":-")) return nonEmpty ? value : operand(":-");
  if (rest.startsWith("-")) return set ? value : operand("-");
  if (rest.startsWith(":+")) return nonEmpty ? operand(":+") : "";
  if (rest.startsWith("+")) return set ? operand("+") : "";
  if (rest.startsWith(":?") || rest.startsWith("?")) {
    if (rest.startsWith(":?") ? nonEmpty : set) return value ?? "";
    unresolved.push(name); // compose stops with the error message; we only refuse to judge the value
    return "";
  }
  return `\${${body}}`;
}

function lookup(name: string, env: ReadonlyMap<string, string>, unresolved: string[]): string {
  const value = env.get(name);
  if (value === undefined) {
    unresolved.push(name);
    return "";
  }
  return value;
}

/**
 * Reads a `.env` file as compose does for the common forms: `NAME=value`, `export NAME=value`, quoted values
 * (double quotes with `\n`-style escapes, single quotes literal), `#` comments, and earlier variables interpolated.
 */
export function parseDotEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (m === null) continue;
    const name = m[1] ?? "";
    const rest = m[2] ?? "";
    let value: string;
    if (rest.startsWith('"')) {
      const end = rest.indexOf('"', 1);
      const inner = rest.slice(1, end === -1 ? undefined : end);
      value = expand(inner.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\(["\\])/g, "$1"), env, [], 0);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      value = rest.slice(1, end === -1 ? undefined : end);
    } else {
      value = expand(rest.replace(/\s+#.*$/, "").trim(), env, [], 0);
    }
    env.set(name, value);
  }
  return env;
}
