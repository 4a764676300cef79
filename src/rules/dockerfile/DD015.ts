import type { TextFinding } from "../../core/finding.ts";
import { defineRule } from "../../core/rule.ts";
import { runInstructions } from "../../dockerfile/query.ts";

export const rule = defineRule({
  id: "DD015",
  aliases: [],
  severity: "error",
  source: "drydock",
  summary: "No RUN --network=host or --security=insecure",
  url: "https://docs.docker.com/reference/dockerfile/#run---network",
  docs: `
A build step is sandboxed: its own network namespace, default capabilities, seccomp and AppArmor.
Two RUN flags take that away.

- \`RUN --network=host\` (reported as a **warning**) runs the step in the build host's network: it reaches
  services bound to the host's localhost, the cloud metadata endpoint (169.254.169.254) with the host's
  credentials, and whatever the host's firewall trusts. The builder must allow the \`network.host\` entitlement.
  Use the default network; publish what the step needs through a proper registry or mirror.
- \`RUN --security=insecure\` (an **error**) runs the step with all capabilities and without seccomp or
  AppArmor, like \`docker run --privileged\`: a compromised dependency in that step owns the build host. It needs
  the \`security.insecure\` entitlement. Find another way to do what the step needs (for example, build the
  file system image with a tool that needs no privileges).

\`--network=none\`, \`--network=default\` and \`--security=sandbox\` are fine. The flag values are compared as
BuildKit does: exactly (\`--network=HOST\` is a build error, not a host network).

\`\`\`dockerfile fires
FROM debian:12
RUN --network=host apt-get update
RUN --security=insecure mount -t tmpfs none /mnt
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
RUN --network=none make test
RUN --security=sandbox make install
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    for (const run of runInstructions(ctx.model)) {
      for (const flag of run.flags) {
        if (flag.name === "network" && flag.value === "host") {
          out.push(ctx.finding(flag.span, "RUN --network=host runs the step in the build host's network (its localhost services, the cloud metadata endpoint); use the default network", "warning"));
        } else if (flag.name === "security" && flag.value === "insecure") {
          out.push(ctx.finding(flag.span, "RUN --security=insecure runs the step with all capabilities and no seccomp or AppArmor, like a privileged container: it can take over the build host; drop the flag", "error"));
        }
      }
    }
    return out;
  },
});
