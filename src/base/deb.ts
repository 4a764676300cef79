// Reading a .deb: an ar archive of debian-binary ("2.0"), control.tar and data.tar, each tar plain or compressed
// with gzip, xz or zstd. Everything is read in memory: packages in minimal bases are small, and they arrive as
// verified bytes anyway. Paths are cleaned to "usr/bin/x"; a path or hard link leaving the root is an error.
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { xz } from "@napi-rs/lzma";
import { extract } from "tar-stream";
import { DrydockError } from "../core/errors.ts";
import { parseDeb822, type Paragraph } from "./deb822.ts";

export interface DebEntry {
  /** Relative, "/"-separated, no "./" ("usr/share/doc/x/copyright"). */
  path: string;
  kind: "file" | "dir" | "symlink" | "hardlink";
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch, as in the package. */
  mtime: number;
  size: number;
  /** Symlink target as written; hard link target cleaned like path. */
  linkname?: string;
  content?: Uint8Array;
}

export interface DebPackage {
  /** The control file's paragraph, and its text exactly as shipped. */
  control: Paragraph;
  controlText: string;
  /** control.tar's md5sums and conffiles, when present. */
  md5sums: string | undefined;
  conffiles: string | undefined;
  entries: DebEntry[];
}

interface ArMember {
  name: string;
  data: Uint8Array;
}

const AR_MAGIC = "!<arch>\n";
const MAX_MEMBER_BYTES = 2 ** 31;

/** The members of an ar archive, in order. */
export function readAr(bytes: Uint8Array, what: string): ArMember[] {
  const text = (start: number, length: number): string => Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString("latin1");
  if (bytes.length < 8 || text(0, 8) !== AR_MAGIC) throw invalid(what, "is not an ar archive (no !<arch> magic)");
  const members: ArMember[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    if (offset + 60 > bytes.length) throw invalid(what, "ends inside an ar member header");
    const header = text(offset, 60);
    if (header.slice(58, 60) !== "`\n") throw invalid(what, `has a damaged ar header at byte ${offset}`);
    const name = header.slice(0, 16).trim().replace(/\/$/, "");
    const sizeText = header.slice(48, 58).trim();
    if (!/^\d+$/.test(sizeText)) throw invalid(what, `member ${JSON.stringify(name)} has an unreadable size`);
    const size = Number(sizeText);
    const start = offset + 60;
    if (size > MAX_MEMBER_BYTES || start + size > bytes.length) throw invalid(what, `member ${JSON.stringify(name)} runs past the end of the file`);
    members.push({ name, data: bytes.subarray(start, start + size) });
    offset = start + size + (size % 2);
  }
  return members;
}

/** Reads a whole .deb. what names it in errors. */
export async function readDeb(bytes: Uint8Array, what: string): Promise<DebPackage> {
  const members = readAr(bytes, what);
  const version = members[0];
  if (version?.name !== "debian-binary" || !Buffer.from(version.data).toString("latin1").startsWith("2.")) {
    throw invalid(what, "does not start with debian-binary 2.x; not a Debian binary package");
  }
  const controlMember = members.find((m) => m.name.startsWith("control.tar"));
  const dataMember = members.find((m) => m.name.startsWith("data.tar"));
  if (controlMember === undefined || dataMember === undefined) throw invalid(what, "lacks control.tar or data.tar");
  const controlFiles = await readTar(await decompressMember(controlMember, what), `${what} ${controlMember.name}`);
  const byName = new Map(controlFiles.filter((e) => e.kind === "file").map((e) => [e.path, e.content ?? new Uint8Array()]));
  const controlBytes = byName.get("control");
  if (controlBytes === undefined) throw invalid(what, "has no control file");
  const controlText = Buffer.from(controlBytes).toString("utf8");
  const control = parseDeb822(controlText, `${what} control`, "BASE_DEB_INVALID")[0];
  if (control === undefined) throw invalid(what, "has an empty control file");
  const textOf = (name: string): string | undefined => {
    const b = byName.get(name);
    return b === undefined ? undefined : Buffer.from(b).toString("utf8");
  };
  const entries = await readTar(await decompressMember(dataMember, what), `${what} ${dataMember.name}`);
  return { control, controlText, md5sums: textOf("md5sums"), conffiles: textOf("conffiles"), entries };
}

async function decompressMember(member: ArMember, what: string): Promise<Uint8Array> {
  const suffix = member.name.slice(member.name.indexOf(".tar") + 4);
  try {
    switch (suffix) {
      case "": return member.data;
      case ".gz": return gunzipSync(member.data);
      case ".xz": return await xz.decompress(member.data);
      case ".zst": return zstdDecompressSync(member.data);
    }
  } catch (e) {
    throw new DrydockError("BASE_DEB_INVALID", `${what}: ${member.name} cannot be decompressed`, { cause: e });
  }
  throw invalid(what, `uses ${member.name}; drydock reads gzip, xz, zstd or uncompressed members`);
}

/** The entries of an in-memory tar, contents included. */
export async function readTar(bytes: Uint8Array, what: string): Promise<DebEntry[]> {
  const out: DebEntry[] = [];
  const ex = extract();
  const reading = (async () => {
    for await (const entry of ex) {
      const h = entry.header;
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const path = cleanPath(h.name, what);
      if (path === "") continue;
      const base = { path, mode: h.mode & 0o7777, uid: h.uid, gid: h.gid, mtime: Math.floor(h.mtime.getTime() / 1000) };
      switch (h.type) {
        case "file":
        case "contiguous-file": {
          const content = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          out.push({ ...base, kind: "file", size: content.length, content });
          break;
        }
        case "directory":
          out.push({ ...base, kind: "dir", size: 0 });
          break;
        case "symlink":
          out.push({ ...base, kind: "symlink", size: 0, linkname: h.linkname });
          break;
        case "link": {
          const target = cleanPath(h.linkname, what);
          if (target === "") throw invalid(what, `hard link ${path} points at the root`);
          out.push({ ...base, kind: "hardlink", size: 0, linkname: target });
          break;
        }
        default:
          throw invalid(what, `holds ${h.type} ${path}; device nodes and FIFOs are not supported in a base image`);
      }
    }
  })();
  ex.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  try {
    await reading;
  } catch (e) {
    if (e instanceof DrydockError) throw e;
    throw new DrydockError("BASE_DEB_INVALID", `${what} is not a readable tar archive`, { cause: e });
  }
  return out;
}

/** "./usr/bin/x" → "usr/bin/x"; "./" → ""; a path that climbs out of the root is an error. */
function cleanPath(name: string, what: string): string {
  const parts: string[] = [];
  for (const c of name.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") throw new DrydockError("BASE_DEB_INVALID", `${what}: entry ${JSON.stringify(name)} climbs out of the root; the package is not used`);
    parts.push(c);
  }
  return parts.join("/");
}

function invalid(what: string, message: string): DrydockError {
  return new DrydockError("BASE_DEB_INVALID", `${what} ${message}`);
}
