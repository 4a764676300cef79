import { defineImageCheck } from "../../core/image-check.ts";

export const check = defineImageCheck({
  id: "DI020",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "Port 22 (SSH) is not exposed",
  docs: `
An image that exposes port 22 usually runs an SSH server: one more daemon with credentials to manage and attack,
for what \`docker exec\` or \`kubectl exec\` already does. Remove sshd and the EXPOSE.

Trivy's Dockerfile check DS004 reports the same EXPOSE in a Dockerfile.
`,
  create(ctx) {
    return {
      *finish() {
        for (const port of ctx.config?.exposedPorts ?? []) {
          if (/^22(?:\/tcp)?$/i.test(port.trim())) yield ctx.finding(ctx.imageLocation, `port ${port} (SSH) is exposed`);
        }
      },
    };
  },
});
