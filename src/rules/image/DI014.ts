import { defineImageCheck, type ImageCheckContext } from "../../core/image-check.ts";

const SHELLS = ["bin/sh", "bin/bash", "bin/ash", "bin/dash", "bin/zsh", "bin/busybox", "usr/bin/bash", "usr/bin/sh"];
const PACKAGE_MANAGERS = [
  "usr/bin/apt", "usr/bin/apt-get", "usr/bin/dpkg", "sbin/apk", "usr/bin/apk", "usr/bin/yum", "usr/bin/dnf", "usr/bin/microdnf",
  "usr/bin/rpm", "usr/bin/zypper", "usr/bin/pip", "usr/bin/pip3", "usr/local/bin/pip", "usr/local/bin/pip3",
];

const OS_RELEASE = ["etc/os-release", "usr/lib/os-release"];
// Labels and annotations in which an image describes itself.
const SELF_DESCRIPTIONS = ["org.opencontainers.image.title", "org.opencontainers.image.description", "org.opencontainers.image.base.name", "org.opencontainers.image.ref.name"];

export const check = defineImageCheck({
  id: "DI014",
  aliases: [],
  severity: "info",
  source: "drydock",
  summary: "An image that declares itself distroless or minimal has no shell or package manager",
  docs: `
Distroless and minimal images leave out the shell and the package manager so that an attacker who gets code
execution has no tools to use. If one came back (a \`COPY --from=busybox\`, a base that is not what its name says),
the image is not what it claims to be.

An image declares itself distroless or minimal by its \`/etc/os-release\` (distroless images say "Distroless"), or by
"distroless" or "minimal" in its name, title, description or base-name label/annotation. \`debug\` variants, which
add a busybox shell on purpose, are not reported.
`,
  keepFiles: OS_RELEASE,
  create(ctx) {
    return {
      *finish() {
        const claim = minimalClaim(ctx);
        if (claim === undefined) return;
        const present = (paths: readonly string[]): string[] => {
          const found = new Set<string>();
          for (const p of paths) {
            const r = ctx.fs.resolve(p);
            if (r?.version !== undefined && r.version.kind !== "dir") found.add(`/${p}`);
          }
          return [...found];
        };
        for (const [what, paths] of [["shell", SHELLS], ["package manager", PACKAGE_MANAGERS]] as const) {
          const found = present(paths);
          if (found.length > 0) yield ctx.finding(ctx.imageLocation, `the image declares itself ${claim}, yet has a ${what}: ${found.join(", ")}`);
        }
      },
    };
  },
});

/** "distroless (by /etc/os-release)" or undefined when the image makes no such claim. */
function minimalClaim(ctx: ImageCheckContext): string | undefined {
  const names = [ctx.source.name ?? "", ctx.source.ref];
  if (names.some((n) => /debug/i.test(n))) return undefined;
  for (const p of OS_RELEASE) {
    const file = ctx.visibleFile(p);
    if (file !== undefined && /distroless/i.test(Buffer.from(file.bytes).toString("utf8"))) return "distroless (by /etc/os-release)";
  }
  const described: [string, string][] = [];
  if (ctx.source.name !== undefined) described.push([ctx.source.name, "its name"]);
  for (const key of SELF_DESCRIPTIONS) {
    const label = ctx.config?.labels[key];
    const annotation = ctx.source.manifest?.annotations?.[key];
    if (label !== undefined) described.push([label, `label ${key}`]);
    if (annotation !== undefined) described.push([annotation, `annotation ${key}`]);
  }
  for (const [text, where] of described) {
    const m = /\b(distroless|minimal)\b/i.exec(text);
    if (m !== null) return `${(m[1] ?? "").toLowerCase()} (by ${where})`;
  }
  return undefined;
}
