import { defineImageCheck } from "../../core/image-check.ts";
import { commandsNamed } from "../../shell/query.ts";
import { historySteps, stepLabel } from "./lib/history.ts";

const SUDO_PATHS = ["usr/bin/sudo", "bin/sudo", "usr/local/bin/sudo", "usr/bin/doas"];

export const check = defineImageCheck({
  id: "DI007",
  aliases: ["dockle:DKL-DI-0001"],
  severity: "warning",
  source: "dockle",
  summary: "No sudo in the image or its build",
  docs: `
sudo in a container is either useless (the process is root already) or a way back to root for a process that was
meant to run without it, with TTY and signal handling that surprises. Run as the right user (USER, or gosu/su-exec
in an entrypoint) and do not install sudo.

Reported when the image contains a sudo (or doas) binary, and for each build step that ran sudo.
`,
  create(ctx) {
    return {
      *finish() {
        for (const path of SUDO_PATHS) {
          const resolved = ctx.fs.resolve(path);
          const v = resolved?.version;
          if (resolved === undefined || v === undefined || (v.kind !== "file" && v.kind !== "hardlink")) continue;
          yield ctx.finding(ctx.visibleAt(resolved.path, v), `${path.slice(path.lastIndexOf("/") + 1)} is installed at /${path}`);
          break;
        }
        if (ctx.config === undefined) return;
        for (const step of historySteps(ctx.config)) {
          if (step.script !== undefined && commandsNamed(step.script, "sudo", { wrappers: false }).length > 0) {
            yield ctx.finding(ctx.imageLocation, `history step ${step.index} runs sudo (${stepLabel(step)})`);
          }
        }
      },
    };
  },
});
