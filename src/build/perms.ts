// COPY/ADD --chmod and --chown as BuildKit reads them. --chmod: octal ("755", "0644") or symbolic chmod(1)
// clauses ("u+x", "go=rX", "a-w,u+s"), applied to each copied file's own mode. --chown: "user[:group]" with
// numeric ids or names looked up in the destination stage's /etc/passwd and /etc/group. Without a group, a
// numeric user gets the same number as gid and a named user its primary group from passwd (BuildKit's readUser).

export type ModeChange =
  | { kind: "octal"; mode: number }
  | { kind: "symbolic"; clauses: SymbolicClause[] };

interface SymbolicClause {
  who: number;
  op: "+" | "-" | "=";
  perms: string;
}

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 };

/** undefined when the text is neither octal nor symbolic. */
export function parseChmod(text: string): ModeChange | undefined {
  if (/^[0-7]{1,4}$/.test(text)) return { kind: "octal", mode: Number.parseInt(text, 8) };
  const clauses: SymbolicClause[] = [];
  for (const part of text.split(",")) {
    const m = /^([ugoa]*)([+\-=])([rwxXst]*)$/.exec(part);
    if (m === null) return undefined;
    const whoText = m[1] ?? "";
    let who = 0;
    for (const c of whoText === "" ? "a" : whoText) who |= WHO_BITS[c] ?? 0;
    clauses.push({ who, op: m[2] as "+" | "-" | "=", perms: m[3] ?? "" });
  }
  return { kind: "symbolic", clauses };
}

/** The mode a file gets: the octal mode, or the symbolic clauses applied to its own permission bits. */
export function applyChmod(change: ModeChange, mode: number, isDir: boolean): number {
  if (change.kind === "octal") return change.mode;
  let m = mode & 0o7777;
  for (const c of change.clauses) {
    let bits = 0;
    for (const p of c.perms) {
      if (p === "r") bits |= 0o444;
      else if (p === "w") bits |= 0o222;
      else if (p === "x") bits |= 0o111;
      else if (p === "X" && (isDir || (mode & 0o111) !== 0)) bits |= 0o111;
      else if (p === "s") bits |= 0o6000;
      else if (p === "t") bits |= 0o1000;
    }
    bits &= c.who;
    if (c.op === "+") m |= bits;
    else if (c.op === "-") m &= ~bits;
    else m = (m & ~(c.who & 0o777)) | bits;
  }
  return m & 0o7777;
}

export interface OwnerSpec {
  user: string;
  group: string | undefined;
}

export function parseChown(text: string): OwnerSpec | undefined {
  const parts = text.split(":");
  if (parts.length > 2 || parts[0] === "") return undefined;
  const group = parts[1];
  return { user: parts[0] as string, group: group === "" ? undefined : group };
}

export interface IdFiles {
  /** /etc/passwd of the stage, if it has one. */
  passwd: string | undefined;
  group: string | undefined;
}

/** Numeric ids for an owner spec; names need the id files. Returns an error message when a name is unknown. */
export function resolveOwner(spec: OwnerSpec, files: IdFiles): { uid: number; gid: number } | string {
  let uid: number;
  let primary: number;
  if (/^\d+$/.test(spec.user)) uid = primary = Number(spec.user);
  else {
    const entry = lookup(files.passwd, spec.user);
    if (entry === undefined) return `unable to find user ${spec.user}: ${files.passwd === undefined ? "the stage has no /etc/passwd" : "no matching entries in passwd file"}`;
    uid = entry.id;
    primary = entry.gid ?? entry.id;
  }
  if (spec.group === undefined) return { uid, gid: primary };
  if (/^\d+$/.test(spec.group)) return { uid, gid: Number(spec.group) };
  const gid = lookup(files.group, spec.group)?.id;
  if (gid === undefined) return `unable to find group ${spec.group}: ${files.group === undefined ? "the stage has no /etc/group" : "no matching entries in group file"}`;
  return { uid, gid };
}

/** The id (third field) of the named entry in a passwd or group file, and passwd's gid (fourth). */
function lookup(text: string | undefined, name: string): { id: number; gid: number | undefined } | undefined {
  if (text === undefined) return undefined;
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields[0] !== name || fields.length < 3) continue;
    const id = fields[2] ?? "";
    const gid = fields[3] ?? "";
    if (/^\d+$/.test(id)) return { id: Number(id), gid: /^\d+$/.test(gid) ? Number(gid) : undefined };
  }
  return undefined;
}
