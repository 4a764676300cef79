import { defineImageCheck } from "../../core/image-check.ts";
import { historySteps, stepLabel } from "./lib/history.ts";

export const check = defineImageCheck({
  id: "DI005",
  aliases: ["dockle:CIS-DI-0009", "cis:4.9"],
  severity: "warning",
  source: "dockle",
  summary: "COPY rather than ADD in the build history",
  docs: `
ADD fetches URLs without checking what arrives and unpacks local archives as a side effect; COPY does neither. Use
COPY for files, and \`ADD --checksum=sha256:...\` or a verified download in RUN for remote content.

The first layer of an image is commonly its base file system, added with \`ADD rootfs.tar.xz /\`: that step is not
reported.
`,
  create(ctx) {
    return {
      *finish() {
        if (ctx.config === undefined) return;
        for (const step of historySteps(ctx.config)) {
          if (step.instruction !== "ADD") continue;
          if (step.entry.layer === 0) continue; // the base file system
          const remote = /(?:^|\s)(?:https?|git):\/\//.test(step.args) || /\.git(?:#|\s|$)/.test(step.args);
          const what = remote ? "downloads remote content unverified" : "copies with ADD";
          yield ctx.finding(ctx.imageLocation, `history step ${step.index} ${what} (${stepLabel(step)}); use COPY`);
        }
      },
    };
  },
});
