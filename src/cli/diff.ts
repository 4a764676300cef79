// `drydock diff A B`: what differs between two images, and why. Exit 0 same, 1 different, 2 on errors (thrown).
import { Option, type Command } from "commander";
import { DrydockError } from "../core/errors.ts";
import { DIFF_ASPECTS, diffImages } from "../diff/diff.ts";
import { renderDiffJson, renderDiffText } from "../diff/render.ts";
import { openImage, type ImageSource } from "../image/source.ts";
import { writeOutput } from "./io.ts";
import type { Io } from "./main.ts";
import { collect, registryOptionsFrom, type RegistryFlags } from "./options.ts";

const FORMATS = ["text", "json"] as const;
type DiffFormat = (typeof FORMATS)[number];

interface DiffCliOptions extends RegistryFlags {
  platform?: string;
  format: DiffFormat;
  output?: string;
  semantic?: boolean;
  ignore: string[];
  ignorePath: string[];
  all?: boolean;
  max: string;
}

const IMAGE_HELP = "docker://REF, docker-archive:PATH[:NAME:TAG], oci:DIR[:TAG], oci-archive:PATH[:TAG], dir:ROOTFS, or a path (kind detected)";

/** Adds the `diff` command; the returned exitCode is set once it has run. */
export function registerDiff(program: Command, io: Io): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  program
    .command("diff")
    .description("explain what differs between two images: config, history, manifest, and every layer's files (content, mode, owner, mtime, links, xattrs, order, compression)")
    .argument("<a>", IMAGE_HELP)
    .argument("<b>", IMAGE_HELP)
    .option("--semantic", "ignore history, timestamps, image names, entry order and tar encoding (like diffoci --semantic)")
    .option("--ignore <aspect[:key]>", `set an aspect aside, or one key of it (env:BUILD_ID, labels:KEY) (repeatable): ${DIFF_ASPECTS.join(", ")}`, collect, [])
    .option("--ignore-path <glob>", "ignore a file system path and everything below it; * within a name, ** across (repeatable)", collect, [])
    .option("--all", "list every change (text output shows the first --max of each group)")
    .option("--max <n>", "changes listed per group in text output", "10")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .option("-o, --output <file>", "write the result to a file instead of stdout")
    .option("--platform <os/arch[/variant]>", "the image to pick from a multi-platform index, for both (default: the host's)")
    .option("--insecure-registry <host[:port]>", "for docker://: a registry reached over HTTP or without TLS verification (repeatable)", collect, [])
    .option("--ca-file <pem>", "for docker://: an extra certificate authority (repeatable)", collect, [])
    .action(async (a: string, b: string, opts: DiffCliOptions) => {
      state.exitCode = await diffCommand(a, b, opts, io);
    });
  return state;
}

async function diffCommand(refA: string, refB: string, opts: DiffCliOptions, io: Io): Promise<number> {
  const max = opts.all === true ? Infinity : Number(opts.max);
  if (!Number.isInteger(max) && max !== Infinity) throw new DrydockError("USAGE", `--max expects a whole number; got ${JSON.stringify(opts.max)}`);
  if (max < 0) throw new DrydockError("USAGE", `--max expects a number of changes, 0 or more; got ${opts.max}`);
  const open = (ref: string): Promise<ImageSource> => openImage(ref, {
    cwd: io.cwd,
    registry: registryOptionsFrom(opts),
    ...(opts.platform === undefined ? {} : { platform: opts.platform }),
  });
  const a = await open(refA);
  try {
    const b = await open(refB);
    try {
      const diff = await diffImages(a, b, {
        ...(opts.semantic === true ? { semantic: true } : {}),
        ignore: opts.ignore,
        ignorePaths: opts.ignorePath,
      });
      const rendered = opts.format === "json" ? renderDiffJson(diff) : renderDiffText(diff, { maxPerGroup: max });
      if (opts.output === undefined) io.stdout(rendered);
      else await writeOutput(opts.output, rendered, io.cwd);
      return diff.same ? 0 : 1;
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
}
