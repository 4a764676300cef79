import { posix } from "node:path";
import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import type { Instruction } from "../../dockerfile/ast.ts";
import type { StageGraph } from "../../dockerfile/stages.ts";
import { instructionsOfKind, runInstructions } from "../../dockerfile/query.ts";

// Any of these sockets hands its holder the container engine, and with it root on the host.
const ENGINE_SOCKETS: Readonly<Record<string, string>> = {
  "docker.sock": "Docker",
  "podman.sock": "Podman",
  "containerd.sock": "containerd",
};

// RUN --mount keys that name a path (BuildKit's aliases included).
const PATH_KEYS: Readonly<Record<string, string>> = {
  target: "target", dst: "target", destination: "target", source: "source", src: "source",
};

export const rule = defineRule({
  id: "DD014",
  aliases: [],
  severity: "error",
  source: "drydock",
  summary: "No container engine socket (/var/run/docker.sock) in VOLUME or RUN --mount",
  url: "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
  docs: `
Whoever can talk to the Docker daemon's socket can start a privileged container that mounts the host's root
file system: access to \`/var/run/docker.sock\` is root on the host. The same holds for Podman's and
containerd's sockets.

- \`VOLUME /var/run/docker.sock\` declares that the image expects the socket to be mounted into every
  container made from it. Only the stages that make up the target image are checked (VOLUME in a build stage
  the target is not built from changes nothing).
- \`RUN --mount=...,target=/var/run/docker.sock\` (or \`source=\`) gives a build step a daemon to drive; it
  runs in every stage, so every stage is checked.

Paths are expanded (ARG/ENV) and normalised (\`/run//docker.sock\`, \`/var/run/./docker.sock\`). Any directory
counts: the file name \`docker.sock\`, \`podman.sock\` or \`containerd.sock\` is what matters.

Build images without a daemon (BuildKit, Buildah, Kaniko); if a container truly must manage containers, give
it a narrowly scoped API (a socket proxy allowing only the calls it needs) at run time, not in the image.

\`\`\`dockerfile fires
FROM docker:27-cli
VOLUME /var/run/docker.sock
\`\`\`

\`\`\`dockerfile fires
FROM docker:27-cli
RUN --mount=type=bind,source=docker.sock,target=/var/run/docker.sock docker ps
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
VOLUME /var/lib/app
RUN --mount=type=cache,target=/var/cache/apt apt-get update
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    if (instructionsOfKind(ctx.model, "volume").length > 0) for (const stage of ctx.stages.targetChain) {
      for (const outer of stage.instructions) {
        const inst = outer.kind === "onbuild" ? outer.inner : outer;
        if (inst?.kind !== "volume") continue;
        for (const item of inst.items) {
          const path = expanded(ctx.stages.expand, inst, item.value);
          const engine = engineSocket(path);
          if (engine !== undefined) {
            out.push(ctx.finding(item.span, `VOLUME ${path ?? item.value} expects the ${engine} socket inside the container: access to it is root on the host`));
          }
        }
      }
    }
    for (const run of runInstructions(ctx.model)) {
      for (const flag of run.flags) {
        if (flag.name !== "mount" || flag.value === undefined || !maySock(flag.value)) continue;
        const paths: { key: string; path: string | undefined }[] = [];
        for (const field of csvFields(flag.value)) {
          const eq = field.indexOf("=");
          const key = PATH_KEYS[field.slice(0, eq).trim().toLowerCase()];
          if (eq !== -1 && key !== undefined) paths.push({ key, path: expanded(ctx.stages.expand, run, field.slice(eq + 1)) });
        }
        // Where the socket appears in the step (the target) says the most; one finding per mount.
        const hit = [...paths.filter((p) => p.key === "target"), ...paths.filter((p) => p.key === "source")]
          .find((p) => engineSocket(p.path) !== undefined);
        if (hit !== undefined) {
          out.push(ctx.finding(flag.span, `RUN --mount ${hit.key} ${hit.path ?? ""} gives the build step the ${engineSocket(hit.path) ?? ""} socket: whoever drives the engine is root on the host`));
        }
      }
    }
    return out;
  },
});

/** The word with ARG/ENV expanded; undefined when a variable in it is not set (it could be anything). */
function expanded(expand: StageGraph["expand"], inst: Instruction, word: string): string | undefined {
  const e = expand(inst, word);
  return e.references.some((r) => !r.set) ? undefined : e.value;
}

// A mount names a socket only with "sock" in it, unless expansion, quotes or escapes could make one.
function maySock(value: string): boolean {
  return value.includes("sock") || /[$'"\\`]/.test(value);
}

function engineSocket(path: string | undefined): string | undefined {
  if (path === undefined || path === "") return undefined;
  return ENGINE_SOCKETS[posix.basename(posix.normalize(path))];
}

/** The fields of a --mount value, split as CSV the way BuildKit reads it: `"source=a,b",target=/x` is two fields. */
function csvFields(value: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}
