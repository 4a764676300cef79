// Escaping for XML 1.0 writers. Paths and messages come from hostile input (image layers): escape markup,
// keep whitespace through attribute normalisation, replace what XML 1.0 cannot carry at all.

const MARKUP: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

// Control characters other than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF are not XML 1.0 characters.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function replaceForbidden(s: string): string {
  return s.replace(NOT_XML_CHAR, "\uFFFD");
}

/** For element content. CR is written as a reference, or parsers turn it into LF. */
export function xmlText(s: string): string {
  return replaceForbidden(s).replace(/[&<>\r]/g, (c) => (c === "\r" ? "&#13;" : (MARKUP[c] ?? c)));
}

/** For attribute values (always written in double quotes). Tab, LF and CR as references: parsers turn them into spaces. */
export function xmlAttr(s: string): string {
  return replaceForbidden(s).replace(/[&<>"'\t\n\r]/g, (c) => MARKUP[c] ?? `&#${c.charCodeAt(0)};`);
}
