// A `drydock` with only the runtime command, as main.ts wires commands (exit codes, DrydockError printing): the
// runtime CLI tests run it in a child process until src/cli/main.ts registers the command itself.
import { Command, CommanderError } from "commander";
import { isDrydockError } from "../../src/core/errors.ts";
import { registerRuntime } from "../../src/cli/runtime.ts";
import type { Io } from "../../src/cli/main.ts";

export async function runRuntimeCli(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command("drydock").exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const runtime = registerRuntime(program, io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return runtime.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === "commander.helpDisplayed" || e.code === "commander.help" ? 0 : 2;
    if (isDrydockError(e)) {
      const loc = e.location;
      const where = loc?.kind === "text" ? `${loc.file}:${loc.start.line}:${loc.start.column}: ` : "";
      io.stderr(`drydock: ${where}${e.message} [${e.code}]\n`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) {
  process.exitCode = await runRuntimeCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: false,
    env: process.env,
    cwd: process.cwd(),
  });
}
