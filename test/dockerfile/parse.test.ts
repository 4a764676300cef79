import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DrydockError } from "../../src/core/errors.ts";
import type { Span } from "../../src/core/finding.ts";
import type { Instruction } from "../../src/dockerfile/ast.ts";
import { dumpDockerfile } from "../../src/dockerfile/dump.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";

const parse = (text: string) => parseDockerfile(text, { file: "Dockerfile" });
const dump = (text: string) => dumpDockerfile(parse(text));
const first = (text: string, index = 0): Instruction => {
  const inst = parse(text).instructions[index];
  assert.ok(inst !== undefined);
  return inst;
};
/** "line:col-line:col" of a span, for compact assertions. */
const at = (s: Span): string => `${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}`;
/** The source text a span covers. */
const textAt = (text: string, s: Span): string => text.slice(s.start.offset, s.end.offset);

function syntaxError(text: string, line: number, pattern: RegExp, code = "DOCKERFILE_SYNTAX"): void {
  assert.throws(() => parse(text), (e: unknown) => {
    assert.ok(e instanceof DrydockError, String(e));
    assert.equal(e.code, code);
    assert.ok(e.location?.kind === "text");
    assert.equal(e.location.file, "Dockerfile");
    assert.equal(e.location.start.line, line, `line of: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("parser: every instruction", () => {
  const cases: [string, string][] = [
    ["FROM --platform=linux/amd64 debian:12 AS base", '(from ["--platform=linux/amd64"] "debian:12" "AS" "base")'],
    ["RUN echo hi", '(run "echo hi")'],
    ['RUN ["echo", "hi"]', '(run "echo" "hi")'],
    ["CMD echo hi", '(cmd "echo hi")'],
    ['ENTRYPOINT ["/bin/app"]', '(entrypoint "/bin/app")'],
    ['SHELL ["/bin/bash", "-eo", "pipefail", "-c"]', '(shell "/bin/bash" "-eo" "pipefail" "-c")'],
    ["COPY --chown=1:1 --chmod=644 --link a b /dst/", '(copy ["--chown=1:1" "--chmod=644" "--link"] "a" "b" "/dst/")'],
    ["ADD --checksum=sha256:abc https://x/y.tgz /y", '(add ["--checksum=sha256:abc"] "https://x/y.tgz" "/y")'],
    ["ADD --keep-git-dir=true https://github.com/a/b.git /src", '(add ["--keep-git-dir=true"] "https://github.com/a/b.git" "/src")'],
    ["COPY --parents --exclude=*.md ./docs/ /out/", '(copy ["--parents" "--exclude=*.md"] "./docs/" "/out/")'],
    ["ENV A=1 B=2", '(env "A" "1" "=" "B" "2" "=")'],
    ["ENV A 1 2", '(env "A" "1 2" "")'],
    ['LABEL a="b c" d=e', '(label "a" "\\"b c\\"" "=" "d" "e" "=")'],
    ["ARG A B=2", '(arg "A" "B=2")'],
    ["EXPOSE 80/tcp 53/udp", '(expose "80/tcp" "53/udp")'],
    ['VOLUME ["/a", "/b"]', '(volume "/a" "/b")'],
    ["VOLUME /a /b", '(volume "/a" "/b")'],
    ["USER app:app", '(user "app:app")'],
    ["WORKDIR /srv/app dir", '(workdir "/srv/app dir")'],
    ["STOPSIGNAL SIGTERM", '(stopsignal "SIGTERM")'],
    ["MAINTAINER someone", '(maintainer "someone")'],
    ["HEALTHCHECK NONE", '(healthcheck "NONE")'],
    ['HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://x"]', '(healthcheck ["--interval=5s"] "CMD" "curl" "-f" "http://x")'],
    ["ONBUILD COPY . /app", '(onbuild (copy "." "/app"))'],
    ["ONBUILD", "(onbuild)"],
    ["FROBNICATE a b", '(frobnicate "")'],
    ["run --network=none --security=insecure make", '(run ["--network=none" "--security=insecure"] "make")'],
    ["RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci", '(run ["--mount=type=secret,id=npmrc,target=/root/.npmrc"] "npm ci")'],
    ["COPY --from=build --unknown-flag=x /a /b", '(copy ["--from=build" "--unknown-flag=x"] "/a" "/b")'],
    ['RUN --mount="type=cache,target=/x y" make', '(run ["--mount=type=cache,target=/x y"] "make")'],
  ];
  for (const [src, expected] of cases) {
    test(src, () => assert.equal(dump(src), expected));
  }

  test("typed fields: FROM", () => {
    const inst = first("FROM --platform=$BUILDPLATFORM golang:1.22 as build\n");
    assert.equal(inst.kind, "from");
    if (inst.kind !== "from") return;
    assert.equal(inst.image?.value, "golang:1.22");
    assert.equal(inst.asKeyword?.value, "as");
    assert.equal(inst.stageName?.value, "build");
    assert.equal(inst.flags[0]?.name, "platform");
    assert.equal(inst.flags[0]?.value, "$BUILDPLATFORM");
  });

  test("typed fields: COPY sources and destination", () => {
    const inst = first("FROM x\nCOPY a b /c/\n", 1);
    assert.ok(inst.kind === "copy");
    assert.deepEqual(inst.sources.map((w) => w.value), ["a", "b"]);
    assert.equal(inst.destination?.value, "/c/");
  });

  test("typed fields: ENV pairs, legacy and key=value", () => {
    const a = first("ENV A 1 2\n");
    const b = first('ENV A=1 B="x y"\n');
    assert.ok(a.kind === "env" && b.kind === "env");
    assert.deepEqual(a.pairs.map((p) => [p.key.value, p.value.value, p.legacy]), [["A", "1 2", true]]);
    assert.deepEqual(b.pairs.map((p) => [p.key.value, p.value.value, p.legacy]), [["A", "1", false], ["B", '"x y"', false]]);
  });

  test("typed fields: ARG declarations", () => {
    const inst = first('ARG A B=2 C="x y"\n');
    assert.ok(inst.kind === "arg");
    assert.deepEqual(inst.declarations.map((d) => [d.name.value, d.value?.value]), [["A", undefined], ["B", "2"], ["C", '"x y"']]);
  });

  test("typed fields: RUN shell and exec form", () => {
    const shell = first("RUN make all\n");
    const exec = first('RUN ["make", "all"]\n');
    assert.ok(shell.kind === "run" && exec.kind === "run");
    assert.equal(shell.command?.form, "shell");
    assert.equal(exec.command?.form, "exec");
    assert.equal(exec.json, true);
  });

  test("typed fields: HEALTHCHECK type and command", () => {
    const inst = first("HEALTHCHECK --retries=3 CMD curl -f http://localhost/\n");
    assert.ok(inst.kind === "healthcheck");
    assert.equal(inst.type?.value, "CMD");
    assert.equal(inst.command?.form, "shell");
  });

  test("ONBUILD wraps a typed inner instruction that knows its parent", () => {
    const inst = first("ONBUILD RUN apt-get update\n");
    assert.ok(inst.kind === "onbuild" && inst.inner?.kind === "run");
    assert.equal(inst.inner.parent, inst);
    assert.equal(at(inst.inner.keywordSpan), "1:9-1:12");
  });
});

describe("parser: source spans", () => {
  test("keyword, flags and arguments", () => {
    const text = "FROM debian:12\nCOPY --from=build --chmod=755 /out/app /usr/local/bin/app\n";
    const inst = first(text, 1);
    assert.equal(at(inst.keywordSpan), "2:1-2:5");
    assert.deepEqual(inst.flags.map((f) => textAt(text, f.span)), ["--from=build", "--chmod=755"]);
    assert.deepEqual(inst.flags.map((f) => f.valueSpan && textAt(text, f.valueSpan)), ["build", "755"]);
    assert.deepEqual(inst.args.map((a) => at(a.span)), ["2:31-2:39", "2:40-2:58"]);
  });

  test("arguments across line continuations map to their own lines", () => {
    const text = "RUN apt-get update \\\n  && apt-get install -y \\\n     curl\n";
    const inst = first(text);
    assert.ok(inst.kind === "run" && inst.command?.form === "shell");
    const script = inst.command.script;
    const curl = script.text.indexOf("curl");
    assert.equal(at(script.span(curl, curl + 4)), "3:6-3:10");
    assert.equal(at(inst.span), "1:1-3:10");
    assert.equal(inst.endLine, 3);
  });

  test("comment lines inside a continuation are skipped and kept as comments", () => {
    const text = "RUN a \\\n# note\n  b\n";
    const model = parse(text);
    assert.equal(dumpDockerfile(model), '(run "a   b")');
    assert.deepEqual(model.comments.map((c) => [c.text, c.span.start.line]), [["note", 2]]);
  });

  test("JSON array elements", () => {
    const text = 'CMD [ "a b", "c\\"d" ]\n';
    const inst = first(text);
    assert.deepEqual(inst.args.map((a) => textAt(text, a.span)), ['"a b"', '"c\\"d"']);
    assert.deepEqual(inst.args.map((a) => a.value), ["a b", 'c"d']);
  });

  test("ENV keys and values", () => {
    const text = 'ENV A=1 \\\n    B="x y"\n';
    const inst = first(text);
    assert.ok(inst.kind === "env");
    assert.deepEqual(inst.pairs.map((p) => [textAt(text, p.key.span), textAt(text, p.value.span)]), [["A", "1"], ["B", '"x y"']]);
  });

  test("non-ASCII text before a word counts UTF-16 columns", () => {
    const text = "LABEL ☃=snow x=y\n";
    const inst = first(text);
    assert.ok(inst.kind === "label");
    assert.equal(at(inst.pairs[1]!.key.span), "1:14-1:15");
  });

  test("CRLF line endings", () => {
    const text = "FROM a\r\nRUN b \\\r\n  c\r\n";
    assert.equal(dump(text), '(from "a")\n(run "b   c")');
    assert.equal(at(first(text, 1).span), "2:1-3:4");
  });

  test("a byte-order mark is dropped", () => {
    assert.equal(dump("\uFEFFFROM a\n"), '(from "a")');
  });
});

describe("parser: directives", () => {
  test("syntax, escape and check are read from the top", () => {
    const model = parse("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=true\n# escape=`\nFROM a\nRUN b `\n  c\n");
    assert.deepEqual(model.directives.map((d) => [d.name, d.value]), [
      ["syntax", "docker/dockerfile:1"], ["check", "skip=JSONArgsRecommended;error=true"], ["escape", "`"],
    ]);
    assert.equal(model.escapeToken, "`");
    assert.equal(dumpDockerfile(model), '(from "a")\n(run "b   c")');
  });

  test("a directive after an instruction is a comment", () => {
    const model = parse("FROM a\n# escape=`\n");
    assert.deepEqual(model.directives, []);
    assert.equal(model.escapeToken, "\\");
  });

  test("a blank line ends the directives", () => {
    assert.deepEqual(parse("\n# escape=`\nFROM a\n").directives, []);
  });

  test("directive names are case-insensitive", () => {
    assert.equal(parse("# ESCAPE=`\nFROM a\n").escapeToken, "`");
  });

  test("a repeated directive is an error", () => syntaxError("# escape=\\\n# escape=`\nFROM a\n", 2, /only one escape parser directive/));
  test("an invalid escape token is an error", () => syntaxError("# escape=x\nFROM a\n", 1, /invalid escape token 'x'/));
});

describe("parser: continuations", () => {
  const cases: [string, string, string][] = [
    ["backslash", "RUN a \\\n b\n", '(run "a  b")'],
    ["trailing spaces after the backslash", "RUN a \\  \n b\n", '(run "a  b")'],
    ["escaped backslash does not continue", "ENV A b\\\\\nENV C d\n", '(env "A" "b\\\\\\\\" "")\n(env "C" "d" "")'],
    ["empty lines inside", "RUN a \\\n\n\n b\n", '(run "a  b")'],
    ["continuation at end of file", "RUN a \\", '(run "a")'],
    ["backtick escape", "# escape=`\nRUN a `\n b\n", '(run "a  b")'],
    ["backslash is literal with a backtick escape", "# escape=`\nRUN dir C:\\\n", '(run "dir C:\\\\")'],
    ["a lone escape line", "RUN a\\\n\\\nb\n", '(run "ab")'],
  ];
  for (const [name, src, expected] of cases) test(name, () => assert.equal(dump(src), expected));

  test("empty continuation lines are reported as a warning", () => {
    const model = parse("FROM a\nRUN a \\\n\n b\n");
    assert.deepEqual(model.warnings.map((w) => [w.code, w.span.start.line]), [["EMPTY_CONTINUATION", 3]]);
  });

  test("deeply nested continuations parse without recursion", () => {
    const text = `RUN a ${"\\\n b ".repeat(50_000)}\n`;
    const inst = first(text);
    assert.equal(inst.endLine, 50_001);
  });
});

describe("parser: heredocs", () => {
  test("RUN <<EOF keeps the body and its span", () => {
    const text = "FROM a\nRUN <<EOF\necho 1\necho 2\nEOF\nRUN after\n";
    const model = parse(text);
    const run = model.instructions[1];
    assert.ok(run?.kind === "run");
    assert.equal(run.heredocs.length, 1);
    const h = run.heredocs[0]!;
    assert.deepEqual([h.name, h.expand, h.chomp, h.fileDescriptor, h.content], ["EOF", true, false, 0, "echo 1\necho 2\n"]);
    assert.equal(at(h.span), "3:1-5:4");
    assert.equal(textAt(text, h.body.span(0, h.body.text.length)), "echo 1\necho 2\n");
    assert.equal(run.endLine, 5);
    assert.equal(model.instructions[2]?.span.start.line, 6);
  });

  test("<<- strips leading tabs from the delimiter line", () => {
    const inst = first("RUN <<-EOT\n\techo hi\n\tEOT\n");
    assert.equal(inst.heredocs[0]?.chomp, true);
    assert.equal(inst.heredocs[0]?.content, "\techo hi\n");
  });

  test("quoted delimiters turn expansion off", () => {
    for (const opener of ["<<'EOF'", '<<"EOF"', "<<E'O'F"]) {
      const h = first(`RUN cat ${opener}\n$HOME\nEOF\n`).heredocs[0];
      assert.equal(h?.name, "EOF", opener);
      assert.equal(h?.expand, false, opener);
    }
  });

  test("several heredocs on one line, with file descriptors", () => {
    const inst = first("RUN cat <<A 3<<B\na\nA\nb\nB\n");
    assert.deepEqual(inst.heredocs.map((h) => [h.name, h.fileDescriptor, h.content]), [["A", 0, "a\n"], ["B", 3, "b\n"]]);
  });

  test("COPY heredoc", () => {
    const inst = first("COPY <<EOF /etc/motd\nhello\nEOF\n");
    assert.equal(inst.heredocs[0]?.content, "hello\n");
    assert.equal(dumpDockerfile(parse("COPY <<EOF /etc/motd\nhello\nEOF\n")), '(copy "<<EOF" "/etc/motd")');
  });

  test("ONBUILD RUN heredoc attaches to both", () => {
    const inst = first("ONBUILD RUN <<EOF\nx\nEOF\n");
    assert.ok(inst.kind === "onbuild");
    assert.equal(inst.heredocs.length, 1);
    assert.equal(inst.inner?.heredocs.length, 1);
  });

  test("the shell script of RUN includes heredoc bodies", () => {
    const inst = first("RUN cat <<EOF > /x\nhello\nEOF\n");
    assert.ok(inst.kind === "run" && inst.command?.form === "shell");
    assert.equal(inst.command.script.text, "cat <<EOF > /x\nhello\nEOF");
  });

  test("no heredoc in exec form or in other instructions", () => {
    assert.equal(first('RUN ["cat", "<<EOF"]\n').heredocs.length, 0);
    assert.equal(parse("ENV A=<<EOF\nFROM b\n").instructions.length, 2);
  });

  test("unterminated heredoc is an error naming the opening line", () => {
    syntaxError("FROM a\nRUN <<EOF\necho hi\n", 2, /unterminated heredoc.*line 2/);
  });
});

describe("parser: JSON (exec) form", () => {
  test("invalid JSON falls back to shell form, as BuildKit does, with a warning", () => {
    const model = parse('CMD ["echo", "unterminated]\n');
    assert.equal(dumpDockerfile(model), '(cmd "[\\"echo\\", \\"unterminated]")');
    assert.deepEqual(model.warnings.map((w) => w.code), ["INVALID_JSON"]);
  });

  test("a shell test command is not mistaken for broken JSON", () => {
    const model = parse('RUN [ "$(uname -m)" = "x86_64" ] && echo yes\n');
    assert.deepEqual(model.warnings, []);
  });

  test("a JSON array of non-strings is an error", () => syntaxError("FROM a\nCMD [1, 2]\n", 2, /arrays must be comprised of strings only/));
  test("nested arrays are an error", () => syntaxError('CMD ["a", ["b"]]\n', 1, /strings only/));
});

describe("parser: malformed input", () => {
  test("empty file", () => syntaxError("", 1, /no instructions/, "DOCKERFILE_EMPTY"));
  test("only comments", () => syntaxError("# a\n# b\n", 3, /no instructions/, "DOCKERFILE_EMPTY"));
  test("ENV without a value", () => syntaxError("FROM a\nENV PATH\n", 2, /ENV must have two arguments/));
  test("ENV pair without '='", () => syntaxError("FROM a\nENV A=1 B\n", 2, /can't find = in "B"/));
  test("binary data", () => syntaxError("FROM a\n\0\x01\x02", 2, /binary/, "INPUT_BINARY"));
  test("a 10 MB single line", () => syntaxError(`FROM a\nRUN ${"x".repeat(10 * 1024 * 1024)}\n`, 2, /longer than 65535 bytes/, "INPUT_TOO_LARGE"));
  test("a line just under BuildKit's limit parses", () => {
    assert.equal(first(`RUN ${"x".repeat(65000)}\n`).kind, "run");
  });
});
