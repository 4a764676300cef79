// Validators for label values (hadolint's label-schema types) and label keys. Each follows the standard the
// type names; where hadolint's library is narrower than the standard, the standard wins (noted at the function).
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from "./spdx-ids.ts";

/**
 * Docker's label key guideline as hadolint checks it: starts with a lower-case letter, ends with one or a digit,
 * only `[a-z0-9._/-]`, no `..` or `--`, and not in the namespaces Docker reserves for itself.
 */
export function labelKeyProblem(key: string): string | undefined {
  if (key === "") return "is empty";
  if (!/^[a-z]/.test(key)) return "must start with a lower-case letter";
  if (!/[a-z0-9]$/.test(key)) return "must end with a lower-case letter or a digit";
  const bad = /[^a-z0-9._/-]/.exec(key);
  if (bad !== null) return `contains ${JSON.stringify(bad[0])}: only lower-case letters, digits, ".", "-", "_" and "/" are allowed`;
  if (key.includes("..") || key.includes("--")) return `contains "${key.includes("..") ? ".." : "--"}"`;
  for (const ns of RESERVED_NAMESPACES) if (key.startsWith(ns)) return `uses the reserved namespace "${ns}"`;
  return undefined;
}

const RESERVED_NAMESPACES = ["com.docker.", "io.docker.", "org.dockerproject."];

// --- URL: an absolute URI of RFC 3986 (scheme required, fragment allowed), as Haskell's Network.URI.parseURI.

const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = "%[0-9A-Fa-f]{2}";
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const QUERY = `(?:${PCHAR}|[/?])*`;
const URI = new RegExp(
  `^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):` +
  `(?:\\/\\/(?<authority>[^/?#]*)(?<abempty>(?:\\/${SEGMENT})*)` +
  `|\\/(?:${SEGMENT_NZ}(?:\\/${SEGMENT})*)?` +
  `|${SEGMENT_NZ}(?:\\/${SEGMENT})*` +
  `|)` +
  `(?:\\?${QUERY})?(?:#${QUERY})?$`,
);
const AUTHORITY = new RegExp(`^(?:(?<userinfo>${USERINFO})@)?(?<host>\\[[^\\]]*\\]|[^:]*)(?::(?<port>[0-9]*))?$`);
const REG_NAME_RE = new RegExp(`^${REG_NAME}$`);
const IPV_FUTURE = new RegExp(`^v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+$`);

export function isAbsoluteUri(value: string): boolean {
  const m = URI.exec(value);
  if (m === null) return false;
  const authority = m.groups?.["authority"];
  if (authority === undefined) return true;
  const a = AUTHORITY.exec(authority);
  if (a === null) return false;
  const host = a.groups?.["host"] ?? "";
  if (host.startsWith("[")) {
    const inner = host.slice(1, -1);
    return isIPv6(inner) || IPV_FUTURE.test(inner);
  }
  return REG_NAME_RE.test(host);
}

/** Dotted IPv4 without leading zeros (Go's net.ParseIP, RFC 3986's IPv4address). */
export function isIPv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 text form: up to eight groups, one `::`, an IPv4 tail allowed in the last 32 bits. */
export function isIPv6(s: string): boolean {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (part: string): string[] | undefined => (part === "" ? [] : part.split(":"));
  const head = groupsOf(halves[0] ?? "");
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "") : [];
  if (head === undefined || tail === undefined) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] ?? "";
    if (i === all.length - 1 && g.includes(".")) {
      if (!isIPv4(g)) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

// --- RFC 3339 date-time (section 5.6), with the calendar and clock ranges it states.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

export function isRfc3339DateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// --- Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional -pre.release and +build, no leading zeros.

const NUMERIC = "(?:0|[1-9][0-9]*)";
const PRE_IDENT = `(?:${NUMERIC}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(
  `^${NUMERIC}\\.${NUMERIC}\\.${NUMERIC}(?:-${PRE_IDENT}(?:\\.${PRE_IDENT})*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

// --- Git commit hash: hadolint takes 7 (short) or 40 (SHA-1) lower-case hex digits.

export function isGitHash(value: string): boolean {
  return /^(?:[0-9a-f]{7}|[0-9a-f]{40})$/.test(value);
}

// --- E-mail: an RFC 5322 addr-spec (dot-atom or quoted local part; dot-atom or literal domain).

const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
// qtext is printable ASCII except `"` and `\`; quoted-pair escapes any printable character or space.
const QUOTED_STRING = '"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*"';
const DOMAIN_LITERAL = "\\[(?:[\\x21-\\x5A\\x5E-\\x7E]|\\\\[\\x20-\\x7E])*\\]";
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|${QUOTED_STRING})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

export function isEmailAddress(value: string): boolean {
  return ADDR_SPEC.test(value);
}

// --- SPDX: a license expression (SPDX spec annex D). hadolint accepts a single identifier only, although the
// OCI `org.opencontainers.image.licenses` annotation is defined as an expression (hadolint issue #992).

const LICENSE_IDS = new Map(SPDX_LICENSE_IDS.map((id) => [id.toLowerCase(), id]));
const EXCEPTION_IDS = new Map(SPDX_EXCEPTION_IDS.map((id) => [id.toLowerCase(), id]));
const IDSTRING = "[A-Za-z0-9.-]+";
const LICENSE_REF = new RegExp(`^(?:DocumentRef-${IDSTRING}:)?LicenseRef-${IDSTRING}$`);
const ADDITION_REF = new RegExp(`^(?:DocumentRef-${IDSTRING}:)?AdditionRef-${IDSTRING}$`);
const OPERATORS = new Set(["AND", "and", "OR", "or", "WITH", "with"]);

/** Why the value is not a valid SPDX license expression, or undefined when it is. Ids match case-insensitively. */
export function spdxExpressionProblem(value: string): string | undefined {
  const tokens = value.match(/\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length === 0) return "is empty";
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  // Recursive descent over: or-expr := and-expr (OR and-expr)*; and-expr := with-expr (AND with-expr)*;
  // with-expr := primary [WITH exception]; primary := "(" or-expr ")" | simple.
  const orExpr = (): string | undefined => {
    const p = andExpr();
    if (p !== undefined) return p;
    while (peek()?.toUpperCase() === "OR" && OPERATORS.has(peek() ?? "")) {
      at++;
      const q = andExpr();
      if (q !== undefined) return q;
    }
    return undefined;
  };
  const andExpr = (): string | undefined => {
    const p = withExpr();
    if (p !== undefined) return p;
    while (peek()?.toUpperCase() === "AND" && OPERATORS.has(peek() ?? "")) {
      at++;
      const q = withExpr();
      if (q !== undefined) return q;
    }
    return undefined;
  };
  const withExpr = (): string | undefined => {
    const p = primary();
    if (p !== undefined) return p;
    if (peek()?.toUpperCase() === "WITH" && OPERATORS.has(peek() ?? "")) {
      at++;
      const exception = tokens[at++];
      if (exception === undefined) return "ends after WITH";
      if (!EXCEPTION_IDS.has(exception.toLowerCase()) && !ADDITION_REF.test(exception)) {
        return `"${exception}" is not an SPDX license exception identifier`;
      }
    }
    return undefined;
  };
  const primary = (): string | undefined => {
    const token = tokens[at++];
    if (token === undefined) return "ends where a license was expected";
    if (token === "(") {
      const p = orExpr();
      if (p !== undefined) return p;
      if (tokens[at++] !== ")") return "has an unclosed parenthesis";
      return undefined;
    }
    if (token === ")" || OPERATORS.has(token)) return `has "${token}" where a license was expected`;
    if (LICENSE_REF.test(token)) return undefined;
    const id = token.endsWith("+") ? token.slice(0, -1) : token;
    if (!LICENSE_IDS.has(id.toLowerCase())) return `"${token}" is not an SPDX license identifier`;
    return undefined;
  };
  const problem = orExpr();
  if (problem !== undefined) return problem;
  if (at < tokens.length) return `has "${tokens[at] ?? ""}" after a complete expression`;
  return undefined;
}

/** The identifier as the SPDX list spells it, when value is one (in any case). */
export function canonicalSpdxId(value: string): string | undefined {
  return LICENSE_IDS.get(value.toLowerCase());
}
