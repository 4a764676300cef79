// Base images known to run as a non-root user when the Dockerfile sets no USER. Kept short on purpose: an entry
// here silences DD001, so each one is an image whose published config sets a non-root user by default.
import { parseImageRef } from "../dockerfile/query.ts";

export interface NonRootImage {
  /** What the entry matches, for docs and messages. */
  pattern: string;
  /** The user the image runs as, and who says so. */
  why: string;
  matches(ref: { registry: string | undefined; repository: string; tag: string | undefined }): boolean;
}

/** `debug-nonroot`, `nonroot-amd64`, `distroless-base-nonroot`: "nonroot" or "rootless" as one dash-separated part. */
function hasPart(text: string | undefined, part: string): boolean {
  return text !== undefined && text.toLowerCase().split(/[-_.]/).includes(part);
}

function lastPathPart(repository: string): string {
  return repository.slice(repository.lastIndexOf("/") + 1);
}

export const NON_ROOT_IMAGES: readonly NonRootImage[] = [
  {
    pattern: "a `nonroot` tag or image name (`gcr.io/distroless/static-debian12:nonroot`, `:debug-nonroot`, `*-nonroot`)",
    why: "distroless and images built on the same convention set USER nonroot (uid 65532)",
    matches: (r) => hasPart(r.tag, "nonroot") || hasPart(lastPathPart(r.repository), "nonroot"),
  },
  {
    pattern: "a `rootless` tag (`docker:dind-rootless`)",
    why: "these images set USER rootless",
    matches: (r) => hasPart(r.tag, "rootless"),
  },
  {
    pattern: "`cgr.dev/chainguard/*` except `wolfi-base` and `chainguard-base`",
    why: "Chainguard images run as nonroot (uid 65532) by default; the two OS bases run as root",
    matches: (r) => r.registry === "cgr.dev" && r.repository.startsWith("chainguard/")
      && !["wolfi-base", "chainguard-base"].includes(lastPathPart(r.repository)),
  },
  {
    pattern: "`nginxinc/nginx-unprivileged`",
    why: "runs nginx as uid 101",
    matches: (r) => lastPathPart(r.repository) === "nginx-unprivileged",
  },
  {
    pattern: "`mcr.microsoft.com/dotnet/*` with a `chiseled` tag",
    why: ".NET chiseled images set USER app (uid 1654)",
    matches: (r) => r.registry === "mcr.microsoft.com" && r.repository.startsWith("dotnet/") && hasPart(r.tag, "chiseled"),
  },
  {
    pattern: "`mcr.microsoft.com/windows/nanoserver`",
    why: "Nano Server runs as ContainerUser, not ContainerAdministrator",
    matches: (r) => r.registry === "mcr.microsoft.com" && r.repository === "windows/nanoserver",
  },
];

/** The entry that says this image reference (after ARG expansion) runs as non-root, if any. */
export function knownNonRootImage(image: string): NonRootImage | undefined {
  const ref = parseImageRef(image);
  return NON_ROOT_IMAGES.find((entry) => entry.matches(ref));
}
