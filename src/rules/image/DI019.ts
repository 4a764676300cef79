import { defineImageCheck } from "../../core/image-check.ts";
import type { LayerEntry } from "../../image/walk.ts";
import { allowList, isVisible } from "./lib/paths.ts";

export const check = defineImageCheck({
  id: "DI019",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "No world-writable files, nor world-writable directories without the sticky bit",
  docs: `
Any user in the container can change a world-writable file — a script or a configuration someone else runs —
and can delete or replace other users' files in a world-writable directory that lacks the sticky bit (\`/tmp\` has
it: mode 1777). Tighten the mode in the build (\`chmod o-w\`, or \`chmod +t\` for a shared directory).

Symlinks (always 0777) and device nodes are not reported. Expected paths go in \`drydock.yaml\`:

\`\`\`yaml
audit:
  worldWritableAllow: [/var/spool/app]
\`\`\`
`,
  wants: (e) => (e.kind === "file" || e.kind === "hardlink" || e.kind === "dir" || e.kind === "fifo") && (e.mode & 0o002) !== 0 && !(e.kind === "dir" && (e.mode & 0o1000) !== 0),
  create(ctx) {
    const allowed = allowList(ctx.settings.worldWritableAllow);
    const seen: LayerEntry[] = [];
    return {
      entry(e) {
        if (!allowed(e.path)) seen.push(e);
      },
      *finish() {
        for (const e of seen) {
          const v = isVisible(ctx, e);
          if (v === undefined || (v.mode & 0o002) === 0 || (v.kind === "dir" && (v.mode & 0o1000) !== 0)) continue;
          const mode = (v.mode & 0o7777).toString(8).padStart(4, "0");
          const what = v.kind === "dir" ? "directory is world-writable without the sticky bit" : `${v.kind === "fifo" ? "fifo" : "file"} is world-writable`;
          yield ctx.finding(ctx.at(e), `/${e.path}: ${what} (mode ${mode})`);
        }
      },
    };
  },
});
