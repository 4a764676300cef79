import { defineImageCheck } from "../../core/image-check.ts";
import { readAccountFile, type AccountFile } from "./lib/accounts.ts";

export const check = defineImageCheck({
  id: "DI018",
  aliases: ["dockle:DKL-LI-0002"],
  severity: "warning",
  source: "dockle",
  summary: "User and group names and ids are unique",
  docs: `
Two accounts with one uid are one identity under two names: files, processes and audit records of one are the
other's, and a second uid-0 account is a hidden root. Duplicate names make \`USER name\` and \`chown name\` pick
whichever line comes first. Each user name, uid, group name and gid should appear once in \`/etc/passwd\`,
\`/etc/group\` and \`/etc/shadow\`.
`,
  keepFiles: ["etc/passwd", "etc/group", "etc/shadow"],
  create(ctx) {
    return {
      *finish() {
        const checks: [path: "etc/passwd" | "etc/group" | "etc/shadow", column: number, what: string][] = [
          ["etc/passwd", 0, "user name"],
          ["etc/passwd", 2, "uid"],
          ["etc/group", 0, "group name"],
          ["etc/group", 2, "gid"],
          ["etc/shadow", 0, "user name"],
        ];
        const files = new Map<string, AccountFile | undefined>();
        for (const [path, column, what] of checks) {
          if (!files.has(path)) files.set(path, readAccountFile(ctx, path));
          const file = files.get(path);
          if (file === undefined) continue;
          const first = new Map<string, { name: string; line: number }>();
          for (const { line, fields } of file.lines) {
            const value = fields[column];
            if (value === undefined || value === "") continue;
            const earlier = first.get(value);
            if (earlier === undefined) {
              first.set(value, { name: fields[0] ?? "", line });
              continue;
            }
            const names = column === 0 ? "" : ` (${earlier.name} and ${fields[0] ?? ""})`;
            yield ctx.finding(ctx.visibleAt(file.file.path, file.file), `duplicate ${what} ${value}${names} in /${path}, lines ${earlier.line} and ${line}`);
          }
        }
      },
    };
  },
});
