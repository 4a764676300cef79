// Option handling shared by the commands that report findings (lint, audit, runtime) and the rest.
import { DrydockError } from "../core/errors.ts";
import { isSeverity } from "../core/finding.ts";
import type { FailureThreshold, RegistrySettings, SeverityOrOff } from "../core/config.ts";
import type { RegistryClientOptions } from "../registry/client.ts";
import { parseSeverityOverride, type CliPolicy } from "../core/policy.ts";

/** commander's accumulator for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseThreshold(value: string): FailureThreshold {
  if (isSeverity(value) || value === "none") return value;
  throw new DrydockError("USAGE", `--failure-threshold expects error, warning, info, style or none; got ${JSON.stringify(value)}`);
}

/** The policy flags every finding-reporting command takes. */
export interface PolicyOptions {
  ignore: string[];
  enable?: string[];
  severityOverride: string[];
  failureThreshold?: string;
  fail: boolean;
}

export function cliPolicyFrom(opts: PolicyOptions): CliPolicy {
  return {
    ignore: opts.ignore,
    ...(opts.enable === undefined ? {} : { enable: opts.enable }),
    severityOverride: Object.fromEntries(opts.severityOverride.map(parseSeverityOverride)) as Record<string, SeverityOrOff>,
    ...(opts.failureThreshold === undefined ? {} : { failureThreshold: parseThreshold(opts.failureThreshold) }),
    ...(opts.fail ? {} : { noFail: true }),
  };
}

/** The registry flags of commands that read an image from `docker://REF`. */
export interface RegistryFlags {
  insecureRegistry: string[];
  caFile: string[];
}

/** The flags, plus drydock.yaml's `registries:` when the command read a config. */
export function registryOptionsFrom(opts: RegistryFlags, settings?: RegistrySettings): RegistryClientOptions {
  return {
    insecureRegistries: [...opts.insecureRegistry, ...(settings?.insecure ?? [])],
    caFiles: opts.caFile,
    ...(settings === undefined ? {} : { mirrors: settings.mirrors }),
  };
}

/** `--color always|never|auto` (and `--no-color`): auto colours only a terminal, not a file, and not under NO_COLOR. */
export function useColor(opts: { color: string | boolean; output?: string }, io: { isTTY: boolean; env: Readonly<Record<string, string | undefined>> }): boolean {
  if (opts.color === false || opts.color === "never") return false;
  if (opts.color === "always") return true;
  return io.isTTY && opts.output === undefined && (io.env.NO_COLOR ?? "") === "";
}
