// What an OS package is, for the hardening rules: build toolchain, download tool, privilege escalation, SSH server.
// Names are those of Debian/Ubuntu (apt), Alpine (apk) and Fedora/RHEL/SUSE (rpm); see image-packages.ts.
import type { PackageManager } from "./image-packages.ts";

const TOOLCHAIN: Readonly<Record<string, string>> = {
  gcc: "a C compiler",
  "g++": "a C++ compiler",
  "gcc-c++": "a C++ compiler",
  clang: "a C compiler",
  gfortran: "a Fortran compiler",
  "build-essential": "the compiler toolchain",
  "build-base": "the compiler toolchain",
  "alpine-sdk": "the compiler toolchain",
  "development tools": "the compiler toolchain",
  "@development-tools": "the compiler toolchain",
  make: "a build tool",
  cmake: "a build tool",
  "ninja-build": "a build tool",
  ninja: "a build tool",
  samurai: "a build tool",
  meson: "a build tool",
  autoconf: "a build tool",
  automake: "a build tool",
  libtool: "a build tool",
  "pkg-config": "a build tool",
  pkgconf: "a build tool",
  bison: "a parser generator",
  flex: "a lexer generator",
  git: "a version control client",
  golang: "the Go toolchain",
  "golang-go": "the Go toolchain",
  go: "the Go toolchain",
  rustc: "the Rust compiler",
  cargo: "the Rust toolchain",
  rust: "the Rust toolchain",
  "default-jdk": "a Java compiler (JDK)",
  "linux-headers": "kernel headers",
  "kernel-headers": "kernel headers",
};

/** What the package is when it is part of a build toolchain; undefined when it is not. */
export function toolchainKind(name: string, manager: PackageManager): string | undefined {
  const known = TOOLCHAIN[name];
  if (known !== undefined) return known;
  if (/^(?:gcc|g\+\+|clang|gfortran)-\d+$/.test(name)) return "a compiler";
  if (/^openjdk-?\d+-jdk(?:-headless)?$/.test(name)) return "a Java compiler (JDK)";
  if ((manager === "apt" || manager === "apk") && name.endsWith("-dev")) return "development headers";
  if ((manager === "rpm" || manager === "zypper") && name.endsWith("-devel")) return "development headers";
  return undefined;
}

/** Tools that fetch files: needed to build, rarely to run. */
export const DOWNLOADERS: ReadonlySet<string> = new Set(["curl", "wget"]);

/** Packages that let a user become root. */
export const PRIVILEGE_ESCALATION: ReadonlySet<string> = new Set(["sudo", "sudo-ldap", "doas"]);

/** Packages that put an SSH server in the image; `ssh` and `openssh` only where they pull in the server. */
export function sshServer(name: string, manager: PackageManager): boolean {
  if (["openssh-server", "openssh-server-pam", "dropbear", "dropbear-bin", "dropbear-run"].includes(name)) return true;
  return (manager === "apt" && name === "ssh") || (manager === "apk" && name === "openssh");
}
