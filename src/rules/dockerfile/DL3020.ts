import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";

// ADD unpacks local archives in these formats; for them ADD is the right instruction.
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma|tlz|gz|bz2|xz|zst|lzma)$/i;
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

export const rule = defineRule({
  id: "DL3020",
  aliases: ["hadolint:DL3020"],
  severity: "error",
  source: "hadolint",
  summary: "Use COPY instead of ADD for files and folders",
  url: "https://github.com/hadolint/hadolint/wiki/DL3020",
  docs: `
ADD does more than copy: it downloads URLs and unpacks archives. For plain files and folders that extra
behaviour is a surprise waiting to happen (a file renamed to \`.tar\` gets unpacked); COPY says what it does.
ADD is right for URLs, git repositories and local archives it should unpack, which are not reported.

\`\`\`dockerfile fires
FROM debian:12
ADD app.conf /etc/app/
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ADD rootfs.tar.gz /
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "add")) {
      for (const src of inst.sources) {
        const expanded = ctx.stages.expand(inst, src.value);
        const path = expanded.value;
        // An unresolved variable may hold a URL or an archive name.
        if (REMOTE.test(path) || ARCHIVE.test(path) || expanded.references.some((r) => !r.set)) continue;
        const what = src.value.startsWith("<<") ? "a heredoc is a plain file" : `"${path}" is neither a URL nor an archive`;
        out.push(ctx.finding(src.span, `Use COPY instead of ADD for files and folders: ${what}`));
      }
    }
    return out;
  },
});
