// `drydock lsp`: a Language Server that lints Dockerfiles and checks compose files and Kubernetes manifests as they
// are edited, and offers quick fixes (the rules' always-safe edits) and ignore pragmas as code actions. The same
// library functions as the CLI do the work (lintDockerfiles, analyzeRuntime, the fixers); this file keeps the open
// documents, the workspace's config, and turns findings into LSP diagnostics. Transport-free: bytes in through
// `receive`, frames out through `write`; src/cli/lsp.ts connects it to stdio.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DRYDOCK_CONFIG_NAMES, emptyConfig, HADOLINT_CONFIG_NAMES, loadConfig, type Config } from "../core/config.ts";
import { isDrydockError } from "../core/errors.ts";
import type { Edit, Finding, InputError, RuleInfo, Severity, TextFinding } from "../core/finding.ts";
import { NO_CLI_POLICY } from "../core/policy.ts";
import type { BuildContextInfo } from "../core/rule.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { buildStageGraph } from "../dockerfile/stages.ts";
import { applyEdits } from "../fix/apply.ts";
import { fixerFor } from "../fix/dockerfile.ts";
import { YAML_FIX_RULES, yamlFixEdits } from "../fix/yaml.ts";
import { lintDockerfiles } from "../lint.ts";
import { dockerfileRules } from "../rules/dockerfile/index.ts";
import { analyzeRuntime, detect } from "../runtime/analyze.ts";
import type { Profile, Workload } from "../runtime/model.ts";
import { VERSION } from "../version.ts";
import { isDockerfileName } from "../cli/io.ts";
import { Connection, ERROR_CODES, isRecord, RpcError } from "./protocol.ts";
import { applyContentChanges, LspText, type ContentChange, type LspPosition, type LspRange } from "./positions.ts";

export interface LanguageServerOptions {
  /** Sends one encoded frame to the client. */
  write: (frame: string) => void;
  /** ShellCheck binary for SCxxxx findings in RUN scripts; undefined runs none. */
  shellcheck?: string;
  /** The build context beside a Dockerfile on disk (its .dockerignore); none for unsaved documents. */
  readBuildContext?: (file: string) => Promise<BuildContextInfo>;
  /** Quiet time after an edit before linting (default 150 ms): typing does not lint every keystroke. */
  debounceMs?: number;
  maxMessageBytes?: number;
}

export interface LanguageServer {
  receive(chunk: Uint8Array): void;
  /** The client's stream ended. */
  end(): void;
  /** Resolves once stopped: 0 after shutdown then exit, 1 when the client left without shutdown (the spec's codes). */
  readonly stopped: Promise<number>;
}

/** LSP DiagnosticSeverity: Error 1, Warning 2, Information 3, Hint 4. */
const DIAGNOSTIC_SEVERITY = { error: 1, warning: 2, info: 3, style: 4 } as const satisfies Record<Severity, number>;

export interface Diagnostic {
  range: LspRange;
  severity: 1 | 2 | 3 | 4;
  code: string;
  codeDescription?: { href: string };
  source: "drydock";
  message: string;
}

interface TextEdit {
  range: LspRange;
  newText: string;
}

export interface CodeAction {
  title: string;
  kind: "quickfix";
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
  edit: { changes: Record<string, TextEdit[]> };
}

type DocumentKind = "dockerfile" | "runtime" | "none";

interface OpenDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
  /** The name findings carry: the path of a file: URI, else the URI. */
  file: string;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped for every analysis started, so an older one finishing late is dropped. */
  generation: number;
  analysis: Analysis | undefined;
  /** Once read as compose or Kubernetes, a YAML document stays so while a half-typed edit breaks its syntax. */
  runtimeType: "compose" | "kubernetes" | undefined;
}

/** One text's findings, with what code actions need to compute edits. */
interface Analysis {
  version: number;
  text: string;
  kind: Exclude<DocumentKind, "none">;
  findings: TextFinding[];
  errors: InputError[];
  rules: Map<string, RuleInfo>;
  workloads: Workload[];
  diagnostics: Diagnostic[];
}

const CONFIG_NAMES: readonly string[] = [...DRYDOCK_CONFIG_NAMES, ...HADOLINT_CONFIG_NAMES];
const COMPOSE_NAME = /(?:^|[/\\])(?:docker-)?compose(?:[.-][^/\\]*)?\.ya?ml$|\.compose\.ya?ml$/i;
const RULE_LIST = "[A-Za-z0-9][A-Za-z0-9:._/-]*(?:[ \\t]*,[ \\t]*[A-Za-z0-9][A-Za-z0-9:._/-]*)*";

export function createLanguageServer(options: LanguageServerOptions): LanguageServer {
  const debounceMs = options.debounceMs ?? 150;
  const documents = new Map<string, OpenDocument>();
  const configs = new Map<string, Promise<Config>>();
  /** Config files we published a CONFIG_INVALID diagnostic for, to clear when they are read again. */
  const configProblemUris = new Set<string>();
  const notices = new Set<string>();
  let folders: string[] = [];
  let initialized = false;
  let shuttingDown = false;
  let profile: Profile = "baseline";
  let watchDynamically = false;
  let stop: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => {
    stop = (code) => {
      for (const doc of documents.values()) clearTimeout(doc.timer);
      connection.close();
      resolve(code);
    };
  });

  const connection = new Connection(options.write, {
    request(method, params) {
      return handleRequest(method, params);
    },
    notification(method, params) {
      handleNotification(method, params);
    },
  }, options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes });

  function handleRequest(method: string, params: unknown): unknown {
    if (method === "initialize") {
      if (initialized) throw new RpcError(ERROR_CODES.invalidRequest, "initialize was already received");
      initialized = true;
      return initialize(params);
    }
    if (!initialized) throw new RpcError(ERROR_CODES.serverNotInitialized, `${method} before initialize`);
    if (shuttingDown) throw new RpcError(ERROR_CODES.invalidRequest, `${method} after shutdown`);
    switch (method) {
      case "shutdown":
        shuttingDown = true;
        for (const doc of documents.values()) clearTimeout(doc.timer);
        return null;
      case "textDocument/codeAction":
        return codeActions(params);
      default:
        throw new RpcError(ERROR_CODES.methodNotFound, `drydock does not handle ${method}`);
    }
  }

  function handleNotification(method: string, params: unknown): void {
    if (method === "exit") {
      stop(shuttingDown ? 0 : 1);
      return;
    }
    if (!initialized || shuttingDown) return;
    switch (method) {
      case "initialized":
        if (watchDynamically) registerWatchers();
        return;
      case "textDocument/didOpen":
        return didOpen(params);
      case "textDocument/didChange":
        return didChange(params);
      case "textDocument/didSave":
        return didSave(params);
      case "textDocument/didClose":
        return didClose(params);
      case "workspace/didChangeWatchedFiles":
        return didChangeWatchedFiles(params);
      default:
        // Unknown notifications ($/cancelRequest, $/setTrace, ...) are ignored, as the spec asks.
        return;
    }
  }

  function initialize(params: unknown): unknown {
    const p = isRecord(params) ? params : {};
    const fromFolders = Array.isArray(p["workspaceFolders"])
      ? p["workspaceFolders"].flatMap((f) => (isRecord(f) && typeof f["uri"] === "string" ? [uriToPath(f["uri"])] : []))
      : [];
    const root = typeof p["rootUri"] === "string" ? uriToPath(p["rootUri"]) : typeof p["rootPath"] === "string" ? p["rootPath"] : undefined;
    folders = [...fromFolders, ...(root === undefined ? [] : [root])].filter((f) => path.isAbsolute(f));
    const init = isRecord(p["initializationOptions"]) ? p["initializationOptions"] : {};
    if (init["runtimeProfile"] === "restricted") profile = "restricted";
    const caps = isRecord(p["capabilities"]) ? p["capabilities"] : {};
    const workspace = isRecord(caps["workspace"]) ? caps["workspace"] : {};
    const watched = isRecord(workspace["didChangeWatchedFiles"]) ? workspace["didChangeWatchedFiles"] : {};
    watchDynamically = watched["dynamicRegistration"] === true;
    return {
      capabilities: {
        positionEncoding: "utf-16",
        textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ["quickfix"] },
      },
      serverInfo: { name: "drydock", version: VERSION },
    };
  }

  /** Asks the client to tell us when a config or ignore file changes on disk. */
  function registerWatchers(): void {
    const watchers = ["**/{drydock,.drydock}.{yaml,yml}", "**/.hadolint.{yaml,yml}", "**/{.dockerignore,*.dockerignore}"].map((globPattern) => ({ globPattern }));
    connection.request("client/registerCapability", {
      registrations: [{ id: "drydock-watched-files", method: "workspace/didChangeWatchedFiles", registerOptions: { watchers } }],
    }).catch(() => log("the client did not accept file watching: edits to drydock.yaml apply when it is saved in the editor"));
  }

  // ---- documents ----

  function didOpen(params: unknown): void {
    const item = isRecord(params) && isRecord(params["textDocument"]) ? params["textDocument"] : undefined;
    if (item === undefined || typeof item["uri"] !== "string" || typeof item["text"] !== "string") return;
    const uri = item["uri"];
    const doc: OpenDocument = {
      uri,
      languageId: typeof item["languageId"] === "string" ? item["languageId"] : "",
      version: typeof item["version"] === "number" ? item["version"] : 0,
      text: item["text"],
      file: uriToPath(uri),
      timer: undefined,
      generation: 0,
      analysis: undefined,
      runtimeType: undefined,
    };
    const previous = documents.get(uri);
    if (previous !== undefined) clearTimeout(previous.timer);
    documents.set(uri, doc);
    void refresh(doc);
  }

  function didChange(params: unknown): void {
    const doc = documentOf(params);
    if (doc === undefined || !isRecord(params) || !Array.isArray(params["contentChanges"])) return;
    const changes: ContentChange[] = [];
    for (const c of params["contentChanges"]) {
      if (!isRecord(c) || typeof c["text"] !== "string") return;
      const range = rangeOf(c["range"]);
      if (c["range"] !== undefined && range === undefined) return;
      changes.push(range === undefined ? { text: c["text"] } : { range, text: c["text"] });
    }
    doc.text = applyContentChanges(doc.text, changes);
    const version = isRecord(params["textDocument"]) ? params["textDocument"]["version"] : undefined;
    doc.version = typeof version === "number" ? version : doc.version + 1;
    clearTimeout(doc.timer);
    doc.timer = setTimeout(() => void refresh(doc), debounceMs);
  }

  function didSave(params: unknown): void {
    const doc = documentOf(params);
    const uri = isRecord(params) && isRecord(params["textDocument"]) ? params["textDocument"]["uri"] : undefined;
    if (typeof uri === "string" && CONFIG_NAMES.includes(path.basename(uriToPath(uri)))) {
      reloadConfig();
      return;
    }
    if (doc === undefined) return;
    clearTimeout(doc.timer);
    void refresh(doc);
  }

  function didClose(params: unknown): void {
    const doc = documentOf(params);
    if (doc === undefined) return;
    clearTimeout(doc.timer);
    doc.generation++;
    documents.delete(doc.uri);
    if (!configProblemUris.has(doc.uri)) publish(doc.uri, undefined, []);
  }

  function didChangeWatchedFiles(params: unknown): void {
    const changes = isRecord(params) && Array.isArray(params["changes"]) ? params["changes"] : [];
    const names = changes.flatMap((c) => (isRecord(c) && typeof c["uri"] === "string" ? [path.basename(uriToPath(c["uri"]))] : []));
    if (names.some((n) => CONFIG_NAMES.includes(n) || n.endsWith(".dockerignore"))) reloadConfig();
  }

  function reloadConfig(): void {
    configs.clear();
    for (const uri of configProblemUris) publish(uri, undefined, []);
    configProblemUris.clear();
    for (const doc of documents.values()) {
      clearTimeout(doc.timer);
      void refresh(doc);
    }
  }

  function documentOf(params: unknown): OpenDocument | undefined {
    const id = isRecord(params) ? params["textDocument"] : undefined;
    return isRecord(id) && typeof id["uri"] === "string" ? documents.get(id["uri"]) : undefined;
  }

  /** Analyses the document's current text and publishes the result, unless a newer edit or a close overtook it. */
  async function refresh(doc: OpenDocument): Promise<void> {
    doc.timer = undefined;
    const generation = ++doc.generation;
    const version = doc.version;
    let analysis: Analysis | undefined;
    try {
      analysis = await analyze(doc, doc.text, version);
    } catch (e) {
      log(`drydock failed on ${doc.file}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (generation !== doc.generation || documents.get(doc.uri) !== doc || shuttingDown) return;
    doc.analysis = analysis;
    // A config file's own diagnostics come from reading it as the config (configProblem), not from linting.
    if (analysis === undefined && configProblemUris.has(doc.uri)) return;
    publish(doc.uri, version, analysis?.diagnostics ?? []);
  }

  function publish(uri: string, version: number | undefined, diagnostics: readonly Diagnostic[]): void {
    connection.notify("textDocument/publishDiagnostics", { uri, ...(version === undefined ? {} : { version }), diagnostics });
  }

  function log(message: string): void {
    connection.notify("window/logMessage", { type: 3, message });
  }

  // ---- analysis ----

  function kindOf(doc: OpenDocument, text: string): { kind: DocumentKind; type?: "compose" | "kubernetes" } {
    const base = path.basename(doc.file);
    const lang = doc.languageId.toLowerCase();
    if (lang === "dockerfile" || lang === "containerfile" || isDockerfileName(base)) return { kind: "dockerfile" };
    if (CONFIG_NAMES.includes(base)) return { kind: "none" };
    if (lang.includes("compose")) return { kind: "runtime", type: "compose" };
    if (!lang.startsWith("yaml") && !/\.ya?ml$/i.test(base)) return { kind: "none" };
    try {
      const type = detect({ file: doc.file, text }).type;
      if (type === "compose" || type === "kubernetes") {
        doc.runtimeType = type;
        return { kind: "runtime", type };
      }
      return { kind: "none" };
    } catch {
      // Broken YAML: report it where the file is one we check, stay quiet on other YAML (the YAML extension's job).
      if (doc.runtimeType !== undefined) return { kind: "runtime", type: doc.runtimeType };
      return COMPOSE_NAME.test(doc.file) ? { kind: "runtime", type: "compose" } : { kind: "none" };
    }
  }

  async function analyze(doc: OpenDocument, text: string, version: number): Promise<Analysis | undefined> {
    const { kind, type } = kindOf(doc, text);
    if (kind === "none") return undefined;
    const config = await configFor(doc.file);
    let findings: readonly TextFinding[];
    let errors: readonly InputError[];
    let rules: readonly RuleInfo[];
    let workloads: Workload[] = [];
    if (kind === "dockerfile") {
      const buildContext = doc.uri.startsWith("file:") && options.readBuildContext !== undefined
        ? await options.readBuildContext(doc.file).catch(() => undefined)
        : undefined;
      const outcome = await lintDockerfiles({
        inputs: [{ file: doc.file, text, ...(buildContext === undefined ? {} : { buildContext }) }],
        config,
        cli: NO_CLI_POLICY,
        shellcheck: options.shellcheck ?? "off",
      });
      for (const n of outcome.notices) {
        if (!notices.has(n)) log(n);
        notices.add(n);
      }
      ({ rules } = outcome.report);
      findings = textFindings(outcome.report.findings, doc.file);
      // A new, still empty Dockerfile is not an error worth a red mark.
      errors = outcome.report.errors.filter((e) => e.code !== "DOCKERFILE_EMPTY");
    } else {
      const outcome = await analyzeRuntime({
        inputs: [{ file: doc.file, text, ...(type === undefined ? {} : { type }) }],
        profile,
        config,
        cli: NO_CLI_POLICY,
      });
      ({ rules } = outcome.report);
      findings = textFindings(outcome.report.findings, doc.file);
      errors = outcome.report.errors;
      workloads = outcome.workloads;
    }
    const ruleMap = new Map(rules.map((r) => [r.id, r]));
    const lsp = new LspText(text);
    const mine = errors.filter((e) => e.file === doc.file);
    const diagnostics = [...mine.map((e) => errorDiagnostic(e, lsp)), ...findings.map((f) => findingDiagnostic(f, lsp, ruleMap.get(f.ruleId)))];
    return { version, text, kind, findings: [...findings], errors: mine, rules: ruleMap, workloads, diagnostics };
  }

  function configFor(file: string): Promise<Config> {
    const dir = configDirOf(file);
    if (dir === undefined) return Promise.resolve(emptyConfig());
    let found = configs.get(dir);
    if (found === undefined) {
      found = loadConfig(dir).then((loaded) => loaded.config, (e: unknown) => {
        configProblem(e);
        return emptyConfig();
      });
      configs.set(dir, found);
    }
    return found;
  }

  /** The workspace folder holding the file (the innermost), else the file's own directory. */
  function configDirOf(file: string): string | undefined {
    if (!path.isAbsolute(file)) return folders[0];
    const holding = folders.filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : `${f}${path.sep}`));
    return holding.sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);
  }

  /** A config that does not read is shown on the config file and in the log; linting goes on with defaults. */
  function configProblem(e: unknown): void {
    if (!isDrydockError(e)) throw e;
    const loc = e.location;
    log(`drydock: ${e.message} [${e.code}]; linting with the default configuration`);
    if (loc?.kind !== "text") return;
    const uri = pathToFileURL(loc.file).href;
    const start = { line: loc.start.line - 1, character: loc.start.column - 1 };
    const end = { line: loc.end.line - 1, character: loc.end.column - 1 };
    configProblemUris.add(uri);
    publish(uri, undefined, [{ range: { start, end }, severity: 1, code: e.code, source: "drydock", message: e.message }]);
  }

  // ---- code actions ----

  async function codeActions(params: unknown): Promise<CodeAction[]> {
    const doc = documentOf(params);
    if (doc === undefined || !isRecord(params)) return [];
    const context = isRecord(params["context"]) ? params["context"] : {};
    const only = Array.isArray(context["only"]) ? context["only"].filter((k): k is string => typeof k === "string") : undefined;
    // `only` filters by kind: ours are all "quickfix" (whose only parent kind is the empty one).
    if (only !== undefined && !only.some((k) => k === "quickfix" || k === "")) return [];
    const analysis = doc.analysis?.version === doc.version && doc.analysis.text === doc.text ? doc.analysis : await analyze(doc, doc.text, doc.version);
    if (analysis === undefined) return [];
    const lsp = new LspText(analysis.text);
    const asked = Array.isArray(context["diagnostics"]) ? context["diagnostics"] : [];
    const targets: { finding: TextFinding; diagnostic: Diagnostic }[] = [];
    for (const d of asked) {
      if (!isRecord(d) || d["source"] !== "drydock" || typeof d["code"] !== "string") continue;
      const range = rangeOf(d["range"]);
      const index = analysis.findings.findIndex((f) => f.ruleId === d["code"] && range !== undefined && sameRange(lsp.range(f.location.start.offset, f.location.end.offset), range));
      const finding = analysis.findings[index];
      const diagnostic = analysis.diagnostics[analysis.errors.length + index];
      if (finding !== undefined && diagnostic !== undefined) targets.push({ finding, diagnostic });
    }
    // Clients that send no diagnostics back (or others' only) get actions for our findings in the range.
    const range = rangeOf(params["range"]);
    if (targets.length === 0 && range !== undefined) {
      const from = lsp.offsetAt(range.start);
      const to = lsp.offsetAt(range.end);
      analysis.findings.forEach((finding, i) => {
        const diagnostic = analysis.diagnostics[analysis.errors.length + i];
        if (diagnostic !== undefined && finding.location.start.offset <= to && finding.location.end.offset >= from) targets.push({ finding, diagnostic });
      });
    }
    const actions: CodeAction[] = [];
    for (const { finding, diagnostic } of targets) {
      const id = finding.ruleId;
      const fix = fixEdits(doc, analysis, finding);
      if (fix.length > 0 && (await improves(doc, analysis, fix, id))) {
        const summary = analysis.rules.get(id)?.summary;
        actions.push(action(doc.uri, lsp, `drydock: fix ${id}${summary === undefined ? "" : ` (${summary})`}`, diagnostic, fix, true));
      }
      const ignore = ignoreEdit(doc, analysis, finding);
      if (ignore !== undefined && (await improves(doc, analysis, [ignore], id))) {
        actions.push(action(doc.uri, lsp, `drydock: ignore ${id} on this line`, diagnostic, [ignore], false));
      }
    }
    return actions;
  }

  /** The finding's always-safe edits: a fixer that knows the stages, else the rule's own fix, else the YAML fixes. */
  function fixEdits(doc: OpenDocument, analysis: Analysis, finding: TextFinding): Edit[] {
    if (analysis.kind === "runtime") {
      if (!YAML_FIX_RULES.includes(finding.ruleId)) return [];
      return yamlFixEdits(doc.file, analysis.text, analysis.workloads, [finding], { addUser: undefined });
    }
    try {
      const model = parseDockerfile(analysis.text, { file: doc.file });
      const fixer = fixerFor(finding.ruleId);
      if (fixer !== undefined) return fixer.fix(finding, { model, stages: buildStageGraph(model), addUser: undefined });
      return dockerfileRules.find((r) => r.id === finding.ruleId)?.fix?.(finding, model) ?? [];
    } catch (e) {
      if (isDrydockError(e)) return [];
      throw e;
    }
  }

  /** Whether the edits take away a finding of the rule and add nothing: the same test `drydock fix` applies. */
  async function improves(doc: OpenDocument, before: Analysis, edits: readonly Edit[], ruleId: string): Promise<boolean> {
    const after = await analyze(doc, applyEdits(before.text, edits), before.version);
    if (after === undefined || after.errors.length > before.errors.length) return false;
    const was = countByRule(before.findings);
    const now = countByRule(after.findings);
    if ((now.get(ruleId) ?? 0) >= (was.get(ruleId) ?? 0)) return false;
    return [...now].every(([id, n]) => n <= (was.get(id) ?? 0));
  }

  return {
    receive: (chunk) => connection.receive(chunk),
    end: () => stop(shuttingDown ? 0 : 1),
    stopped,
  };
}

/**
 * A pragma line above the finding's instruction (Dockerfile) or line (YAML), indented like it; when the line above
 * already is an ignore pragma of the same tool, the rule joins its list.
 */
function ignoreEdit(doc: OpenDocument, analysis: Analysis, finding: TextFinding): Edit | undefined {
  const text = analysis.text;
  const tool = analysis.kind === "dockerfile" && (finding.source === "hadolint" || finding.source === "shellcheck") ? "hadolint" : "drydock";
  let lineStart = finding.location.start.offset - (finding.location.start.column - 1);
  if (analysis.kind === "dockerfile") {
    let model;
    try {
      model = parseDockerfile(text, { file: doc.file });
    } catch {
      return undefined;
    }
    const line = finding.location.start.line;
    const inst = model.instructions.find((i) => i.span.start.line <= line && line <= i.endLine);
    if (inst !== undefined) lineStart = inst.span.start.offset - (inst.span.start.column - 1);
  }
  const lsp = new LspText(text);
  const line = lsp.positionAt(lineStart).line;
  const indent = /^[ \t]*/.exec(lsp.lineText(line))?.[0] ?? "";
  if (line > 0) {
    const above = lsp.lineText(line - 1);
    const existing = new RegExp(`^([ \\t]*#[ \\t]*${tool}[ \\t]+ignore[ \\t]*=[ \\t]*)(${RULE_LIST})`).exec(above);
    if (existing !== null) {
      const at = lsp.lineStart(line - 1) + (existing[1] ?? "").length + (existing[2] ?? "").length;
      return { start: at, end: at, text: `,${finding.ruleId}` };
    }
  }
  return { start: lineStart, end: lineStart, text: `${indent}# ${tool} ignore=${finding.ruleId}${lsp.eol}` };
}

function action(uri: string, lsp: LspText, title: string, diagnostic: Diagnostic, edits: readonly Edit[], preferred: boolean): CodeAction {
  const textEdits = nonOverlapping(edits).map((e) => ({ range: lsp.range(e.start, e.end), newText: e.text }));
  return { title, kind: "quickfix", diagnostics: [diagnostic], ...(preferred ? { isPreferred: true } : {}), edit: { changes: { [uri]: textEdits } } };
}

/** LSP forbids overlapping edits; keep them as applyEdits would apply them (identical ones once, the first of a clash). */
function nonOverlapping(edits: readonly Edit[]): Edit[] {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const out: Edit[] = [];
  const seen = new Set<string>();
  let pos = 0;
  for (const { e } of sorted) {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key) || e.start < pos || e.end < e.start) continue;
    seen.add(key);
    out.push(e);
    pos = e.end;
  }
  return out;
}

function countByRule(findings: readonly TextFinding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

function textFindings(findings: readonly Finding[], file: string): TextFinding[] {
  return findings.filter((f): f is TextFinding => f.location.kind === "text" && f.location.file === file);
}

function findingDiagnostic(f: TextFinding, lsp: LspText, rule: RuleInfo | undefined): Diagnostic {
  return {
    range: lsp.range(f.location.start.offset, f.location.end.offset),
    severity: DIAGNOSTIC_SEVERITY[f.severity],
    code: f.ruleId,
    ...(rule?.url === undefined ? {} : { codeDescription: { href: rule.url } }),
    source: "drydock",
    message: f.message,
  };
}

/** An input error marks its position to the end of that line (the whole first line when it has no position). */
function errorDiagnostic(e: InputError, lsp: LspText): Diagnostic {
  const line = Math.max(0, (e.line ?? 1) - 1);
  const start: LspPosition = { line, character: Math.max(0, (e.column ?? 1) - 1) };
  const end: LspPosition = { line, character: Math.max(start.character, lsp.lineLength(line)) };
  return { range: { start, end }, severity: 1, code: e.code, source: "drydock", message: e.message };
}

function rangeOf(v: unknown): LspRange | undefined {
  if (!isRecord(v)) return undefined;
  const start = positionOf(v["start"]);
  const end = positionOf(v["end"]);
  return start === undefined || end === undefined ? undefined : { start, end };
}

function positionOf(v: unknown): LspPosition | undefined {
  if (!isRecord(v)) return undefined;
  const line = v["line"];
  const character = v["character"];
  return typeof line === "number" && typeof character === "number" ? { line, character } : undefined;
}

function sameRange(a: LspRange, b: LspRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** A file: URI as a path; any other URI (untitled:, vscode-notebook-cell:) stands for itself. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
