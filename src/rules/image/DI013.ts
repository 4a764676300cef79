import { defineImageCheck } from "../../core/image-check.ts";
import type { LayerEntry } from "../../image/walk.ts";
import { inDependencyTree, isVisible } from "./lib/paths.ts";

/** What a left-behind file is, by name; undefined for anything else. */
function junkOf(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base === ".DS_Store" || base.startsWith("._")) return "macOS Finder metadata";
  if (base === "Thumbs.db" || base === "desktop.ini" || base === "ehthumbs.db") return "Windows Explorer metadata";
  if (/^\..+\.sw[a-p]$/.test(base)) return "a vim swap file";
  if (/^\.#.|^#.+#$/.test(base)) return "an Emacs lock or autosave file";
  if (base.endsWith("~") && base.length > 1) return "an editor backup file";
  if (base === ".idea" || base === ".vscode") return "editor project settings";
  if (/^(?:Dockerfile|Containerfile)(?:\..+)?$/.test(base) || /^(?:docker-)?compose(?:\.[^.]+)?\.ya?ml$/.test(base)) return "a build file";
  return undefined;
}

/** The most findings reported one by one; the rest are counted. */
const MAX_LISTED = 50;

export const check = defineImageCheck({
  id: "DI013",
  aliases: ["dockle:DKL-LI-0003"],
  severity: "info",
  source: "dockle",
  summary: "No editor, OS or build leftovers in the image",
  docs: `
\`.DS_Store\`, \`Thumbs.db\`, vim swap files, editor backups, \`.idea\`/\`.vscode\` settings and the Dockerfile or
compose file itself end up in images through \`COPY . .\`: dead weight that tells an attacker about the project and
its author's machine. Add them to \`.dockerignore\`.

Files inside third-party package trees (\`node_modules\`, \`site-packages\`, ...) are not reported. drydock's DI012
reports \`.git\` directories, which dockle's DKL-LI-0003 also covers.
`,
  wants: (e) => (e.kind === "file" || e.kind === "dir") && junkOf(e.path) !== undefined && !inDependencyTree(e.path),
  create(ctx) {
    const seen: LayerEntry[] = [];
    return {
      entry: (e) => void seen.push(e),
      *finish() {
        const visible = seen.filter((e) => isVisible(ctx, e) !== undefined);
        for (const e of visible.slice(0, MAX_LISTED)) yield ctx.finding(ctx.at(e), `/${e.path} is ${junkOf(e.path) ?? "not needed"}`);
        if (visible.length > MAX_LISTED) {
          yield ctx.finding(ctx.imageLocation, `${visible.length - MAX_LISTED} more editor, OS or build leftovers are not listed`);
        }
      },
    };
  },
});
