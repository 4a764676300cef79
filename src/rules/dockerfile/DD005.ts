import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";
import { redactSecrets } from "../../secrets/detect.ts";

// What BuildKit accepts for an HTTP source: SHA-256 only, as a go-digest string (lower-case hex).
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export const rule = defineRule({
  id: "DD005",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "ADD of a URL needs a sha256 --checksum",
  url: "https://docs.docker.com/reference/dockerfile/#add---checksum",
  docs: `
\`ADD https://...\` puts whatever the server returns into the image. Without a checksum, a compromised server,
a hijacked domain or a changed release file changes your image without a trace in the Dockerfile, and two
builds of the same Dockerfile differ. \`ADD --checksum=sha256:<digest>\` makes BuildKit verify the download and
fail the build on a mismatch.

A \`--checksum\` that is not \`sha256:\` followed by 64 lower-case hex digits is reported too: BuildKit accepts
SHA-256 only, so \`md5:...\`, \`sha512:...\` or a bare hex string fails the build (or, with a variable, at the
first build that sets it).

URLs are recognised as BuildKit does after ARG/ENV expansion: \`http://\` or \`https://\`, except git
repositories (a path ending in \`.git\`), which DD006 covers. A source whose variable has no value is not
judged.

\`\`\`dockerfile fires
FROM debian:12
ADD https://example.com/tool-1.2.tar.gz /opt/
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /opt/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "add")) {
      const checksum = inst.flags.find((f) => f.name === "checksum");
      let downloads = false;
      for (const src of inst.sources) {
        const expanded = ctx.stages.expand(inst, src.value);
        if (expanded.references.some((r) => !r.set) || !isHttpSource(expanded.value)) continue;
        downloads = true;
        if (checksum === undefined) {
          out.push(ctx.finding(src.span, `ADD downloads ${redactSecrets(expanded.value)} without --checksum: add --checksum=sha256:<digest> so that a changed file fails the build`));
        }
      }
      if (!downloads || checksum === undefined) continue;
      const value = ctx.stages.expand(inst, checksum.value ?? "");
      if (value.references.some((r) => !r.set) || SHA256_DIGEST.test(value.value)) continue;
      out.push(ctx.finding(checksum.valueSpan ?? checksum.span, `ADD --checksum="${value.value}" is not sha256:<64 lower-case hex digits>, the only form BuildKit accepts for a URL`));
    }
    return out;
  },
});

/** BuildKit's test: an http(s) URL whose path does not end in `.git` (those are git repositories). */
function isHttpSource(src: string): boolean {
  if (!src.startsWith("http://") && !src.startsWith("https://")) return false;
  try {
    return !new URL(src).pathname.endsWith(".git");
  } catch {
    return true; // BuildKit fails on it either way; the missing checksum is still worth saying
  }
}
