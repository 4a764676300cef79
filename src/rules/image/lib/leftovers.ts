// Files left behind in known places (package caches, lists): collected by header during the walk, then grouped
// per place among the versions still visible, one finding per place with its size.
import type { ImageCheckContext } from "../../../core/image-check.ts";
import type { Finding } from "../../../core/finding.ts";
import type { LayerEntry } from "../../../image/walk.ts";
import { isVisible } from "./paths.ts";

export interface Place {
  /** The directory reported, e.g. "var/lib/apt/lists" (a pattern's match may add a user's home). */
  dir: string;
  what: string;
}

/** Entries in places, as found by `placeOf`; finish() yields one finding per place that still has visible files. */
export class Leftovers {
  readonly #placeOf: (path: string) => Place | undefined;
  readonly #seen = new Map<string, { place: Place; entries: LayerEntry[] }>();

  constructor(placeOf: (path: string) => Place | undefined) {
    this.#placeOf = placeOf;
  }

  add(e: LayerEntry): void {
    const place = this.#placeOf(e.path);
    if (place === undefined) return;
    const group = this.#seen.get(place.dir);
    if (group === undefined) this.#seen.set(place.dir, { place, entries: [e] });
    else group.entries.push(e);
  }

  *findings(ctx: ImageCheckContext): Generator<Finding> {
    for (const { place, entries } of this.#seen.values()) {
      const visible = entries.filter((e) => isVisible(ctx, e) !== undefined);
      if (visible.length === 0) continue;
      const bytes = visible.reduce((n, e) => n + e.size, 0);
      const layers = [...new Set(visible.map((e) => e.layer))].sort((a, b) => a - b);
      const first = visible[0] as LayerEntry;
      const files = `${visible.length} file${visible.length === 1 ? "" : "s"}, ${byteSize(bytes)}`;
      const where = layers.length === 1 ? `layer ${layers[0]}` : `layers ${layers.join(", ")}`;
      yield ctx.finding(ctx.at({ ...first, path: place.dir }), `${place.what} left in /${place.dir} (${files}, from ${where})`);
    }
  }
}

export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u] ?? ""}`;
}
