import type { TextFinding } from "../../core/finding.ts";
import { defineRule, type DockerfileContext } from "../../core/rule.ts";
import type { CopyInstruction, Instruction, RunInstruction, Word } from "../../dockerfile/ast.ts";
import { fileMayRunCommand, mayRunCommand, runScripts } from "../../dockerfile/query.ts";
import type { ShellCommand } from "../../shell/parse.ts";
import { commandName, commandsNamed, countFlags, flagValues, hasFlag, positionalArgs } from "../../shell/query.ts";

// Names of tar archives in the formats ADD unpacks (uncompressed, gzip, bzip2, xz, zstd). A bare `.gz` may be a
// plain compressed file, which ADD copies as it is: it counts only when tar itself extracts it.
const TAR_ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz|tar\.zst|tzst)$/i;
const COMPRESSED = /\.(gz|bz2|xz|zst)$/i;

// tar options that take a value (so `-C /opt` is not read as a member to extract).
const TAR_VALUED: readonly string[] = [
  "f", "C", "T", "X", "b", "F", "g", "H", "I", "K", "L", "N", "V", "file", "directory", "files-from", "exclude-from",
  "blocking-factor", "format", "info-script", "new-volume-script", "listed-incremental", "use-compress-program",
  "starting-file", "tape-length", "newer", "after-date", "label", "owner", "group", "mode", "mtime", "exclude",
  "strip-components", "transform", "xform", "to-command", "record-size",
];
// Extraction that ADD cannot reproduce: dropping path components, filtering, renaming, writing elsewhere.
const TAR_BEYOND_ADD: readonly string[] = [
  "strip-components", "strip", "exclude", "exclude-from", "X", "transform", "xform", "O", "to-stdout", "to-command",
  "T", "files-from", "wildcards",
];
const DECOMPRESSORS: readonly string[] = ["gunzip", "zcat", "gzcat", "bunzip2", "bzcat", "unxz", "xzcat", "unzstd", "zstdcat"];
const COMPRESSORS: readonly string[] = ["gzip", "pigz", "bzip2", "xz", "zstd"];

interface CopiedArchive {
  /** The base name tar or a decompressor would be given. */
  name: string;
  /** The word naming it in the COPY. */
  word: Word;
  /** Copied by an ONBUILD COPY: only an ONBUILD RUN after it sees the file. */
  onbuild: boolean;
}

const ARCHIVE_TOOLS: readonly string[] = ["tar", ...DECOMPRESSORS, ...COMPRESSORS];

export const rule = defineRule({
  id: "DL3010",
  aliases: ["hadolint:DL3010"],
  severity: "info",
  source: "hadolint",
  summary: "Use ADD for extracting archives into an image",
  url: "https://github.com/hadolint/hadolint/wiki/DL3010",
  docs: `
\`COPY app.tar.gz /tmp/\` followed by \`RUN tar -xzf /tmp/app.tar.gz\` stores the archive in one layer and its
contents in the next: the image carries both, even when the RUN deletes the archive. \`ADD app.tar.gz /opt/\`
unpacks a local tar archive (plain, gzip, bzip2, xz or zstd) in one step and keeps only the contents.

Reported: a local archive COPYed in a stage (not \`COPY --from\`) that a later RUN of the same stage unpacks
with \`tar -x\` (also \`tar xzf\`), or with a decompressor (\`gunzip\`, \`zcat\`, \`xz -d\`, ...) in a RUN that
also runs \`tar -x\`. Names are compared by base name after ARG/ENV expansion.

Not reported, because ADD cannot do the same: zip files and other formats ADD does not unpack (hadolint reports
\`.lzma\`, \`.Z\` and plain \`.gz\` files too), and tar runs that extract only some members or use
\`--strip-components\`, \`--exclude\`, \`--transform\` or \`-O\`.

\`\`\`dockerfile fires
FROM debian:12
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
\`\`\`

\`\`\`dockerfile silent
FROM debian:12
ADD app.tar.gz /opt/
\`\`\`
`,
  check(ctx) {
    const out: TextFinding[] = [];
    // Only a RUN that runs one of these unpacks anything.
    if (!fileMayRunCommand(ctx.model, ARCHIVE_TOOLS)) return out;
    for (const stage of ctx.stages.stages) {
      const copied: CopiedArchive[] = [];
      const reported = new Set<CopiedArchive>();
      for (const outer of stage.instructions) {
        const inst: Instruction | undefined = outer.kind === "onbuild" ? outer.inner : outer;
        const onbuild = outer.kind === "onbuild";
        if (inst?.kind === "copy") copied.push(...copiedArchives(ctx, inst, onbuild));
        if (inst?.kind !== "run") continue;
        const extracted = extractedNames(inst);
        if (extracted.size === 0) continue;
        for (const archive of copied) {
          if (reported.has(archive) || (archive.onbuild && !onbuild) || !extracted.has(archive.name)) continue;
          reported.add(archive);
          out.push(ctx.finding(archive.word.span, `Use ADD for extracting archives into an image: "${archive.name}" is copied here and unpacked by the RUN on line ${inst.span.start.line}, so the image keeps the archive as well as its contents`));
        }
      }
    }
    return out;
  },
});

function copiedArchives(ctx: DockerfileContext, copy: CopyInstruction, onbuild: boolean): CopiedArchive[] {
  if (copy.flags.some((f) => f.name === "from") || copy.destination === undefined) return [];
  const dest = ctx.stages.expand(copy, copy.destination.value).value;
  // `COPY x.tgz /tmp/app.tgz` renames: the RUN sees the destination's name.
  if (!dest.endsWith("/") && TAR_ARCHIVE.test(dest)) return [{ name: baseName(dest), word: copy.destination, onbuild }];
  const out: CopiedArchive[] = [];
  for (const src of copy.sources) {
    if (src.value.startsWith("<<")) continue;
    const name = baseName(ctx.stages.expand(copy, src.value).value);
    if (TAR_ARCHIVE.test(name) || COMPRESSED.test(name)) out.push({ name, word: src, onbuild });
  }
  return out;
}

/** Base names of archives a RUN unpacks the way ADD would. */
function extractedNames(run: RunInstruction): Set<string> {
  const names = new Set<string>();
  if (!mayRunCommand(run, ARCHIVE_TOOLS)) return names;
  for (const script of runScripts(run)) {
    let tarExtracts = false;
    const decompressed: string[] = [];
    for (const cmd of commandsNamed(script, ARCHIVE_TOOLS)) {
      const name = commandName(cmd) ?? "";
      if (name === "tar") {
        const extraction = tarExtraction(cmd);
        if (extraction === undefined) continue;
        tarExtracts = true;
        for (const archive of extraction) names.add(archive);
      } else if (DECOMPRESSORS.includes(name) || hasFlag(cmd, ["d", "decompress", "uncompress"])) {
        for (const arg of positionalArgs(cmd)) if (arg.value !== undefined) decompressed.push(baseName(arg.value));
      }
    }
    // A decompressor only unpacks half-way; with a tar extraction in the same RUN the archive is unpacked in full.
    if (tarExtracts) for (const name of decompressed) if (TAR_ARCHIVE.test(name)) names.add(name);
  }
  return names;
}

/**
 * For a `tar` that extracts a whole archive as ADD would: the base names of the archives it reads (empty when it
 * reads stdin). undefined when it does not extract, extracts only some members, or filters or renames entries.
 */
function tarExtraction(cmd: ShellCommand): string[] | undefined {
  const options = { flagsWithValue: TAR_VALUED };
  const archives: string[] = [];
  let rest = cmd;
  const first = cmd.args[0]?.value;
  if (first !== undefined && /^[A-Za-z]+$/.test(first)) {
    // Old-style `tar xzf a.tgz`: the first word bundles the options; its valued letters take the next words in turn.
    if (!first.includes("x")) return undefined;
    let next = 1;
    for (const letter of first) {
      if (TAR_BEYOND_ADD.includes(letter)) return undefined;
      if (!TAR_VALUED.includes(letter)) continue;
      const value = cmd.args[next++]?.value;
      if (letter === "f" && value !== undefined && value !== "-") archives.push(baseName(value));
    }
    rest = { ...cmd, args: cmd.args.slice(next) };
  } else if (countFlags(cmd, ["x", "extract", "get"], options) === 0) {
    return undefined;
  }
  // Members to extract, or options that filter or rename: ADD cannot do that.
  if (hasFlag(rest, TAR_BEYOND_ADD, options) || positionalArgs(rest, options).length > 0) return undefined;
  for (const value of flagValues(rest, ["f", "file"], options)) if (value !== undefined && value !== "-") archives.push(baseName(value));
  return archives;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}
