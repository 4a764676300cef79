import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { dispatchEnv, expandInScope } from "../../context/dispatch.ts";
import { goQuote } from "../../dockerfile/lex.ts";

export const rule = defineRule({
  id: "FromPlatformFlagConstDisallowed",
  aliases: ["buildkit:FromPlatformFlagConstDisallowed"],
  severity: "warning",
  source: "buildkit",
  summary: "FROM --platform flag should not use a constant value",
  url: "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
  docs: `
\`FROM --platform=linux/amd64\` pins the stage to one platform, so the Dockerfile can no longer build a
multi-platform image, and building for another platform quietly uses emulation. Leave \`--platform\` out and
pass \`--platform\` to the build, or use a variable such as \`$BUILDPLATFORM\`. As in BuildKit, a stage whose
name contains the platform's OS or architecture (\`build_amd64\`) is meant to be platform-specific and is not
reported. A single word such as \`linux\` is completed with the architecture of the machine that builds,
taken to be amd64 here.

\`\`\`dockerfile fires
FROM --platform=linux/amd64 alpine AS base
RUN apk add --no-cache git
\`\`\`

\`\`\`dockerfile silent
FROM --platform=linux/amd64 alpine AS build_amd64
RUN apk add --no-cache git
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    const global = dispatchEnv(ctx).global;
    for (const stage of ctx.stages.stages) {
      const platform = stage.from.flags.find((f) => f.name === "platform");
      if (platform?.value === undefined || platform.value === "") continue;
      const e = expandInScope(global, platform.value, { escapeToken: ctx.model.escapeToken });
      // Any variable, defined or not, makes the value not a constant.
      if (e === undefined || e.references.length > 0) continue;
      const parsed = parsePlatform(e.value);
      if (parsed === undefined) continue;
      const name = stage.name?.toLowerCase() ?? "";
      if (name.includes(parsed.os) || name.includes(parsed.architecture)) continue;
      out.push(ctx.finding(platform.valueSpan ?? platform.span, `FROM --platform flag should not use constant value ${goQuote(e.value)}`));
    }
    return out;
  },
});

const KNOWN_OS = new Set([
  "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd",
  "plan9", "solaris", "windows", "zos",
]);
const KNOWN_ARCH = new Set([
  "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64", "mips", "mipsle", "mips64",
  "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
]);
// The machine that builds (containerd fills in its own GOOS/GOARCH for a one-word platform).
const BUILDER_OS = "linux";
const BUILDER_ARCH = "amd64";

/** containerd's platforms.Parse, as far as this check needs it (OS and architecture); undefined on error. */
function parsePlatform(specifier: string): { os: string; architecture: string } | undefined {
  if (specifier.includes("*")) return undefined;
  const parts = splitN(specifier, "/", 4);
  const osMatch = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$/.exec(parts[0] ?? "");
  if (osMatch === null) return undefined;
  if (parts.slice(1).some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) return undefined;
  const os = normalizeOS(osMatch[1] ?? "");
  switch (parts.length) {
    case 1:
      if (KNOWN_OS.has(os)) return { os, architecture: BUILDER_ARCH };
      {
        const architecture = normalizeArch(parts[0] ?? "");
        return KNOWN_ARCH.has(architecture) ? { os: BUILDER_OS, architecture } : undefined;
      }
    case 2:
    case 3:
      return { os, architecture: normalizeArch(parts[1] ?? "") };
    default:
      return undefined;
  }
}

// Go's strings.SplitN.
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function normalizeOS(os: string): string {
  const lower = os.toLowerCase();
  return lower === "macos" ? "darwin" : lower;
}

function normalizeArch(arch: string): string {
  const lower = arch.toLowerCase();
  switch (lower) {
    case "i386": return "386";
    case "x86_64": case "x86-64": return "amd64";
    case "aarch64": return "arm64";
    case "armhf": case "armel": return "arm";
    default: return lower;
  }
}
