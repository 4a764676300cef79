import { defineImageCheck } from "../../core/image-check.ts";

export const check = defineImageCheck({
  id: "DI002",
  aliases: ["dockle:CIS-DI-0006", "cis:4.6"],
  severity: "info",
  source: "dockle",
  summary: "The image has a HEALTHCHECK",
  docs: `
Without a health check, Docker and Swarm only know whether the main process is running, not whether it works: a
wedged server stays "up". Add one to the Dockerfile:

\`\`\`dockerfile
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck"]
\`\`\`

\`HEALTHCHECK NONE\` switches off the base image's check and is reported too. Kubernetes ignores HEALTHCHECK and uses
its own probes: ignore DI002 for images that only run there.
`,
  create(ctx) {
    return {
      *finish() {
        const config = ctx.config;
        if (config === undefined) return;
        const test = config.healthcheck?.test ?? [];
        if (config.healthcheck === undefined || test.length === 0) {
          yield ctx.finding(ctx.imageLocation, "no HEALTHCHECK is defined");
        } else if (test[0] === "NONE") {
          yield ctx.finding(ctx.imageLocation, "HEALTHCHECK NONE switches the health check off");
        }
      },
    };
  },
});
