// The `verify:` section of drydock.yaml enforced on an image: every entry whose pattern matches the image's
// repository must be satisfied, and an entry is satisfied when a signature by any one of its keys verifies
// with the entry's annotations. An image no entry matches is refused: a policy that is asked about an image it
// does not cover cannot vouch for it.
import type { KeyObject } from "node:crypto";
import type { ImageSignaturePolicy, VerifySettings } from "../core/config.ts";
import { globSource } from "../core/glob.ts";
import { verifyImage, type RejectedCandidate, type VerifiedSignature } from "./image.ts";
import type { ArtifactStore } from "./store.ts";

/**
 * Whether a repository name ("registry.example/team/app") matches a pattern: `*` matches within one path
 * component, `**` across components, `?` one character; everything else literally. A pattern may name a tag
 * or digest too ("registry.example/app:1.*"), then it is matched against the reference with its tag/digest.
 */
export function matchesPattern(pattern: string, name: string): boolean {
  return new RegExp(`^${globSource(pattern)}$`).test(name);
}

/** The entries that apply to an image: its repository name, or its full reference when a pattern names a tag. */
export function policiesFor(settings: VerifySettings, repository: string, reference: string): ImageSignaturePolicy[] {
  return settings.images.filter((p) => matchesPattern(p.pattern, repository) || matchesPattern(p.pattern, reference));
}

export interface PolicyEntryResult {
  policy: ImageSignaturePolicy;
  /** The key file that verified, undefined when none did. */
  key: string | undefined;
  verified: VerifiedSignature[];
  /** Why each candidate failed, per key tried. */
  rejected: (RejectedCandidate & { key: string })[];
  /** Where signatures were looked for (for "none found"). */
  looked: string;
}

export interface PolicyResult {
  allowed: boolean;
  digest: string | undefined;
  entries: PolicyEntryResult[];
  /** Set when no entry matched the image. */
  unmatched: boolean;
}

/**
 * Checks an image against the policy. `loadKey` reads a key file named by an entry (paths relative to the config
 * file are the caller's business), so this stays free of file I/O.
 */
export async function checkImagePolicy(
  store: ArtifactStore,
  settings: VerifySettings,
  names: { repository: string; reference: string },
  loadKey: (path: string) => Promise<KeyObject>,
): Promise<PolicyResult> {
  const matching = policiesFor(settings, names.repository, names.reference);
  if (matching.length === 0) return { allowed: false, digest: undefined, entries: [], unmatched: true };
  const entries: PolicyEntryResult[] = [];
  let digest: string | undefined;
  for (const policy of matching) {
    const result: PolicyEntryResult = { policy, key: undefined, verified: [], rejected: [], looked: "" };
    for (const keyFile of policy.keys) {
      const outcome = await verifyImage(store, await loadKey(keyFile), { annotations: policy.annotations, keyName: keyFile });
      digest = outcome.digest;
      result.looked = outcome.looked;
      result.rejected.push(...outcome.rejected.map((r) => ({ ...r, key: keyFile })));
      if (outcome.verified.length > 0) {
        result.key = keyFile;
        result.verified = outcome.verified;
        break;
      }
    }
    entries.push(result);
  }
  return { allowed: entries.every((e) => e.key !== undefined), digest, entries, unmatched: false };
}
