// One fixed report that every format test renders: two Dockerfiles (one with a hostile path), findings inside
// an image layer and about a reference, every severity, a repeated finding, and two input errors.
import type { Finding, Position, Report, RuleInfo } from "../../src/core/finding.ts";

export function pos(line: number, column: number, offset = 0): Position {
  return { line, column, offset };
}

/** A path with markup characters, both quotes, non-ASCII (one outside the BMP), and control characters. */
export const HOSTILE = "ci/<x&y>\"q'é🐳\u0001\u001b[31m/Dockerfile";
export const DIGEST = `sha256:3f1c2a9b8d7e${"0".repeat(52)}`;
export const REF = "registry.example:5000/team/app:1.0";

const hadolint = (id: string): string[] => [`hadolint:${id}`];

export const findings: Finding[] = [
  {
    ruleId: "DL3008", aliases: hadolint("DL3008"), severity: "warning", source: "hadolint",
    message: "Pin versions in apt-get install: use apt-get install <package>=<version>",
    location: { kind: "text", file: "Dockerfile", start: pos(3, 1, 40), end: pos(3, 40, 79) },
  },
  {
    ruleId: "DL3014", aliases: hadolint("DL3014"), severity: "warning", source: "hadolint",
    message: "apt-get install can stop at a prompt; pass -y",
    location: { kind: "text", file: "Dockerfile", start: pos(5, 5, 100), end: pos(5, 12, 107) },
  },
  {
    ruleId: "DL3014", aliases: hadolint("DL3014"), severity: "warning", source: "hadolint",
    message: "apt-get install can stop at a prompt; pass -y",
    location: { kind: "text", file: "Dockerfile", start: pos(7, 5, 140), end: pos(8, 3, 160) },
  },
  {
    ruleId: "DL3059", aliases: hadolint("DL3059"), severity: "style", source: "hadolint",
    message: "Multiple consecutive RUN instructions; consider joining them",
    location: { kind: "text", file: "Dockerfile", start: pos(9, 1, 170), end: pos(9, 10, 179) },
  },
  {
    ruleId: "SecretsUsedInArgOrEnv", aliases: ["buildkit:SecretsUsedInArgOrEnv"], severity: "error", source: "buildkit",
    message: "Do not use ARG or ENV for secrets: \"AWS_SECRET_KEY\" & 'token'",
    location: { kind: "text", file: HOSTILE, start: pos(2, 5, 20), end: pos(2, 19, 34) },
  },
  {
    ruleId: "DD2001", aliases: [], severity: "error", source: "drydock",
    message: "private key at /root/.ssh/id_rsa",
    location: { kind: "layer", image: "images/app.tar", layer: 2, digest: DIGEST, path: "root/.ssh/id_rsa" },
  },
  {
    ruleId: "DD3001", aliases: [], severity: "info", source: "drydock",
    message: "image is referenced by tag, not by digest",
    location: { kind: "ref", ref: REF },
  },
];

export const rules: RuleInfo[] = [
  { id: "DD2001", aliases: [], severity: "error", source: "drydock", summary: "No private keys in any layer",
    docs: "A key deleted in a later layer is still in the earlier layer's blob.\n\nRemove it in the same layer." },
  { id: "DD3001", aliases: [], severity: "info", source: "drydock", summary: "Refer to images by digest", docs: "" },
  { id: "DL3008", aliases: hadolint("DL3008"), severity: "warning", source: "hadolint", summary: "Pin versions in apt-get install",
    docs: "Unpinned packages make builds differ.\n\n```dockerfile fires\nRUN apt-get install curl\n```\n",
    url: "https://github.com/hadolint/hadolint/wiki/DL3008" },
  { id: "DL3014", aliases: hadolint("DL3014"), severity: "warning", source: "hadolint", summary: "Pass -y to apt-get install",
    docs: "A build has no terminal: a prompt aborts it." },
  { id: "DL3059", aliases: hadolint("DL3059"), severity: "info", source: "hadolint", summary: "Join consecutive RUN instructions",
    docs: "Each RUN makes a layer." },
  { id: "SecretsUsedInArgOrEnv", aliases: ["buildkit:SecretsUsedInArgOrEnv"], severity: "warning", source: "buildkit",
    summary: "Sensitive data should not be used in ARG or ENV", docs: "Build arguments and environment variables persist in the image.",
    url: "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/" },
];

export const report: Report = {
  tool: { name: "drydock", version: "0.1.0" },
  findings,
  errors: [
    { file: "broken/Dockerfile", line: 2, column: 1, code: "DOCKERFILE_SYNTAX", message: "unterminated heredoc <<EOF" },
    { file: "missing/Dockerfile", code: "INPUT_UNREADABLE", message: "cannot read missing/Dockerfile: no such file" },
  ],
  rules,
};

export const emptyReport: Report = { tool: { name: "drydock", version: "0.1.0" }, findings: [], errors: [], rules };
