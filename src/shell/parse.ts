// The shell of a RUN (or any shell-form command), parsed once with tree-sitter-bash and reduced to plain data:
// every command with its words, redirects, pipeline position and enclosing structures, each piece with its span
// in the Dockerfile. Rules query this model (src/shell/query.ts); they never see tree-sitter nodes or offsets.
// Most RUN scripts are simple command lists: fast.ts reads those itself, to the same model, several times faster.
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import type { Span } from "../core/finding.ts";
import { MappedText } from "../core/text.ts";
import { CstNode, ReleasedTreeError } from "./cst.ts";
import { parseSimpleShell } from "./fast.ts";
import { commandBeforeLeadingHeredoc, restoreSourceOrder } from "./leading-heredoc.ts";
import { mayRunShellScript, shellHeredocInvocation, shellInvocation, substitutionDepth } from "./query.ts";
import { makeAssignment, makeWord, unquote, wordOrigin, type ShellAssignment, type ShellWord } from "./word.ts";

export type { ShellAssignment, ShellWord } from "./word.ts";

export interface ShellHeredoc {
  /** The delimiter with quotes removed ("EOF"). */
  delimiter: string;
  /** false when the delimiter was quoted: the body is taken literally. */
  expands: boolean;
  /** `<<-`: leading tabs are stripped from body lines. */
  stripsTabs: boolean;
  /** The body lines, newlines included, without the delimiter line. */
  body: string;
  bodySpan: Span;
}

export interface ShellRedirect {
  /** The operator as written: ">", ">>", "<", "&>", ">&", "<<<", "<<", "<<-", ... */
  op: string;
  /** The explicit descriptor (`2>`), undefined when none was written. */
  descriptor: number | undefined;
  /** The file, descriptor or string the redirect names; for a heredoc, its delimiter word. */
  target: ShellWord | undefined;
  heredoc: ShellHeredoc | undefined;
  span: Span;
}

/** How a command is joined to the one before it in the same list. "\n" is a newline; "&" follows a background job. */
export type ShellConnector = "&&" | "||" | ";" | "&" | "|" | "|&" | "\n";

/**
 * A structure a command sits in. "condition" is the test part of an `if`/`elif`/`while`/`until`; "substitution" is
 * `$(...)` or backticks; "group" is `{ ...; }`; "loop" is for/select/while/until.
 */
export type ShellContextKind =
  | "subshell" | "group" | "substitution" | "process-substitution" | "if" | "condition" | "loop" | "case" | "function";

/** One enclosing structure; the same object is shared by every command inside it. */
export interface ShellContext {
  kind: ShellContextKind;
  span: Span;
}

export interface ShellPipelinePosition {
  /** 0-based stage of the pipeline this command is in. */
  index: number;
  /** Number of stages (≥ 2). */
  length: number;
  /** Index of the pipeline in ShellScript.pipelines. */
  id: number;
}

export interface ShellCommand {
  /** The command word as written: for `sudo apt-get`, `sudo` (query.ts `unwrap` sees through wrappers). */
  name: ShellWord;
  /** Arguments in order; redirections excluded. */
  args: ShellWord[];
  /** Leading `NAME=value` words. */
  assignments: ShellAssignment[];
  /** Redirections, in order, including trailing ones (`cmd > f`) and heredocs. */
  redirects: ShellRedirect[];
  /** From the first assignment or redirect before the name to the end of the last argument or redirect. */
  span: Span;
  /** The operator joining this command to the previous one of its list; undefined for the first of a list. */
  connector: ShellConnector | undefined;
  /** Set when the command is (inside) a stage of a pipeline with at least two stages. */
  pipeline: ShellPipelinePosition | undefined;
  /** Prefixed by `!`. */
  negated: boolean;
  /** Enclosing structures, outermost first. */
  within: readonly ShellContext[];
  /** Inside `$(...)`, backticks or `<(...)`/`>(...)`. */
  inSubstitution: boolean;
  /**
   * For `sh -c '...'`/`bash -c "..."` (also behind wrappers such as `sudo`) whose script argument is a static
   * string, or a shell reading its script from a heredoc (`bash <<EOF`, `RUN <<EOF bash`): that script, parsed,
   * with spans in the Dockerfile. undefined otherwise.
   */
  nested: ShellScript | undefined;
  /** On a command returned by query.ts `unwrap`: the wrapper command (`sudo ...`) it was found in. */
  wrapper: ShellCommand | undefined;
}

export interface ShellPipelineStage {
  span: Span;
  /** The commands run by this stage (one for a simple command; more for a subshell or group), not substitutions. */
  commands: ShellCommand[];
}

export interface ShellPipeline {
  span: Span;
  stages: ShellPipelineStage[];
  /** Operator before stage i + 1: "|" or "|&". */
  operators: ("|" | "|&")[];
  /** `! a | b`. */
  negated: boolean;
  within: readonly ShellContext[];
}

export interface ShellScript {
  text: MappedText;
  /** Every command of the script in source order, including those in compound statements and substitutions. */
  commands: ShellCommand[];
  /** Pipelines of at least two stages, in source order. */
  pipelines: ShellPipeline[];
  /** tree-sitter-bash recovered from a syntax error; commands are still extracted from what parsed. */
  hasErrors: boolean;
  /** Where the syntax errors are. */
  errors: Span[];
  /** Whether pipefail is on when the script starts (from ParseShellOptions, or `bash -o pipefail -c`). */
  pipefail: boolean;
}

export interface ParseShellOptions {
  /** The shell runs with pipefail from the start (SHELL ["/bin/bash", "-o", "pipefail", "-c"]). */
  pipefail?: boolean;
  /**
   * false: parse with tree-sitter-bash even when the hand-written parser for common scripts would do (for tests
   * that compare both, and benchmarks). Default true.
   */
  fastPath?: boolean;
}

/** `sh -c "sh -c '...'"` is followed this many levels deep; deeper scripts stay unparsed. */
const MAX_NESTING = 4;
/** Structures nested deeper than this are not looked into (and reported as errors) rather than overflow the stack. */
const MAX_DEPTH = 500;

let parser: Parser | undefined;
let initializing: Promise<void> | undefined;

/** Loads the tree-sitter runtime and the bash grammar once; later calls return the same promise. */
export function initShell(): Promise<void> {
  initializing ??= loadParser().catch((e: unknown) => {
    initializing = undefined; // a failed load may be retried
    throw e;
  });
  return initializing;
}

async function loadParser(): Promise<void> {
  // Resolved from this module, so it works from src/ (type stripping) and from the compiled dist/ alike.
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** Parses a shell script; initShell() must have completed. Never throws on bad shell: see hasErrors. */
export function parseShell(script: MappedText, options: ParseShellOptions = {}): ShellScript {
  return parseAt(script, options.pipefail === true, 0, options.fastPath !== false);
}

function parseAt(script: MappedText, pipefail: boolean, depth: number, fastPath: boolean): ShellScript {
  if (parser === undefined) throw new Error("parseShell called before initShell() completed");
  const result = (fastPath ? parseSimpleShell(script, pipefail) : undefined) ?? parseWithTreeSitter(parser, script, pipefail);
  if (depth < MAX_NESTING) {
    for (const cmd of result.commands) cmd.nested = nestedScript(cmd, depth, fastPath);
  }
  return result;
}

/** The script through tree-sitter-bash, with a leading heredoc (`<<EOT bash`) moved where it reads it right. */
function parseWithTreeSitter(p: Parser, script: MappedText, pipefail: boolean): ShellScript {
  const reordered = commandBeforeLeadingHeredoc(script);
  if (reordered === undefined) return parseTree(p, script, pipefail);
  const result: ShellScript = { ...parseTree(p, reordered, pipefail), text: script };
  restoreSourceOrder(result);
  return result;
}

/** The script through tree-sitter-bash: any shell, with syntax errors recovered from. */
function parseTree(p: Parser, script: MappedText, pipefail: boolean): ShellScript {
  const key = script.text;
  const kept = sharedTrees?.get(key);
  if (kept !== undefined) {
    try {
      return extract(kept, script, pipefail);
    } catch (e) {
      // Reads depend only on the text, so a kept tree has what they ask for; if not, parse again.
      if (!(e instanceof ReleasedTreeError)) throw e;
      sharedTrees?.delete(key);
    }
  }
  const tree = p.parse(key);
  if (tree === null) return { text: script, commands: [], pipelines: [], hasErrors: true, errors: [script.span(0, script.text.length)], pipefail };
  const life = { alive: true };
  try {
    const root = new CstNode(tree.rootNode, life);
    const result = extract(root, script, pipefail);
    if (sharedTrees !== undefined && sharedChars + key.length <= MAX_SHARED_CHARS) {
      sharedTrees.set(key, root);
      sharedChars += key.length;
    }
    return result;
  } finally {
    life.alive = false;
    tree.delete();
  }
}

function extract(root: CstNode, script: MappedText, pipefail: boolean): ShellScript {
  const x = new Extractor(script);
  x.children(root, ROOT, undefined);
  const errors: Span[] = [];
  if (root.hasError) collectErrors(root, x, errors);
  errors.push(...x.tooDeep);
  const hasErrors = errors.length > 0;
  return { text: script, commands: x.sortedCommands(), pipelines: x.pipelines, hasErrors, errors, pipefail };
}

/** Trees read while shareShellTrees runs, by script text; undefined outside it. */
let sharedTrees: Map<string, CstNode> | undefined;
let sharedChars = 0;
/** At most this much script text keeps its tree (~40 bytes of nodes per character): memory stays bounded. */
const MAX_SHARED_CHARS = 4 * 1024 * 1024;

/**
 * Runs fn with tree-sitter's reading of each script text kept for the scripts after it: Dockerfiles of one
 * project repeat whole RUN scripts (image variants, stages), and a repeated one then costs no second parse. The
 * trees are dropped when fn returns, so memory is only held for one job (a lint of many files).
 */
export function shareShellTrees<T>(fn: () => T): T {
  if (sharedTrees !== undefined) return fn(); // already sharing: the outermost call drops them
  sharedTrees = new Map();
  try {
    return fn();
  } finally {
    sharedTrees = undefined;
    sharedChars = 0;
  }
}

/** Heredoc bodies as mapped text, for parsing the body that a shell reads as its script (`bash <<EOF`). */
const HEREDOC_BODIES = new WeakMap<ShellHeredoc, MappedText>();

/**
 * The script a shell command runs, parsed with its characters mapped back to the Dockerfile: the string of
 * `sh -c '<static string>'`, or the body of a heredoc the shell reads as its script (`bash <<EOF`, `<<EOF sh -e`).
 */
function nestedScript(cmd: ShellCommand, depth: number, fastPath: boolean): ShellScript | undefined {
  if (!mayRunShellScript(cmd)) return undefined;
  const inv = shellInvocation(cmd);
  if (inv !== undefined) {
    const text = stringScript(inv.script);
    return text === undefined ? undefined : parseAt(text, inv.pipefail, depth + 1, fastPath);
  }
  const stdin = shellHeredocInvocation(cmd);
  const body = stdin === undefined ? undefined : HEREDOC_BODIES.get(stdin.heredoc);
  return stdin === undefined || body === undefined ? undefined : parseAt(body, stdin.pipefail, depth + 1, fastPath);
}

/** The value of a static string word, each character mapped to where it is written; undefined if not static. */
function stringScript(word: ShellWord): MappedText | undefined {
  const origin = wordOrigin(word);
  if (origin === undefined) return undefined;
  const indices: number[] = [];
  const value = unquote(origin.text.text, origin.start, origin.end, indices);
  if (value === undefined) return undefined;
  const offsets = Int32Array.from(indices, (i) => origin.text.sourceOffset(i));
  // The inner text ends where the word's last character (a closing quote, usually) is.
  const end = origin.text.sourceOffset(Math.max(origin.start, origin.end - 1));
  return new MappedText(value, offsets, origin.text.source, end);
}

interface Ctx {
  within: readonly ShellContext[];
  pipe: ShellPipelinePosition | undefined;
  inSubstitution: boolean;
  /** Number of substitutions entered, to tell a stage's own commands from those of its substitutions. */
  substitutionDepth: number;
}

const ROOT: Ctx = { within: [], pipe: undefined, inSubstitution: false, substitutionDepth: 0 };

/** Node types that tree-sitter-bash produces for a statement (grammar rule `_statement`). */
const STATEMENTS: ReadonlySet<string> = new Set([
  "redirected_statement", "variable_assignment", "variable_assignments", "command", "declaration_command",
  "unset_command", "test_command", "negated_command", "for_statement", "c_style_for_statement", "while_statement",
  "if_statement", "case_statement", "pipeline", "list", "compound_statement", "function_definition", "subshell",
]);

/** Tokens that separate statements of a list and become the next command's connector. */
const CONNECTORS: ReadonlySet<string> = new Set(["&&", "||", ";", "&", "|", "|&", "\n"]);

/** Leaf node types that cannot hold a command. */
const INERT: ReadonlySet<string> = new Set([
  "word", "raw_string", "ansi_c_string", "number", "string_content", "variable_name", "simple_expansion",
  "special_variable_name", "file_descriptor", "heredoc_start", "heredoc_end", "heredoc_content", "comment", "regex",
  "extglob_pattern", "test_operator",
]);

const REDIRECTS: ReadonlySet<string> = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);

/** What a heredoc redirect carries besides the redirect itself (tree-sitter-bash nests the rest of the line in it). */
interface RedirectParts {
  redirects: ShellRedirect[];
  /** Words tree-sitter-bash attached to the redirect that bash gives the command (`cat <<EOF file`, `> f extra`). */
  extraArgs: ShellWord[];
  /** `cat <<EOF | sh`: the pipe operator and the statement after it. */
  pipeTail: { op: "|" | "|&"; node: CstNode } | undefined;
  /** `cat <<EOF && echo`: the operator and the statement after it. */
  listTail: { op: ShellConnector; node: CstNode } | undefined;
}

class Extractor {
  readonly text: MappedText;
  readonly source: string;
  readonly commands: ShellCommand[] = [];
  readonly pipelines: ShellPipeline[] = [];
  /** Spans not looked into because they are nested deeper than MAX_DEPTH. */
  readonly tooDeep: Span[] = [];
  private depth = 0;
  /** False when the script has no `$(`, backtick, `<(` or `>(`: words then never need a look inside. */
  private readonly mayHaveSubstitutions: boolean;

  constructor(text: MappedText) {
    this.text = text;
    this.source = text.text;
    const s = text.text;
    this.mayHaveSubstitutions = s.includes("$(") || s.includes("`") || s.includes("<(") || s.includes(">(");
  }

  sortedCommands(): ShellCommand[] {
    // Extraction follows the tree, which puts heredoc tails and bodies out of source order.
    return this.commands.sort((a, b) => a.span.start.offset - b.span.start.offset);
  }

  span(node: CstNode): Span {
    return this.text.span(node.startIndex, node.endIndex);
  }

  word(node: CstNode): ShellWord {
    return makeWord(this.text, node.startIndex, node.endIndex);
  }

  /**
   * Walks a node's children as a list of statements: separators between them become connectors, keywords start a
   * new list; `if`/`elif`/`while`/`until` put what follows, up to `then`/`do`, in a condition context.
   */
  children(node: CstNode, ctx: Ctx, incoming: ShellConnector | undefined): void {
    if (this.depth >= MAX_DEPTH) {
      this.tooDeep.push(this.span(node));
      return;
    }
    this.depth++;
    this.listItems(node, ctx, incoming);
    this.depth--;
  }

  private listItems(node: CstNode, ctx: Ctx, incoming: ShellConnector | undefined): void {
    let pending = incoming;
    let afterStatement = incoming !== undefined;
    let current = ctx;
    for (const child of node.children) {
      const type = child.type;
      if (!child.isNamed) {
        if (CONNECTORS.has(type)) {
          pending = type as ShellConnector;
        } else {
          pending = undefined;
          afterStatement = false;
          if (type === "if" || type === "elif" || type === "while" || type === "until") {
            current = { ...ctx, within: [...ctx.within, { kind: "condition", span: this.span(node) }] };
          } else if (type === "then") {
            current = ctx;
          }
        }
        continue;
      }
      if (type === "comment") continue;
      if (type === "do_group") current = ctx;
      if (STATEMENTS.has(type)) {
        this.statement(child, current, pending ?? (afterStatement ? "\n" : undefined), false);
        pending = undefined;
        afterStatement = true;
      } else {
        this.visit(child, current);
      }
    }
  }

  /** Finds commands anywhere below a node that is not a statement (words with substitutions, heredoc bodies...). */
  visit(node: CstNode, ctx: Ctx): void {
    const type = node.type;
    if (INERT.has(type)) return;
    if (STATEMENTS.has(type)) {
      this.statement(node, ctx, undefined, false);
      return;
    }
    switch (type) {
      case "command_substitution":
        this.children(node, this.enter(ctx, node, "substitution", true), undefined);
        return;
      case "process_substitution":
        this.children(node, this.enter(ctx, node, "process-substitution", true), undefined);
        return;
      case "ERROR":
      case "elif_clause":
      case "else_clause":
      case "do_group":
      case "case_item":
        this.children(node, ctx, undefined);
        return;
      default:
        if (this.mayContainCommand(node)) this.children(node, ctx, undefined);
    }
  }

  private mayContainCommand(node: CstNode): boolean {
    if (!this.mayHaveSubstitutions) return false;
    const s = this.source;
    const start = node.startIndex;
    const end = node.endIndex;
    const has = (needle: string): boolean => {
      const i = s.indexOf(needle, start);
      return i !== -1 && i < end;
    };
    return has("$(") || has("`") || has("<(") || has(">(");
  }

  private enter(ctx: Ctx, node: CstNode, kind: ShellContextKind, substitution = false): Ctx {
    const within = [...ctx.within, { kind, span: this.span(node) }];
    if (!substitution) return { ...ctx, within };
    return { within, pipe: undefined, inSubstitution: true, substitutionDepth: ctx.substitutionDepth + 1 };
  }

  /**
   * Extracts one statement. Returns the simple command that ends it at its top level (the last stage of a pipeline,
   * the right side of a list), which is where bash applies a trailing redirect.
   */
  statement(node: CstNode, ctx: Ctx, connector: ShellConnector | undefined, negated: boolean): ShellCommand | undefined {
    switch (node.type) {
      case "command":
        return this.command(node, ctx, connector, negated);
      case "declaration_command":
      case "unset_command":
        return this.declaration(node, ctx, connector, negated);
      case "pipeline": {
        const parts = pipelineParts(node);
        for (const other of parts.others) this.visit(other, ctx);
        let last = this.pipeline(parts.stages, parts.operators, ctx, connector, undefined);
        for (const item of parts.rest) last = this.statement(item.node, ctx, item.op, false);
        return last;
      }
      case "list": {
        let last: ShellCommand | undefined;
        const chain = flattenList(node);
        for (const other of chain.others) this.visit(other, ctx);
        last = this.statement(chain.first, ctx, connector, false);
        for (const item of chain.rest) last = this.statement(item.node, ctx, item.op, false);
        return last;
      }
      case "negated_command": {
        let last: ShellCommand | undefined;
        for (const child of node.children) {
          if (STATEMENTS.has(child.type)) last = this.statement(child, ctx, connector, true);
          else if (child.isNamed) this.visit(child, ctx);
        }
        return last;
      }
      case "redirected_statement":
        return this.redirected(node, ctx, connector);
      case "subshell":
        this.children(node, this.enter(ctx, node, "subshell"), undefined);
        return undefined;
      case "compound_statement":
        // `{ ...; }` is a group; `(( ... ))` is arithmetic and only its substitutions matter.
        this.children(node, node.firstChild?.type === "{" ? this.enter(ctx, node, "group") : ctx, undefined);
        return undefined;
      case "if_statement":
        this.children(node, this.enter(ctx, node, "if"), undefined);
        return undefined;
      case "while_statement":
      case "for_statement":
      case "c_style_for_statement":
        this.children(node, this.enter(ctx, node, "loop"), undefined);
        return undefined;
      case "case_statement":
        this.children(node, this.enter(ctx, node, "case"), undefined);
        return undefined;
      case "function_definition":
        this.children(node, this.enter(ctx, node, "function"), undefined);
        return undefined;
      default:
        // Assignments and test commands are not commands, but their words may hold substitutions.
        this.children(node, ctx, undefined);
        return undefined;
    }
  }

  private newCommand(
    node: CstNode, name: ShellWord, ctx: Ctx, connector: ShellConnector | undefined, negated: boolean,
  ): ShellCommand {
    const cmd: ShellCommand = {
      name, args: [], assignments: [], redirects: [], span: this.span(node), connector, pipeline: ctx.pipe, negated,
      within: ctx.within, inSubstitution: ctx.inSubstitution, nested: undefined, wrapper: undefined,
    };
    this.commands.push(cmd);
    return cmd;
  }

  private command(node: CstNode, ctx: Ctx, connector: ShellConnector | undefined, negated: boolean): ShellCommand | undefined {
    const children = node.children;
    let nameIndex = -1;
    for (let i = 0; i < children.length; i++) {
      if (children[i]?.type === "command_name") {
        nameIndex = i;
        break;
      }
    }
    const nameNode = children[nameIndex];
    if (nameNode === undefined) {
      this.children(node, ctx, undefined);
      return undefined;
    }
    const cmd = this.newCommand(node, this.word(nameNode), ctx, connector, negated);
    const ranges: number[] = [];
    const extraArgs: ShellWord[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === undefined || i === nameIndex) continue;
      const type = child.type;
      if (type === "variable_assignment") {
        cmd.assignments.push(this.assignment(child));
      } else if (REDIRECTS.has(type)) {
        const parts = this.redirect(child, ctx);
        cmd.redirects.push(...parts.redirects);
        extraArgs.push(...parts.extraArgs);
      } else if (i > nameIndex && type !== "comment" && type !== "ERROR" && type !== "subshell") {
        ranges.push(child.startIndex, child.endIndex);
      }
      if (!REDIRECTS.has(type)) this.visit(child, ctx); // redirect() looked inside already
    }
    const repaired = repairWordRanges(this.source, ranges, nameNode.endIndex);
    for (let i = 0; i < repaired.length; i += 2) cmd.args.push(makeWord(this.text, repaired[i] ?? 0, repaired[i + 1] ?? 0));
    cmd.args.push(...extraArgs);
    this.visit(nameNode, ctx);
    return cmd;
  }

  /** `export A=1 B`, `local x`, `unset y`: a command named by the keyword, its words as arguments. */
  private declaration(node: CstNode, ctx: Ctx, connector: ShellConnector | undefined, negated: boolean): ShellCommand | undefined {
    const children = node.children;
    const keyword = children[0];
    if (keyword === undefined) return undefined;
    const cmd = this.newCommand(node, this.word(keyword), ctx, connector, negated);
    for (let i = 1; i < children.length; i++) {
      const child = children[i];
      if (child === undefined || child.type === "comment" || child.type === "ERROR") continue;
      cmd.args.push(child.type === "variable_assignment" ? this.assignment(child) : this.word(child));
      this.visit(child, ctx);
    }
    return cmd;
  }

  private assignment(node: CstNode): ShellAssignment {
    const nameNode = node.firstChild;
    const name = nameNode === null ? "" : this.source.slice(nameNode.startIndex, nameNode.endIndex);
    return makeAssignment(this.text, node.startIndex, node.endIndex, name);
  }

  private redirect(node: CstNode, ctx: Ctx): RedirectParts {
    const parts: RedirectParts = { redirects: [], extraArgs: [], pipeTail: undefined, listTail: undefined };
    const children = node.children;
    let op = "";
    let descriptor: number | undefined;
    let target: ShellWord | undefined;
    let heredoc: ShellHeredoc | undefined;
    let bodyStart: number | undefined;
    const nested: ShellRedirect[] = [];
    let listOp: ShellConnector | undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === undefined) continue;
      const type = child.type;
      if (!child.isNamed) {
        if (type === "&&" || type === "||") listOp = type;
        else if (op === "") op = type;
        continue;
      }
      switch (type) {
        case "file_descriptor":
          descriptor = Number(this.source.slice(child.startIndex, child.endIndex));
          break;
        case "heredoc_start":
          target = this.word(child);
          break;
        case "heredoc_body":
          bodyStart ??= child.startIndex;
          this.visit(child, ctx);
          break;
        case "heredoc_end":
          bodyStart ??= child.startIndex;
          heredoc = this.heredoc(target, op, bodyStart, child.startIndex);
          break;
        case "comment":
        case "ERROR":
          break;
        case "file_redirect":
        case "herestring_redirect": {
          const inner = this.redirect(child, ctx);
          nested.push(...inner.redirects);
          parts.extraArgs.push(...inner.extraArgs);
          break;
        }
        default:
          if (type === "pipeline" && node.type === "heredoc_redirect" && isPipeTail(child)) {
            // tree-sitter-bash nests `| rest` of the heredoc line here: `|` then the statement after it.
            const pipeOp = child.firstChild?.type === "|&" ? "|&" : "|";
            const stmt = child.children.find((c) => STATEMENTS.has(c.type));
            if (stmt !== undefined) parts.pipeTail = { op: pipeOp, node: stmt };
          } else if (listOp !== undefined && STATEMENTS.has(type)) {
            parts.listTail = { op: listOp, node: child };
            listOp = undefined;
          } else if (target === undefined && node.type !== "heredoc_redirect") {
            target = this.word(child);
            this.visit(child, ctx);
          } else {
            // More words after the target, or words after a heredoc opener: bash passes them to the command.
            parts.extraArgs.push(this.word(child));
            this.visit(child, ctx);
          }
      }
    }
    // A heredoc redirect ends at its delimiter word: the body and the rest of the line are not part of it.
    const span = heredoc === undefined || target === undefined ? this.span(node) : { start: this.span(node).start, end: target.span.end };
    parts.redirects.push({ op, descriptor, target, heredoc, span }, ...nested);
    return parts;
  }

  /** A heredoc's body: whole lines, from the one after the opener up to the delimiter line. */
  private heredoc(delimiter: ShellWord | undefined, op: string, bodyNodeStart: number, endNodeStart: number): ShellHeredoc {
    // tree-sitter-bash starts a `<<-` body after its first line's tabs and ends it after the delimiter's tabs.
    const start = this.source.lastIndexOf("\n", bodyNodeStart - 1) + 1;
    const end = Math.max(start, this.source.lastIndexOf("\n", endNodeStart - 1) + 1);
    const heredoc: ShellHeredoc = {
      delimiter: delimiter?.value ?? delimiter?.text ?? "",
      expands: delimiter !== undefined && !/['"\\]/.test(delimiter.text),
      stripsTabs: op === "<<-",
      body: this.source.slice(start, end),
      bodySpan: this.text.span(start, end),
    };
    HEREDOC_BODIES.set(heredoc, this.text.slice(start, end));
    return heredoc;
  }

  /**
   * `body redirect...`: the redirects belong to the simple command that ends the body. tree-sitter-bash puts the
   * rest of a heredoc's line (`| sh`, `&& echo`) inside the heredoc redirect; it is walked here as bash reads it.
   */
  private redirected(node: CstNode, ctx: Ctx, connector: ShellConnector | undefined): ShellCommand | undefined {
    let body: CstNode | undefined;
    const parts: RedirectParts = { redirects: [], extraArgs: [], pipeTail: undefined, listTail: undefined };
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === undefined) continue;
      if (i === 0 && STATEMENTS.has(child.type)) {
        body = child;
      } else if (REDIRECTS.has(child.type)) {
        const p = this.redirect(child, ctx);
        parts.redirects.push(...p.redirects);
        parts.extraArgs.push(...p.extraArgs);
        parts.pipeTail ??= p.pipeTail;
        parts.listTail ??= p.listTail;
      } else if (child.isNamed) {
        this.visit(child, ctx);
      }
    }
    const attach = (cmd: ShellCommand | undefined): void => {
      if (cmd === undefined) return;
      cmd.redirects.push(...parts.redirects);
      if (parts.extraArgs.length > 0) {
        cmd.args.push(...parts.extraArgs);
        cmd.args.sort((a, b) => a.span.start.offset - b.span.start.offset);
      }
      for (const r of parts.redirects) {
        if (r.span.end.offset > cmd.span.end.offset) cmd.span = { start: cmd.span.start, end: r.span.end };
      }
    };
    let last: ShellCommand | undefined;
    if (body === undefined) {
      last = undefined;
    } else if (parts.pipeTail === undefined) {
      last = this.statement(body, ctx, connector, false);
      attach(last);
    } else {
      // `cat <<EOF | a | b && c`: the pipeline is cat, a, b; `&& c` follows it.
      const head = body.type === "pipeline" ? pipelineParts(body) : { stages: [body], operators: [] as ("|" | "|&")[], rest: [] };
      const tail = leadingPipeline(parts.pipeTail.node);
      const stages = [...head.stages, ...tail.stages];
      const operators = [...head.operators, parts.pipeTail.op, ...tail.operators];
      last = this.pipeline(stages, operators, ctx, connector, { stage: head.stages.length - 1, attach });
      for (const rest of [...head.rest, ...tail.rest]) last = this.statement(rest.node, ctx, rest.op, false);
    }
    if (parts.listTail !== undefined) last = this.statement(parts.listTail.node, ctx, parts.listTail.op, false);
    return last;
  }

  private pipeline(
    stages: CstNode[], operators: ("|" | "|&")[], ctx: Ctx, connector: ShellConnector | undefined,
    hook: { stage: number; attach: (cmd: ShellCommand | undefined) => void } | undefined,
  ): ShellCommand | undefined {
    if (stages.length < 2) {
      const only = stages[0];
      const cmd = only === undefined ? undefined : this.statement(only, ctx, connector, false);
      if (hook !== undefined) hook.attach(cmd);
      return cmd;
    }
    const first = stages[0];
    const lastStage = stages[stages.length - 1];
    if (first === undefined || lastStage === undefined) return undefined;
    const id = this.pipelines.length;
    const pipeline: ShellPipeline = {
      span: this.text.span(first.startIndex, lastStage.endIndex),
      stages: [],
      operators,
      negated: first.type === "negated_command",
      within: ctx.within,
    };
    this.pipelines.push(pipeline);
    let last: ShellCommand | undefined;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      if (stage === undefined) continue;
      const before = this.commands.length;
      const stageCtx: Ctx = { ...ctx, pipe: { index: i, length: stages.length, id } };
      const conn = i === 0 ? connector : operators[i - 1];
      last = this.statement(stage, stageCtx, conn, false);
      if (hook !== undefined && hook.stage === i) hook.attach(last);
      const own = this.commands.slice(before).filter((c) => substitutionDepth(c) === ctx.substitutionDepth);
      own.sort((a, b) => a.span.start.offset - b.span.start.offset);
      pipeline.stages.push({ span: this.span(stage), commands: own });
    }
    return last;
  }
}

/**
 * Word boundaries as bash draws them where tree-sitter-bash does not: it drops escaped blanks (`\\ `) at the edges
 * of a word or standing alone, and splits a word at an escape after a quote (`"a"\\*`). ranges holds the start, end
 * pairs of the argument nodes in order; floor is where arguments may start (after the command name).
 */
function repairWordRanges(text: string, ranges: readonly number[], floor: number): number[] {
  const out: number[] = [];
  let prevEnd = floor;
  for (let i = 0; i <= ranges.length; i += 2) {
    const last = i === ranges.length;
    const nextStart = last ? prevEnd : (ranges[i] ?? 0);
    // The gap before this word: blanks and escaped blanks only, or it is left alone.
    const pieces = last ? trailingEscapedBlanks(text, prevEnd) : gapWords(text, prevEnd, nextStart);
    for (let k = 0; pieces !== undefined && k < pieces.length; k += 2) {
      const ps = pieces[k] ?? 0;
      const pe = pieces[k + 1] ?? 0;
      if (out.length > 0 && out[out.length - 1] === ps && ps !== floor) out[out.length - 1] = pe;
      else out.push(ps, pe);
    }
    if (last) break;
    const end = ranges[i + 1] ?? 0;
    if (out.length > 0 && out[out.length - 1] === nextStart && nextStart !== floor) out[out.length - 1] = end;
    else out.push(nextStart, end);
    prevEnd = end;
  }
  return out;
}

/** Words made of escaped blanks in text[from, to), as start, end pairs; undefined if the gap holds anything else. */
function gapWords(text: string, from: number, to: number): number[] | undefined {
  if (from >= to) return [];
  const out: number[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "\\" && text[i + 1] === "\n") {
      i += 2; // a line continuation separates words
    } else if (c === "\\" && (text[i + 1] === " " || text[i + 1] === "\t") && i + 2 <= to) {
      if (out.length > 0 && out[out.length - 1] === i) out[out.length - 1] = i + 2;
      else out.push(i, i + 2);
      i += 2;
    } else {
      return undefined;
    }
  }
  return out;
}

/** Escaped blanks right after the last argument (`a\\ `), which tree-sitter-bash leaves out of it. */
function trailingEscapedBlanks(text: string, from: number): number[] {
  let end = from;
  while (text[end] === "\\" && (text[end + 1] === " " || text[end + 1] === "\t") && !isEscaped(text, end)) end += 2;
  return end > from ? [from, end] : [];
}

/** Whether the character at i is escaped by an odd number of backslashes before it. */
function isEscaped(text: string, i: number): boolean {
  let n = 0;
  while (i - 1 - n >= 0 && text[i - 1 - n] === "\\") n++;
  return n % 2 === 1;
}

function isPipeTail(node: CstNode): boolean {
  const first = node.firstChild;
  return first !== null && (first.type === "|" || first.type === "|&");
}

/**
 * A pipeline's stages, and what follows it in its list. tree-sitter-bash mis-nests three or more stages followed
 * by `&&`/`||`: `a | b | c && d` comes out as `a | (b | c && d)`. bash reads it as `(a | b | c) && d`, so a list
 * in the last stage is unrolled here: its leading pipeline's stages join this one, its other items follow it.
 */
function pipelineParts(node: CstNode): PipelineParts {
  const parts: PipelineParts = { stages: [], operators: [], rest: [], others: [] };
  const tails: FlatList[] = [];
  let current: CstNode | undefined = node;
  while (current !== undefined) {
    const pipe: CstNode = current;
    current = undefined;
    for (const child of pipe.children) {
      if (child.type === "|" || child.type === "|&") parts.operators.push(child.type);
      else if (STATEMENTS.has(child.type)) parts.stages.push(child);
    }
    const last = parts.stages[parts.stages.length - 1];
    if (last === undefined || last.type !== "list" || parts.stages.length < 2) continue;
    parts.stages.pop();
    const chain = flattenList(last);
    tails.push(chain);
    if (chain.first.type === "pipeline") current = chain.first;
    else parts.stages.push(chain.first);
  }
  // The innermost list's items run first: `a | (b | (c | d && e) || f)` is `a | b | c | d && e || f`.
  for (let i = tails.length - 1; i >= 0; i--) {
    const chain = tails[i] as FlatList;
    parts.rest.push(...chain.rest);
    parts.others.push(...chain.others);
  }
  return parts;
}

interface PipelineParts {
  stages: CstNode[];
  operators: ("|" | "|&")[];
  /** List items after the pipeline (`&& d`), when the tree nested them inside its last stage. */
  rest: { op: ShellConnector; node: CstNode }[];
  others: CstNode[];
}

interface FlatList {
  first: CstNode;
  rest: { op: ShellConnector; node: CstNode }[];
  /** Comments and error nodes between the statements. */
  others: CstNode[];
}

/**
 * `a && b || c` as the sequence bash runs. tree-sitter-bash nests a list to the left, one level per operator, so
 * it is unrolled with a loop: a long chain must not cost a stack frame per command.
 */
function flattenList(node: CstNode): FlatList {
  const lists: CstNode[] = [];
  let first: CstNode = node;
  while (first.type === "list") {
    const left = first.children.find((c) => STATEMENTS.has(c.type));
    if (left === undefined) break;
    lists.push(first);
    first = left;
  }
  const flat: FlatList = { first, rest: [], others: [] };
  for (let i = lists.length - 1; i >= 0; i--) {
    let op: ShellConnector | undefined;
    let seenLeft = false;
    for (const child of lists[i]?.children ?? []) {
      if (child.type === "&&" || child.type === "||") op = child.type;
      else if (STATEMENTS.has(child.type) && !seenLeft) seenLeft = true;
      else if (STATEMENTS.has(child.type)) flat.rest.push({ op: op ?? "&&", node: child });
      else if (child.isNamed) flat.others.push(child);
    }
  }
  return flat;
}

/** Splits `a | b && c || d` (as tree-sitter-bash nests it) into the pipeline `a | b` and the rest `&& c`, `|| d`. */
function leadingPipeline(node: CstNode): { stages: CstNode[]; operators: ("|" | "|&")[]; rest: { op: ShellConnector; node: CstNode }[] } {
  const chain = node.type === "list" ? flattenList(node) : { first: node, rest: [], others: [] };
  const head = chain.first.type === "pipeline" ? pipelineParts(chain.first) : { stages: [chain.first], operators: [], rest: [] };
  return { stages: head.stages, operators: head.operators, rest: [...head.rest, ...chain.rest] };
}

/** Error and missing nodes, outermost only, in source order (with a stack: error nesting can be deep). */
function collectErrors(root: CstNode, x: Extractor, out: Span[]): void {
  const stack: CstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.isError || node.isMissing) {
      out.push(x.span(node));
      continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined && (child.hasError || child.isMissing)) stack.push(child);
    }
  }
}
