import { runtimeSocketOf } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

const SOCKET_NAMES: Readonly<Record<string, string>> = {
  "docker.sock": "the Docker socket",
  "containerd.sock": "the containerd socket",
  "crio.sock": "the CRI-O socket",
  "podman.sock": "the Podman socket",
  "cri-dockerd.sock": "the cri-dockerd socket",
  "dockershim.sock": "the dockershim socket",
  "buildkitd.sock": "the BuildKit socket",
};

export const rule = defineRuntimeRule({
  id: "DR004",
  aliases: ["cis:5.32"],
  severity: "error",
  source: "cis",
  profile: "baseline",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Do not mount the Docker socket (or another container runtime's)",
  docs: `
Whoever can talk to the Docker socket can start a privileged container with the host's root filesystem mounted:
a container given \`/var/run/docker.sock\` is root on the host. Mounting it read-only changes nothing (connecting
to a socket is not a write to the file). The same holds for containerd, CRI-O, Podman and BuildKit sockets, Docker's
Windows pipe \`//./pipe/docker_engine\`, the directories that hold them (\`/var/run\`, \`/run\`, \`/var/lib/docker\`),
and \`docker run --use-api-socket\`. If a tool needs the Docker API, give it a proxy that allows only the calls it
makes, or run it outside containers.

\`\`\`yaml fires
services:
  traefik:
    image: traefik:v3.1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
\`\`\`

\`\`\`yaml silent
services:
  traefik:
    image: traefik:v3.1
    volumes:
      - ./traefik.yml:/etc/traefik/traefik.yml:ro
\`\`\`

\`\`\`sh fires
docker run -v /var/run/docker.sock:/var/run/docker.sock docker:27-cli docker ps
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const m of w.mounts) {
      if (m.hostPath === undefined) continue;
      const socket = runtimeSocketOf(m.hostPath);
      if (socket === undefined) continue;
      const base = socket.slice(socket.lastIndexOf("/") + 1);
      const named = SOCKET_NAMES[base];
      const what = named !== undefined ? `${named} ${socket}` : /pipe/i.test(socket) ? `Docker's named pipe ${socket}` : `${socket}, which holds the container runtime's socket`;
      const ro = m.readOnly ? "; read-only does not help, connecting to a socket is no write" : "";
      yield finding(m.at, `${m.owner} mounts ${what}: control of the container runtime is root on the host${ro}`);
    }
    const api = w.apiSocket;
    if (api?.value === true) yield finding(api.at, `${api.owner} is given the Docker API socket (--use-api-socket): control of Docker is root on the host`);
  },
});
