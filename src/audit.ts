// `drydock audit` as a library function: an image reference in, a finished report and an exit code out.
// source → walk (every check fed in one pass) → policy → report; nothing here prints or reads the environment.
import { emptyAuditSettings, emptyConfig, type Config } from "./core/config.ts";
import { isDrydockError } from "./core/errors.ts";
import type { Finding, InputError, Report, RuleInfo } from "./core/finding.ts";
import { runImageChecks, type ImageCheck } from "./core/image-check.ts";
import { applyPolicy, exitCodeFor, failurePolicy, NO_CLI_POLICY, type CliPolicy } from "./core/policy.ts";
import { refersToRule } from "./core/pragmas.ts";
import type { ImageLimits } from "./image/limits.ts";
import type { MergedFs } from "./image/merged.ts";
import { openImage, type ImageSource } from "./image/source.ts";
import type { EntryConsumer, WalkResult } from "./image/walk.ts";
import { imageChecks } from "./rules/image/index.ts";
import { initShell } from "./shell/parse.ts";
import { VERSION } from "./version.ts";
import type { RegistryClientOptions } from "./registry/client.ts";

export interface AuditRequest {
  /** docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH, dir:ROOTFS, or a path whose kind is detected. */
  ref: string;
  config?: Config;
  cli?: CliPolicy;
  /** "os/arch[/variant]" to pick from a multi-platform index; default: the host's. */
  platform?: string;
  /** Resolves relative paths in ref; default process.cwd(). */
  cwd?: string;
  /** Defaults to every image check. */
  checks?: readonly ImageCheck[];
  limits?: Partial<ImageLimits>;
  /** For docker://REF: registry client settings (insecure registries, CA files, credentials). */
  registry?: RegistryClientOptions;
}

export interface AuditOutcome {
  report: Report;
  exitCode: 0 | 1 | 2;
  /** Things the user should know that are not findings: oddities met while reading the layers. */
  notices: string[];
}

/** Other work done in an audit's walk of the image, so that the image is read once. */
export interface AlsoRead {
  /** Consumers to feed in the walk, made once the image is open. */
  consumers(source: ImageSource): readonly EntryConsumer[];
  /** After a complete walk, before the image is closed: the merged view and the walk, for consumers that finish with them. */
  done?(source: ImageSource, fs: MergedFs, walk: WalkResult): void;
}

export async function auditImage(request: AuditRequest, alsoRead?: AlsoRead): Promise<AuditOutcome> {
  await initShell(); // build history RUN steps are parsed with the shell parser
  const config = request.config ?? emptyConfig();
  const cli = request.cli ?? NO_CLI_POLICY;
  const enabled = [...config.enable, ...(cli.enable ?? [])];
  const checks = (request.checks ?? imageChecks).filter((c) => c.optIn !== true || enabled.some((ref) => refersToRule(ref, c)));
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  const notices: string[] = [];
  let source: ImageSource | undefined;
  try {
    source = await openImage(request.ref, {
      ...(request.platform === undefined ? {} : { platform: request.platform }),
      ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
      ...(request.limits === undefined ? {} : { limits: request.limits }),
      ...(request.registry === undefined ? {} : { registry: request.registry }),
    });
    const opened = source;
    const result = await runImageChecks(source, checks, config.audit ?? emptyAuditSettings(), alsoRead?.consumers(opened) ?? []);
    alsoRead?.done?.(opened, result.fs, result.walk);
    findings.push(...result.findings);
    errors.push(...result.errors);
    const anomalies = [...result.walk.anomalies, ...result.fs.anomalies];
    if (anomalies.length > 0) {
      const dropped = result.walk.anomaliesDropped;
      notices.push(`${anomalies.length + dropped} oddities while reading ${request.ref} (first: ${anomalies[0]?.message ?? ""})`);
    }
  } catch (e) {
    if (!isDrydockError(e)) throw e;
    errors.push({ file: request.ref, code: e.code, message: e.message });
  } finally {
    await source?.close();
  }
  const rules = checks.map(imageCheckInfo).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept = applyPolicy(findings, { config, cli, pragmasByFile: new Map(), rules });
  const { threshold, noFail } = failurePolicy(config, cli);
  const report: Report = { tool: { name: "drydock", version: VERSION }, findings: kept, errors, rules, inputs: [request.ref] };
  return { report, exitCode: exitCodeFor(kept, threshold, noFail, errors.length > 0), notices };
}

/** A check's metadata as reports need it. */
export function imageCheckInfo(check: ImageCheck): RuleInfo {
  const { id, aliases, severity, source, summary, docs, url, optIn } = check;
  return { id, aliases, severity, source, summary, docs, ...(url === undefined ? {} : { url }), ...(optIn === true ? { optIn } : {}) };
}
