// The package managers the RUNs of a Dockerfile invoke, listed once per file: the rules about one manager
// (pinning, prompts, caches) skip at once the files that never run it, which is most files for most managers.
import type { Dockerfile } from "../dockerfile/ast.ts";
import { runInstructions } from "../dockerfile/query.ts";
import { packageCommands, type PackageManager } from "../shell/packages.ts";

const managersByFile = new WeakMap<Dockerfile, ReadonlySet<PackageManager>>();

function managersOf(model: Dockerfile): ReadonlySet<PackageManager> {
  let managers = managersByFile.get(model);
  if (managers === undefined) {
    const found = new Set<PackageManager>();
    for (const run of runInstructions(model)) for (const pc of packageCommands(run)) found.add(pc.manager);
    managers = found;
    managersByFile.set(model, managers);
  }
  return managers;
}

/** Whether some RUN of the file (ONBUILD RUN included) has a packageCommands entry of one of the managers. */
export function fileRunsPackageManager(model: Dockerfile, managers: PackageManager | readonly PackageManager[]): boolean {
  const found = managersOf(model);
  if (typeof managers === "string") return found.has(managers);
  for (const m of managers) if (found.has(m)) return true;
  return false;
}
