// The account databases of an image: /etc/passwd, /etc/group and /etc/shadow (and BSD's master.passwd, which
// has the password in the second field as shadow does). Lines are colon-separated; comments and blank lines skipped.
import type { ImageCheckContext, KeptFile } from "../../../core/image-check.ts";

export const ACCOUNT_FILES = ["etc/passwd", "etc/group", "etc/shadow", "etc/gshadow", "etc/master.passwd"] as const;

export interface AccountLine {
  /** 1-based line in the file. */
  line: number;
  fields: string[];
}

export interface AccountFile {
  file: KeptFile;
  lines: AccountLine[];
}

/** The visible version of an account file, parsed; undefined when the image has none. */
export function readAccountFile(ctx: ImageCheckContext, path: (typeof ACCOUNT_FILES)[number]): AccountFile | undefined {
  const file = ctx.visibleFile(path);
  if (file === undefined) return undefined;
  return { file, lines: parseAccountLines(Buffer.from(file.bytes).toString("utf8")) };
}

export function parseAccountLines(text: string): AccountLine[] {
  const out: AccountLine[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || line.startsWith("#")) return;
    // NIS compat entries (`+`, `+name`, `-name`) pull accounts from elsewhere: not accounts of this file.
    if (line.startsWith("+") || line.startsWith("-")) return;
    out.push({ line: i + 1, fields: line.split(":") });
  });
  return out;
}

/** The uid a user name has in /etc/passwd, or undefined. */
export function uidOf(passwd: AccountFile | undefined, name: string): number | undefined {
  const entry = passwd?.lines.find((l) => l.fields[0] === name);
  const uid = entry?.fields[2];
  return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
}
