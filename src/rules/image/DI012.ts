import { defineImageCheck } from "../../core/image-check.ts";
import type { LayerEntry } from "../../image/walk.ts";
import { isVisible } from "./lib/paths.ts";

const VCS_DIRS: Readonly<Record<string, string>> = { ".git": "git", ".svn": "Subversion", ".hg": "Mercurial", ".bzr": "Bazaar" };

/** The VCS directory a path is (or is in): "app/.git" for "app/.git/config"; the outermost one. */
function vcsDirOf(path: string): string | undefined {
  const segments = path.split("/");
  const i = segments.findIndex((s) => VCS_DIRS[s] !== undefined);
  return i === -1 ? undefined : segments.slice(0, i + 1).join("/");
}

export const check = defineImageCheck({
  id: "DI012",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "No version control directories in the image",
  docs: `
A \`.git\` directory copied into an image carries the project's whole history — deleted files, old secrets, the
remote's URL with its credentials in \`.git/config\` — to everyone who pulls the image. Keep it out of the build
context with a \`.dockerignore\` line \`.git\`, and copy only what the image needs.

Also reported: \`.svn\`, \`.hg\`, \`.bzr\`. dockle's DKL-LI-0003 lists \`.git\` among other unneeded files (drydock:
DI013 for the rest).
`,
  wants: (e) => e.kind !== "whiteout" && e.kind !== "opaque" && vcsDirOf(e.path) !== undefined,
  create(ctx) {
    const dirs = new Map<string, LayerEntry[]>();
    return {
      entry(e) {
        const dir = vcsDirOf(e.path) as string;
        const list = dirs.get(dir);
        if (list === undefined) dirs.set(dir, [e]);
        else list.push(e);
      },
      *finish() {
        for (const [dir, entries] of dirs) {
          const visible = entries.filter((e) => isVisible(ctx, e) !== undefined);
          if (visible.length === 0) continue;
          const first = visible[0] as LayerEntry;
          const name = dir.slice(dir.lastIndexOf("/") + 1);
          const files = visible.filter((e) => e.kind === "file").length;
          yield ctx.finding(ctx.at({ ...first, path: dir }), `${VCS_DIRS[name] ?? "version control"} directory /${dir} is in the image (${files} file${files === 1 ? "" : "s"})`);
        }
      },
    };
  },
});
