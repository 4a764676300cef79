import { defineImageCheck } from "../../core/image-check.ts";
import { subcommandsOf } from "./lib/commands.ts";
import { historySteps, stepLabel } from "./lib/history.ts";

export const check = defineImageCheck({
  id: "DI021",
  aliases: ["dockle:DKL-DI-0003"],
  severity: "info",
  source: "dockle",
  summary: "No dist-upgrade in the build history",
  docs: `
\`apt-get dist-upgrade\` (and \`full-upgrade\`) may install, remove and replace packages of the base image to
satisfy new dependencies: the image stops being the base it names. Use a newer base image instead, or upgrade only
the packages you need.
`,
  create(ctx) {
    return {
      *finish() {
        if (ctx.config === undefined) return;
        for (const step of historySteps(ctx.config)) {
          if (step.script === undefined) continue;
          const sub = subcommandsOf(step.script, ["apt-get", "apt", "aptitude"]).find((s) => s === "dist-upgrade" || s === "full-upgrade");
          if (sub !== undefined) yield ctx.finding(ctx.imageLocation, `history step ${step.index} runs ${sub} (${stepLabel(step)})`);
        }
      },
    };
  },
});
