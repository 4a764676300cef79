// A worker thread of an OSV import: reads records (zip entries or files), parses and validates them, and sends
// back the rows for the main thread to write. Inflating and parsing are most of an import's work; SQLite writes
// stay on one thread.
import { readFileSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { isDrydockError } from "../../core/errors.ts";
import { osvRows, type OsvRows } from "./osv.ts";
import { ZipReader, type ZipEntry } from "./zip.ts";

export type WorkerJob = { chunk: number; zip: string; entries: ZipEntry[] } | { chunk: number; files: string[]; names: string[] };
export type WorkerReply = { chunk: number; rows: OsvRows[] } | { chunk: number; error: { code: string; message: string } };

const decoder = new TextDecoder("utf-8");
const zips = new Map<string, ZipReader>();

function parse(text: string, where: string): OsvRows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw Object.assign(new Error(`${where}: bad JSON: ${(e as Error).message}`), { code: "ADVISORY_INVALID" });
  }
  return osvRows(value, where);
}

function run(job: WorkerJob): OsvRows[] {
  if ("zip" in job) {
    let zip = zips.get(job.zip);
    if (zip === undefined) {
      zip = ZipReader.attach(job.zip);
      zips.set(job.zip, zip);
    }
    const reader = zip;
    return job.entries.map((entry) => parse(decoder.decode(reader.read(entry)), `${job.zip}:${entry.name}`));
  }
  return job.files.map((file, i) => parse(readFileSync(file, "utf8"), job.names[i] ?? file));
}

parentPort?.on("message", (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    reply = { chunk: job.chunk, rows: run(job) };
  } catch (e) {
    const code = isDrydockError(e) ? e.code : (e as { code?: unknown }).code;
    reply = { chunk: job.chunk, error: { code: typeof code === "string" ? code : "INPUT_UNREADABLE", message: (e as Error).message } };
  }
  parentPort?.postMessage(reply);
});
