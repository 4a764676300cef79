import { defineImageCheck } from "../../core/image-check.ts";
import { subcommandsOf } from "./lib/commands.ts";
import { historySteps, stepLabel } from "./lib/history.ts";

// What makes an index refresh worth keeping in the same step: using the index it fetched.
const USES_INDEX: Readonly<Record<string, readonly string[]>> = {
  apt: ["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download", "reinstall"],
  apk: ["add", "upgrade", "fix", "fetch"],
};

export const check = defineImageCheck({
  id: "DI003",
  aliases: ["dockle:CIS-DI-0007", "cis:4.7"],
  severity: "warning",
  source: "dockle",
  summary: "No package index update alone in a build step",
  docs: `
A RUN step that only refreshes the package index (\`apt-get update\`, \`apk update\`) is cached on its own: a later
rebuild reuses the old index, and the step after it installs outdated packages, or fails when the mirror dropped
them. Refresh and install in one step:

\`\`\`dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
\`\`\`

Read from the image's build history (\`created_by\`), whatever built it. hadolint and drydock lint check the same in
Dockerfiles.
`,
  create(ctx) {
    return {
      *finish() {
        if (ctx.config === undefined) return;
        for (const step of historySteps(ctx.config)) {
          if (step.script === undefined) continue;
          for (const [family, tools] of [["apt", ["apt-get", "apt"]], ["apk", ["apk"]]] as const) {
            const subs = subcommandsOf(step.script, tools);
            const uses = USES_INDEX[family] ?? [];
            if (subs.includes("update") && !subs.some((s) => uses.includes(s))) {
              yield ctx.finding(ctx.imageLocation, `history step ${step.index} updates the ${family} index without installing in the same step (${stepLabel(step)})`);
            }
          }
        }
      },
    };
  },
});
