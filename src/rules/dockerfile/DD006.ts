import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { instructionsOfKind } from "../../dockerfile/query.ts";
import { redactSecrets } from "../../secrets/detect.ts";

/** A full commit id: SHA-1 (40 hex digits) or SHA-256 (64) object format. */
const FULL_COMMIT = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
const HEX = /^[0-9a-fA-F]+$/;

export const rule = defineRule({
  id: "DD006",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "ADD of a git repository must pin a commit",
  url: "https://docs.docker.com/reference/dockerfile/#adding-files-from-a-git-repository",
  docs: `
\`ADD https://github.com/org/repo.git#v1.2 /src\` checks out whatever \`v1.2\` points to when the build runs.
Branches move, tags can be deleted and pushed again, and a compromised account can do both: the same
Dockerfile then builds different, possibly malicious, code. A commit id cannot be moved.

Pin the commit in the fragment (\`repo.git#<40-hex commit>\`), in the query (\`?commit=<commit>\`), or keep a
readable ref and verify it with \`ADD --checksum=<full commit id>\`. A \`--checksum\` that is only a prefix of
the commit (BuildKit accepts one) is reported: a short prefix can be matched by a crafted commit.

Git sources are recognised as BuildKit does, after ARG/ENV expansion: \`https://\`/\`http://\` URLs whose path
ends in \`.git\`, \`ssh://\` and \`git://\` URLs, and scp-style \`git@host:org/repo.git\`. The ref is the
fragment before \`:\` (\`#ref:subdir\`) or the \`ref\`, \`tag\` or \`branch\` query parameter. A source or ref
whose variable has no value is not judged.

\`\`\`dockerfile fires
FROM debian:12
ADD https://github.com/moby/buildkit.git#v0.26.2 /src
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ADD --checksum=be1f38efc2d7c6f2e0b0a7b1b1c5f0b23f6ea0b1 https://github.com/moby/buildkit.git#v0.26.2 /src
ADD git@github.com:moby/buildkit.git#be1f38efc2d7c6f2e0b0a7b1b1c5f0b23f6ea0b1:docs /docs
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const inst of instructionsOfKind(ctx.model, "add")) {
      const flag = inst.flags.find((f) => f.name === "checksum");
      const flagValue = flag === undefined ? undefined : ctx.stages.expand(inst, flag.value ?? "");
      if (flagValue?.references.some((r) => !r.set) === true) continue; // a commit passed at build time
      for (const src of inst.sources) {
        const expanded = ctx.stages.expand(inst, src.value);
        if (expanded.references.some((r) => !r.set)) continue;
        const git = gitSource(expanded.value);
        if (git === undefined) continue;
        const checksum = git.checksum ?? flagValue?.value;
        const repo = redactSecrets(git.remote);
        if (checksum !== undefined && checksum !== "") {
          if (FULL_COMMIT.test(checksum)) continue;
          if (HEX.test(checksum)) {
            out.push(ctx.finding(flag?.valueSpan ?? src.span, `ADD of ${repo} checks only a ${checksum.length}-digit prefix of the commit ("${checksum}"); give the full commit id`));
            continue;
          }
        }
        if (git.ref !== undefined && FULL_COMMIT.test(git.ref)) continue;
        const at = git.ref === undefined || git.ref === "" ? "its default branch" : `"${git.ref}", a ref that can be moved`;
        out.push(ctx.finding(src.span, `ADD of ${repo} checks out ${at}; pin a commit: ${repo}#<full commit id>, or ADD --checksum=<full commit id>`));
      }
    }
    return out;
  },
});

interface GitSource {
  /** The repository without fragment and query. */
  remote: string;
  ref: string | undefined;
  /** A commit given in the query (`?commit=`/`?checksum=`). */
  checksum: string | undefined;
}

// BuildKit's scp-style git URL: user@host:path[?query][#fragment].
const SCP_STYLE = /^([A-Za-z0-9_-]+)@([A-Za-z0-9.-]+):(.*?)(?:\?(.*?))?(?:#(.*))?$/;

/** The source as BuildKit's dockerfile frontend reads a git ref; undefined when it is not a git source. */
function gitSource(src: string): GitSource | undefined {
  // `./x` is local; `github.com/org/repo` is taken for a local path by ADD (the form is only kept for contexts).
  if (src.startsWith("./") || src.startsWith("../") || src.startsWith("github.com/")) return undefined;
  let remote: string;
  let fragment: string;
  let query: URLSearchParams;
  const scheme = /^([A-Za-z0-9]+):\/\//.exec(src)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!["http", "https", "ssh", "git"].includes(scheme)) return undefined;
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      return undefined;
    }
    if ((scheme === "http" || scheme === "https") && !url.pathname.endsWith(".git")) return undefined;
    fragment = safeDecode(url.hash.slice(1));
    query = url.searchParams;
    remote = src.replace(/[?#].*$/, "");
  } else {
    const m = SCP_STYLE.exec(src);
    if (m === null) return undefined;
    fragment = m[5] ?? "";
    query = new URLSearchParams(m[4] ?? "");
    remote = `${m[1] ?? ""}@${m[2] ?? ""}:${m[3] ?? ""}`;
  }
  const fromFragment = fragment.split(":")[0] ?? "";
  const ref = fromFragment !== "" ? fromFragment : query.get("ref") ?? query.get("tag") ?? query.get("branch") ?? undefined;
  const checksum = query.get("commit") ?? query.get("checksum") ?? undefined;
  return { remote, ref, checksum };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
