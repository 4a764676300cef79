// `drydock build` and `drydock repro`: reproducible daemonless image assembly (every instruction but RUN).
import { homedir } from "node:os";
import { Option, type Command } from "commander";
import { DrydockError } from "../core/errors.ts";
import { loadConfig } from "../core/config.ts";
import { buildImage, parseSourceDateEpoch, type BuildRequest } from "../build/build.ts";
import { parseOutput } from "../build/image.ts";
import type { LayerCompression } from "../build/layer.ts";
import { checkReproducible } from "../build/repro.ts";
import { hostPlatform, parsePlatform } from "../image/platform.ts";
import { RegistryClient } from "../registry/client.ts";
import { credentialProvider } from "../registry/credentials.ts";
import type { Io } from "./main.ts";
import { collect } from "./options.ts";

interface BuildFlags {
  file?: string;
  tag?: string;
  output: string[];
  target?: string;
  buildArg: string[];
  buildContext: string[];
  platform?: string;
  sourceDateEpoch?: string;
  reproducible: boolean;
  compression: string;
  insecureRegistry: string[];
  caFile: string[];
  quiet?: boolean;
}

export interface BuildCommands {
  /** Set by `repro`: 1 when the two builds differ. */
  exitCode: number | undefined;
}

function withBuildFlags(cmd: Command): Command {
  return cmd
    .argument("[context]", "the build context directory", ".")
    .option("-f, --file <Dockerfile>", "the Dockerfile (default: CONTEXT/Dockerfile)")
    .option("-t, --tag <name:tag>", "name the image (the tag of oci: outputs, RepoTags of docker-archive:)")
    .option("--target <stage>", "build this stage (and what it needs), not the last")
    .option("--build-arg <name=value>", "set a build argument (repeatable)", collect, [])
    .option("--build-context <name=source>", "let FROM/COPY --from name stand for oci:DIR, docker-archive:FILE or a registry ref (repeatable)", collect, [])
    .option("--platform <os/arch[/variant]>", "platform of the base images and the result (default: this machine's)")
    .option("--source-date-epoch <seconds>", "timestamps of files, config and history (default: $SOURCE_DATE_EPOCH, else 0)")
    .option("--no-reproducible", "keep context file modes and use the current time when no epoch is given")
    .addOption(new Option("--compression <kind>", "layer compression").choices(["gzip", "zstd", "none"]).default("gzip"))
    .option("--insecure-registry <host:port>", "allow plain HTTP / skip TLS verification for this registry (repeatable)", collect, [])
    .option("--ca-file <pem>", "trust this certificate authority besides the system's (repeatable)", collect, [])
    .option("-q, --quiet", "no step output");
}

export function registerBuild(program: Command, io: Io): BuildCommands {
  const state: BuildCommands = { exitCode: undefined };
  withBuildFlags(program.command("build").description("build an image from a Dockerfile without a daemon, reproducibly (no RUN)"))
    .option("-o, --output <dest>", "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], docker://REF (repeatable)", collect, [])
    .action(async (context: string, flags: BuildFlags) => {
      const client = await makeClient(flags, io);
      try {
        const outputs = flags.output.map((o) => parseOutput(o, io.cwd, flags.tag));
        const result = await buildImage({ ...(await request(context, flags, io, client)), outputs });
        if (outputs.length === 0 && flags.quiet !== true) io.stderr("drydock: note: no --output given; nothing was written\n");
        for (const o of result.outputs) if (flags.quiet !== true) io.stderr(`wrote ${o.description}\n`);
        io.stdout(`${result.digest}\n`);
      } finally {
        client.close();
      }
    });
  withBuildFlags(program.command("repro").description("build twice from perturbed copies of the context and compare the digests"))
    .action(async (context: string, flags: BuildFlags) => {
      const client = await makeClient(flags, io);
      try {
        const req = await request(context, { ...flags, quiet: true }, io, client);
        const result = await checkReproducible(req);
        if (result.reproducible) {
          io.stdout(`reproducible ${result.digests[0]}\n`);
          state.exitCode = 0;
        } else {
          io.stdout(`not reproducible: ${result.digests[0]} vs ${result.digests[1]}\n${result.differences.map((d) => `  ${d}\n`).join("")}`);
          state.exitCode = 1;
        }
      } finally {
        client.close();
      }
    });
  return state;
}

async function request(context: string, flags: BuildFlags, io: Io, client: RegistryClient): Promise<Omit<BuildRequest, "outputs">> {
  const epochText = flags.sourceDateEpoch ?? io.env["SOURCE_DATE_EPOCH"];
  const epoch = epochText === undefined || epochText === "" ? undefined : parseSourceDateEpoch(epochText);
  return {
    context,
    ...(flags.file === undefined ? {} : { dockerfile: flags.file }),
    ...(flags.target === undefined ? {} : { target: flags.target }),
    buildArgs: Object.fromEntries(flags.buildArg.map((a) => splitPair(a, "--build-arg"))),
    contexts: new Map(flags.buildContext.map((a) => splitPair(a, "--build-context"))),
    platform: flags.platform === undefined ? hostPlatform() : parsePlatform(flags.platform),
    reproducible: flags.reproducible,
    sourceDateEpoch: epoch,
    compression: flags.compression as LayerCompression,
    client,
    cwd: io.cwd,
    ...(flags.quiet === true ? {} : { onStep: (s: string) => io.stderr(`${s}\n`) }),
  };
}

function splitPair(text: string, flag: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new DrydockError("USAGE", `${flag} expects NAME=VALUE; got ${JSON.stringify(text)}`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function makeClient(flags: BuildFlags, io: Io): Promise<RegistryClient> {
  const settings = (await loadConfig(io.cwd)).config.registries;
  return new RegistryClient({
    insecureRegistries: [...flags.insecureRegistry, ...(settings?.insecure ?? [])],
    ...(settings === undefined ? {} : { mirrors: settings.mirrors }),
    caFiles: flags.caFile,
    credentials: credentialProvider({ env: io.env, home: io.env["HOME"] ?? homedir() }),
    userAgent: "drydock",
  });
}
