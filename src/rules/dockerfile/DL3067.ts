import { defineRule } from "../../core/rule.ts";
import { allInstructions } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DL3067",
  aliases: ["hadolint:DL3067"],
  severity: "warning",
  source: "hadolint",
  summary: "Do not copy an entire filesystem from another stage",
  url: "https://github.com/hadolint/hadolint/wiki/DL3067",
  docs: `
\`COPY --from=build / /\` copies every file of the other stage (its package databases, caches, compilers and
whatever the build left) over this one, undoing the point of a multi-stage build and overwriting this stage's
own system files. Copy the directories the final image needs.

\`\`\`dockerfile fires
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build / /
\`\`\`

\`\`\`dockerfile silent
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
\`\`\`
`,
  *check(ctx) {
    for (const inst of allInstructions(ctx.model)) {
      if (inst.kind !== "copy" || inst.destination === undefined || !inst.flags.some((f) => f.name === "from")) continue;
      if (unquoted(inst.destination.value) !== "/") continue;
      const root = inst.sources.find((s) => unquoted(s.value) === "/");
      if (root !== undefined) yield ctx.finding(root.span, `Do not copy an entire filesystem from another stage: "/" copies everything from ${inst.flags.find((f) => f.name === "from")?.value ?? "it"} onto this stage's root`);
    }
  },
});

function unquoted(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}
