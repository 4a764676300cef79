import { defineImageCheck } from "../../core/image-check.ts";
import { parseImageRef } from "../../dockerfile/query.ts";
import { historySteps } from "./lib/history.ts";

/** The OCI annotation (and label) BuildKit and others write with the base image's reference. */
const BASE_NAME = "org.opencontainers.image.base.name";

export const check = defineImageCheck({
  id: "DI015",
  aliases: [],
  severity: "warning",
  source: "drydock",
  summary: "The base image was not taken by its latest tag",
  docs: `
An image built \`FROM something:latest\` (or with no tag at all) was built on whatever that tag pointed to that day:
the next build may get a different base, and nobody can tell which one this was. Pin the base by version and
digest: \`FROM debian:12.7@sha256:...\`.

The base is read from the \`org.opencontainers.image.base.name\` annotation or label and from FROM lines recorded in
the build history. dockle's DKL-DI-0006 checks the tag of the audited image itself (drydock: DI016).
`,
  create(ctx) {
    return {
      *finish() {
        const seen = new Set<string>();
        const report = (ref: string, where: string): string | undefined => {
          const r = parseImageRef(ref.trim());
          if (r.digest !== undefined || (r.tag !== undefined && r.tag !== "latest") || r.repository === "scratch" || seen.has(ref)) return undefined;
          seen.add(ref);
          return `the base image ${ref} ${r.tag === undefined ? "has no tag (so latest)" : "is taken by its latest tag"} (${where})`;
        };
        const candidates: [string | undefined, string][] = [
          [ctx.source.manifest?.annotations?.[BASE_NAME], `annotation ${BASE_NAME}`],
          [ctx.config?.labels[BASE_NAME], `label ${BASE_NAME}`],
        ];
        for (const step of ctx.config === undefined ? [] : historySteps(ctx.config)) {
          if (step.instruction === "FROM") candidates.push([step.args.split(/\s+/).find((w) => !w.startsWith("--")), `history step ${step.index}`]);
        }
        for (const [ref, where] of candidates) {
          if (ref === undefined || ref === "" || ref.includes("$")) continue;
          const message = report(ref, where);
          if (message !== undefined) yield ctx.finding(ctx.imageLocation, message);
        }
      },
    };
  },
});
