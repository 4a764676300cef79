// `drydock inspect IMAGE`: an image's platform, config, history and layers, from the manifest and config alone.
import { Option, type Command } from "commander";
import { describeImage, type ImageDescription } from "../image/describe.ts";
import type { HealthCheck } from "../image/config.ts";
import { openImage } from "../image/source.ts";
import type { Io } from "./main.ts";
import { collect, registryOptionsFrom, type RegistryFlags } from "./options.ts";

const FORMATS = ["text", "json"] as const;
type InspectFormat = (typeof FORMATS)[number];

export function registerInspect(program: Command, io: Io): void {
  program
    .command("inspect")
    .description("show an image's platform, config, history and layers (no daemon, no layer is read)")
    .argument("<image>", "docker://REF, docker-archive:PATH[:NAME:TAG], oci:DIR[:TAG], oci-archive:PATH[:TAG], dir:ROOTFS, or a path (kind detected)")
    .option("--platform <os/arch[/variant]>", "the image to pick from a multi-platform index (default: the host's)")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .option("--insecure-registry <host[:port]>", "for docker://: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker://: an extra certificate authority (repeatable)", collect, [])
    .action(async (image: string, opts: { platform?: string; format: InspectFormat } & RegistryFlags) => {
      const source = await openImage(image, {
        cwd: io.cwd,
        registry: registryOptionsFrom(opts),
        ...(opts.platform === undefined ? {} : { platform: opts.platform }),
      });
      try {
        const d = describeImage(source);
        io.stdout(opts.format === "json" ? `${JSON.stringify(d, null, 2)}\n` : renderInspectText(d));
      } finally {
        await source.close();
      }
    });
}

/** The text form: one field a line, lists continued under their label. */
export function renderInspectText(d: ImageDescription): string {
  const lines: string[] = [];
  const field = (label: string, values: string | readonly string[] | undefined): void => {
    const list = values === undefined ? [] : typeof values === "string" ? [values] : values;
    if (list.length === 0) return;
    list.forEach((v, i) => lines.push(`${(i === 0 ? label : "").padEnd(12)} ${oneLine(v)}`));
  };
  field("Image", d.ref);
  field("Transport", d.transport);
  field("Name", d.name);
  field("Platform", d.platform);
  if (d.manifest !== undefined) field("Manifest", `${d.manifest.digest} (${d.manifest.mediaType}, ${d.manifest.size} bytes)`);
  field("Config", d.configDigest);
  field("Created", d.created);
  field("Author", d.author);
  const c = d.config;
  if (c === undefined) {
    lines.push("", "A root file system directory: no config, history or layers.");
    return `${lines.join("\n")}\n`;
  }
  field("User", c.user === "" ? "(not set: root)" : c.user);
  field("Entrypoint", c.entrypoint === undefined ? undefined : JSON.stringify(c.entrypoint));
  field("Cmd", c.cmd === undefined ? undefined : JSON.stringify(c.cmd));
  field("WorkingDir", c.workingDir === "" ? undefined : c.workingDir);
  field("Env", c.env);
  field("Ports", c.exposedPorts);
  field("Volumes", c.volumes);
  field("Labels", Object.entries(c.labels).map(([k, v]) => `${k}=${v}`));
  field("Healthcheck", c.healthcheck === undefined ? undefined : healthcheckText(c.healthcheck));
  field("StopSignal", c.stopSignal);
  field("Shell", c.shell === undefined ? undefined : JSON.stringify(c.shell));
  field("OnBuild", c.onBuild);

  lines.push("", `Layers (${d.layers.length}${d.totalSize === undefined ? "" : `, ${byteSize(d.totalSize)}`})`);
  for (const l of d.layers) {
    const kind = l.mediaType === undefined ? "" : `  ${l.mediaType}`;
    lines.push(`  ${String(l.index).padStart(3)}  ${l.digest ?? l.diffId ?? "(no digest)"}  ${l.size === undefined ? "?" : byteSize(l.size)}${kind}`);
    if (l.diffId !== undefined && l.diffId !== l.digest) lines.push(`       diffID ${l.diffId}`);
  }
  lines.push("", `History (${d.history.length})`);
  for (const [i, h] of d.history.entries()) {
    const made = h.emptyLayer ? "      -" : h.layer === undefined ? "      ?" : `layer ${String(h.layer).padStart(2)}`;
    lines.push(`  ${String(i).padStart(3)}  ${(h.created ?? "").slice(0, 19).padEnd(19)}  ${made}  ${oneLine(h.createdBy ?? h.comment ?? "")}`);
  }
  return `${lines.join("\n")}\n`;
}

function healthcheckText(h: HealthCheck): string {
  const [kind, ...args] = h.test;
  const command = kind === "CMD-SHELL" ? `CMD-SHELL ${args.join(" ")}` : kind === "CMD" ? `CMD ${JSON.stringify(args)}` : (kind ?? "(empty)");
  const timing = [
    h.interval === undefined ? undefined : `interval ${duration(h.interval)}`,
    h.timeout === undefined ? undefined : `timeout ${duration(h.timeout)}`,
    h.startPeriod === undefined ? undefined : `start period ${duration(h.startPeriod)}`,
    h.retries === undefined ? undefined : `retries ${h.retries}`,
  ].filter((t) => t !== undefined);
  return timing.length === 0 ? command : `${command} (${timing.join(", ")})`;
}

/** Nanoseconds, as configs store them, in the unit a Dockerfile would use. */
function duration(ns: number): string {
  const s = ns / 1e9;
  return Number.isInteger(s) ? `${s}s` : `${ns / 1e6}ms`;
}

function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u] ?? ""}`;
}

/** Control characters from an image would move the terminal's cursor: shown escaped. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (ch) => (ch === "\t" ? " " : `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`));
}
