// Package URLs (https://github.com/package-url/purl-spec): pkg:type/namespace/name@version?qualifiers#subpath.
// One builder for every cataloger so encoding and normalisation are the same everywhere.

export interface PurlParts {
  type: string;
  namespace?: string | undefined;
  name: string;
  version?: string | undefined;
  /** Sorted by key on output; empty values are dropped (the spec says so). */
  qualifiers?: Record<string, string | undefined>;
  subpath?: string | undefined;
}

/** Percent-encodes everything but the purl "unreserved" set; ":" is kept (the spec allows it unencoded). */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ":").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Types whose names and namespaces the spec lowercases. npm and golang keep their case: legacy npm names
 * (JSONStream) and Go module paths (github.com/Azure/...) are case-sensitive where they are resolved.
 */
const LOWERCASE_NAME = new Set(["apk", "bitbucket", "composer", "deb", "github", "hex"]);

/** PyPI normalises runs of "-", "_" and "." to "-" and lowercases (PEP 503); the purl spec asks for that. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export function purl(parts: PurlParts): string {
  const type = parts.type.toLowerCase();
  let name = parts.name;
  let namespace = parts.namespace;
  if (type === "pypi") name = pypiName(name);
  else if (LOWERCASE_NAME.has(type)) {
    name = name.toLowerCase();
    namespace = namespace?.toLowerCase();
  }
  let out = `pkg:${type}/`;
  if (namespace !== undefined && namespace !== "") {
    out += `${namespace.split("/").filter((s) => s !== "").map(encodeSegment).join("/")}/`;
  }
  out += encodeSegment(name);
  if (parts.version !== undefined && parts.version !== "") out += `@${encodeSegment(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (qualifiers.length > 0) out += `?${qualifiers.map(([k, v]) => `${k}=${encodeSegment(v)}`).join("&")}`;
  if (parts.subpath !== undefined && parts.subpath !== "") {
    const segments = parts.subpath.split("/").filter((s) => s !== "" && s !== "." && s !== "..");
    if (segments.length > 0) out += `#${segments.map(encodeSegment).join("/")}`;
  }
  return out;
}

/** Parses a purl back into its parts (decoding percent-escapes); undefined when it is not one. */
export function parsePurl(text: string): PurlParts | undefined {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/([^?#]+?)(?:@([^?#/]*))?(?:\?([^#]*))?(?:#(.*))?$/.exec(text.trim());
  if (m === null) return undefined;
  const decode = (s: string): string | undefined => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const path = (m[2] as string).split("/").filter((s) => s !== "");
  const rawName = path.pop();
  if (rawName === undefined) return undefined;
  const name = decode(rawName);
  if (name === undefined) return undefined;
  const namespaceParts = path.map(decode);
  if (namespaceParts.some((s) => s === undefined)) return undefined;
  const qualifiers: Record<string, string> = {};
  for (const pair of (m[4] ?? "").split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const value = decode(pair.slice(eq + 1));
    if (value !== undefined) qualifiers[pair.slice(0, eq).toLowerCase()] = value;
  }
  const version = m[3] === undefined ? undefined : decode(m[3]);
  const subpath = m[5] === undefined ? undefined : decode(m[5]);
  return {
    type: (m[1] as string).toLowerCase(),
    ...(namespaceParts.length > 0 ? { namespace: namespaceParts.join("/") } : {}),
    name,
    ...(version === undefined ? {} : { version }),
    ...(Object.keys(qualifiers).length > 0 ? { qualifiers } : {}),
    ...(subpath === undefined ? {} : { subpath }),
  };
}
