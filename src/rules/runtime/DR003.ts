import { DEFAULT_CAPABILITIES } from "../../runtime/facts.ts";
import { missingAt } from "../../runtime/model.ts";
import { defineRuntimeRule, spelled } from "../../runtime/rule.ts";

export const rule = defineRuntimeRule({
  id: "DR003",
  aliases: ["pss:restricted/capabilities"],
  severity: "warning",
  source: "drydock",
  profile: "restricted",
  appliesTo: ["compose", "kubernetes", "docker-run"],
  summary: "Drop ALL capabilities and add back only NET_BIND_SERVICE",
  docs: `
Kubernetes' restricted profile requires every container to drop ALL capabilities and allows adding back only
NET_BIND_SERVICE. Most services need none: the default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...) only helps
an attacker who got in. The same applies to compose services and \`docker run\`. Capabilities outside the default
set are reported by DR002.

\`\`\`yaml fires
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
\`\`\`

\`\`\`yaml silent
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            capabilities:
              drop: [ALL]
              add: [NET_BIND_SERVICE]
\`\`\`

\`\`\`sh fires
docker run --cap-drop NET_RAW nginx:1.27
\`\`\`
`,
  *check({ workload: w, finding }) {
    for (const cap of w.capAdd) {
      if (cap.value !== "NET_BIND_SERVICE" && DEFAULT_CAPABILITIES.has(cap.value)) {
        yield finding(cap.at, `${cap.owner} adds ${cap.value}; the restricted profile allows adding back only NET_BIND_SERVICE`);
      }
    }
    if (w.fragment || w.privileged?.value === true || w.capDrop.some((c) => c.value === "ALL")) return;
    const how = spelled(w, { compose: "cap_drop: [ALL]", kubernetes: "securityContext.capabilities.drop: [ALL]", "docker-run": "--cap-drop ALL" });
    yield finding(w.capDrop[0]?.at ?? missingAt(w, true), `${w.name} does not drop ALL capabilities (${how}, then add back what it needs)`);
  },
});
