// The short textual forms compose files and `docker run` share: port publishing (`127.0.0.1:8080:80/tcp`), volume
// specs (`/src:/dst:ro,rshared`), `--mount` CSV, security options (`seccomp=unconfined`, legacy `label:disable`),
// image references, capability names and restart policies. Pure parsers; callers attach locations.

export interface PortSpec {
  hostIp: string | undefined;
  hostPort: number | undefined;
  containerPort: number | undefined;
  protocol: string;
}

/**
 * `[ip:][hostPort:]containerPort[/protocol]`, ports possibly ranges (`8000-8010`), the IP possibly an IPv6 address in
 * brackets. 0.0.0.0 and :: mean every interface and are returned as undefined, like an IP left out.
 */
export function parsePortSpec(text: string): PortSpec | undefined {
  const slash = text.lastIndexOf("/");
  const protocol = slash === -1 ? "tcp" : text.slice(slash + 1).toLowerCase();
  let rest = slash === -1 ? text : text.slice(0, slash);
  let ip: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) return undefined;
    ip = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (rest.startsWith(":")) rest = rest.slice(1);
    const parts = rest.split(":");
    return portParts(ip, parts.length === 1 ? "" : parts[0] ?? "", parts[parts.length - 1] ?? "", protocol);
  }
  const parts = rest.split(":");
  if (parts.length === 1) return portParts(undefined, "", parts[0] ?? "", protocol);
  if (parts.length === 2) return portParts(undefined, parts[0] ?? "", parts[1] ?? "", protocol);
  // ip:host:container, the IP possibly an unbracketed IPv6 address.
  ip = parts.slice(0, -2).join(":");
  return portParts(ip, parts[parts.length - 2] ?? "", parts[parts.length - 1] ?? "", protocol);
}

function portParts(ip: string | undefined, host: string, container: string, protocol: string): PortSpec | undefined {
  const containerPort = firstPort(container);
  if (containerPort === undefined) return undefined;
  return { hostIp: normalizeHostIp(ip), hostPort: firstPort(host), containerPort, protocol };
}

export function normalizeHostIp(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const bare = ip.replace(/^\[|\]$/g, "");
  return bare === "" || bare === "0.0.0.0" || bare === "::" ? undefined : bare;
}

/** The first port of `80` or `8000-8010`; undefined for "" or anything not a port. */
export function firstPort(text: string): number | undefined {
  const m = /^\s*(\d{1,5})(?:\s*-\s*\d{1,5})?\s*$/.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n <= 65535 ? n : undefined;
}

export interface VolumeSpec {
  source: string | undefined;
  target: string | undefined;
  options: string[];
  /** A host path (absolute, relative, `~`, a Windows drive or pipe), as opposed to a named or anonymous volume. */
  bind: boolean;
}

/** `source:target[:options]` or just `target` (an anonymous volume). Windows drive letters are not separators. */
export function parseVolumeSpec(text: string): VolumeSpec {
  const parts = splitVolumeSpec(text);
  if (parts.length === 1) return { source: undefined, target: parts[0], options: [], bind: false };
  const source = parts[0] ?? "";
  const target = parts[1];
  const options = (parts[2] ?? "").split(",").map((o) => o.trim()).filter((o) => o !== "");
  return { source, target, options, bind: isHostPath(source) };
}

function splitVolumeSpec(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ":") continue;
    // `C:\` or `C:/` at the start of a part is a drive letter, not a separator.
    if (i - start === 1 && /[A-Za-z]/.test(text[start] ?? "") && /[\\/]/.test(text[i + 1] ?? "")) continue;
    parts.push(text.slice(start, i));
    start = i + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Whether a mount source names a host path rather than a volume. */
export function isHostPath(source: string): boolean {
  return /^(?:[/.~$]|[A-Za-z]:[\\/]|\\\\)/.test(source) || source.includes("/");
}

export function isReadOnlyOption(options: readonly string[]): boolean {
  return options.includes("ro") || options.includes("readonly");
}

const PROPAGATIONS = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);

export function propagationOption(options: readonly string[]): string | undefined {
  return options.find((o) => PROPAGATIONS.has(o));
}

export interface MountSpec {
  type: string;
  source: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  propagation: string | undefined;
}

/** `--mount type=bind,source=/x,target=/y,readonly,bind-propagation=rshared` (CSV fields, keys as docker reads them). */
export function parseMountSpec(text: string): MountSpec {
  const spec: MountSpec = { type: "volume", source: undefined, target: undefined, readOnly: false, propagation: undefined };
  for (const field of splitCsv(text)) {
    const eq = field.indexOf("=");
    const key = (eq === -1 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? undefined : field.slice(eq + 1).trim();
    if (key === "type" && value !== undefined) spec.type = value.toLowerCase();
    else if ((key === "source" || key === "src") && value !== undefined) spec.source = value;
    else if ((key === "target" || key === "destination" || key === "dst") && value !== undefined) spec.target = value;
    else if (key === "readonly" || key === "ro") spec.readOnly = value === undefined || ["1", "true"].includes(value.toLowerCase());
    else if (key === "bind-propagation" && value !== undefined) spec.propagation = value;
  }
  return spec;
}

/** Comma-separated fields; a field may be double-quoted (docker reads --mount with Go's CSV reader). */
function splitCsv(text: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

export interface SecurityOpt {
  key: string;
  value: string | undefined;
}

/** `key=value`, or the legacy `key:value` docker still accepts; `no-new-privileges` alone means true. */
export function parseSecurityOpt(text: string): SecurityOpt {
  const eq = text.indexOf("=");
  const colon = text.indexOf(":");
  const at = eq !== -1 ? eq : colon;
  if (at === -1) return { key: text.trim().toLowerCase(), value: undefined };
  return { key: text.slice(0, at).trim().toLowerCase(), value: text.slice(at + 1).trim() };
}

/** Canonical seccomp setting: "Unconfined", "RuntimeDefault" or "Localhost" (a profile file). */
export function seccompOf(value: string): string {
  const v = value.trim();
  if (v.toLowerCase() === "unconfined") return "Unconfined";
  if (v === "" || v.toLowerCase() === "builtin" || v === "runtime/default" || v === "docker/default") return "RuntimeDefault";
  return "Localhost";
}

/** Canonical AppArmor setting: "Unconfined", "RuntimeDefault" or "Localhost" (a named profile). */
export function apparmorOf(value: string): string {
  const v = value.trim();
  if (v.toLowerCase() === "unconfined") return "Unconfined";
  if (v === "" || v === "docker-default" || v === "runtime/default") return "RuntimeDefault";
  return "Localhost";
}

export interface ImageRef {
  /** Repository with registry, without tag or digest. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** `registry:5000/repo/name:tag@sha256:...`: a colon after the last slash starts the tag, one before it is a port. */
export function parseImageRef(text: string): ImageRef {
  const at = text.indexOf("@");
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const rest = at === -1 ? text : text.slice(0, at);
  const colon = rest.lastIndexOf(":");
  const slash = rest.lastIndexOf("/");
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: undefined, digest };
}

/** Template placeholders documentation and generators leave in image names: `%%IMAGE%%`, `<image>`, `{{ .Image }}`. */
export function isPlaceholderImage(text: string): boolean {
  return /%%|^<[^>]*>$|\{\{|\$\{?[A-Za-z_]/.test(text);
}

/** `CAP_SYS_ADMIN`, `sys_admin` and `SYS_ADMIN` are one capability. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** Restart policy as docker names it: compose's deploy.restart_policy conditions mapped onto it. */
export function normalizeRestart(value: string): string {
  const v = value.trim().toLowerCase();
  if (v === "any") return "always";
  if (v === "none" || v === "false") return "no";
  return v;
}
