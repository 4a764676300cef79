// Queries over the RUN steps of an image's history: which package-manager subcommands a step runs.
import type { ShellScript } from "../../../shell/parse.ts";
import { commandsNamed, subcommand } from "../../../shell/query.ts";

/** The subcommands (`update`, `install`, ...) a script runs with any of the named tools, in order. */
export function subcommandsOf(script: ShellScript, tools: readonly string[]): string[] {
  const out: string[] = [];
  for (const cmd of commandsNamed(script, tools)) {
    const sub = subcommand(cmd)?.value;
    if (sub !== undefined) out.push(sub);
  }
  return out;
}
