// The instruction interpreter: stages needed by the target, in order; every instruction but RUN applied to the
// stage's config, file tree and history as BuildKit's dockerfile2llb does; layers written deterministically.
// The result is an image in memory (config bytes, manifest bytes, layer blobs) that image.ts writes anywhere.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DrydockError } from "../core/errors.ts";
import type { Location } from "../core/finding.ts";
import type { ArgInstruction, CommandForm, CopyInstruction, Dockerfile, HealthcheckInstruction, Instruction } from "../dockerfile/ast.ts";
import { expandWord } from "../dockerfile/expand.ts";
import { buildStageGraph, type Stage } from "../dockerfile/stages.ts";
import { DEFAULT_PATH } from "../context/dispatch.ts";
import { MEDIA } from "../image/media.ts";
import { formatPlatform, type Platform } from "../image/platform.ts";
import type { RegistryClient } from "../registry/client.ts";
import { manifestBlob, type Descriptor, type ManifestBlob } from "../registry/manifest.ts";
import { extractArchive, fetchChecked, isGitSource, isUrl, sniffArchive } from "./add.ts";
import { openBase, type BaseImage } from "./base.ts";
import type { BuildContext } from "./context.ts";
import { CopyError, planCopy } from "./copy.ts";
import { writeLayer, type LayerBlob, type LayerCompression } from "./layer.ts";
import { parseChmod, parseChown, resolveOwner, type ModeChange } from "./perms.ts";
import type { LayerEntry } from "./tar-writer.ts";
import { cleanRelative, MapTree, parentPath, resolvePath, type FileTree, type TreeNode } from "./tree.ts";

export const BASE_NAME_ANNOTATION = "org.opencontainers.image.base.name";
export const BASE_DIGEST_ANNOTATION = "org.opencontainers.image.base.digest";
export const CREATED_ANNOTATION = "org.opencontainers.image.created";
const HISTORY_COMMENT = "buildkit.dockerfile.v0";

export interface BuildOptions {
  dockerfile: Dockerfile;
  context: BuildContext;
  target?: string;
  buildArgs?: Readonly<Record<string, string>>;
  platform: Platform;
  /** Seconds; timestamps are this (or clamped to it). undefined: not reproducible, "now" is used. */
  sourceDateEpoch: number | undefined;
  compression?: LayerCompression;
  client: RegistryClient;
  /** Scratch space for layer blobs and extracted files; the caller removes it. */
  workDir: string;
  cwd: string;
  /** `--build-context name=source`: FROM/COPY --from names that stand for other image sources. */
  contexts?: ReadonlyMap<string, string>;
  fetch?: typeof fetch;
  /** Progress lines ("[2/5] COPY . /app"). */
  onStep?: (text: string) => void;
}

/** A layer of the result: a base image's blob as it is, or one this build wrote. */
export interface ImageLayer {
  descriptor: Descriptor;
  diffId: string;
  open(): AsyncIterable<Uint8Array>;
  /** The file of a layer this build wrote. */
  path?: string;
}

export interface AssembledImage {
  config: Buffer;
  configDescriptor: Descriptor;
  manifest: ManifestBlob;
  layers: ImageLayer[];
  /** The image the target stage is built on, when it is one (its annotations are on the manifest). */
  base: { name: string; digest: string } | undefined;
  platform: Platform;
  /** Closes base image readers and removes their caches. */
  close(): Promise<void>;
}

interface HistoryItem {
  created?: string;
  created_by: string;
  comment?: string;
  empty_layer?: boolean;
  [key: string]: unknown;
}

interface StageState {
  stage: Stage;
  /** config.config of the image (Env, Cmd, ...), as JSON. */
  run: Record<string, unknown>;
  top: { architecture: string; os: string; variant?: string; "os.version"?: string; author?: string };
  layers: ImageLayer[];
  history: HistoryItem[];
  base: BaseImage | undefined;
  /** The chain's root image (for annotations). */
  rootBase: { name: string; digest: string } | undefined;
  /** The stage's file system, once a step needed it (loading it may download the base layers). */
  tree: MapTree | undefined;
  /** Paths whose file contents the tree holds (base files elsewhere have headers only). */
  prefixes: string[];
  /** A fresh copy of the tree the stage starts from, with contents under the given paths. */
  loadBase: (contentsUnder: readonly string[]) => Promise<MapTree>;
  /** The entries of every layer this stage added, to replay on a reloaded base tree. */
  own: LayerEntry[][];
  args: Map<string, string>;
  cmdSet: boolean;
}

/** Builds the target stage (and what it needs). Throws DrydockError with the instruction's location. */
export async function assembleImage(options: BuildOptions): Promise<AssembledImage> {
  const model = options.dockerfile;
  const graph = buildStageGraph(model, {
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
  });
  if (graph.target === undefined) {
    const names = graph.stages.flatMap((s) => (s.name === undefined ? [] : [s.name])).join(", ");
    throw new DrydockError("USAGE", `no stage named ${JSON.stringify(options.target)} in ${model.file}${names === "" ? "" : ` (stages: ${names})`}`);
  }
  const needed = graph.stages.filter((s) => graph.reachable.has(s.index));
  for (const s of needed) {
    for (const inst of s.instructions) {
      const run = inst.kind === "run" ? inst : undefined;
      if (run !== undefined) {
        throw new DrydockError("BUILD_RUN_UNSUPPORTED", `RUN cannot be built without a container runtime (stage ${s.name ?? s.index}); build that stage with docker or buildah, push it, and use it here as FROM <image>@<digest>, or move the RUN into a stage the target does not need`, { location: locationOf(model, inst) });
      }
    }
  }
  const epoch = options.sourceDateEpoch;
  const nowSeconds = epoch ?? Math.floor(Date.now() / 1000);
  const created = new Date(nowSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
  const clamp = (t: number): number => (epoch === undefined ? t : Math.min(t, epoch));
  const globalArgs = globalArgValues(model, graph.globalArgs, options.buildArgs ?? {}, options.platform);
  const states = new Map<number, StageState>();
  const bases: BaseImage[] = [];
  const layersDir = join(options.workDir, "layers");
  const images = new Map<string, BaseImage>();
  const openImage = async (ref: string): Promise<BaseImage> => {
    let b = images.get(ref);
    if (b === undefined) {
      b = await openBase(ref, { client: options.client, platform: options.platform, cwd: options.cwd, workDir: options.workDir, ...(options.contexts === undefined ? {} : { contexts: options.contexts }) });
      images.set(ref, b);
      bases.push(b);
    }
    return b;
  };
  const closeAll = async (): Promise<void> => {
    for (const b of bases) await b.close();
  };
  let step = 0;
  const totalSteps = needed.reduce((n, s) => n + 1 + s.instructions.length, 0);
  try {
    for (const stage of needed) {
      options.onStep?.(`[${++step}/${totalSteps}] FROM ${stage.image}${stage.name === undefined ? "" : ` AS ${stage.name}`}`);
      const state = await startStage(stage, states, openImage, options, model.file);
      states.set(stage.index, state);
      for (const inst of stage.instructions) {
        options.onStep?.(`[${++step}/${totalSteps}] ${inst.original}`);
        await apply(inst, state, { model, options, states, openImage, created, clamp, now: nowSeconds, layersDir, globalArgs, graphStages: graph.stages });
      }
    }
    const final = states.get(graph.target.index) as StageState;
    return await finish(final, options, created, closeAll);
  } catch (e) {
    await closeAll();
    throw e;
  }
}

function locationOf(model: Dockerfile, inst: Instruction): Location {
  return { kind: "text", file: model.file, start: inst.span.start, end: inst.span.end };
}

function globalArgValues(model: Dockerfile, args: readonly ArgInstruction[], buildArgs: Readonly<Record<string, string>>, platform: Platform): Map<string, string> {
  const values = new Map<string, string>(platformArgs(platform));
  for (const inst of args) {
    for (const d of inst.declarations) {
      const name = d.name.value;
      let value = d.value === undefined ? undefined : expand(model, inst, d.value.value, values);
      if (Object.hasOwn(buildArgs, name)) value = buildArgs[name];
      if (value !== undefined) values.set(name, value);
    }
  }
  return values;
}

function platformArgs(p: Platform): [string, string][] {
  return [
    ["TARGETPLATFORM", formatPlatform(p)], ["TARGETOS", p.os], ["TARGETARCH", p.architecture], ["TARGETVARIANT", p.variant ?? ""],
    ["BUILDPLATFORM", formatPlatform(p)], ["BUILDOS", p.os], ["BUILDARCH", p.architecture], ["BUILDVARIANT", p.variant ?? ""],
  ];
}

function expand(model: Dockerfile, inst: Instruction, word: string, vars: ReadonlyMap<string, string>): string {
  return expandWord(word, { get: (n) => vars.get(n) }, { escapeToken: model.escapeToken, locate: () => locationOf(model, inst) }).value;
}

async function startStage(
  stage: Stage,
  states: ReadonlyMap<number, StageState>,
  openImage: (ref: string) => Promise<BaseImage>,
  options: BuildOptions,
  file: string,
): Promise<StageState> {
  const platform = options.platform;
  if (stage.base.kind === "stage") {
    const parent = states.get(stage.base.index);
    if (parent === undefined) throw new DrydockError("BUILD_INVALID", `stage ${stage.base.index} was not built`);
    return {
      stage,
      run: structuredClone(parent.run),
      top: { ...parent.top },
      layers: [...parent.layers],
      history: parent.history.map((h) => ({ ...h })),
      base: parent.base,
      rootBase: parent.rootBase,
      tree: undefined,
      prefixes: [],
      loadBase: async (under) => copyTree(await treeOf(parent, under), `stage ${stage.name ?? stage.index}`),
      own: [],
      args: new Map(),
      cmdSet: false,
    };
  }
  if (stage.base.kind === "scratch" && !(options.contexts?.has(stage.image) ?? false)) {
    const top: StageState["top"] = { architecture: platform.architecture, os: platform.os };
    if (platform.variant !== undefined) top.variant = platform.variant;
    return {
      stage,
      run: { Env: [`PATH=${DEFAULT_PATH}`] },
      top,
      layers: [],
      history: [],
      base: undefined,
      rootBase: undefined,
      tree: undefined,
      prefixes: [],
      loadBase: () => Promise.resolve(new MapTree(`stage ${stage.name ?? stage.index}`)),
      own: [],
      args: new Map(),
      cmdSet: false,
    };
  }
  let base: BaseImage;
  try {
    base = await openImage(stage.image);
  } catch (e) {
    if (e instanceof DrydockError && e.location === undefined) {
      throw new DrydockError(e.code, `FROM ${stage.image}: ${e.message}`, { location: { kind: "text", file, start: stage.from.span.start, end: stage.from.span.end }, cause: e });
    }
    throw e;
  }
  const cfg = base.config;
  const run = isRecord(cfg["config"]) ? structuredClone(cfg["config"]) : {};
  if (!Array.isArray(run["Env"]) || !(run["Env"] as unknown[]).some((e) => typeof e === "string" && e.startsWith("PATH="))) {
    run["Env"] = [...(Array.isArray(run["Env"]) ? (run["Env"] as string[]) : []), `PATH=${DEFAULT_PATH}`];
  }
  const top: StageState["top"] = {
    architecture: typeof cfg["architecture"] === "string" ? cfg["architecture"] : platform.architecture,
    os: typeof cfg["os"] === "string" ? cfg["os"] : platform.os,
  };
  if (typeof cfg["variant"] === "string") top.variant = cfg["variant"];
  if (typeof cfg["os.version"] === "string") top["os.version"] = cfg["os.version"];
  if (typeof cfg["author"] === "string") top.author = cfg["author"];
  const history = Array.isArray(cfg["history"]) ? (cfg["history"] as unknown[]).filter(isRecord).map((h) => ({ ...h }) as HistoryItem) : [];
  const layers: ImageLayer[] = base.layers.map((desc, i) => ({
    descriptor: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size },
    diffId: base.diffIds[i] as string,
    open: () => base.openBlob(desc),
  }));
  return {
    stage,
    run,
    top,
    layers,
    history,
    base,
    rootBase: { name: base.name, digest: base.digest },
    tree: undefined,
    prefixes: [],
    loadBase: async (under) => copyTree(await base.tree(under), `stage ${stage.name ?? stage.index}`),
    own: [],
    args: new Map(),
    cmdSet: false,
  };
}

/** A copy of a tree that later layers may change without touching the original. */
function copyTree(from: FileTree, description: string): MapTree {
  const out = new MapTree(description);
  const root = from.get("");
  if (root !== undefined) out.set("", { ...root });
  const visit = (dir: string): void => {
    for (const name of from.children(dir)) {
      const path = dir === "" ? name : `${dir}/${name}`;
      const node = from.get(path);
      if (node === undefined) continue;
      out.set(path, { ...node });
      if (node.kind === "dir") visit(path);
    }
  };
  visit("");
  return out;
}

interface ApplyContext {
  model: Dockerfile;
  options: BuildOptions;
  states: ReadonlyMap<number, StageState>;
  openImage: (ref: string) => Promise<BaseImage>;
  created: string;
  clamp: (t: number) => number;
  now: number;
  layersDir: string;
  globalArgs: ReadonlyMap<string, string>;
  graphStages: readonly Stage[];
}

/** Variables visible to an instruction: ENV wins over ARG of the same name, as in BuildKit. */
function varsOf(state: StageState): Map<string, string> {
  const vars = new Map(state.args);
  for (const e of envList(state)) {
    const eq = e.indexOf("=");
    if (eq > 0) vars.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return vars;
}

function envList(state: StageState): string[] {
  const env = state.run["Env"];
  return Array.isArray(env) ? env.filter((e): e is string => typeof e === "string") : [];
}

function setEnv(state: StageState, key: string, value: string): void {
  const env = envList(state).filter((e) => !e.startsWith(`${key}=`) && e !== key);
  const existing = envList(state).findIndex((e) => e.startsWith(`${key}=`));
  const entry = `${key}=${value}`;
  if (existing >= 0) {
    const list = envList(state);
    list[existing] = entry;
    state.run["Env"] = list;
  } else state.run["Env"] = [...env, entry];
}

function history(state: StageState, ctx: ApplyContext, createdBy: string, emptyLayer: boolean): void {
  const item: HistoryItem = { created: ctx.created, created_by: createdBy, comment: HISTORY_COMMENT };
  if (emptyLayer) item.empty_layer = true;
  state.history.push(item);
}

async function apply(inst: Instruction, state: StageState, ctx: ApplyContext): Promise<void> {
  const { model } = ctx;
  const at = locationOf(model, inst);
  const fail = (message: string, code: "BUILD_INVALID" | "BUILD_SOURCE_MISSING" | "BUILD_CHECKSUM_MISMATCH" = "BUILD_INVALID"): never => {
    throw new DrydockError(code, `${inst.keyword}: ${message}`, { location: at });
  };
  const x = (word: string): string => expand(model, inst, word, varsOf(state));
  switch (inst.kind) {
    case "arg": {
      const parts: string[] = [];
      for (const d of inst.declarations) {
        const name = d.name.value;
        const buildArgs = ctx.options.buildArgs ?? {};
        let value = d.value === undefined ? ctx.globalArgs.get(name) : x(d.value.value);
        if (Object.hasOwn(buildArgs, name)) value = buildArgs[name];
        if (value === undefined && platformArgs(ctx.options.platform).some(([k]) => k === name)) value = ctx.globalArgs.get(name);
        if (value !== undefined) state.args.set(name, value);
        parts.push(value === undefined ? name : `${name}=${value}`);
      }
      history(state, ctx, `ARG ${parts.join(" ")}`, true);
      return;
    }
    case "env": {
      const vars = varsOf(state);
      const parts: string[] = [];
      for (const p of inst.pairs) {
        const key = expand(model, inst, p.key.value, vars);
        const value = expand(model, inst, p.value.value, vars);
        setEnv(state, key, value);
        parts.push(`${key}=${value}`);
      }
      history(state, ctx, `ENV ${parts.join(" ")}`, true);
      return;
    }
    case "label": {
      const labels = isRecord(state.run["Labels"]) ? { ...(state.run["Labels"] as Record<string, string>) } : {};
      const parts: string[] = [];
      for (const p of inst.pairs) {
        const key = x(p.key.value);
        const value = x(p.value.value);
        labels[key] = value;
        parts.push(`${key}=${value}`);
      }
      state.run["Labels"] = labels;
      history(state, ctx, `LABEL ${parts.join(" ")}`, true);
      return;
    }
    case "maintainer": {
      const v = inst.value === undefined ? "" : inst.value.value;
      state.top.author = v;
      history(state, ctx, `MAINTAINER ${v}`, true);
      return;
    }
    case "user": {
      const v = x(inst.value?.value ?? "");
      state.run["User"] = v;
      history(state, ctx, `USER ${v}`, true);
      return;
    }
    case "stopsignal": {
      const v = x(inst.value?.value ?? "");
      if (!/^(SIG[A-Z0-9+-]+|\d+)$/.test(v)) fail(`${JSON.stringify(v)} is not a signal name (SIGTERM) or number`);
      state.run["StopSignal"] = v;
      history(state, ctx, `STOPSIGNAL ${v}`, true);
      return;
    }
    case "expose": {
      const ports = isRecord(state.run["ExposedPorts"]) ? { ...(state.run["ExposedPorts"] as Record<string, unknown>) } : {};
      for (const item of inst.items) {
        for (const p of x(item.value).split(/\s+/).filter((s) => s !== "")) {
          for (const spec of expandPortRange(p, fail)) ports[spec] = {};
        }
      }
      state.run["ExposedPorts"] = sortedRecord(ports);
      history(state, ctx, `EXPOSE map[${Object.keys(ports).sort().map((k) => `${k}:{}`).join(" ")}]`, true);
      return;
    }
    case "volume": {
      const volumes = isRecord(state.run["Volumes"]) ? { ...(state.run["Volumes"] as Record<string, unknown>) } : {};
      const added: string[] = [];
      for (const item of inst.items) {
        const v = x(item.value).trim();
        if (v === "") fail("VOLUME specified can not be an empty string");
        volumes[v] = {};
        added.push(v);
      }
      state.run["Volumes"] = sortedRecord(volumes);
      history(state, ctx, `VOLUME [${added.join(" ")}]`, true);
      return;
    }
    case "workdir": {
      const v = x(inst.value?.value ?? "");
      const current = typeof state.run["WorkingDir"] === "string" && state.run["WorkingDir"] !== "" ? (state.run["WorkingDir"] as string) : "/";
      const wd = `/${cleanRelative(v.startsWith("/") ? v : `${current}/${v}`)}`;
      state.run["WorkingDir"] = wd;
      if (wd === "/") {
        history(state, ctx, `WORKDIR ${wd}`, true);
        return;
      }
      const tree = await treeOf(state, []);
      const rel = wd.slice(1);
      const real = resolvePath(tree, rel, true) ?? rel;
      if (tree.get(real)?.kind === "dir") {
        history(state, ctx, `WORKDIR ${wd}`, true);
        return;
      }
      const owner = await userOwner(state, fail);
      const entries: LayerEntry[] = [];
      for (let d = real; d !== ""; d = parentPath(d)) {
        const existing = tree.get(d);
        entries.push(existing?.kind === "dir"
          ? { path: d, kind: "dir", mode: existing.mode, uid: existing.uid, gid: existing.gid, mtime: ctx.now, size: 0 }
          : { path: d, kind: "dir", mode: 0o755, uid: owner.uid, gid: owner.gid, mtime: ctx.now, size: 0 });
      }
      await addLayer(state, ctx, entries, `WORKDIR ${wd}`);
      return;
    }
    case "cmd":
    case "entrypoint": {
      const value = commandOf(inst.command, state, fail);
      if (inst.kind === "cmd") {
        state.run["Cmd"] = value;
        state.cmdSet = true;
        history(state, ctx, `CMD ${goQuoteList(value)}`, true);
      } else {
        state.run["Entrypoint"] = value;
        if (!state.cmdSet) state.run["Cmd"] = null;
        history(state, ctx, `ENTRYPOINT ${goQuoteList(value)}`, true);
      }
      return;
    }
    case "shell": {
      const cmd = inst.command;
      if (cmd === undefined || cmd.form !== "exec" || cmd.args.length === 0) fail("SHELL requires the arguments as a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]");
      const shell = (cmd as Extract<CommandForm, { form: "exec" }>).args.map((a) => a.value);
      state.run["Shell"] = shell;
      history(state, ctx, `SHELL [${shell.join(" ")}]`, true);
      return;
    }
    case "healthcheck": {
      const hc = healthcheckOf(inst, state, fail);
      state.run["Healthcheck"] = hc;
      history(state, ctx, `HEALTHCHECK ${goHealthcheck(hc)}`, true);
      return;
    }
    case "onbuild": {
      const text = inst.rest.text;
      const triggers = Array.isArray(state.run["OnBuild"]) ? [...(state.run["OnBuild"] as string[])] : [];
      triggers.push(text);
      state.run["OnBuild"] = triggers;
      history(state, ctx, `ONBUILD ${text}`, true);
      return;
    }
    case "copy":
    case "add":
      await copyOrAdd(inst, state, ctx, x, fail);
      return;
    case "run":
      fail("RUN is not supported");
      return;
    case "from":
      return;
    case "unknown":
      fail(`unknown instruction ${inst.keyword}`);
      return;
  }
}

/** The stage's tree with file contents under the given paths (and /etc/passwd, /etc/group for --chown). */
async function treeOf(state: StageState, contentsUnder: readonly string[]): Promise<MapTree> {
  const wanted = ["etc/passwd", "etc/group", ...contentsUnder.map(cleanRelative)];
  const missing = wanted.filter((u) => !state.prefixes.some((p) => p === "" || u === p || u.startsWith(`${p}/`)));
  if (state.tree !== undefined && missing.length === 0) return state.tree;
  state.prefixes = [...state.prefixes, ...missing];
  const tree = await state.loadBase(state.prefixes);
  for (const entries of state.own) applyEntries(tree, entries);
  state.tree = tree;
  return tree;
}

async function idFiles(state: StageState): Promise<{ passwd: string | undefined; group: string | undefined }> {
  const tree = await treeOf(state, []);
  const read = async (path: string): Promise<string | undefined> => {
    const real = resolvePath(tree, path, true);
    const node = real === undefined ? undefined : tree.get(real);
    const content = node?.content;
    if (content === undefined) return undefined;
    return content.kind === "bytes" ? Buffer.from(content.bytes).toString("utf8") : readFile(content.path, "utf8");
  };
  return { passwd: await read("etc/passwd"), group: await read("etc/group") };
}

async function userOwner(state: StageState, fail: (m: string) => never): Promise<{ uid: number; gid: number }> {
  const user = typeof state.run["User"] === "string" ? (state.run["User"] as string) : "";
  if (user === "") return { uid: 0, gid: 0 };
  const spec = parseChown(user);
  if (spec === undefined) return fail(`cannot read USER ${JSON.stringify(user)}`);
  const r = resolveOwner(spec, await idFiles(state));
  return typeof r === "string" ? fail(r) : r;
}

async function addLayer(state: StageState, ctx: ApplyContext, entries: LayerEntry[], createdBy: string): Promise<void> {
  const blob: LayerBlob = await writeLayer(entries, { dir: ctx.layersDir, ...(ctx.options.compression === undefined ? {} : { compression: ctx.options.compression }) });
  state.layers.push({
    descriptor: { mediaType: blob.mediaType, digest: blob.digest, size: blob.size },
    diffId: blob.diffId,
    open: () => createReadStream(blob.path, { highWaterMark: 1 << 20 }),
    path: blob.path,
  });
  history(state, ctx, createdBy, false);
  state.own.push(entries);
  if (state.tree !== undefined) applyEntries(state.tree, entries);
}

/** What a layer does to the stage's tree, so later steps see it. */
function applyEntries(tree: MapTree, entries: readonly LayerEntry[]): void {
  for (const e of entries) {
    if (e.kind === "whiteout") {
      tree.remove(e.path);
      continue;
    }
    const node: TreeNode = { kind: e.kind, mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime, size: e.size, linkname: e.linkname ?? "" };
    if (e.content !== undefined) node.content = e.content;
    tree.set(e.path, node);
  }
}

async function copyOrAdd(inst: CopyInstruction, state: StageState, ctx: ApplyContext, x: (w: string) => string, fail: (m: string, code?: "BUILD_INVALID" | "BUILD_SOURCE_MISSING" | "BUILD_CHECKSUM_MISMATCH") => never): Promise<void> {
  const flag = (name: string): string | undefined => inst.flags.find((f) => f.name === name)?.value;
  const has = (name: string): boolean => inst.flags.some((f) => f.name === name);
  const known = new Set(["from", "chmod", "chown", "link", "exclude", "parents", "checksum", "keep-git-dir", "unpack"]);
  for (const f of inst.flags) if (!known.has(f.name)) fail(`unknown flag --${f.name}`);
  if (inst.destination === undefined) fail(`${inst.keyword} needs at least one source and a destination`);
  const isAdd = inst.kind === "add";
  if (!isAdd && (has("checksum") || has("keep-git-dir") || has("unpack"))) fail("--checksum, --keep-git-dir and --unpack are flags of ADD, not COPY");
  const link = has("link") && flag("link") !== "false";
  const parents = has("parents") && flag("parents") !== "false";
  const exclude = inst.flags.filter((f) => f.name === "exclude" && f.value !== undefined).map((f) => x(f.value as string));
  const chmodText = flag("chmod");
  let chmod: ModeChange | undefined;
  if (chmodText !== undefined) {
    chmod = parseChmod(x(chmodText));
    if (chmod === undefined) fail(`invalid --chmod=${chmodText}: use octal (0755) or symbolic (u+x,go=rX) modes`);
  }
  const chownText = flag("chown");
  let chown: { uid: number; gid: number } | undefined;
  if (chownText !== undefined && chownText !== "") {
    const spec = parseChown(x(chownText));
    if (spec === undefined) fail(`invalid --chown=${chownText}: use user[:group]`);
    const numeric = /^\d+$/.test(spec!.user) && (spec!.group === undefined || /^\d+$/.test(spec!.group));
    const r = resolveOwner(spec!, numeric ? { passwd: undefined, group: undefined } : await idFiles(state));
    chown = typeof r === "string" ? fail(r) : r;
  }

  // The source tree: the context, an earlier stage, or an image.
  let from: FileTree = ctx.options.context;
  const fromText = flag("from");
  const heredocs = new Map(inst.heredocs.map((h) => [h.name, h]));
  const rawSources = inst.sources.map((w) => w.value);
  const words = rawSources.map((w) => (w.startsWith("<<") && heredocs.has(w.replace(/^<<-?/, "").replace(/^["']|["']$/g, "")) ? w : x(w)));
  const dest = x(inst.destination!.value);
  const workdir = typeof state.run["WorkingDir"] === "string" && state.run["WorkingDir"] !== "" ? (state.run["WorkingDir"] as string) : "/";
  if (fromText !== undefined) {
    const name = x(fromText);
    const byName = ctx.graphStages.find((s) => s.index < state.stage.index && (s.name?.toLowerCase() === name.toLowerCase() || String(s.index) === name));
    const under = words.filter((w) => !w.startsWith("<<")).map(literalPrefix);
    if (byName !== undefined) {
      const other = ctx.states.get(byName.index);
      if (other === undefined) return fail(`stage ${name} was not built`);
      from = await treeOf(other, under);
    } else {
      try {
        const img = await ctx.openImage(name);
        from = await img.tree(under);
      } catch (e) {
        if (e instanceof DrydockError && e.location === undefined) throw new DrydockError(e.code, `${inst.keyword} --from=${name}: ${e.message}`, { location: locationOf(ctx.model, inst), cause: e });
        throw e;
      }
    }
  }

  const target = link ? undefined : await treeOf(state, []);
  const entries: LayerEntry[] = [];
  const heredocFiles: LayerEntry[] = [];
  const local: string[] = [];
  const remote: string[] = [];
  for (const w of words) {
    const h = w.startsWith("<<") ? heredocs.get(w.replace(/^<<-?/, "").replace(/^["']|["']$/g, "")) : undefined;
    if (h !== undefined) {
      const content = Buffer.from(h.expand ? x(h.content) : h.content, "utf8");
      heredocFiles.push({ path: h.name, kind: "file", mode: 0o644, uid: 0, gid: 0, mtime: ctx.now, size: content.length, content: { kind: "bytes", bytes: content } });
    } else if (isAdd && isGitSource(w)) {
      return fail(`${w}: git sources are not supported (they need git and a network); clone the repository into the build context and COPY it`);
    } else if (isAdd && isUrl(w)) {
      remote.push(w);
    } else if (!isAdd && isUrl(w)) {
      return fail(`${w}: COPY does not fetch URLs; use ADD --checksum=sha256:... ${w}`);
    } else local.push(w);
  }
  const clamp = ctx.clamp;
  const workDir = join(ctx.options.workDir, `step-${randomBytes(4).toString("hex")}`);
  const destIsDirText = dest.endsWith("/") || dest === "." || dest.endsWith("/.");
  const multiple = words.length > 1;

  if (heredocFiles.length > 0) {
    const tree = new MapTree("heredocs");
    for (const f of heredocFiles) tree.set(f.path, { kind: "file", mode: f.mode, uid: 0, gid: 0, mtime: f.mtime, size: f.size, linkname: "", content: f.content! });
    const plan = planOrFail(() => planCopy({ sources: heredocFiles.map((f) => f.path), dest, workdir, from: tree, target, chmod, chown, exclude: [], parents: false, clamp, now: ctx.now }), fail);
    entries.push(...plan.entries);
  }
  if (remote.length > 0) {
    const checksum = flag("checksum");
    if (checksum === undefined) return fail(`${remote[0]}: ADD of a URL needs --checksum=sha256:<digest> so the build stays reproducible and verified`);
    if (remote.length > 1) fail("--checksum names one file: ADD one URL per instruction");
    const got = await fetchChecked(x(remote[0] as string), x(checksum), workDir, ctx.options.fetch ?? fetch);
    if ("error" in got) return fail(got.error, got.error.includes("mismatch") ? "BUILD_CHECKSUM_MISMATCH" : "BUILD_SOURCE_MISSING");
    const tree = new MapTree(`URL ${remote[0]}`);
    tree.set(got.name, { kind: "file", mode: 0o600, uid: 0, gid: 0, mtime: ctx.now, size: got.size, linkname: "", content: { kind: "path", path: got.path } });
    const plan = planOrFail(() => planCopy({ sources: [got.name], dest: multiple && !destIsDirText ? `${dest}/` : dest, workdir, from: tree, target, chmod, chown, exclude: [], parents: false, clamp, now: ctx.now }), fail);
    entries.push(...plan.entries);
  }
  if (local.length > 0) {
    const plan = planOrFail(() => planCopy({ sources: local, dest, workdir, from, target, chmod, chown, exclude, parents, clamp, now: ctx.now }), fail);
    if (isAdd && flag("unpack") !== "false") {
      // A local archive is unpacked into the destination directory instead of copied.
      const archives: string[] = [];
      for (const f of plan.files) {
        const content = f.node.content;
        if (content?.kind !== "path" || !local.some((l) => cleanRelative(l) === f.source || /[*?[]/.test(l))) continue;
        const kind = await sniffArchive(content.path);
        if (kind === "bzip2" || kind === "xz") fail(`${f.source} is a ${kind} archive; ADD unpacks plain, gzip and zstd tars only: recompress it or unpack it into the context`);
        if (kind === "none") continue;
        const destDir = plan.destIsDir ? plan.destDir : cleanRelative(plan.destDir);
        archives.push(f.dest);
        entries.push(...await extractArchive(content.path, destDir, workDir, clamp, chown));
      }
      entries.push(...plan.entries.filter((e) => !archives.includes(e.path)));
    } else entries.push(...plan.entries);
  }
  const createdBy = `${inst.keyword}${chownText === undefined ? "" : ` --chown=${chownText}`}${chmodText === undefined ? "" : ` --chmod=${chmodText}`} ${rawSources.join(" ")} ${inst.destination!.value} # buildkit`;
  await addLayer(state, ctx, entries, createdBy);
}

/** The part of a source path before its first wildcard component: what a copy can read from. */
function literalPrefix(source: string): string {
  const parts = cleanRelative(source).split("/");
  const i = parts.findIndex((p) => /[*?[\\]/.test(p));
  return (i < 0 ? parts : parts.slice(0, i)).join("/");
}

function planOrFail<T>(f: () => T, fail: (m: string, code?: "BUILD_SOURCE_MISSING") => never): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CopyError) return fail(e.message, "BUILD_SOURCE_MISSING");
    throw e;
  }
}

/** Shell form is run by the stage's SHELL (default /bin/sh -c); exec form as written. */
function commandOf(cmd: CommandForm | undefined, state: StageState, fail: (m: string) => never): string[] {
  if (cmd === undefined) return fail("needs a command");
  if (cmd.form === "exec") return cmd.args.map((a) => a.value);
  const shell = Array.isArray(state.run["Shell"]) ? (state.run["Shell"] as string[]) : ["/bin/sh", "-c"];
  return [...shell, cmd.script.text];
}

function healthcheckOf(inst: HealthcheckInstruction, state: StageState, fail: (m: string) => never): Record<string, unknown> {
  const type = inst.type?.value.toUpperCase();
  if (type === "NONE") return { Test: ["NONE"] };
  if (type !== "CMD") return fail("HEALTHCHECK takes NONE or CMD <command>");
  const hc: Record<string, unknown> = {};
  const cmd = inst.command;
  if (cmd === undefined) return fail("HEALTHCHECK CMD needs a command");
  hc["Test"] = cmd.form === "exec" ? ["CMD", ...cmd.args.map((a) => a.value)] : ["CMD-SHELL", cmd.script.text];
  void state;
  const durations: [string, string][] = [["interval", "Interval"], ["timeout", "Timeout"], ["start-period", "StartPeriod"], ["start-interval", "StartInterval"]];
  for (const [flag, key] of durations) {
    const v = inst.flags.find((f) => f.name === flag)?.value;
    if (v === undefined) continue;
    const ns = parseGoDuration(v);
    if (ns === undefined) return fail(`--${flag}=${v} is not a duration (30s, 1m30s)`);
    hc[key] = ns;
  }
  const retries = inst.flags.find((f) => f.name === "retries")?.value;
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries)) return fail(`--retries=${retries} is not a whole number`);
    hc["Retries"] = Number(retries);
  }
  for (const f of inst.flags) if (!["interval", "timeout", "start-period", "start-interval", "retries"].includes(f.name)) fail(`unknown flag --${f.name}`);
  return hc;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, to nanoseconds. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_NS[m[2] as string] ?? 0);
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? Math.round(total) : undefined;
}

/** Go's Duration.String(): "1m30s", "500ms", "0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  if (ns < 1e9) {
    if (ns < 1e3) return `${ns}ns`;
    if (ns < 1e6) return `${trimZeros(ns / 1e3)}µs`;
    return `${trimZeros(ns / 1e6)}ms`;
  }
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${trimZeros(Number(s.toFixed(9)))}s`;
}

function trimZeros(n: number): string {
  return String(n);
}

/** Go's %q of a []string: ["a" "b"]. */
function goQuoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(" ")}]`;
}

/** BuildKit's `HEALTHCHECK %q` of the config struct. */
function goHealthcheck(hc: Record<string, unknown>): string {
  const test = Array.isArray(hc["Test"]) ? (hc["Test"] as string[]) : [];
  const d = (k: string): string => JSON.stringify(goDuration(typeof hc[k] === "number" ? (hc[k] as number) : 0));
  const retries = typeof hc["Retries"] === "number" ? (hc["Retries"] as number) : 0;
  return `&{${goQuoteList(test)} ${d("Interval")} ${d("Timeout")} ${d("StartPeriod")} ${d("StartInterval")} '\\x${retries.toString(16).padStart(2, "0")}'}`;
}

/** "80", "80/udp", "8000-8002/tcp" → "80/tcp", ...; a bad spec fails. */
function expandPortRange(spec: string, fail: (m: string) => never): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (m === null) return fail(`invalid port ${JSON.stringify(spec)}: use PORT[/tcp|udp|sctp] or FROM-TO[/proto]`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  const proto = (m[3] ?? "tcp").toLowerCase();
  if (from < 1 && to < 1 || from > 65535 || to > 65535 || to < from) return fail(`invalid port range ${JSON.stringify(spec)}`);
  const out: string[] = [];
  for (let p = from; p <= to; p++) out.push(`${p}/${proto}`);
  return out;
}

function sortedRecord(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The config and manifest of the finished stage. */
async function finish(state: StageState, options: BuildOptions, created: string, close: () => Promise<void>): Promise<AssembledImage> {
  const run = state.run;
  const config: Record<string, unknown> = { created };
  if (state.top.author !== undefined) config["author"] = state.top.author;
  config["architecture"] = state.top.architecture;
  config["os"] = state.top.os;
  if (state.top["os.version"] !== undefined) config["os.version"] = state.top["os.version"];
  if (state.top.variant !== undefined) config["variant"] = state.top.variant;
  config["config"] = run;
  config["rootfs"] = { type: "layers", diff_ids: state.layers.map((l) => l.diffId) };
  config["history"] = state.history;
  const configBytes = Buffer.from(JSON.stringify(config), "utf8");
  const configDescriptor: Descriptor = { mediaType: MEDIA.ociConfig, digest: `sha256:${createHash("sha256").update(configBytes).digest("hex")}`, size: configBytes.length };
  const annotations: Record<string, string> = {};
  if (state.rootBase !== undefined) {
    annotations[BASE_DIGEST_ANNOTATION] = state.rootBase.digest;
    annotations[BASE_NAME_ANNOTATION] = state.rootBase.name;
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: configDescriptor,
    layers: state.layers.map((l) => l.descriptor),
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
  const platform: Platform = { os: state.top.os, architecture: state.top.architecture, ...(state.top.variant === undefined ? {} : { variant: state.top.variant }) };
  return {
    config: configBytes,
    configDescriptor,
    manifest: manifestBlob(Buffer.from(JSON.stringify(manifest), "utf8"), MEDIA.ociManifest),
    layers: state.layers,
    base: state.rootBase,
    platform,
    close,
  };
}
