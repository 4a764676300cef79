// Compose projects (the Compose Specification) as workloads: one per service, after what `docker compose config`
// does to a project: variables interpolated (`.env` and defaults), `include`d files added, `extends` resolved (in
// the same file or another), and the project's files merged in order like `docker compose -f a.yaml -f b.yaml`
// (mappings by key, `environment`/`labels`/`sysctls` by name, `volumes` by target, `!reset` and `!override` tags).
// Every value keeps the file and place it was written, whichever file that is.
import path from "node:path";
import { DrydockError } from "../core/errors.ts";
import type { TextLocation } from "../core/finding.ts";
import { interpolate } from "./interpolate.ts";
import { emptyWorkload, type EnvVar, type Mount, type PortBinding, type Setting, type TextSetting, type Workload } from "./model.ts";
import {
  apparmorOf, firstPort, isReadOnlyOption, normalizeCapability, normalizeHostIp, normalizeRestart, parsePortSpec,
  parseSecurityOpt, parseVolumeSpec, propagationOption, seccompOf,
} from "./specs.ts";
import {
  boolOf, entryOf, itemsOf, locateInScalar, parseYamlDocuments, pathOf, scalarText, textOf, valueOf,
  DEFAULT_YAML_LIMITS, type YamlLimits, type YDocument, type YEntry, type YMap, type YNode, type YScalar, type YSeq,
} from "./yaml.ts";

export interface ComposeFile {
  /** The name findings carry. */
  file: string;
  text: string;
  /** The text's documents when the caller has parsed it already. */
  docs?: readonly YDocument[];
}

export interface ComposeOptions {
  /** Variables for interpolation (the project's `.env`, and anything else the caller wants to supply). */
  env?: ReadonlyMap<string, string>;
  /**
   * Reads a file named by `extends.file` or `include` (its name joined to the referring file's directory); undefined
   * when it cannot be read. Without it such references are errors.
   */
  readFile?: (file: string) => string | undefined;
  limits?: YamlLimits;
}

export interface ComposeProject {
  workloads: Workload[];
  /** Every file read (the given ones and those reached through `extends` and `include`), in the order read. */
  files: string[];
}

/** The services of a project made of these files, merged in order (the first is the main file). */
export function composeWorkloads(files: readonly ComposeFile[], options: ComposeOptions = {}): ComposeProject {
  const loader = new ComposeLoader(options);
  const first = files[0];
  if (first === undefined) return { workloads: [], files: [] };
  let services = new Map<string, ServiceDef>();
  for (const f of files) {
    const loaded = loader.load(f.file, f.text, f.docs);
    const resolved = new Map<string, ServiceDef>();
    for (const name of loaded.services.keys()) resolved.set(name, loader.resolve(loaded, name, []));
    services = mergeServiceMaps(services, resolved, loaded.resets);
  }
  const workloads = [...services.values()].map((def) => serviceWorkload(def));
  return { workloads, files: loader.filesRead };
}

interface ServiceDef {
  name: string;
  keyAt: TextLocation;
  node: YMap;
  file: string;
}

interface LoadedFile {
  file: string;
  services: Map<string, ServiceDef>;
  /** Services this file removes from the ones before it (`name: !reset`). */
  resets: Set<string>;
}

/** Files reached through `include` and `extends` deeper than this are refused (a loop of includes). */
const MAX_FILE_DEPTH = 16;

class ComposeLoader {
  private readonly env: ReadonlyMap<string, string>;
  private readonly readFile: ((file: string) => string | undefined) | undefined;
  private readonly limits: YamlLimits;
  private readonly files = new Map<string, LoadedFile>();
  private readonly resolved = new Map<string, ServiceDef>();
  private readonly loading: string[] = [];
  readonly filesRead: string[] = [];

  constructor(options: ComposeOptions) {
    this.env = options.env ?? new Map();
    this.readFile = options.readFile;
    this.limits = options.limits ?? DEFAULT_YAML_LIMITS;
  }

  load(file: string, text: string, docs?: readonly YDocument[]): LoadedFile {
    const cached = this.files.get(file);
    if (cached !== undefined) return cached;
    this.filesRead.push(file);
    this.loading.push(file);
    try {
      const root = this.root(file, docs ?? parseYamlDocuments(text, file, this.limits));
      const services = new Map<string, ServiceDef>();
      const resets = new Set<string>();
      const servicesNode = valueOf(root, "services");
      if (servicesNode !== undefined && servicesNode.kind !== "map" && !isNull(servicesNode)) {
        throw invalid(servicesNode.at, `services must be a mapping of service names to their settings; got ${describe(servicesNode)}`);
      }
      for (const e of servicesNode?.kind === "map" ? servicesNode.entries : []) {
        if (e.value.tag === "!reset") {
          resets.add(e.key);
          continue;
        }
        if (e.value.kind !== "map" && !isNull(e.value)) {
          throw invalid(e.value.at, `service "${e.key}" must be a mapping of settings; got ${describe(e.value)}`);
        }
        const node: YMap = e.value.kind === "map" ? e.value : { kind: "map", at: e.keyAt, tag: undefined, entries: [] };
        services.set(e.key, { name: e.key, keyAt: e.keyAt, node: normalizeService(node), file });
      }
      for (const [name, def] of this.included(file, root)) if (!services.has(name)) services.set(name, def);
      const loaded = { file, services, resets };
      this.files.set(file, loaded);
      return loaded;
    } finally {
      this.loading.pop();
    }
  }

  /** The file's top-level mapping, interpolated; documents after the first are merged onto it. */
  private root(file: string, docs: readonly YDocument[]): YMap | undefined {
    let root: YMap | undefined;
    for (const doc of docs) {
      const duplicate = doc.duplicateKeys[0];
      if (duplicate !== undefined) throw invalid(duplicate.at, `key ${JSON.stringify(duplicate.key)} is written twice in the same mapping; docker compose refuses the file`);
      if (doc.root === undefined) continue;
      if (doc.root.kind !== "map") throw invalid(doc.root.at, `a compose file is a mapping (services:, volumes:, ...); got ${describe(doc.root)}`);
      const node = interpolateTree(doc.root, this.env) as YMap;
      root = root === undefined ? node : (mergeNodes("", root, node) as YMap | undefined);
    }
    return root;
  }

  /** Services of the files the `include` section names, each loaded as its own project file. */
  private included(file: string, root: YMap | undefined): Map<string, ServiceDef> {
    const out = new Map<string, ServiceDef>();
    const include = valueOf(root, "include");
    for (const item of itemsOf(include)) {
      const pathNode = item.kind === "map" ? valueOf(item, "path") : item;
      const paths = pathNode?.kind === "seq" ? pathNode.items : pathNode === undefined ? [] : [pathNode];
      for (const p of paths) {
        const name = textOf(p);
        if (name === undefined) continue;
        const loaded = this.loadReferenced(file, name, p.at, "include");
        for (const service of loaded.services.keys()) out.set(service, this.resolve(loaded, service, []));
      }
    }
    return out;
  }

  private loadReferenced(from: string, name: string, at: TextLocation, what: string): LoadedFile {
    const file = path.join(path.dirname(from), name);
    if (this.loading.includes(file) || this.loading.length >= MAX_FILE_DEPTH) {
      throw invalid(at, `${what} of ${name} loops back to a file being read (${[...this.loading, file].join(" -> ")})`);
    }
    const cached = this.files.get(file);
    if (cached !== undefined) return cached;
    const text = this.readFile?.(file);
    if (text === undefined) throw invalid(at, `${what}: cannot read ${file}`);
    return this.load(file, text);
  }

  /** The service with its `extends` chain applied (base first, this service's settings over it). */
  resolve(loaded: LoadedFile, name: string, stack: readonly string[]): ServiceDef {
    const key = `${loaded.file}\0${name}`;
    const done = this.resolved.get(key);
    if (done !== undefined) return done;
    const def = loaded.services.get(name);
    if (def === undefined) throw new Error(`no service ${name} in ${loaded.file}`);
    const ext = entryOf(def.node, "extends");
    if (ext === undefined) {
      this.resolved.set(key, def);
      return def;
    }
    if (stack.includes(key)) throw invalid(ext.value.at, `service "${name}" extends itself through ${stack.length} other service(s)`);
    const baseName = ext.value.kind === "map" ? textOf(valueOf(ext.value, "service")) : textOf(ext.value);
    if (baseName === undefined) throw invalid(ext.value.at, `extends needs a service name (extends: base, or extends: {service: base, file: other.yaml})`);
    const fileNode = ext.value.kind === "map" ? valueOf(ext.value, "file") : undefined;
    const fileName = textOf(fileNode);
    const baseFile = fileName === undefined ? loaded : this.loadReferenced(loaded.file, fileName, fileNode?.at ?? ext.value.at, "extends");
    if (!baseFile.services.has(baseName)) throw invalid(ext.value.at, `extends: no service "${baseName}" in ${baseFile.file}`);
    const base = this.resolve(baseFile, baseName, [...stack, key]);
    const own: YMap = { ...def.node, entries: def.node.entries.filter((e) => e.key !== "extends") };
    const merged = mergeNodes("", base.node, own);
    const result: ServiceDef = { ...def, node: merged?.kind === "map" ? merged : own };
    this.resolved.set(key, result);
    return result;
  }
}

function mergeServiceMaps(base: Map<string, ServiceDef>, over: Map<string, ServiceDef>, resets: Set<string>): Map<string, ServiceDef> {
  const out = new Map(base);
  for (const name of resets) out.delete(name);
  for (const [name, def] of over) {
    const prev = out.get(name);
    if (prev === undefined) {
      out.set(name, def);
      continue;
    }
    const merged = mergeNodes("", prev.node, def.node);
    out.set(name, { ...prev, node: merged?.kind === "map" ? merged : prev.node });
  }
  return out;
}

function invalid(at: TextLocation, message: string): DrydockError {
  return new DrydockError("RUNTIME_INVALID", message, { location: at });
}

function isNull(node: YNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

function describe(node: YNode): string {
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  return node.value === null ? "nothing" : `${typeof node.value} ${JSON.stringify(node.value)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Interpolation

/** Values whose text came out of interpolation, and those that used a variable nobody set. */
const INTERPOLATED = new WeakSet<YScalar>();
const UNRESOLVED = new WeakSet<YScalar>();

function interpolateTree(node: YNode, env: ReadonlyMap<string, string>): YNode {
  switch (node.kind) {
    case "map":
      return { ...node, entries: node.entries.map((e) => ({ ...e, value: interpolateTree(e.value, env) })) };
    case "seq":
      return { ...node, items: node.items.map((i) => interpolateTree(i, env)) };
    case "scalar": {
      if (typeof node.value !== "string") return node;
      const result = interpolate(node.value, env);
      if (!result.changed) return node;
      const out: YScalar = { ...node, value: result.value, source: undefined };
      INTERPOLATED.add(out);
      if (result.unresolved.length > 0) UNRESOLVED.add(out);
      return out;
    }
  }
}

function isUnresolved(node: YNode | undefined): boolean {
  return node?.kind === "scalar" && UNRESOLVED.has(node);
}

function isLiteral(node: YNode): boolean {
  return node.kind === "scalar" && !INTERPOLATED.has(node);
}

// ---------------------------------------------------------------------------------------------------------------
// Normal form and merging

/** Settings that compose reads as NAME=value lists or as mappings; normalized to mappings so they merge by name. */
const MAPPING_LISTS = new Set(["environment", "labels", "annotations", "sysctls", "extra_hosts"]);
/** Lists an override replaces rather than extends. */
const REPLACED_LISTS = new Set(["command", "entrypoint", "test", "dns", "dns_search", "env_file"]);

function normalizeService(node: YMap): YMap {
  return {
    ...node,
    entries: node.entries.map((e) => (MAPPING_LISTS.has(e.key) && e.value.kind === "seq" ? { ...e, value: listToMap(e.value) } : e)),
  };
}

/** `- NAME=value` items as a mapping; the parts keep their places in the item's text when it is written verbatim. */
function listToMap(seq: YSeq): YMap {
  const entries: YEntry[] = [];
  for (const item of seq.items) {
    if (item.kind !== "scalar" || item.value === null) continue;
    const text = String(item.value);
    const eq = text.indexOf("=");
    const name = (eq === -1 ? text : text.slice(0, eq)).trim();
    const keyAt = locateInScalar(item, 0, eq === -1 ? text.length : eq);
    const value: YScalar = eq === -1
      ? { kind: "scalar", at: item.at, tag: undefined, value: null, plain: true, source: undefined }
      : subScalar(item, eq + 1, text.length);
    entries.push({ key: name, keyAt, value });
  }
  return { kind: "map", at: seq.at, tag: seq.tag, entries };
}

/** The part [start, end) of a string scalar as a scalar of its own, located where it is written when that is known. */
function subScalar(item: YScalar, start: number, end: number): YScalar {
  const text = String(item.value).slice(start, end);
  const mapped = scalarText(item);
  const contiguous = mapped !== undefined && end > start && mapped.sourceOffset(end - 1) - mapped.sourceOffset(start) === end - start - 1;
  const out: YScalar = {
    kind: "scalar",
    at: locateInScalar(item, start, end),
    tag: undefined,
    value: text,
    plain: true,
    source: contiguous && item.source !== undefined
      ? { file: item.source.file, start: mapped.sourceOffset(start), end: mapped.sourceOffset(end - 1) + 1 }
      : undefined,
  };
  if (INTERPOLATED.has(item)) INTERPOLATED.add(out);
  if (UNRESOLVED.has(item)) UNRESOLVED.add(out);
  return out;
}

/** Merges an override onto a base as compose merges files and `extends`; undefined when the override resets it. */
function mergeNodes(key: string, base: YNode, over: YNode): YNode | undefined {
  if (over.tag === "!reset") return undefined;
  if (over.tag === "!override") return over;
  if (MAPPING_LISTS.has(key)) {
    const b = base.kind === "seq" ? listToMap(base) : base;
    const o = over.kind === "seq" ? listToMap(over) : over;
    if (b.kind === "map" && o.kind === "map") return mergeMaps(b, o);
    return o;
  }
  if (base.kind === "map" && over.kind === "map") return mergeMaps(base, over);
  if (base.kind === "seq" && over.kind === "seq" && !REPLACED_LISTS.has(key)) return mergeLists(key, base, over);
  return over;
}

function mergeMaps(base: YMap, over: YMap): YMap {
  const entries: YEntry[] = [];
  const overByKey = new Map(over.entries.map((e) => [e.key, e]));
  for (const e of base.entries) {
    const o = overByKey.get(e.key);
    if (o === undefined) {
      entries.push(e);
      continue;
    }
    const merged = mergeNodes(e.key, e.value, o.value);
    if (merged !== undefined) entries.push({ key: e.key, keyAt: o.keyAt, value: merged });
  }
  const baseKeys = new Set(base.entries.map((e) => e.key));
  for (const o of over.entries) if (!baseKeys.has(o.key) && o.value.tag !== "!reset") entries.push(o);
  return { ...base, entries };
}

/** Lists extend each other; `volumes` and `devices` replace entries with the same target, others drop exact repeats. */
function mergeLists(key: string, base: YSeq, over: YSeq): YSeq {
  const identity = key === "volumes" ? volumeTarget : key === "devices" ? deviceTarget : plainKey;
  const out = new Map<string, YNode>();
  for (const item of [...base.items, ...over.items]) out.set(identity(item), item);
  return { ...over, items: [...out.values()] };
}

function plainKey(node: YNode): string {
  return JSON.stringify(node.kind === "scalar" ? node.value : node.kind === "seq" ? node.items.map(plainKey) : node.entries.map((e) => [e.key, plainKey(e.value)]));
}

function volumeTarget(node: YNode): string {
  if (node.kind === "map") return `target:${textOf(valueOf(node, "target")) ?? plainKey(node)}`;
  const text = textOf(node);
  return text === undefined ? plainKey(node) : `target:${parseVolumeSpec(text).target ?? text}`;
}

function deviceTarget(node: YNode): string {
  if (node.kind === "map") return `target:${textOf(valueOf(node, "target")) ?? textOf(valueOf(node, "source")) ?? plainKey(node)}`;
  const parts = (textOf(node) ?? "").split(":");
  return `target:${parts[1] ?? parts[0] ?? plainKey(node)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// A service as a workload

function serviceWorkload(def: ServiceDef): Workload {
  const node = def.node;
  const owner = `service "${def.name}"`;
  const w = emptyWorkload("compose", owner, def.file, def.keyAt);
  const set = <T>(value: T, from: YNode): Setting<T> => ({ value, at: from.at, owner });
  const get = (key: string): YNode | undefined => valueOf(node, key);

  w.builds = get("build") !== undefined;
  const image = get("image");
  const imageText = textOf(image);
  if (image !== undefined && imageText !== undefined && !isUnresolved(image)) w.image = set(imageText, image);
  w.fragment = image === undefined && !w.builds;

  w.privileged = boolSetting(get("privileged"), owner);
  w.readOnlyRootFilesystem = boolSetting(get("read_only"), owner);
  for (const item of itemsOf(get("cap_add"))) pushText(w.capAdd, item, owner, normalizeCapability);
  for (const item of itemsOf(get("cap_drop"))) pushText(w.capDrop, item, owner, normalizeCapability);
  const user = get("user");
  // A user from an unset variable is still a user someone chose: set, whatever it turns out to be.
  if (user !== undefined && textOf(user) !== undefined) w.user = set(textOf(user) ?? "", user);

  for (const item of itemsOf(get("security_opt"))) readSecurityOpt(w, item, owner);

  w.hostNetwork = hostMode(get("network_mode"), owner);
  w.hostPid = hostMode(get("pid"), owner);
  w.hostIpc = hostMode(get("ipc"), owner);
  w.hostUts = hostMode(get("uts"), owner);
  w.hostUserns = hostMode(get("userns_mode"), owner);

  for (const item of itemsOf(get("volumes"))) {
    const mount = composeMount(item, owner);
    if (mount !== undefined) w.mounts.push(mount);
  }
  for (const item of itemsOf(get("ports"))) {
    const port = composePort(item, owner);
    if (port !== undefined) w.ports.push(port);
  }
  const env = get("environment");
  if (env?.kind === "map") for (const e of env.entries) w.env.push(envVar(e, owner));

  const limits = pathOf(node, "deploy", "resources", "limits");
  w.limits.memory = firstSetting([get("mem_limit"), valueOf(limits, "memory")], owner);
  w.limits.cpu = firstSetting([get("cpus"), get("cpu_quota"), get("cpu_shares"), get("cpuset"), valueOf(limits, "cpus")], owner);
  w.limits.pids = firstSetting([get("pids_limit"), valueOf(limits, "pids")], owner);

  const restart = get("restart");
  const condition = pathOf(node, "deploy", "restart_policy", "condition");
  const restartNode = restart ?? condition;
  const restartText = textOf(restartNode);
  if (restartNode !== undefined && restartText !== undefined && !isUnresolved(restartNode)) w.restart = set(normalizeRestart(restartText), restartNode);
  w.healthcheck = healthcheckOf(get("healthcheck"), owner);

  for (const item of itemsOf(get("devices"))) {
    const text = item.kind === "map" ? textOf(valueOf(item, "source")) : textOf(item);
    if (text !== undefined) w.devices.push(set(text, item.kind === "map" ? valueOf(item, "source") ?? item : item));
  }
  for (const item of itemsOf(get("device_cgroup_rules"))) pushText(w.devices, item, owner, (t) => `cgroup rule ${t}`);
  const sysctls = get("sysctls");
  if (sysctls?.kind === "map") {
    for (const e of sysctls.entries) w.sysctls.push({ name: e.key, value: textOf(e.value), at: e.keyAt, owner });
  }
  return w;
}

function boolSetting(node: YNode | undefined, owner: string): Setting<boolean> | undefined {
  const value = boolOf(node);
  return node === undefined || value === undefined ? undefined : { value, at: node.at, owner };
}

function pushText(list: Setting<string>[], item: YNode, owner: string, map: (text: string) => string): void {
  const text = textOf(item);
  if (text !== undefined && !isUnresolved(item)) list.push({ value: map(text), at: item.at, owner });
}

function hostMode(node: YNode | undefined, owner: string): Setting<boolean> | undefined {
  const text = textOf(node);
  if (node === undefined || text === undefined || isUnresolved(node)) return undefined;
  return { value: text.trim() === "host", at: node.at, owner };
}

function firstSetting(nodes: readonly (YNode | undefined)[], owner: string): Setting<string> | undefined {
  for (const n of nodes) {
    const text = textOf(n);
    if (n !== undefined && text !== undefined && !isUnresolved(n)) return { value: text, at: n.at, owner };
  }
  return undefined;
}

function readSecurityOpt(w: Workload, item: YNode, owner: string): void {
  const text = textOf(item);
  if (text === undefined || isUnresolved(item)) return;
  const opt = parseSecurityOpt(text);
  const at = item.at;
  const value = opt.value ?? "";
  switch (opt.key) {
    case "no-new-privileges":
      w.security.noNewPrivileges = { value: opt.value === undefined || value.toLowerCase() === "true", at, owner };
      break;
    case "seccomp":
      w.security.seccomp = { value: seccompOf(value), at, owner };
      break;
    case "apparmor":
      w.security.apparmor = { value: apparmorOf(value), at, owner };
      break;
    case "label":
      w.security.selinux.push({ value, at, owner });
      break;
    case "systempaths":
      if (value.toLowerCase() === "unconfined") w.security.procMount = { value: "unconfined", at, owner };
      break;
    case "unmask":
      // podman: `unmask=ALL` (or a path list) lifts the /proc and /sys masks.
      w.security.procMount = { value: "unconfined", at, owner };
      break;
  }
}

function composeMount(item: YNode, owner: string): Mount | undefined {
  if (item.kind === "scalar") {
    const text = textOf(item);
    if (text === undefined || isUnresolved(item)) return undefined;
    const spec = parseVolumeSpec(text);
    const propagation = propagationOption(spec.options);
    return {
      kind: spec.bind ? "bind" : spec.source === undefined ? "other" : "volume",
      hostPath: spec.bind ? spec.source : undefined,
      target: spec.target,
      readOnly: isReadOnlyOption(spec.options),
      propagation: propagation === undefined ? undefined : { value: propagation, at: item.at, owner },
      at: spec.bind && spec.source !== undefined ? locateInScalar(item, 0, spec.source.length) : item.at,
      owner,
    };
  }
  if (item.kind !== "map") return undefined;
  const type = textOf(valueOf(item, "type")) ?? "volume";
  const source = valueOf(item, "source");
  const sourceText = isUnresolved(source) ? undefined : textOf(source);
  const bind = type === "bind" || type === "npipe";
  const propagationNode = pathOf(item, "bind", "propagation");
  const propagation = textOf(propagationNode);
  return {
    kind: bind ? "bind" : type === "volume" ? "volume" : type === "tmpfs" ? "tmpfs" : "other",
    hostPath: bind ? sourceText : undefined,
    target: textOf(valueOf(item, "target")),
    readOnly: boolOf(valueOf(item, "read_only")) === true,
    propagation: propagation === undefined || propagationNode === undefined ? undefined : { value: propagation, at: propagationNode.at, owner },
    at: bind && source !== undefined ? source.at : item.at,
    owner,
  };
}

function composePort(item: YNode, owner: string): PortBinding | undefined {
  if (item.kind === "scalar") {
    const text = textOf(item);
    if (text === undefined || isUnresolved(item)) return undefined;
    const spec = parsePortSpec(text);
    return spec === undefined ? undefined : { ...spec, at: item.at, owner };
  }
  if (item.kind !== "map") return undefined;
  const published = valueOf(item, "published");
  const target = valueOf(item, "target");
  if (isUnresolved(published) || isUnresolved(target)) return undefined;
  return {
    hostIp: normalizeHostIp(textOf(valueOf(item, "host_ip"))),
    hostPort: firstPort(textOf(published) ?? ""),
    containerPort: firstPort(textOf(target) ?? ""),
    protocol: (textOf(valueOf(item, "protocol")) ?? "tcp").toLowerCase(),
    at: (published ?? item).at,
    owner,
  };
}

function envVar(e: YEntry, owner: string): EnvVar {
  const v = e.value;
  if (v.kind !== "scalar" || v.value === null) return { name: e.key, value: undefined, literal: false };
  const value: TextSetting = {
    value: String(v.value),
    at: v.at,
    owner,
    locate: (start, end) => locateInScalar(v, start, end),
  };
  return { name: e.key, value, literal: isLiteral(v) };
}

function healthcheckOf(node: YNode | undefined, owner: string): Setting<boolean> | undefined {
  if (node?.kind !== "map") return undefined;
  const disabled = boolOf(valueOf(node, "disable")) === true;
  const test = valueOf(node, "test");
  const first = test?.kind === "seq" ? textOf(test.items[0]) : textOf(test);
  if (disabled || first === "NONE") return { value: false, at: node.at, owner };
  // Without `test` the image's HEALTHCHECK stays in charge, with other timings: nothing known here.
  return test === undefined ? undefined : { value: true, at: test.at, owner };
}
