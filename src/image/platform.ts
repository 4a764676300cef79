// Platforms ("linux/arm64/v8"): parsing, the host's default, and the matching rules of multi-platform indexes.
import { DrydockError } from "../core/errors.ts";

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function formatPlatform(p: Platform): string {
  return p.variant === undefined || p.variant === "" ? `${p.os}/${p.architecture}` : `${p.os}/${p.architecture}/${p.variant}`;
}

/** "os/arch[/variant]"; a bare architecture ("arm64") means linux, as docker's --platform does. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split("/");
  if (parts.some((p) => p === "" || !/^[a-z0-9._-]+$/.test(p)) || parts.length > 3) {
    throw new DrydockError("USAGE", `--platform expects os/arch[/variant] such as linux/amd64 or linux/arm/v7; got ${JSON.stringify(text)}`);
  }
  if (parts.length === 1) return normalizePlatform({ os: "linux", architecture: parts[0] ?? "" });
  const [os = "", architecture = "", variant] = parts;
  return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}

/** Node's names for CPUs and systems, mapped to the OCI (Go) names. */
const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x",
  riscv64: "riscv64", loong64: "loong64", mips: "mips", mipsel: "mipsle",
};

/**
 * The platform an image would run as here. Containers are Linux everywhere but on Windows hosts (Docker
 * Desktop on macOS runs a Linux VM of the same CPU), so only win32 maps to windows.
 */
export function hostPlatform(platform: string = process.platform, arch: string = process.arch, armVersion?: string): Platform {
  const os = platform === "win32" ? "windows" : "linux";
  const architecture = NODE_ARCH[arch] ?? arch;
  if (architecture === "arm") {
    const v = armVersion ?? String((process.config.variables as Record<string, unknown>)["arm_version"] ?? "7");
    return { os, architecture, variant: `v${v}` };
  }
  return { os, architecture };
}

/** Names that mean the same: Go's aliases, and the default variants indexes often leave out. */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  if (architecture === "x86_64" || architecture === "x86-64") architecture = "amd64";
  if (architecture === "aarch64") architecture = "arm64";
  if (architecture === "armhf") [architecture, variant] = ["arm", "v7"];
  if (architecture === "armel") [architecture, variant] = ["arm", "v6"];
  if (architecture === "i386") architecture = "386";
  if (architecture === "arm64" && variant === "v8") variant = undefined;
  if (architecture === "amd64" && variant === "v1") variant = undefined;
  if (architecture === "arm" && (variant === undefined || variant === "")) variant = "v7";
  return variant === undefined || variant === "" ? { os, architecture } : { os, architecture, variant };
}

/**
 * How well an available platform serves the wanted one: undefined when it cannot, else a score where higher is
 * better. A wanted variant must match exactly; without one, any variant of the architecture will do.
 */
export function platformScore(wanted: Platform, available: Platform): number | undefined {
  const w = normalizePlatform(wanted);
  const a = normalizePlatform(available);
  if (w.os !== a.os || w.architecture !== a.architecture) return undefined;
  if (w.variant !== undefined) return w.variant === a.variant ? 2 : undefined;
  return a.variant === undefined ? 2 : 1;
}
