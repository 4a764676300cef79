// drydock as a library: the same functions the CLI uses.
export { lintDockerfiles, type LintInput, type LintOutcome, type LintRequest } from "./lint.ts";
export { parseDockerfile, type ParseOptions } from "./dockerfile/parse.ts";
export { dumpDockerfile } from "./dockerfile/dump.ts";
export { buildStageGraph, type Stage, type StageGraph } from "./dockerfile/stages.ts";
export { dockerfileRules } from "./rules/dockerfile/index.ts";
export { renderReport, formats, type FormatName } from "./report/index.ts";
export { loadConfig, parseConfig, type Config } from "./core/config.ts";
export { DrydockError, type ErrorCode } from "./core/errors.ts";
export type * from "./core/finding.ts";
export type * from "./dockerfile/ast.ts";
export { auditImage } from "./audit.ts";
export { openImage } from "./image/source.ts";
export { walkImage } from "./image/walk.ts";
export { analyzeRuntime, readRuntimeInput, type RuntimeInput, type RuntimeRequest, type RuntimeOutcome } from "./runtime/analyze.ts";
export { runtimeRules } from "./rules/runtime/index.ts";
