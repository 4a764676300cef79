// ShellCheck as an extra analyzer of RUN scripts: every script of a lint run goes to one shellcheck process
// per dialect (batched), and each comment comes back at its exact place in the Dockerfile.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Severity, Span } from "../core/finding.ts";
import type { MappedText } from "../core/text.ts";

export type ShellDialect = "sh" | "bash" | "dash" | "ksh";

export interface ShellcheckScript {
  text: MappedText;
  dialect: ShellDialect;
  /** Variables the build defines before the script runs (ARG/ENV), so ShellCheck does not call them unassigned. */
  defined: readonly string[];
}

export interface ShellcheckComment {
  /** Index of the script in the input list. */
  script: number;
  code: string;
  severity: Severity;
  message: string;
  span: Span;
}

// Sourcing files cannot be followed from a Dockerfile, and -s replaces the shebang: these say nothing useful.
const EXCLUDED = ["SC1090", "SC1091", "SC2148"];
/** Scripts per shellcheck process: keeps argv well under the system limit. */
const BATCH = 400;
const TIMEOUT_MS = 120_000;
/** ShellCheck output larger than this is not trusted (it would be a runaway). */
const MAX_OUTPUT = 64 * 1024 * 1024;

/** Finds a shellcheck binary on PATH; undefined when there is none. */
export async function findShellcheck(env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | undefined> {
  const { access } = await import("node:fs/promises");
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "shellcheck");
    try {
      await access(candidate, 1);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs ShellCheck over the scripts; throws an Error when shellcheck itself fails (not when it finds problems). */
export async function runShellcheck(binary: string, scripts: readonly ShellcheckScript[]): Promise<ShellcheckComment[]> {
  if (scripts.length === 0) return [];
  const dir = await mkdtemp(path.join(tmpdir(), "drydock-sc-"));
  try {
    const names: string[] = [];
    for (let i = 0; i < scripts.length; i++) {
      const s = scripts[i];
      if (s === undefined) continue;
      const name = `${i}.sh`;
      names.push(name);
      await writeFile(path.join(dir, name), `${prelude(s.defined)}\n${s.text.text}\n`);
    }
    const comments: ShellcheckComment[] = [];
    const byDialect = new Map<ShellDialect, number[]>();
    scripts.forEach((s, i) => byDialect.set(s.dialect, [...(byDialect.get(s.dialect) ?? []), i]));
    for (const [dialect, indexes] of byDialect) {
      for (let b = 0; b < indexes.length; b += BATCH) {
        const files = indexes.slice(b, b + BATCH).map((i) => `${i}.sh`);
        const output = await shellcheckJson(binary, dialect, files, dir);
        for (const c of output) {
          const index = Number.parseInt(path.basename(c.file), 10);
          const script = scripts[index];
          if (script === undefined) continue;
          const span = spanOf(script.text, c);
          if (span === undefined) continue;
          comments.push({ script: index, code: `SC${c.code}`, severity: severityOf(c.level), message: c.message, span });
        }
      }
    }
    return comments;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line that declares the build's variables; exported, so ShellCheck calls none of them unused either. */
function prelude(defined: readonly string[]): string {
  const names = defined.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
  return names.length === 0 ? ":" : `export ${names.map((n) => `${n}=`).join(" ")}`;
}

interface RawComment {
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

function shellcheckJson(binary: string, dialect: ShellDialect, files: string[], cwd: string): Promise<RawComment[]> {
  return new Promise((resolve, reject) => {
    const args = ["-s", dialect, "-f", "json1", "-e", EXCLUDED.join(","), "--", ...files];
    const child = spawn(binary, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout.on("data", (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) child.kill("SIGKILL");
      else out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      if (stderr.length < 4096) stderr += b.toString("utf8");
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // 0: nothing found, 1: comments; anything else means shellcheck could not do its job.
      if (signal !== null || (code !== 0 && code !== 1)) {
        reject(new Error(`shellcheck failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`));
        return;
      }
      try {
        const parsed = JSON.parse(Buffer.concat(out).toString("utf8")) as { comments?: unknown };
        resolve(Array.isArray(parsed.comments) ? (parsed.comments as RawComment[]).filter(isRawComment) : []);
      } catch (e) {
        reject(new Error(`shellcheck printed output that is not JSON: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}

function isRawComment(c: unknown): c is RawComment {
  if (typeof c !== "object" || c === null) return false;
  const r = c as Record<string, unknown>;
  return typeof r.file === "string" && typeof r.line === "number" && typeof r.column === "number" && typeof r.endLine === "number"
    && typeof r.endColumn === "number" && typeof r.code === "number" && typeof r.message === "string" && typeof r.level === "string";
}

function severityOf(level: string): Severity {
  return level === "error" ? "error" : level === "warning" ? "warning" : level === "info" ? "info" : "style";
}

/**
 * ShellCheck counts lines of the file we wrote (the prelude is line 1) and columns in code points; the script's
 * own lines start at line 2. Returns undefined for a comment about the prelude.
 */
function spanOf(text: MappedText, c: RawComment): Span | undefined {
  const start = indexAt(text.text, c.line - 1, c.column);
  const end = indexAt(text.text, c.endLine - 1, c.endColumn);
  if (start === undefined) return undefined;
  return text.span(start, Math.max(start, end ?? start));
}

/** JS string index of 1-based line and code-point column in s; undefined when the line is outside s. */
function indexAt(s: string, line: number, column: number): number | undefined {
  if (line < 1) return undefined;
  let i = 0;
  for (let l = 1; l < line; l++) {
    const nl = s.indexOf("\n", i);
    if (nl === -1) return s.length;
    i = nl + 1;
  }
  for (let col = 1; col < column && i < s.length && s[i] !== "\n"; col++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return i;
}
