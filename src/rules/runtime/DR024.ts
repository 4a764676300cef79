import { INTERNAL_SERVICE_PORTS } from "../../runtime/facts.ts";
import { defineRuntimeRule } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR024",
  aliases: [],
  severity: "warning",
  source: "drydock",
  profile: "baseline",
  appliesTo: ["compose", "docker-run"],
  summary: "Bind databases and control planes to 127.0.0.1, not every interface",
  docs: `
A published port without an address listens on every interface of the host, and Docker's iptables rules let it
through host firewalls such as ufw. For a database, a cache, a message broker or a control API (PostgreSQL 5432,
MySQL 3306, Redis 6379, MongoDB 27017, Elasticsearch 9200, the Docker API 2375, ...) that was meant for local
clients, that is the whole network. Write the address: \`127.0.0.1:5432:5432\`, or leave the port unpublished and
let other containers reach it over the compose network. The unencrypted Docker API (2375) is an error.

CIS Docker Benchmark 5.14 asks for a host interface on every published port; this check keeps to the ports whose
exposure is a mistake almost every time.

\`\`\`yaml fires
services:
  db:
    image: postgres:16
    ports:
      - "5432:5432"
\`\`\`

\`\`\`yaml silent
services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
\`\`\`

\`\`\`sh fires
docker run -d -p 6379:6379 redis:7
\`\`\`
`,
  *check({ workload: w, finding }) {
    if (w.kind === "kubernetes") return;
    for (const p of w.ports) {
      const service = p.containerPort === undefined ? undefined : INTERNAL_SERVICE_PORTS.get(p.containerPort);
      if (p.hostIp !== undefined || service === undefined) continue;
      const severity = p.containerPort === 2375 ? "error" : undefined;
      const host = p.hostPort === undefined ? "a random host port" : `host port ${p.hostPort}`;
      yield finding(p.at, `${p.owner} publishes port ${p.containerPort} (usually ${service}) on ${host} of every host interface; bind it to 127.0.0.1 if only local clients need it`, severity);
    }
  },
});
