import { defineImageCheck } from "../../core/image-check.ts";
import { readAccountFile, uidOf } from "./lib/accounts.ts";

export const check = defineImageCheck({
  id: "DI001",
  aliases: ["dockle:CIS-DI-0001", "cis:4.1"],
  severity: "warning",
  source: "dockle",
  summary: "The image runs as a non-root user",
  docs: `
A container runs as the image's \`User\` unless told otherwise. Root in the container is root on the host's kernel:
one escape or one mounted host path away from the host. Set a non-root user in the Dockerfile:

\`\`\`dockerfile
RUN useradd --uid 10001 --create-home app
USER 10001
\`\`\`

The user is root when it is not set, or is \`root\`, \`0\`, \`0:0\`, \`root:<group>\`, or a name that the image's own
\`/etc/passwd\` maps to uid 0 (an alias such as \`toor:x:0:0\`). dockle's CIS-DI-0001 looks for an empty user or
\`root\` only.
`,
  keepFiles: ["etc/passwd"],
  create(ctx) {
    return {
      *finish() {
        const config = ctx.config;
        if (config === undefined) return; // a root file system has no configuration to set a user in
        const user = config.user.trim();
        const name = user.split(":")[0]?.trim() ?? "";
        if (user === "") {
          yield ctx.finding(ctx.imageLocation, "no USER is set, so the container runs as root");
        } else if (name === "root" || /^0+$/.test(name)) {
          yield ctx.finding(ctx.imageLocation, `USER ${user} is root`);
        } else if (!/^\d+$/.test(name)) {
          const passwd = readAccountFile(ctx, "etc/passwd");
          if (uidOf(passwd, name) === 0) {
            const at = passwd === undefined ? ctx.imageLocation : ctx.visibleAt(passwd.file.path, passwd.file);
            yield ctx.finding(at, `USER ${user} is root: /etc/passwd gives ${name} uid 0`);
          }
        }
      },
    };
  },
});
