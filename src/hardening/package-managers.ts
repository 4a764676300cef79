// The package managers the RUNs of a Dockerfile invoke, listed once per file: the rules about one manager
// (pinning, prompts, caches) skip at once the files that never run it, which is most files for most managers.
import type { Dockerfile } from "../dockerfile/ast.ts";
import { runInstructions } from "../dockerfile/query.ts";
import { packageCommands, type PackageManager } from "../shell/packages.ts";

// The last file's managers: rules run one file at a time. (Not a WeakMap by model: V8's minor GC keeps such
// per-file entries alive, and with them every file's model.)
let cachedModel: Dockerfile | undefined;
let cachedManagers: ReadonlySet<PackageManager> | undefined;

function managersOf(model: Dockerfile): ReadonlySet<PackageManager> {
  if (model !== cachedModel || cachedManagers === undefined) {
    const found = new Set<PackageManager>();
    for (const run of runInstructions(model)) for (const pc of packageCommands(run)) found.add(pc.manager);
    cachedManagers = found;
    cachedModel = model;
  }
  return cachedManagers;
}

/** Whether some RUN of the file (ONBUILD RUN included) has a packageCommands entry of one of the managers. */
export function fileRunsPackageManager(model: Dockerfile, managers: PackageManager | readonly PackageManager[]): boolean {
  const found = managersOf(model);
  if (typeof managers === "string") return found.has(managers);
  for (const m of managers) if (found.has(m)) return true;
  return false;
}
