// What the runtime checks know about the world: capability sets, host paths that hand over the host, sysctls the
// Pod Security Standards call safe, volume types the restricted profile allows, ports of services that are meant to
// stay local. Data only, with where it comes from.

/**
 * The capabilities Docker (and containerd/CRI-O) grant by default; the Pod Security Standards' baseline allows adding
 * exactly these, as they are there anyway.
 */
export const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW",
  "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);

/** PSS baseline's list (the Docker defaults without NET_RAW, which the standards leave out). */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([...DEFAULT_CAPABILITIES].filter((c) => c !== "NET_RAW"));

/** Capabilities that amount to root on the host, or close: reported as errors. */
export const HOST_ROOT_CAPABILITIES: ReadonlySet<string> = new Set([
  "ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH", "BPF", "SYS_BOOT", "MAC_ADMIN",
  "MAC_OVERRIDE", "PERFMON", "SYS_TIME",
]);

/**
 * Sockets and directories that give the container the container runtime's API (and so the host): the Docker,
 * containerd, CRI-O and Podman sockets, Docker's Windows named pipe, and the directories that hold them.
 */
const RUNTIME_SOCKET_NAMES: readonly string[] = ["docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock", "dockershim.sock", "buildkitd.sock"];
const RUNTIME_DIRECTORIES: ReadonlySet<string> = new Set([
  "/var/run", "/run", "/var/run/docker", "/run/docker", "/var/run/containerd", "/run/containerd", "/var/run/crio",
  "/run/crio", "/run/podman", "/var/run/podman", "/var/lib/docker", "/var/lib/containerd",
]);

export function runtimeSocketOf(hostPath: string): string | undefined {
  const p = normalizeHostPath(hostPath);
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (RUNTIME_SOCKET_NAMES.includes(base)) return p;
  if (/^(?:\\\\|\/\/)\.[\\/]pipe[\\/]docker_engine$/i.test(hostPath.trim())) return hostPath.trim();
  return RUNTIME_DIRECTORIES.has(p) ? p : undefined;
}

/**
 * Host directories whose mount hands over the host (CIS Docker Benchmark 5.6's list, with the other system
 * directories and the node's Kubernetes credentials).
 */
export const SENSITIVE_HOST_DIRECTORIES: ReadonlySet<string> = new Set([
  "/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr", "/bin", "/sbin", "/root",
  "/var/lib/kubelet", "/etc/kubernetes",
]);

/** `/etc/`, `/etc/.`, `//etc` are `/etc`; relative and `~` paths stay as written. */
export function normalizeHostPath(p: string): string {
  const t = p.trim();
  if (!t.startsWith("/")) return t;
  const parts: string[] = [];
  for (const seg of t.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

/**
 * Sysctls the Pod Security Standards' baseline allows (namespaced, isolated from other pods): the names listed by
 * the standards up to Kubernetes 1.29.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

/** Volume types the restricted profile allows (PSS "Volume Types"). */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
]);

/** SELinux types the baseline allows (PSS "SELinux"). */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/**
 * Well-known ports of services that serve other containers rather than people: publishing them on every host
 * interface usually exposes a database or a control plane to the network when only local clients were meant.
 */
export const INTERNAL_SERVICE_PORTS: ReadonlyMap<number, string> = new Map([
  [2375, "the Docker API (unencrypted)"], [2376, "the Docker API"], [2379, "etcd"], [2380, "etcd peer traffic"],
  [3306, "MySQL"], [5432, "PostgreSQL"], [6379, "Redis"], [27017, "MongoDB"], [9200, "Elasticsearch"],
  [9300, "Elasticsearch transport"], [11211, "Memcached"], [5672, "AMQP (RabbitMQ)"],
  [9092, "Kafka"], [2181, "ZooKeeper"], [8500, "Consul"], [5984, "CouchDB"], [8086, "InfluxDB"], [1433, "SQL Server"],
  [1521, "Oracle Database"], [9042, "Cassandra"], [26257, "CockroachDB"], [4369, "Erlang port mapper"],
  [10250, "the kubelet API"], [6443, "the Kubernetes API"], [8529, "ArangoDB"], [7687, "Neo4j Bolt"],
]);
