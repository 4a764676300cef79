// `drydock init`: a commented drydock.yaml for a project, naming what `drydock check` found there so the first
// read of the file explains what will be checked. Pure: targets in, text out (the CLI writes it).
import type { ProjectTargets } from "./discover.ts";

/** More listed targets than this per kind are summarized as a count. */
const MAX_LISTED = 20;

export function renderInitConfig(targets: ProjectTargets): string {
  const out: string[] = [
    "# drydock configuration, written by `drydock init`. Every key is optional; `drydock check` reads this file",
    "# from this directory (or a parent). Docs: docs/check.md and docs/config.md.",
    "#",
    "# What `drydock check` found here:",
    ...listing("Dockerfiles (lint)", targets.dockerfiles.map((d) => `${d.file}${d.dockerignore === undefined ? "  (no .dockerignore)" : ""}`)),
    ...listing("compose files, Kubernetes manifests, scripts with run lines (runtime)", targets.runtime.map((r) => `${r.file}  (${r.kind})`)),
    ...listing("lockfiles (vulnerability scan with the local database: drydock db update)", targets.lockfiles.map((l) => l.file)),
    "",
    "# Fail (exit 1) on findings at or above this severity: error | warning | info | style | none.",
    "failureThreshold: warning",
    "",
    "# Rules to switch off everywhere, by id or alias (DL3008, hadolint:DL3008, cis:5.5). Prefer an inline",
    "# `# drydock ignore=RULE` next to the one line that needs it.",
    "ignore: []",
    "",
    "# Severity per rule: error | warning | info | style | off.",
    "severity: {}",
    "",
    "# Registries FROM may pull from (DL3026); empty allows any.",
    "trustedRegistries: []",
    "",
    "# Vulnerabilities you accept, each with a reason (and an end date to look again):",
    "scan:",
    "  ignore: []",
    "  # ignore:",
    "  #   - id: CVE-2021-23337",
    "  #     package: lodash",
    "  #     reason: only server-side templates we write ourselves",
    "  #     until: 2026-12-31",
    "",
    "# Images `drydock check` audits and scans. Registry images (docker://) are the only reason check goes on",
    "# the network; verify: true also checks them against the verify: policy below.",
    "images: []",
    "# images:",
    "#   - ref: docker://registry.example.com/team/app:1.0",
    "#     verify: true",
    "#",
    "# verify:",
    "#   images:",
    "#     - pattern: registry.example.com/team/*",
    "#       keys: [cosign.pub]",
    "",
  ];
  return out.join("\n");
}

function listing(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [`#   ${title}: none`];
  const shown = items.slice(0, MAX_LISTED).map((i) => `#     ${i}`);
  const more = items.length > MAX_LISTED ? [`#     ... and ${items.length - MAX_LISTED} more`] : [];
  return [`#   ${title}:`, ...shown, ...more];
}
