// deb822 control data (Release, Packages, a .deb's control file, dpkg's status): paragraphs of "Field: value"
// lines. Field names keep their spelling and order (the status file is written back from them); lookups ignore
// case, as dpkg does. Continuation lines are kept as written, so multi-line fields round-trip.
import { DrydockError, type ErrorCode } from "../core/errors.ts";

export interface Paragraph {
  /** Fields in file order, names as written. Multi-line values keep their "\n" + leading-space lines. */
  readonly fields: readonly (readonly [string, string])[];
  /** Lowercased name → value. */
  readonly byName: ReadonlyMap<string, string>;
}

/** A field's value, or undefined when the paragraph lacks it. */
export function field(p: Paragraph, name: string): string | undefined {
  return p.byName.get(name.toLowerCase());
}

/**
 * Paragraphs of text. A line that is neither a field, a continuation nor blank is an error (code, with `what`
 * naming the document and the 1-based line): signed and hashed indexes are not expected to be malformed.
 */
export function parseDeb822(text: string, what: string, code: ErrorCode): Paragraph[] {
  const out: Paragraph[] = [];
  let fields: [string, string][] = [];
  const flush = (): void => {
    if (fields.length === 0) return;
    const byName = new Map<string, string>();
    for (const [name, value] of fields) byName.set(name.toLowerCase(), value);
    out.push({ fields, byName });
    fields = [];
  };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const first = line.charCodeAt(0);
    if (line === "" || ((first === 0x20 || first === 0x09) && line.trim() === "")) {
      flush();
      continue;
    }
    if (first === 0x20 || first === 0x09) {
      const last = fields[fields.length - 1];
      if (last === undefined) throw new DrydockError(code, `${what}: line ${i + 1} continues a field but none precedes it`);
      last[1] = `${last[1]}\n${line}`;
      continue;
    }
    if (first === 0x23) continue; // '#': comments (deb822 allows them outside signed Debian indexes too)
    const colon = line.indexOf(":");
    if (colon <= 0) throw new DrydockError(code, `${what}: line ${i + 1} is not a "Field: value" line`);
    fields.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  flush();
  return out;
}

/** Writes paragraphs back as text (one blank line between paragraphs, a final newline). */
export function formatDeb822(paragraphs: readonly (readonly (readonly [string, string])[])[]): string {
  return paragraphs.map((fields) => fields.map(([n, v]) => `${n}:${v.startsWith("\n") ? "" : " "}${v}\n`).join("")).join("\n");
}
