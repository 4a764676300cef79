// `drydock db update`: the same files `db import` reads, downloaded from where their projects publish them.
import { createWriteStream } from "node:fs";
import { mkdir, rm, utimes } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DrydockError } from "../../core/errors.ts";

export const OSV_BASE = "https://osv-vulnerabilities.storage.googleapis.com";
export const DEBIAN_TRACKER_URL = "https://security-tracker.debian.org/tracker/data/json";
export const ALPINE_SECDB_BASE = "https://secdb.alpinelinux.org";

/** Language ecosystems fetched by default; distro data comes from the Debian tracker and Alpine's secdb. */
export const DEFAULT_OSV_ECOSYSTEMS = ["npm", "PyPI", "Maven", "Go", "crates.io", "RubyGems", "Packagist", "NuGet"];
/** Alpine branches fetched by default when the secdb index cannot be listed. */
export const ALPINE_REPOSITORIES = ["main", "community"];

export interface Download {
  url: string;
  /** File name in the download folder. */
  file: string;
}

export interface UpdatePlan {
  osvEcosystems: readonly string[];
  debian: boolean;
  alpineReleases: readonly string[];
  /** Base URL of a mirror holding osv/<Ecosystem>/all.zip, debian/json and alpine/<release>/<repo>.json. */
  mirror?: string;
}

export function plannedDownloads(plan: UpdatePlan): Download[] {
  const base = plan.mirror?.replace(/\/+$/, "");
  const out: Download[] = [];
  for (const eco of plan.osvEcosystems) {
    const url = base === undefined ? `${OSV_BASE}/${encodeURIComponent(eco)}/all.zip` : `${base}/osv/${encodeURIComponent(eco)}/all.zip`;
    out.push({ url, file: `osv-${eco.replace(/[^A-Za-z0-9.-]/g, "_")}.zip` });
  }
  if (plan.debian) out.push({ url: base === undefined ? DEBIAN_TRACKER_URL : `${base}/debian/json`, file: "debian-tracker.json" });
  for (const release of plan.alpineReleases) {
    for (const repo of ALPINE_REPOSITORIES) {
      const url = base === undefined ? `${ALPINE_SECDB_BASE}/${release}/${repo}.json` : `${base}/alpine/${release}/${repo}.json`;
      out.push({ url, file: `alpine-${release}-${repo}.json` });
    }
  }
  return out;
}

/** The Alpine secdb index page lists its branches as "v3.19/" links; the newest `count` are taken. */
export function alpineReleasesFromIndex(html: string, count: number): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/href="(v\d+\.\d+)\/"/g)) if (m[1] !== undefined) found.add(m[1]);
  const key = (r: string): number => {
    const [major = "0", minor = "0"] = r.slice(1).split(".");
    return Number(major) * 1000 + Number(minor);
  };
  return [...found].sort((a, b) => key(b) - key(a)).slice(0, count).sort((a, b) => key(a) - key(b));
}

export interface FetchOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  maxBytes?: number;
  onProgress?: (d: Download, bytes: number) => void;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024 * 1024;

function unreachable(url: string, e: unknown, all: readonly Download[]): DrydockError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e as Error).message;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  return new DrydockError("DOWNLOAD_FAILED",
    `cannot reach ${host} (${why}): is there a network? On a machine without one, download these files elsewhere and run \`drydock db import FILE...\`:\n${all.map((d) => `  ${d.url}`).join("\n")}`,
    { cause: e });
}

export async function fetchText(url: string, options: FetchOptions = {}): Promise<string> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
  } catch (e) {
    throw unreachable(url, e, [{ url, file: "" }]);
  }
  if (!res.ok) throw new DrydockError("DOWNLOAD_FAILED", `${url}: HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

/** Downloads every file into `dir`; returns their paths. Each file's time is the server's Last-Modified. */
export async function downloadAll(downloads: readonly Download[], dir: string, options: FetchOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const paths: string[] = [];
  for (const d of downloads) {
    const path = join(dir, d.file);
    let res: Response;
    try {
      res = await doFetch(d.url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15 * 60_000) });
    } catch (e) {
      throw unreachable(d.url, e, downloads);
    }
    if (!res.ok || res.body === null) throw new DrydockError("DOWNLOAD_FAILED", `${d.url}: HTTP ${res.status} ${res.statusText}`);
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          done(new DrydockError("DOWNLOAD_FAILED", `${d.url}: larger than ${maxBytes} bytes`));
          return;
        }
        options.onProgress?.(d, bytes);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), count, createWriteStream(path));
    } catch (e) {
      await rm(path, { force: true });
      if (e instanceof DrydockError) throw e;
      throw new DrydockError("DOWNLOAD_FAILED", `${d.url}: download interrupted (${(e as Error).message})`, { cause: e });
    }
    const lastModified = Date.parse(res.headers.get("last-modified") ?? "");
    if (Number.isFinite(lastModified)) await utimes(path, new Date(), new Date(lastModified));
    paths.push(path);
  }
  return paths;
}
