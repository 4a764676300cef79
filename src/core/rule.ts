// A Dockerfile rule is a value: metadata plus one pure check over the model (DESIGN.md "A rule is a module").
import type { Edit, RuleInfo, Severity, Span, TextFinding } from "./finding.ts";
import type { Dockerfile } from "../dockerfile/ast.ts";
import type { StageGraph } from "../dockerfile/stages.ts";

/** Options some rules read (hadolint's trustedRegistries, label-schema, strict-labels). */
export interface RuleOptions {
  trustedRegistries: readonly string[];
  labelSchema: Readonly<Record<string, string>>;
  strictLabels: boolean;
  /** Base image platforms, looked up before rules run (`lint --resolve-images`); absent offline. */
  imagePlatforms?: BaseImagePlatforms;
}

/** Platforms as "os/arch[/variant]". Rules never do I/O: the lookups were made before they run. */
export interface BaseImagePlatforms {
  /** The platform the build is for, and the one it runs on (BuildKit's TARGETPLATFORM, BUILDPLATFORM). */
  readonly target: string;
  readonly build: string;
  /** What a base image (its reference after ARG expansion) is published for; undefined when not known. */
  platformsOf(ref: string): readonly string[] | undefined;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { trustedRegistries: [], labelSchema: {}, strictLabels: false };

/** What is known of the build context beside the Dockerfile (read by the CLI; rules never do I/O). */
export interface BuildContextInfo {
  /** The ignore file that applies (`<Dockerfile>.dockerignore` beside it, else `.dockerignore` in the context). */
  dockerignore: { file: string; text: string } | undefined;
  /** The files of the context, relative with "/" separators, when the caller listed them. */
  files?: readonly string[];
}

export const NO_BUILD_CONTEXT: BuildContextInfo = { dockerignore: undefined };

export interface DockerfileContext {
  readonly model: Dockerfile;
  /** The build context, when the Dockerfile came from a directory (not stdin). */
  readonly buildContext: BuildContextInfo | undefined;
  readonly options: RuleOptions;
  /** The stages, their names, bases, scopes and which of them end up in the target image. */
  readonly stages: StageGraph;
  /** A finding of this rule at span; severity defaults to the rule's. */
  finding(span: Span, message: string, severity?: Severity): TextFinding;
}

export interface DockerfileRule extends RuleInfo {
  /**
   * Never reports offline (it needs data such as base image metadata that only a lookup gives); kept for parity
   * and documented. Its docs need no firing example.
   */
  inert?: boolean;
  /** Present only when applying it is always safe; returns edits of the finding's file. */
  fix?: (finding: TextFinding, model: Dockerfile) => Edit[];
  /**
   * The findings, in the order found. An array is the cheapest to return: rules run ~100 times per file, and a
   * generator costs an object per call and per loop inside it.
   */
  check(ctx: DockerfileContext): Iterable<TextFinding>;
}

/** Identity, for contextual types and literal ids. */
export function defineRule<const R extends DockerfileRule>(rule: R): R {
  return rule;
}
