// Runs the real CLI entry (main) in this process: the same command registration and error handling as
// `drydock`, without a child process per call. Kept apart from cli.ts so tests that spawn the CLI do not load it.
import { main, type Io } from "../../src/cli/main.ts";
import type { CliResult } from "./cli.ts";

export interface MainResult extends CliResult {
  code: number;
  /** The DrydockError code main() printed (`drydock: message [CODE]`), when the run ended in one. */
  errorCode: string | undefined;
}

/** Runs `drydock <args>` through main() with captured output. */
export async function runMain(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<MainResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: { ...options.env }, cwd: options.cwd };
  const code = await main(args, io);
  const stderr = err.join("");
  const errorCode = code === 2 ? /\[([A-Z][A-Z0-9_]*)\]\n?$/.exec(stderr)?.[1] : undefined;
  return { code, stdout: out.join(""), stderr, errorCode };
}
