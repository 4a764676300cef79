import { defineImageCheck } from "../../core/image-check.ts";

/** Paths whose volume hands the container the host's system, or its container engine. */
const SENSITIVE: Readonly<Record<string, string>> = {
  "/": "the whole file system",
  "/etc": "the system configuration",
  "/proc": "the process file system",
  "/sys": "the kernel's sysfs",
  "/dev": "the device nodes",
  "/boot": "the boot loader and kernels",
  "/root": "root's home directory",
  "/lib/modules": "the kernel modules",
  "/var/run/docker.sock": "the Docker socket (root on the host)",
  "/run/docker.sock": "the Docker socket (root on the host)",
  "/var/run": "the runtime directory with the Docker socket",
  "/run": "the runtime directory with the Docker socket",
  "/var/lib/docker": "Docker's storage",
  "/run/containerd/containerd.sock": "the containerd socket (root on the host)",
  "/var/run/crio/crio.sock": "the CRI-O socket (root on the host)",
};

export const check = defineImageCheck({
  id: "DI008",
  aliases: ["dockle:DKL-DI-0002"],
  severity: "warning",
  source: "dockle",
  summary: "No VOLUME on sensitive system paths",
  docs: `
A VOLUME makes every container of the image mount something at that path. On \`/\`, \`/etc\`, \`/proc\`, \`/sys\`,
\`/dev\` or the container engine's socket it invites \`-v /etc:/etc\`-style mounts of the host's own system — and
the engine socket is root on the host. Declare volumes for data directories only (\`/var/lib/app\`).

dockle's DKL-DI-0002 checks /dev, /proc and /sys; drydock also checks /, /etc, /boot, /root and the engine sockets.
`,
  create(ctx) {
    return {
      *finish() {
        for (const volume of ctx.config?.volumes ?? []) {
          const path = volume.length > 1 ? volume.replace(/\/+$/, "") : volume;
          const what = SENSITIVE[path];
          if (what !== undefined) yield ctx.finding(ctx.imageLocation, `VOLUME ${volume} exposes ${what}`);
        }
      },
    };
  },
});
