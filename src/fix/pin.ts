// `drydock fix --pin`: base images pinned to the digest their tag names now, tag kept for readers
// (`FROM node:22` → `FROM node:22@sha256:...`). The digest is the one the tag points at — for a multi-platform
// image the index, so the pin holds for every platform.
import type { Edit, TextFinding } from "../core/finding.ts";
import type { Dockerfile } from "../dockerfile/ast.ts";
import type { RegistryClient } from "../registry/client.ts";
import { formatReference, parseReference, withDefaultTag, type ImageReference } from "../registry/reference.ts";

/** The digest ("sha256:...") a reference's tag names now. */
export type DigestResolver = (ref: ImageReference) => Promise<string>;

/** The rule whose findings (unpinned images) pinning fixes. */
export const PIN_RULE = "DD002";

/** Asks the registry: HEAD first (Docker Hub does not count it against pull limits), GET when HEAD tells no digest. */
export function registryDigestResolver(client: RegistryClient): DigestResolver {
  return async (ref) => {
    const tag = withDefaultTag(ref).tag ?? "latest";
    const head = await client.headManifest(ref, tag);
    if (head !== undefined) return head.digest;
    return (await client.getManifest(ref, tag)).digest;
  };
}

/**
 * Edits that append `@digest` to the image words DD002 reported. Skipped: words with variables (the value comes at
 * build time), references that do not parse, and ones already carrying a digest. Each reference is resolved once;
 * a registry error is thrown (the user asked for pins, and a silent partial pin would mislead).
 */
export async function pinEdits(model: Dockerfile, findings: readonly TextFinding[], resolve: DigestResolver): Promise<Edit[]> {
  const digests = new Map<string, Promise<string>>();
  const edits: Edit[] = [];
  for (const f of findings) {
    if (f.ruleId !== PIN_RULE) continue;
    const { start, end } = f.location;
    const word = model.source.text.slice(start.offset, end.offset);
    const ref = pinnable(word);
    if (ref === undefined) continue;
    const key = formatReference(withDefaultTag(ref));
    let digest = digests.get(key);
    if (digest === undefined) {
      digest = resolve(ref);
      digests.set(key, digest);
    }
    edits.push({ start: end.offset, end: end.offset, text: `@${await digest}` });
  }
  return edits;
}

/** The reference a literal image word names, when it can be pinned. */
function pinnable(word: string): ImageReference | undefined {
  if (word.includes("$") || word.includes("@") || word.toLowerCase() === "scratch" || /[\s"'=,]/.test(word)) return undefined;
  try {
    return parseReference(word);
  } catch {
    return undefined;
  }
}
