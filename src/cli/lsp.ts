// `drydock lsp`: the language server on stdin/stdout (src/lsp/server.ts). stdout carries only protocol frames;
// the server's own notes go to the client as log messages.
import path from "node:path";
import type { Command } from "commander";
import { createLanguageServer } from "../lsp/server.ts";
import { findShellcheck } from "../shell/shellcheck.ts";
import { readBuildContext } from "./io.ts";
import type { Io } from "./main.ts";

interface LspOptions {
  stdio?: boolean;
  shellcheck?: string | boolean;
}

/** The LSP says: exit after shutdown is status 0, exit without it (or a client that just went away) is 1. */
export function registerLsp(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("lsp")
    .description("run a Language Server on stdin/stdout: diagnostics for Dockerfiles, compose files and Kubernetes manifests, and quick fixes")
    .option("--stdio", "talk over stdin/stdout (the only transport; accepted because editors pass it)")
    .option("--shellcheck <binary>", "ShellCheck binary for SCxxxx findings on RUN scripts (default: shellcheck on PATH)")
    .option("--no-shellcheck", "do not run ShellCheck")
    .action(async (opts: LspOptions) => {
      const shellcheck = opts.shellcheck === false ? undefined
        : typeof opts.shellcheck === "string" ? opts.shellcheck : await findShellcheck(io.env);
      const server = createLanguageServer({
        write: io.stdout,
        ...(shellcheck === undefined ? {} : { shellcheck }),
        readBuildContext: (file) => readBuildContext(file, path.dirname(file)),
      });
      const input = process.stdin;
      const onData = (chunk: Buffer): void => server.receive(chunk);
      const onEnd = (): void => server.end();
      input.on("data", onData);
      input.once("end", onEnd);
      input.once("error", onEnd);
      const code = await server.stopped;
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onEnd);
      // Stop reading so the process can exit while the client still holds the pipe open.
      input.destroy();
      if (code !== 0) io.stderr("drydock: the client ended the session without a shutdown request [LSP_PROTOCOL]\n");
      state.exitCode = code === 0 ? 0 : 1;
    });
  return state;
}
