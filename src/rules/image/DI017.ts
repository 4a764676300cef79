import { defineImageCheck } from "../../core/image-check.ts";
import { readAccountFile } from "./lib/accounts.ts";

export const check = defineImageCheck({
  id: "DI017",
  aliases: ["dockle:DKL-LI-0001"],
  severity: "error",
  source: "dockle",
  summary: "No account with an empty password",
  docs: `
An empty password field lets anyone log in as that user with no password at all — \`su\` from any process in the
container, or a login service if one runs. Alpine's images shipped \`root\` this way for years (CVE-2019-5021). Lock
accounts instead (\`*\` or \`!\` in the password field: \`passwd -l user\`).

Read from the visible \`/etc/shadow\` (and \`/etc/master.passwd\`), and from \`/etc/passwd\` for accounts whose
password field there is empty rather than \`x\`.
`,
  keepFiles: ["etc/shadow", "etc/master.passwd", "etc/passwd"],
  create(ctx) {
    return {
      *finish() {
        for (const path of ["etc/shadow", "etc/master.passwd", "etc/passwd"] as const) {
          const file = readAccountFile(ctx, path);
          if (file === undefined) continue;
          for (const { line, fields } of file.lines) {
            if (fields.length >= 2 && fields[1] === "" && (fields[0] ?? "") !== "") {
              yield ctx.finding(ctx.visibleAt(file.file.path, file.file), `${fields[0]} has an empty password in /${path} (line ${line})`);
            }
          }
        }
      },
    };
  },
});
