// The runtime model: one Workload per compose service, Kubernetes container or `docker run` line, holding the
// effective settings after merging (compose `extends` and override files, pod-level securityContext inherited by
// containers, repeated `docker run` flags). Every setting remembers where it was written; a setting that is absent
// is absent here, and checks that want it point at the workload's anchors instead.
import type { TextLocation } from "../core/finding.ts";

export type WorkloadKind = "compose" | "kubernetes" | "docker-run";

/** The Pod Security Standards level a check belongs to; `restricted` runs the baseline checks too. */
export type Profile = "baseline" | "restricted";

export const PROFILES: readonly Profile[] = ["baseline", "restricted"];

/**
 * A value and where it was written. `owner` names what the setting belongs to in messages: a compose service, a
 * container, or a pod when a Kubernetes setting is pod-wide (so that findings about it are the same for every
 * container of the pod and are reported once).
 */
export interface Setting<T> {
  value: T;
  at: TextLocation;
  owner: string;
}

/** A string setting whose parts can be located: `locate(start, end)` is the place of value[start, end). */
export interface TextSetting extends Setting<string> {
  locate(start: number, end: number): TextLocation;
}

export type MountKind = "bind" | "volume" | "tmpfs" | "other";

export interface Mount {
  kind: MountKind;
  /** The host path of a bind mount or a Kubernetes hostPath volume, as written (may be relative in compose). */
  hostPath: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  /** "shared", "rshared", "Bidirectional", ... when set. */
  propagation: Setting<string> | undefined;
  /** The host path as written, or the whole mount when it has none. */
  at: TextLocation;
  owner: string;
}

export interface PortBinding {
  /** undefined: every interface (Docker's default, and 0.0.0.0 / :: written out). */
  hostIp: string | undefined;
  /** The first host port of a published range; undefined when Docker picks one (`-p 80`). */
  hostPort: number | undefined;
  containerPort: number | undefined;
  protocol: string;
  at: TextLocation;
  owner: string;
}

export interface EnvVar {
  name: string;
  /** The value as the container sees it; undefined when it comes from elsewhere (valueFrom, pass-through, `$VAR`). */
  value: TextSetting | undefined;
  /** Whether the value is written literally in the file (no interpolation, no shell expansion). */
  literal: boolean;
}

export interface Sysctl {
  name: string;
  value: string | undefined;
  at: TextLocation;
  owner: string;
}

/** A Kubernetes pod volume, by its type (`hostPath`, `nfs`, `emptyDir`, ...). */
export interface PodVolume {
  name: string;
  type: string;
  /** The type key (`nfs:`); for a hostPath, its path. */
  at: TextLocation;
  owner: string;
}

/** security_opt / --security-opt entries and Kubernetes securityContext fields that mean the same. */
export interface SecurityOptions {
  /** "unconfined", "RuntimeDefault", "Localhost", a profile path... */
  seccomp: Setting<string> | undefined;
  /** "unconfined", "RuntimeDefault", "Localhost", a profile name... */
  apparmor: Setting<string> | undefined;
  /** SELinux labels: `disable`, `type:spc_t`, `user:x`; Kubernetes seLinuxOptions fields as `type:x`, `user:x`. */
  selinux: Setting<string>[];
  /** no-new-privileges set true (or Kubernetes allowPrivilegeEscalation: false). */
  noNewPrivileges: Setting<boolean> | undefined;
  /** The /proc and /sys masks: "unconfined" (`systempaths=unconfined`) or Kubernetes procMount ("Unmasked"). */
  procMount: Setting<string> | undefined;
}

export interface Resources {
  memory: Setting<string> | undefined;
  cpu: Setting<string> | undefined;
  pids: Setting<string> | undefined;
}

export interface Workload {
  kind: WorkloadKind;
  /** How messages name it: `service "web"`, `container "app" of Deployment/web`, `docker run nginx`. */
  name: string;
  /** The file it was read from (for compose: the first file of the project). */
  file: string;
  /** Where to report a setting this workload lacks: the service key, the container's name, the `docker run` words. */
  at: TextLocation;
  /**
   * A piece of configuration rather than all of it: a Kubernetes container without an image (a kustomize patch), a
   * compose service with neither image nor build (an override). Checks for settings it lacks skip it.
   */
  fragment: boolean;
  /** The securityContext key of a Kubernetes container, when it has one (a better place for a missing field). */
  securityContextAt: TextLocation | undefined;
  image: Setting<string> | undefined;
  /** A compose service that builds its image: `image` then names the result rather than what is pulled. */
  builds: boolean;
  privileged: Setting<boolean> | undefined;
  capAdd: Setting<string>[];
  capDrop: Setting<string>[];
  /** compose `user`, `docker run -u`, as written ("1000:1000", "root", "node"). */
  user: Setting<string> | undefined;
  /** Kubernetes runAsUser / runAsNonRoot, effective (container over pod). */
  runAsUser: Setting<number> | undefined;
  runAsNonRoot: Setting<boolean> | undefined;
  /** Kubernetes allowPrivilegeEscalation as written (false also sets security.noNewPrivileges). */
  allowPrivilegeEscalation: Setting<boolean> | undefined;
  readOnlyRootFilesystem: Setting<boolean> | undefined;
  security: SecurityOptions;
  hostNetwork: Setting<boolean> | undefined;
  hostPid: Setting<boolean> | undefined;
  hostIpc: Setting<boolean> | undefined;
  hostUts: Setting<boolean> | undefined;
  hostUserns: Setting<boolean> | undefined;
  /** Kubernetes windowsOptions.hostProcess. */
  hostProcess: Setting<boolean> | undefined;
  mounts: Mount[];
  /** Kubernetes pod volumes (all of them, mounted or not). */
  volumes: PodVolume[];
  ports: PortBinding[];
  env: EnvVar[];
  limits: Resources;
  /** "always", "unless-stopped", "on-failure:3", "no". */
  restart: Setting<string> | undefined;
  /** true: a healthcheck is configured; false: explicitly disabled; undefined: not set here (the image may have one). */
  healthcheck: Setting<boolean> | undefined;
  devices: Setting<string>[];
  sysctls: Sysctl[];
  /** `docker run --use-api-socket`: the Docker API socket bind-mounted with credentials. */
  apiSocket: Setting<boolean> | undefined;
}

export function emptyWorkload(kind: WorkloadKind, name: string, file: string, at: TextLocation): Workload {
  return {
    kind, name, file, at,
    fragment: false,
    securityContextAt: undefined,
    image: undefined,
    builds: false,
    privileged: undefined,
    capAdd: [],
    capDrop: [],
    user: undefined,
    runAsUser: undefined,
    runAsNonRoot: undefined,
    allowPrivilegeEscalation: undefined,
    readOnlyRootFilesystem: undefined,
    security: { seccomp: undefined, apparmor: undefined, selinux: [], noNewPrivileges: undefined, procMount: undefined },
    hostNetwork: undefined,
    hostPid: undefined,
    hostIpc: undefined,
    hostUts: undefined,
    hostUserns: undefined,
    hostProcess: undefined,
    mounts: [],
    volumes: [],
    ports: [],
    env: [],
    limits: { memory: undefined, cpu: undefined, pids: undefined },
    restart: undefined,
    healthcheck: undefined,
    devices: [],
    sysctls: [],
    apiSocket: undefined,
  };
}

/** Where a check reports a setting the workload lacks: inside its securityContext when it has one. */
export function missingAt(w: Workload, inSecurityContext = false): TextLocation {
  return inSecurityContext && w.securityContextAt !== undefined ? w.securityContextAt : w.at;
}
