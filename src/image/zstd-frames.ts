// Splits a zstd stream into its frames (RFC 8878 §3.1) without decompressing: Node's zstd decompressor stops
// at the end of the first frame of a buffer and drops what follows, so each frame goes to a decompressor of
// its own. Multi-frame layers are real (zstd:chunked writes one frame per chunk plus skippable frames), and
// reading only the first frame would silently hide the rest of the layer.
import { DrydockError } from "../core/errors.ts";

export interface ZstdSegment {
  /** Bytes of a compressed frame (a view of the input chunk). */
  data: Uint8Array;
  /** The frame ends with these bytes. */
  frameEnd: boolean;
}

const state = { magic: 0, descriptor: 1, headerRest: 2, blockHeader: 3, blockBody: 4, checksum: 5, skipSize: 6, skipBody: 7 } as const;
type State = (typeof state)[keyof typeof state];

export class ZstdFrameSplitter {
  readonly #where: string;
  #state: State = state.magic;
  /** Small fields collected across chunk boundaries. */
  readonly #field = new Uint8Array(18);
  #fieldFill = 0;
  #fieldWant = 4;
  #remaining = 0;
  #checksum = false;
  #lastBlock = false;
  #frames = 0;
  #offset = 0;

  constructor(where: string) {
    this.#where = where;
  }

  get frames(): number {
    return this.#frames;
  }

  /** The frame segments in this chunk, in order. */
  split(chunk: Uint8Array): ZstdSegment[] {
    const out: ZstdSegment[] = [];
    let pos = 0;
    let frameStart = -1; // start, in this chunk, of bytes to forward to the current frame
    const forward = (end: number, frameEnd: boolean): void => {
      if (frameStart >= 0 && (end > frameStart || frameEnd)) out.push({ data: chunk.subarray(frameStart, end), frameEnd });
      frameStart = frameEnd ? -1 : end;
    };
    if (this.#inFrame()) frameStart = 0;
    while (pos < chunk.length) {
      switch (this.#state) {
        case state.blockBody:
        case state.skipBody: {
          const n = Math.min(this.#remaining, chunk.length - pos);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            if (this.#state === state.skipBody) this.#startMagic();
            else this.#afterBlock();
            if ((this.#state as State) === state.magic && frameStart >= 0) forward(pos, true);
          }
          break;
        }
        default: {
          const n = Math.min(this.#fieldWant - this.#fieldFill, chunk.length - pos);
          this.#field.set(chunk.subarray(pos, pos + n), this.#fieldFill);
          this.#fieldFill += n;
          pos += n;
          if (this.#fieldFill < this.#fieldWant) break;
          const wasMagic = this.#state === state.magic;
          this.#onField();
          if (wasMagic && this.#inFrame()) {
            // The magic may have started in the previous chunk: forward it from the copy.
            out.push({ data: Uint8Array.from(this.#field.subarray(0, 4)), frameEnd: false });
            frameStart = pos;
          }
          if (this.#state === state.magic && frameStart >= 0) forward(pos, true);
        }
      }
    }
    this.#offset += chunk.length;
    if (frameStart >= 0) forward(chunk.length, false);
    return out;
  }

  /** The input ended: it must end between frames. */
  end(): void {
    if (this.#state !== state.magic || this.#fieldFill !== 0) {
      throw new DrydockError("LAYER_CORRUPT", `${this.#where}: the zstd stream is truncated (it ends inside frame ${this.#frames + 1})`);
    }
  }

  #inFrame(): boolean {
    return this.#state === state.descriptor || this.#state === state.headerRest || this.#state === state.blockHeader || this.#state === state.blockBody || this.#state === state.checksum;
  }

  #startMagic(): void {
    this.#state = state.magic;
    this.#fieldFill = 0;
    this.#fieldWant = 4;
  }

  #want(next: State, bytes: number): void {
    this.#state = next;
    this.#fieldFill = 0;
    this.#fieldWant = bytes;
  }

  #afterBlock(): void {
    if (!this.#lastBlock) this.#want(state.blockHeader, 3);
    else if (this.#checksum) this.#want(state.checksum, 4);
    else this.#endFrame();
  }

  #endFrame(): void {
    this.#frames++;
    this.#startMagic();
  }

  #onField(): void {
    const f = this.#field;
    switch (this.#state) {
      case state.magic: {
        if (f[0] === 0x28 && f[1] === 0xb5 && f[2] === 0x2f && f[3] === 0xfd) {
          // The frame header descriptor first: its bits say how long the rest of the header is.
          this.#want(state.descriptor, 1);
          return;
        }
        if (((f[0] ?? 0) & 0xf0) === 0x50 && f[1] === 0x2a && f[2] === 0x4d && f[3] === 0x18) {
          this.#want(state.skipSize, 4);
          return;
        }
        throw new DrydockError("LAYER_CORRUPT", `${this.#where}: bytes after zstd frame ${this.#frames} (offset ${this.#offset}) are not another frame: the layer is corrupt`);
      }
      case state.descriptor: {
        const fhd = f[0] ?? 0;
        if ((fhd & 0x08) !== 0) throw new DrydockError("LAYER_CORRUPT", `${this.#where}: zstd frame ${this.#frames + 1} sets a reserved header bit`);
        const single = (fhd & 0x20) !== 0;
        const fcsFlag = fhd >> 6;
        const fcsBytes = fcsFlag === 0 ? (single ? 1 : 0) : ([0, 2, 4, 8][fcsFlag] ?? 0);
        const dictBytes = [0, 1, 2, 4][fhd & 0x03] ?? 0;
        this.#checksum = (fhd & 0x04) !== 0;
        // Window descriptor (absent in single-segment frames), dictionary id, content size: skipped, not needed.
        const rest = (single ? 0 : 1) + dictBytes + fcsBytes;
        if (rest > 0) this.#want(state.headerRest, rest);
        else this.#want(state.blockHeader, 3);
        return;
      }
      case state.headerRest:
        this.#want(state.blockHeader, 3);
        return;
      case state.blockHeader: {
        const h = (f[0] ?? 0) | ((f[1] ?? 0) << 8) | ((f[2] ?? 0) << 16);
        this.#lastBlock = (h & 1) === 1;
        const type = (h >> 1) & 3;
        const size = h >>> 3;
        if (type === 3) throw new DrydockError("LAYER_CORRUPT", `${this.#where}: zstd frame ${this.#frames + 1} has a block of the reserved type`);
        this.#remaining = type === 1 ? 1 : size;
        if (this.#remaining === 0) this.#afterBlock();
        else this.#state = state.blockBody;
        return;
      }
      case state.checksum:
        this.#endFrame();
        return;
      case state.skipSize: {
        this.#remaining = ((f[0] ?? 0) | ((f[1] ?? 0) << 8) | ((f[2] ?? 0) << 16)) + (f[3] ?? 0) * 0x1000000;
        if (this.#remaining === 0) this.#startMagic();
        else this.#state = state.skipBody;
        return;
      }
    }
  }
}
