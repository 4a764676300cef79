import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { dispatchEnv, expandInScope } from "../../context/dispatch.ts";

export const rule = defineRule({
  id: "InvalidDefaultArgInFrom",
  aliases: ["buildkit:InvalidDefaultArgInFrom"],
  severity: "warning",
  source: "buildkit",
  summary: "Default value for global ARG results in an empty or invalid base image name",
  url: "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
  docs: `
A build should work without \`--build-arg\`. With only the defaults of the global ARGs (and BuildKit's
predefined ones), every FROM must name a valid image reference; an ARG without a default is empty, which
often leaves \`busybox:\` or an empty name. As in BuildKit, this check stops at the first FROM whose
variables cannot be expanded at all, and it also reports a FROM that is not a valid reference even without
ARGs (such as an upper-case repository name).

\`\`\`dockerfile fires
ARG TAG
FROM busybox:${"$"}{TAG}
\`\`\`

\`\`\`dockerfile silent
ARG TAG=latest
FROM busybox:${"$"}{TAG}
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const global = dispatchEnv(ctx).global;
    for (const stage of ctx.stages.stages) {
      const image = stage.from.image;
      if (image === undefined) continue;
      const e = expandInScope(global, image.value, { escapeToken: ctx.model.escapeToken });
      if (e === undefined) return out;
      if (!isNormalizedNamed(e.value)) {
        out.push(ctx.finding(image.span, `Default value for ARG ${image.value} results in empty or invalid base image name`));
      }
    }
    return out;
  },
});

// distribution/reference's grammar.
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME = new RegExp(`^(?:(${DOMAIN})/)?(${REMOTE_NAME})$`);
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

// Base image names repeat (within a file and across the files of a run): each is judged once.
const judged = new Map<string, boolean>();

/** reference.ParseNormalizedNamed succeeds. */
function isNormalizedNamed(s: string): boolean {
  let ok = judged.get(s);
  if (ok === undefined) {
    ok = parsesAsNormalizedNamed(s);
    if (judged.size >= 4096) judged.clear();
    judged.set(s, ok);
  }
  return ok;
}

function parsesAsNormalizedNamed(s: string): boolean {
  if (/^[a-f0-9]{64}$/.test(s)) return false;
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(":");
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) return false;
  const ref = REFERENCE.exec(`${domain}/${remainder}`);
  if (ref === null) return false;
  const name = ANCHORED_NAME.exec(ref[1] ?? "");
  const path = name === null ? (ref[1] ?? "") : (name[2] ?? "");
  if (path.length > 255) return false;
  const digest = ref[3];
  if (digest !== undefined) {
    const [algorithm, hex] = digest.split(":") as [string, string];
    const length = DIGEST_LENGTHS[algorithm];
    if (length === undefined || !new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) return false;
  }
  return true;
}

function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf("/");
  if (slash === -1) return ["docker.io", `library/${name}`];
  const maybeDomain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === "localhost") [domain, remote] = [maybeDomain, rest];
  else if (maybeDomain === "index.docker.io") [domain, remote] = ["docker.io", rest];
  else if (/[.:]/.test(maybeDomain) || maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, rest];
  else [domain, remote] = ["docker.io", name];
  if (domain === "docker.io" && !remote.includes("/")) remote = `library/${remote}`;
  return [domain, remote];
}
