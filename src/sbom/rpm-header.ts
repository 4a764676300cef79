// RPM header blobs as rpmdb stores them (rpm's headerExport without the 8-byte magic): a count of index
// entries and a data length (big-endian int32 each), the entries (tag, type, offset, count), then the data.
// Hostile input: every count, offset and length is checked against the blob before it is used.

/** RPM tag numbers the catalogers read (rpmtag.h). */
export const RPM_TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  MODULARITYLABEL: 5096,
} as const;

/** Data types of index entries (rpm's rpmTagType). */
const TYPE = { NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

/** rpm's own limits (hdrMaxIndex-like): no real header comes near them. */
const MAX_INDEX_ENTRIES = 0x10000;
const MAX_DATA_BYTES = 256 * 1024 * 1024;
const ENTRY_BYTES = 16;

export interface RpmHeader {
  /** The first string of a STRING, STRING_ARRAY or I18NSTRING tag. */
  string(tag: number): string | undefined;
  /** The first number of an INT8/16/32 tag. */
  number(tag: number): number | undefined;
}

export class RpmHeaderError extends Error {
  override readonly name = "RpmHeaderError";
}

const utf8 = new TextDecoder("utf-8");

/** Reads the index of a header blob; the values are decoded on demand. Throws RpmHeaderError when malformed. */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  if (blob.length < 8) throw new RpmHeaderError(`a header of ${blob.length} bytes is shorter than its 8-byte preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il === 0 || il > MAX_INDEX_ENTRIES) throw new RpmHeaderError(`a header declaring ${il} index entries`);
  if (dl > MAX_DATA_BYTES) throw new RpmHeaderError(`a header declaring ${dl} data bytes`);
  const dataStart = 8 + il * ENTRY_BYTES;
  if (dataStart + dl > blob.length) throw new RpmHeaderError(`a header of ${blob.length} bytes declaring ${dataStart + dl}`);
  const data = blob.subarray(dataStart, dataStart + dl);
  const entries = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * ENTRY_BYTES;
    const tag = view.getUint32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getUint32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset > dl) throw new RpmHeaderError(`tag ${tag} points past the data (offset ${offset} of ${dl})`);
    if (!entries.has(tag)) entries.set(tag, { type, offset, count });
  }
  const cString = (offset: number): string | undefined => {
    const end = data.indexOf(0, offset);
    return end < 0 ? undefined : utf8.decode(data.subarray(offset, end));
  };
  return {
    string(tag) {
      const e = entries.get(tag);
      if (e === undefined || e.count === 0) return undefined;
      if (e.type !== TYPE.STRING && e.type !== TYPE.STRING_ARRAY && e.type !== TYPE.I18NSTRING) return undefined;
      return cString(e.offset);
    },
    number(tag) {
      const e = entries.get(tag);
      if (e === undefined || e.count === 0) return undefined;
      const width = e.type === TYPE.INT8 || e.type === TYPE.CHAR ? 1 : e.type === TYPE.INT16 ? 2 : e.type === TYPE.INT32 ? 4 : 0;
      if (width === 0 || e.offset + width > dl) return undefined;
      const dv = new DataView(data.buffer, data.byteOffset + e.offset, width);
      return width === 1 ? dv.getUint8(0) : width === 2 ? dv.getUint16(0) : dv.getUint32(0);
    },
  };
}
