// Kubernetes manifests as workloads: one per container (containers, initContainers, ephemeralContainers) of every
// pod a manifest describes: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
// PodTemplate, and `List`s of them (kubectl and Helm output). Pod-level settings (host namespaces, the pod
// securityContext, volumes, legacy seccomp/AppArmor annotations) are inherited by each container unless the
// container sets its own; a pod-level setting keeps the pod as its owner so that it is reported once.
import { DrydockError } from "../core/errors.ts";
import type { TextLocation } from "../core/finding.ts";
import { emptyWorkload, type EnvVar, type Mount, type PodVolume, type Setting, type Workload } from "./model.ts";
import { apparmorOf, normalizeCapability, normalizeHostIp, seccompOf } from "./specs.ts";
import {
  boolOf, entryOf, intOf, itemsOf, locateInScalar, pathOf, textOf, valueOf, type YDocument, type YMap, type YNode,
} from "./yaml.ts";

/** Where each workload kind keeps its pod spec (and the pod template's metadata beside it). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  PodTemplate: ["template"],
};

/** Kinds of the API groups that hold workloads; any other kind claiming one of these groups is a mistake. */
const KNOWN_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: [
    "Pod", "PodTemplate", "ReplicationController", "Service", "ConfigMap", "Secret", "Namespace", "ServiceAccount",
    "PersistentVolume", "PersistentVolumeClaim", "Endpoints", "LimitRange", "ResourceQuota", "Event", "Node", "Binding",
    "ComponentStatus", "List", "PodList", "ServiceList", "ConfigMapList", "SecretList", "NamespaceList",
  ],
  apps: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision", "DeploymentList", "StatefulSetList", "DaemonSetList", "ReplicaSetList"],
  batch: ["Job", "CronJob", "JobList", "CronJobList"],
  extensions: ["Deployment", "DaemonSet", "ReplicaSet", "Ingress", "NetworkPolicy", "PodSecurityPolicy"],
};

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

export interface KubernetesResult {
  workloads: Workload[];
  /** Problems in single documents (unknown kinds, malformed pod specs); the other documents are still read. */
  errors: DrydockError[];
}

/** Whether a document looks like a Kubernetes object (apiVersion and kind). */
export function isKubernetesObject(node: YNode | undefined): boolean {
  return node?.kind === "map" && textOf(valueOf(node, "apiVersion")) !== undefined && textOf(valueOf(node, "kind")) !== undefined;
}

export function kubernetesWorkloads(docs: readonly YDocument[]): KubernetesResult {
  const result: KubernetesResult = { workloads: [], errors: [] };
  for (const doc of docs) {
    if (doc.root === undefined) continue;
    try {
      readObject(doc.root, doc.file.file, result, 0);
    } catch (e) {
      if (!(e instanceof DrydockError)) throw e;
      result.errors.push(e);
    }
  }
  return result;
}

/** `List` items nest at most this deep (a List of Lists is already unusual). */
const MAX_LIST_NESTING = 8;

function readObject(node: YNode, file: string, result: KubernetesResult, depth: number): void {
  if (node.kind !== "map") return;
  const kindNode = valueOf(node, "kind");
  const kind = textOf(kindNode);
  const apiVersion = textOf(valueOf(node, "apiVersion")) ?? "";
  if (kind === undefined || kindNode === undefined) return;
  if (kind === "List" || kind.endsWith("List")) {
    if (depth >= MAX_LIST_NESTING) throw new DrydockError("RUNTIME_INVALID", `${kind} nested ${depth} levels deep`, { location: kindNode.at });
    for (const item of itemsOf(valueOf(node, "items"))) {
      try {
        readObject(item, file, result, depth + 1);
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        result.errors.push(e);
      }
    }
    return;
  }
  const specPath = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  if (specPath === undefined) {
    checkKnownKind(kind, apiVersion, kindNode.at);
    return;
  }
  const template = pathOf(node, ...specPath);
  const podSpec = kind === "Pod" ? valueOf(node, "spec") : valueOf(template, "spec");
  if (podSpec === undefined) return; // a patch or a stub: nothing to run
  if (podSpec.kind !== "map") {
    throw new DrydockError("RUNTIME_INVALID", `${kind} pod spec must be a mapping; got ${podSpec.kind === "seq" ? "a list" : "a scalar"}`, { location: podSpec.at });
  }
  const metadata = kind === "Pod" ? valueOf(node, "metadata") : valueOf(template, "metadata");
  const podName = `${kind}/${textOf(pathOf(node, "metadata", "name")) ?? textOf(pathOf(node, "metadata", "generateName")) ?? "(unnamed)"}`;
  result.workloads.push(...podWorkloads(podSpec, metadata, podName, file));
}

function checkKnownKind(kind: string, apiVersion: string, at: TextLocation): void {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : apiVersion;
  const known = Object.hasOwn(KNOWN_KINDS, group) ? KNOWN_KINDS[group] : undefined;
  if (known === undefined || known.includes(kind)) return;
  const near = [...Object.keys(POD_SPEC_PATHS), ...known].find((k) => editDistance(k.toLowerCase(), kind.toLowerCase()) <= 2);
  const hint = near === undefined ? "" : `; did you mean ${near}?`;
  throw new DrydockError("RUNTIME_UNKNOWN_KIND", `unknown kind ${JSON.stringify(kind)} for apiVersion ${apiVersion}${hint}`, { location: at });
}

/** Levenshtein distance, for "did you mean" (kind names are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Reads a pod-level field that the container may override: the container's own value wins. */
interface PodContext {
  owner: string;
  spec: YMap;
  securityContext: YNode | undefined;
  annotations: YNode | undefined;
}

function podWorkloads(spec: YMap, metadata: YNode | undefined, podName: string, file: string): Workload[] {
  const pod: PodContext = { owner: podName, spec, securityContext: valueOf(spec, "securityContext"), annotations: valueOf(metadata, "annotations") };
  const volumes = podVolumes(spec, podName);
  const out: Workload[] = [];
  for (const list of CONTAINER_LISTS) {
    const node = valueOf(spec, list);
    if (node === undefined || (node.kind === "scalar" && node.value === null)) continue;
    if (node.kind !== "seq") {
      throw new DrydockError("RUNTIME_INVALID", `${podName}: ${list} must be a list of containers`, { location: node.at });
    }
    for (const c of node.items) {
      if (c.kind !== "map") throw new DrydockError("RUNTIME_INVALID", `${podName}: each of ${list} must be a mapping`, { location: c.at });
      out.push(containerWorkload(c, list, pod, volumes, file));
    }
  }
  return out;
}

function podVolumes(spec: YMap, owner: string): { volumes: PodVolume[]; byName: Map<string, YMap> } {
  const volumes: PodVolume[] = [];
  const byName = new Map<string, YMap>();
  for (const v of itemsOf(valueOf(spec, "volumes"))) {
    if (v.kind !== "map") continue;
    const name = textOf(valueOf(v, "name")) ?? "";
    byName.set(name, v);
    for (const e of v.entries) {
      if (e.key === "name") continue;
      // A hostPath is reported where its path is written, the place DR004/DR005 report it too.
      const at = (e.key === "hostPath" ? valueOf(e.value, "path")?.at : undefined) ?? e.keyAt;
      volumes.push({ name, type: e.key, at, owner });
    }
  }
  return { volumes, byName };
}

function containerWorkload(
  c: YMap, list: string, pod: PodContext, podVols: { volumes: PodVolume[]; byName: Map<string, YMap> }, file: string,
): Workload {
  const nameNode = valueOf(c, "name");
  const name = textOf(nameNode) ?? "(unnamed)";
  const kindWord = list === "containers" ? "container" : list === "initContainers" ? "init container" : "ephemeral container";
  const owner = `${kindWord} "${name}" of ${pod.owner}`;
  const w = emptyWorkload("kubernetes", owner, file, (nameNode ?? c).at);
  const sc = valueOf(c, "securityContext");
  w.securityContextAt = entryOf(c, "securityContext")?.keyAt;
  const own = <T>(value: T | undefined, node: YNode | undefined): Setting<T> | undefined =>
    value === undefined || node === undefined ? undefined : { value, at: node.at, owner };
  // A field of the container's securityContext, else of the pod's.
  const inherited = <T>(read: (n: YNode | undefined) => T | undefined, ...keys: string[]): Setting<T> | undefined => {
    const mine = pathOf(sc, ...keys);
    const value = read(mine);
    if (mine !== undefined && value !== undefined) return { value, at: mine.at, owner };
    const podNode = pathOf(pod.securityContext, ...keys);
    const podValue = read(podNode);
    return podNode === undefined || podValue === undefined ? undefined : { value: podValue, at: podNode.at, owner: pod.owner };
  };

  const image = valueOf(c, "image");
  w.image = own(textOf(image), image);
  w.fragment = image === undefined;
  w.privileged = own(boolOf(valueOf(sc, "privileged")), valueOf(sc, "privileged"));
  const ape = valueOf(sc, "allowPrivilegeEscalation");
  w.allowPrivilegeEscalation = own(boolOf(ape), ape);
  if (w.allowPrivilegeEscalation !== undefined) {
    w.security.noNewPrivileges = { ...w.allowPrivilegeEscalation, value: !w.allowPrivilegeEscalation.value };
  }
  const rorf = valueOf(sc, "readOnlyRootFilesystem");
  w.readOnlyRootFilesystem = own(boolOf(rorf), rorf);
  for (const cap of itemsOf(pathOf(sc, "capabilities", "add"))) pushCap(w.capAdd, cap, owner);
  for (const cap of itemsOf(pathOf(sc, "capabilities", "drop"))) pushCap(w.capDrop, cap, owner);
  w.runAsUser = inherited(intOf, "runAsUser");
  w.runAsNonRoot = inherited(boolOf, "runAsNonRoot");
  w.hostProcess = inherited(boolOf, "windowsOptions", "hostProcess");
  const procMount = valueOf(sc, "procMount");
  w.security.procMount = own(textOf(procMount), procMount);

  w.security.seccomp = inherited(textOf, "seccompProfile", "type") ?? annotationProfile(pod, [`container.seccomp.security.alpha.kubernetes.io/${name}`, "seccomp.security.alpha.kubernetes.io/pod"], seccompOf);
  w.security.apparmor = inherited(textOf, "appArmorProfile", "type") ?? annotationProfile(pod, [`container.apparmor.security.beta.kubernetes.io/${name}`], apparmorOf);
  for (const field of ["type", "user", "role"]) {
    const s = inherited(textOf, "seLinuxOptions", field);
    if (s !== undefined && s.value !== "") w.security.selinux.push({ ...s, value: `${field}:${s.value}` });
  }

  w.hostNetwork = podBool(pod, "hostNetwork");
  w.hostPid = podBool(pod, "hostPID");
  w.hostIpc = podBool(pod, "hostIPC");
  w.volumes = podVols.volumes;
  w.mounts = containerMounts(c, podVols.byName, owner);

  for (const p of itemsOf(valueOf(c, "ports"))) {
    const hostPortNode = valueOf(p, "hostPort");
    w.ports.push({
      hostIp: normalizeHostIp(textOf(valueOf(p, "hostIP"))),
      hostPort: intOf(hostPortNode) === 0 ? undefined : intOf(hostPortNode),
      containerPort: intOf(valueOf(p, "containerPort")),
      protocol: (textOf(valueOf(p, "protocol")) ?? "TCP").toLowerCase(),
      at: (hostPortNode ?? p).at,
      owner,
    });
  }
  for (const e of itemsOf(valueOf(c, "env"))) {
    const v = envVar(e, owner);
    if (v !== undefined) w.env.push(v);
  }
  const limits = pathOf(c, "resources", "limits");
  w.limits.memory = own(textOf(valueOf(limits, "memory")), valueOf(limits, "memory"));
  w.limits.cpu = own(textOf(valueOf(limits, "cpu")), valueOf(limits, "cpu"));
  const probe = valueOf(c, "livenessProbe") ?? valueOf(c, "readinessProbe") ?? valueOf(c, "startupProbe");
  w.healthcheck = probe === undefined ? undefined : { value: true, at: probe.at, owner };

  for (const s of itemsOf(pathOf(pod.securityContext, "sysctls"))) {
    const n = valueOf(s, "name");
    const sysctlName = textOf(n);
    if (sysctlName !== undefined && n !== undefined) w.sysctls.push({ name: sysctlName, value: textOf(valueOf(s, "value")), at: n.at, owner: pod.owner });
  }
  return w;
}

function pushCap(list: Setting<string>[], node: YNode, owner: string): void {
  const text = textOf(node);
  if (text !== undefined) list.push({ value: normalizeCapability(text), at: node.at, owner });
}

function podBool(pod: PodContext, key: string): Setting<boolean> | undefined {
  const node = valueOf(pod.spec, key);
  const value = boolOf(node);
  return node === undefined || value === undefined ? undefined : { value, at: node.at, owner: pod.owner };
}

/** The legacy annotations: the first present of these keys, its value mapped to the securityContext type names. */
function annotationProfile(pod: PodContext, keys: readonly string[], canonical: (v: string) => string): Setting<string> | undefined {
  for (const key of keys) {
    const node = valueOf(pod.annotations, key);
    const text = textOf(node);
    if (node !== undefined && text !== undefined) return { value: canonical(text), at: node.at, owner: pod.owner };
  }
  return undefined;
}

/** The container's volume mounts that matter for checks: host paths, and any mount with a propagation mode. */
function containerMounts(c: YMap, volumes: Map<string, YMap>, owner: string): Mount[] {
  const out: Mount[] = [];
  for (const m of itemsOf(valueOf(c, "volumeMounts"))) {
    const volume = volumes.get(textOf(valueOf(m, "name")) ?? "");
    const hostPath = valueOf(valueOf(volume, "hostPath"), "path");
    const propagationNode = valueOf(m, "mountPropagation");
    const propagation = textOf(propagationNode);
    if (hostPath === undefined && propagation === undefined) continue;
    out.push({
      kind: hostPath === undefined ? "volume" : "bind",
      hostPath: textOf(hostPath),
      target: textOf(valueOf(m, "mountPath")),
      readOnly: boolOf(valueOf(m, "readOnly")) === true,
      propagation: propagation === undefined || propagationNode === undefined ? undefined : { value: propagation, at: propagationNode.at, owner },
      at: (hostPath ?? m).at,
      owner,
    });
  }
  return out;
}

function envVar(e: YNode, owner: string): EnvVar | undefined {
  const name = textOf(valueOf(e, "name"));
  if (name === undefined) return undefined;
  const v = valueOf(e, "value");
  if (v?.kind !== "scalar" || v.value === null) return { name, value: undefined, literal: false };
  return { name, value: { value: String(v.value), at: v.at, owner, locate: (s, end) => locateInScalar(v, s, end) }, literal: true };
}
