import { defineImageCheck } from "../../core/image-check.ts";
import type { LayerEntry } from "../../image/walk.ts";
import { allowList, isVisible } from "./lib/paths.ts";

export const check = defineImageCheck({
  id: "DI004",
  aliases: ["dockle:CIS-DI-0008", "cis:4.8"],
  severity: "info",
  source: "dockle",
  summary: "Known setuid and setgid files only",
  docs: `
A setuid or setgid executable runs with its owner's or group's rights whoever starts it: each one is a way to root
(or to a privileged group) for any process in the container, and a target for privilege escalation. Few containers
need any. Remove the bits where they are not needed:

\`\`\`dockerfile
RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +
\`\`\`

Every visible setuid/setgid file is listed. Expected ones go in \`drydock.yaml\`:

\`\`\`yaml
audit:
  setuidAllow: [/usr/bin/passwd, /usr/lib/dbus-1.0/*]
\`\`\`
`,
  wants: (e) => (e.kind === "file" || e.kind === "hardlink") && (e.mode & 0o6000) !== 0,
  create(ctx) {
    const allowed = allowList(ctx.settings.setuidAllow);
    const seen: LayerEntry[] = [];
    return {
      entry(e) {
        if (!allowed(e.path)) seen.push(e);
      },
      *finish() {
        for (const e of seen) {
          const v = isVisible(ctx, e);
          if (v === undefined || (v.mode & 0o6000) === 0) continue;
          const bits = [(v.mode & 0o4000) !== 0 ? "setuid" : "", (v.mode & 0o2000) !== 0 ? "setgid" : ""].filter((b) => b !== "").join(" and ");
          const owner = (v.mode & 0o4000) !== 0 ? `uid ${v.uid}` : `gid ${v.gid}`;
          yield ctx.finding(ctx.at(e), `/${e.path} is ${bits} (${owner}, mode ${(v.mode & 0o7777).toString(8).padStart(4, "0")})`);
        }
      },
    };
  },
});
