// The Dockerfile model: what the parser produces and every Dockerfile rule reads.
// Values are those BuildKit's parser produces (so `drydock parse --dump` matches BuildKit byte for byte);
// every piece also carries its exact source span.
import type { Span } from "../core/finding.ts";
import type { LineIndex, MappedText } from "../core/text.ts";

export type EscapeToken = "\\" | "`";

export type DirectiveName = "syntax" | "escape" | "check";

/** A parser directive at the top of the file: `# syntax=...`, `# escape=...`, `# check=...`. */
export interface Directive {
  name: DirectiveName;
  value: string;
  span: Span;
}

/** A comment line anywhere in the file (also inside continuations). text is after '#', trimmed. */
export interface Comment {
  text: string;
  span: Span;
}

/** A word of an instruction, with its value as BuildKit gives it (quotes kept where BuildKit keeps them). */
export interface Word {
  value: string;
  span: Span;
}

/** A `--name[=value]` flag before an instruction's arguments. */
export interface Flag {
  /** Without the leading dashes: "mount", "from", "platform". */
  name: string;
  /** After '=', quotes removed as BuildKit does; undefined for a bare `--link`. */
  value: string | undefined;
  /** The flag as BuildKit records it: "--mount=type=cache,target=/root/.cache". */
  raw: string;
  span: Span;
  /** Span of the value (after '='); undefined for a bare flag. */
  valueSpan: Span | undefined;
}

export interface Heredoc {
  /** The delimiter word, quotes removed. */
  name: string;
  /** 0 when none was written (`<<EOF`), else the descriptor (`3<<EOF`). */
  fileDescriptor: number;
  /** false when the delimiter was quoted: the body is not expanded. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from body lines. */
  chomp: boolean;
  /** The body as BuildKit keeps it: the lines between the opener and the delimiter, newlines kept. */
  content: string;
  /** The body in the source (contiguous), for rules that analyse it. */
  body: MappedText;
  /** From the first body line to the end of the delimiter line. */
  span: Span;
}

/** How a command is written: exec (JSON array) form or shell form. */
export type CommandForm =
  | { form: "exec"; args: Word[]; span: Span }
  | { form: "shell"; script: MappedText; span: Span };

export type InstructionKind =
  | "add" | "arg" | "cmd" | "copy" | "entrypoint" | "env" | "expose" | "from" | "healthcheck" | "label"
  | "maintainer" | "onbuild" | "run" | "shell" | "stopsignal" | "user" | "volume" | "workdir" | "unknown";

interface InstructionBase {
  /** The instruction name upper-cased ("RUN"); for an unknown one, as written upper-cased. */
  keyword: string;
  /** The instruction name as written ("run", "Run"). */
  keywordText: string;
  keywordSpan: Span;
  /** From the keyword to the end of the last continuation line; heredoc bodies are not included. */
  span: Span;
  /** Last source line of the instruction including heredoc bodies (BuildKit's EndLine). */
  endLine: number;
  /** The logical line after joining continuations and dropping comment lines (BuildKit's Original). */
  original: string;
  /** original, mapped to the source. */
  line: MappedText;
  flags: Flag[];
  /** Everything after the flags, trimmed (what BuildKit's line parsers receive). */
  rest: MappedText;
  /** The arguments as BuildKit lists them (what `parse --dump` prints after the flags). */
  args: Word[];
  /** True when the arguments were written as a JSON array. */
  json: boolean;
  heredocs: Heredoc[];
  /** Comment lines directly above the instruction (BuildKit's PrevComment). */
  comments: string[];
  /** The ONBUILD instruction this one is wrapped in, if any. */
  parent?: OnbuildInstruction;
}

export interface FromInstruction extends InstructionBase {
  kind: "from";
  image: Word | undefined;
  /** The `AS` word, when there is a stage name. */
  asKeyword: Word | undefined;
  stageName: Word | undefined;
}

export interface RunInstruction extends InstructionBase {
  kind: "run";
  command: CommandForm | undefined;
}

export interface CmdInstruction extends InstructionBase {
  kind: "cmd" | "entrypoint" | "shell";
  command: CommandForm | undefined;
}

export interface HealthcheckInstruction extends InstructionBase {
  kind: "healthcheck";
  /** "CMD" or "NONE" as written (any case); undefined when HEALTHCHECK has no arguments. */
  type: Word | undefined;
  command: CommandForm | undefined;
}

export interface CopyInstruction extends InstructionBase {
  kind: "copy" | "add";
  sources: Word[];
  destination: Word | undefined;
}

export interface KeyValue {
  key: Word;
  value: Word;
  /** The legacy `ENV key value` form (no '='). */
  legacy: boolean;
}

export interface EnvInstruction extends InstructionBase {
  kind: "env" | "label";
  pairs: KeyValue[];
}

export interface ArgDeclaration {
  name: Word;
  /** Default value as written (quotes kept), undefined when there is no '='. */
  value: Word | undefined;
}

export interface ArgInstruction extends InstructionBase {
  kind: "arg";
  declarations: ArgDeclaration[];
}

export interface ListInstruction extends InstructionBase {
  kind: "expose" | "volume";
  items: Word[];
}

export interface StringInstruction extends InstructionBase {
  kind: "user" | "workdir" | "stopsignal" | "maintainer";
  value: Word | undefined;
}

export interface OnbuildInstruction extends InstructionBase {
  kind: "onbuild";
  inner: Instruction | undefined;
}

export interface UnknownInstruction extends InstructionBase {
  kind: "unknown";
}

export type Instruction =
  | FromInstruction | RunInstruction | CmdInstruction | HealthcheckInstruction | CopyInstruction | EnvInstruction
  | ArgInstruction | ListInstruction | StringInstruction | OnbuildInstruction | UnknownInstruction;

export interface ParseWarning {
  code: "EMPTY_CONTINUATION" | "INVALID_JSON";
  message: string;
  span: Span;
}

export interface Dockerfile {
  file: string;
  source: LineIndex;
  escapeToken: EscapeToken;
  directives: Directive[];
  comments: Comment[];
  instructions: Instruction[];
  warnings: ParseWarning[];
}
