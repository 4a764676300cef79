// An image check is a value: metadata plus create(ctx), which returns the handlers the layer walker feeds
// (DESIGN.md "A rule is a module", STYLE.md "An image check fed by the streaming walker"). The runner here reads
// the image once for all checks: header-only interest (wants), one shared head read per entry (headBytes), a merged
// file system every check can ask at the end, and the contents of a few system files kept for whoever asked.
import type { AuditSettings } from "./config.ts";
import { isDrydockError } from "./errors.ts";
import type { Finding, InputError, Location, RuleInfo, Severity } from "./finding.ts";
import type { ImageConfig } from "../image/config.ts";
import { MergedFs, type PathVersion } from "../image/merged.ts";
import { normalizePath } from "../image/paths.ts";
import type { ImageSource } from "../image/source.ts";
import { walkImage, type EntryConsumer, type LayerEntry, type WalkResult } from "../image/walk.ts";

export type LayerLocation = Extract<Location, { kind: "layer" }>;

/** A kept file's content: its first bytes (up to KEPT_FILE_BYTES) and where it came from. */
export interface KeptFile {
  bytes: Uint8Array;
  /** The file was longer than what was kept. */
  truncated: boolean;
  /** The path after following symlinks. */
  path: string;
  layer: number;
  layerDigest: string;
}

/** What a check sees. The file system and kept files are complete only once finish() runs. */
export interface ImageCheckContext {
  /** The image as the user named it; findings name it. */
  readonly image: string;
  readonly source: ImageSource;
  /** undefined for a root file system directory. */
  readonly config: ImageConfig | undefined;
  readonly settings: AuditSettings;
  /** Every path of every layer with its history; during the walk, the layers read so far. */
  readonly fs: MergedFs;
  /** The visible version of a file the check listed in keepFiles (symlinks followed); undefined when absent. */
  visibleFile(path: string): KeptFile | undefined;
  /** A place in a layer: `at(entry)` or `at(layer, digest, path)`. */
  at(entry: Pick<LayerEntry, "layer" | "layerDigest" | "path">): LayerLocation;
  /** A visible path's place: the layer that holds its visible version. */
  visibleAt(path: string, version: Pick<PathVersion, "layer" | "layerDigest">): LayerLocation;
  /** The image itself: for findings about its configuration and history. */
  readonly imageLocation: Location;
  finding(location: Location, message: string, severity?: Severity): Finding;
}

/** The handlers of one run of a check over one image. */
export interface ImageCheckRun {
  /** An entry the check wanted, with its head when headBytes > 0 (a reused buffer: copy what you keep). */
  entry?(entry: LayerEntry, head: Uint8Array | undefined): void;
  /** After every layer was read and verified: the verdict. */
  finish(): Iterable<Finding>;
}

export interface ImageCheck extends RuleInfo {
  /** Bytes of each wanted file's start this check reads (default 0: headers only). */
  readonly headBytes?: number;
  /** Image paths ("etc/passwd") whose visible content the check reads at the end through ctx.visibleFile. */
  readonly keepFiles?: readonly string[];
  /** Header-only interest; a check without it sees no entries (it reads the config or the merged view). */
  wants?(entry: LayerEntry): boolean;
  create(ctx: ImageCheckContext): ImageCheckRun;
}

/** Identity, for contextual types and literal ids. */
export function defineImageCheck<const C extends ImageCheck>(check: C): C {
  return check;
}

/** Largest kept file: /etc/passwd of a big directory-backed image is a few hundred KiB. */
export const KEPT_FILE_BYTES = 1024 * 1024;

export interface ImageCheckResult {
  findings: Finding[];
  /** Checks that failed (a bug in drydock): reported as input errors naming the check. */
  errors: InputError[];
  walk: WalkResult;
  fs: MergedFs;
}

/** Keeps the heads of a fixed set of paths, per layer, so the visible version can be read at the end. */
class KeptFiles implements EntryConsumer {
  readonly headBytes = KEPT_FILE_BYTES;
  readonly #paths: ReadonlySet<string>;
  readonly #kept = new Map<string, Map<number, { bytes: Uint8Array; truncated: boolean }>>();

  constructor(paths: ReadonlySet<string>) {
    this.#paths = paths;
  }

  wants(e: LayerEntry): boolean {
    return e.kind === "file" && this.#paths.has(e.path);
  }

  entry(e: LayerEntry, head: Uint8Array | undefined): void {
    let byLayer = this.#kept.get(e.path);
    if (byLayer === undefined) this.#kept.set(e.path, (byLayer = new Map()));
    byLayer.set(e.layer, { bytes: Uint8Array.from(head ?? []), truncated: e.size > (head?.length ?? 0) });
  }

  get(path: string, layer: number): { bytes: Uint8Array; truncated: boolean } | undefined {
    return this.#kept.get(path)?.get(layer);
  }
}

/** One check's run, guarded: a check that throws is stopped and reported, and the others go on. */
class GuardedRun implements EntryConsumer {
  readonly check: ImageCheck;
  readonly headBytes: number;
  readonly #run: ImageCheckRun | undefined;
  failure: unknown;

  constructor(check: ImageCheck, ctx: ImageCheckContext) {
    this.check = check;
    this.headBytes = check.headBytes ?? 0;
    try {
      this.#run = check.create(ctx);
    } catch (e) {
      this.failure = e;
    }
  }

  wants(e: LayerEntry): boolean {
    if (this.failure !== undefined || this.#run?.entry === undefined || this.check.wants === undefined) return false;
    try {
      return this.check.wants(e);
    } catch (err) {
      this.failure = err;
      return false;
    }
  }

  entry(e: LayerEntry, head: Uint8Array | undefined): void {
    if (this.failure !== undefined) return;
    try {
      this.#run?.entry?.(e, head);
    } catch (err) {
      this.failure = err;
    }
  }

  finish(): Finding[] {
    if (this.failure !== undefined || this.#run === undefined) return [];
    try {
      return [...this.#run.finish()];
    } catch (err) {
      this.failure = err;
      return [];
    }
  }
}

/**
 * Reads the image once and runs every check over it (and feeds `extra` consumers in the same walk). Errors reading the image (digests, corrupt layers, limits)
 * are thrown as DrydockError; a failing check becomes an input error and the other checks' findings stay.
 */
export async function runImageChecks(
  source: ImageSource, checks: readonly ImageCheck[], settings: AuditSettings, extra: readonly EntryConsumer[] = [],
): Promise<ImageCheckResult> {
  const fs = new MergedFs(source.limits.maxAnomalies);
  const keptPaths = new Set(checks.flatMap((c) => c.keepFiles ?? []).map((p) => normalizePath(p).path));
  const kept = new KeptFiles(keptPaths);
  const runs = checks.map((check) => new GuardedRun(check, contextFor(source, check, settings, fs, kept)));
  // Consumers of other jobs (a catalog, the HTML layer table) read the same walk after the checks' own.
  const consumers: EntryConsumer[] = [fs, ...(keptPaths.size > 0 ? [kept] : []), ...runs, ...extra];
  const walk = await walkImage(source, consumers);
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  for (const run of runs) {
    findings.push(...run.finish());
    if (run.failure !== undefined) {
      if (isDrydockError(run.failure)) throw run.failure;
      errors.push({
        file: source.ref,
        code: "RULE_FAILED",
        message: `check ${run.check.id} failed: ${run.failure instanceof Error ? run.failure.message : String(run.failure)} (a bug in drydock; please report it)`,
      });
    }
  }
  return { findings, errors, walk, fs };
}

function contextFor(source: ImageSource, check: ImageCheck, settings: AuditSettings, fs: MergedFs, kept: KeptFiles): ImageCheckContext {
  const image = source.ref;
  const allowed = new Set((check.keepFiles ?? []).map((p) => normalizePath(p).path));
  const layerAt = (layer: number, layerDigest: string, path: string): LayerLocation => ({ kind: "layer", image, layer, digest: layerDigest, path });
  return {
    image,
    source,
    config: source.config,
    settings,
    fs,
    visibleFile(path) {
      const wanted = normalizePath(path).path;
      if (!allowed.has(wanted)) {
        throw new Error(`check ${check.id} reads /${wanted} without listing it in keepFiles`);
      }
      const resolved = fs.resolve(wanted);
      const version = resolved?.version;
      if (resolved === undefined || version === undefined || version.kind !== "file") return undefined;
      const content = kept.get(resolved.path, version.layer);
      if (content === undefined) return undefined;
      return { ...content, path: resolved.path, layer: version.layer, layerDigest: version.layerDigest };
    },
    at: (e) => layerAt(e.layer, e.layerDigest, e.path),
    visibleAt: (path, v) => layerAt(v.layer, v.layerDigest, normalizePath(path).path),
    imageLocation: { kind: "ref", ref: image },
    finding(location, message, severity) {
      return { ruleId: check.id, aliases: check.aliases, severity: severity ?? check.severity, message, source: check.source, location };
    },
  };
}
