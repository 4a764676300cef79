import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import fc from "fast-check";
import { DrydockError, type ErrorCode } from "../../src/core/errors.ts";
import {
  envFromRecord,
  expandWord,
  expandWords,
  ExpansionError,
  type ExpandOptions,
  type VariableReference,
} from "../../src/dockerfile/expand.ts";

const ENV: Record<string, string> = {
  A: "alpha",
  B: "beta",
  EMPTY: "",
  SPACED: "  one  two ",
  PATHV: "/usr/local/bin/tool.tar.gz",
  NL: "line1\nline2",
  STAR: "*",
  HASHV: "#x",
  KOREAN: "한국어",
  EMOJI: "😀x😀",
};
const env = envFromRecord(ENV);
const BACKSLASH: ExpandOptions = { escapeToken: "\\" };
const BACKTICK: ExpandOptions = { escapeToken: "`" };

/** bash: "same" = /bin/bash gives the same value (or also fails); otherwise why BuildKit deliberately differs. */
interface Case {
  word: string;
  value?: string;
  error?: ErrorCode;
  options?: ExpandOptions;
  bash?: "same" | { differs: string };
  refs?: [name: string, set: boolean, start: number, end: number][];
}

const CASES: Case[] = [
  // $NAME and ${NAME}
  { word: "hello", value: "hello", bash: "same" },
  { word: "$A", value: "alpha", bash: "same", refs: [["A", true, 0, 2]] },
  { word: "${A}", value: "alpha", bash: "same", refs: [["A", true, 0, 4]] },
  { word: "pre${A}post", value: "prealphapost", bash: "same", refs: [["A", true, 3, 7]] },
  { word: "$A$B", value: "alphabeta", bash: "same", refs: [["A", true, 0, 2], ["B", true, 2, 4]] },
  { word: "$A_B", value: "", bash: "same", refs: [["A_B", false, 0, 4]] },
  { word: "$A-x", value: "alpha-x", bash: "same" },
  { word: "$A.x", value: "alpha.x", bash: "same" },
  { word: "$UNSET", value: "", bash: "same", refs: [["UNSET", false, 0, 6]] },
  { word: "$KOREAN", value: "한국어", bash: "same" },
  { word: "안녕$KOREAN!", value: "안녕한국어!", bash: "same", refs: [["KOREAN", true, 2, 9]] },
  { word: "$안녕x", value: "", bash: { differs: "names may hold any Unicode letter in BuildKit, ASCII only in bash" } },
  // A $ that starts no name is literal.
  { word: "$", value: "$", bash: "same", refs: [] },
  { word: "a$", value: "a$", bash: "same" },
  { word: "$.", value: "$.", bash: "same" },
  { word: "$/x", value: "$/x", bash: "same" },
  { word: "$'x'", value: "$x", bash: { differs: "no ANSI-C $'...' quoting: $ stays, the quotes are plain quotes" } },
  { word: '$"x"', value: "$x", bash: { differs: 'no locale $"..." strings' } },
  // Positional and special parameters are names that are never set.
  { word: "$1x", value: "x", bash: "same", refs: [["1", false, 0, 2]] },
  { word: "$12", value: "", bash: { differs: "$12 is parameter 12; sh reads $1 then 2" }, refs: [["12", false, 0, 3]] },
  { word: "${12}", value: "", bash: "same" },
  { word: "$@a", value: "a", bash: "same", refs: [["@", false, 0, 2]] },
  { word: "$#", value: "", bash: { differs: "special parameters are never set ($# is 0 in bash)" } },
  { word: "${#:-none}", value: "none", bash: { differs: "special parameters are never set" } },
  { word: "${#A}", error: "DOCKERFILE_SYNTAX", bash: { differs: "no ${#VAR} length: # is the name and A an unknown modifier" } },
  // Defaults and alternatives.
  { word: "${A:-x}", value: "alpha", bash: "same" },
  { word: "${UNSET:-x}", value: "x", bash: "same", refs: [["UNSET", false, 0, 11]] },
  { word: "${EMPTY:-x}", value: "x", bash: "same" },
  { word: "${EMPTY-x}", value: "", bash: "same" },
  { word: "${UNSET-x}", value: "x", bash: "same" },
  { word: "${UNSET:-}", value: "", bash: "same" },
  { word: "${A:+x}", value: "x", bash: "same" },
  { word: "${EMPTY:+x}", value: "", bash: "same" },
  { word: "${EMPTY+x}", value: "x", bash: "same" },
  { word: "${UNSET+x}", value: "", bash: "same" },
  { word: "${UNSET:-${B}}", value: "beta", bash: "same", refs: [["UNSET", false, 0, 14], ["B", true, 9, 13]] },
  { word: "${UNSET:-${UNSET2:-deep}}", value: "deep", bash: "same" },
  { word: "${UNSET:-$A-$B}", value: "alpha-beta", bash: "same" },
  { word: "${A:+[$B]}", value: "[beta]", bash: "same" },
  // The word is expanded (and its variables looked up) even when the value wins, unlike sh.
  { word: "${A:-$UNSET2}", value: "alpha", refs: [["A", true, 0, 13], ["UNSET2", false, 5, 12]] },
  { word: "${A:-x}}", value: "alpha}", bash: "same" },
  { word: "${UNSET:-a}b}", value: "ab}", bash: "same" },
  { word: "${UNSET:-'}'}", value: "}", bash: "same" },
  { word: "${UNSET:-\\}}", value: "}", bash: "same" },
  { word: "${UNSET:-a\\$A}", value: "a$A", bash: "same" },
  { word: "${UNSET:-\\${A\\}}", value: "${A}", bash: "same" },
  // Required values.
  { word: "${A?}", value: "alpha", bash: "same" },
  { word: "${EMPTY?}", value: "", bash: "same" },
  { word: "${A:?}", value: "alpha", bash: "same" },
  { word: "${EMPTY:?}", error: "EXPANSION_FAILED", bash: "same" },
  { word: "${UNSET?}", error: "EXPANSION_FAILED", bash: "same" },
  { word: "${UNSET:?say-so}", error: "EXPANSION_FAILED", bash: "same" },
  // Syntax BuildKit does not have.
  { word: "${A:=x}", error: "DOCKERFILE_SYNTAX", bash: { differs: "no assignment operator" } },
  { word: "${A:0:2}", error: "DOCKERFILE_SYNTAX", bash: { differs: "no substrings" } },
  { word: "${A^^}", error: "DOCKERFILE_SYNTAX", bash: { differs: "no case conversion" } },
  { word: "${!A}", error: "DOCKERFILE_SYNTAX", bash: { differs: "no indirection" } },
  { word: "${A:#a}", error: "DOCKERFILE_SYNTAX" },
  { word: "${A:%a}", error: "DOCKERFILE_SYNTAX" },
  { word: "${}", error: "DOCKERFILE_SYNTAX", bash: "same" },
  { word: "${:-x}", error: "DOCKERFILE_SYNTAX", bash: "same" },
  { word: "${{A}", error: "DOCKERFILE_SYNTAX", bash: "same" },
  { word: "${.}", error: "DOCKERFILE_SYNTAX", bash: "same" },
  { word: "${A", error: "DOCKERFILE_SYNTAX" },
  { word: "${", error: "DOCKERFILE_SYNTAX" },
  { word: "x${A:-y", error: "DOCKERFILE_SYNTAX" },
  // An empty name: `+` is not a special parameter, so this is ${""+x}.
  { word: "${+x}", value: "", refs: [["", false, 0, 5]] },
  // Prefix and suffix removal.
  { word: "${PATHV#*/}", value: "usr/local/bin/tool.tar.gz", bash: "same" },
  { word: "${PATHV##*/}", value: "tool.tar.gz", bash: "same" },
  { word: "${PATHV%.*}", value: "/usr/local/bin/tool.tar", bash: "same" },
  { word: "${PATHV%%.*}", value: "/usr/local/bin/tool", bash: "same" },
  { word: "${PATHV%/*}", value: "/usr/local/bin", bash: "same" },
  { word: "${PATHV#/usr}", value: "/local/bin/tool.tar.gz", bash: "same" },
  { word: "${PATHV%.tar.gz}", value: "/usr/local/bin/tool", bash: "same" },
  { word: "${A#x}", value: "alpha", bash: "same" },
  { word: "${A#l*}", value: "alpha", bash: "same" },
  { word: "${A#?}", value: "lpha", bash: "same" },
  { word: "${A%??}", value: "alp", bash: "same" },
  { word: "${A#*}", value: "alpha", bash: "same" },
  { word: "${A##*}", value: "", bash: "same" },
  { word: "${A%}", value: "alpha", bash: "same" },
  { word: "${A%a*}", value: "alph", bash: "same" },
  { word: "${A%%a*}", value: "", bash: "same" },
  { word: "${UNSET#a}", value: "", bash: "same" },
  { word: "${STAR#\\*}", value: "", bash: "same" },
  { word: "${EMOJI#?}", value: "x😀", bash: "same" },
  { word: "${EMOJI%?}", value: "😀x", bash: "same" },
  { word: "${HASHV##}", value: "#x", bash: "same" },
  { word: "${A#\\a}", error: "DOCKERFILE_SYNTAX", bash: { differs: "only \\*, \\? and \\\\ may be escaped in a pattern" } },
  { word: "${HASHV#\\#}", error: "DOCKERFILE_SYNTAX", bash: { differs: "only \\*, \\? and \\\\ may be escaped in a pattern" } },
  { word: "${HASHV#'#'}", value: "#x", bash: { differs: "quotes are removed first, so '#' makes the operator ##" } },
  { word: "${A##'*'}", value: "", bash: { differs: "quoted pattern characters are still wildcards" } },
  { word: "${NL#*1}", value: "\nline2", bash: "same" },
  { word: "${NL#*2}", value: "line1\nline2", bash: { differs: "* and ? never match a newline (Go's regexp .)" } },
  { word: "${A%*\\}", options: BACKTICK, value: "alpha" },
  { word: "${STAR%*\\}", options: BACKTICK, value: "" },
  // Replacement.
  { word: "${A/l/L}", value: "aLpha", bash: "same", refs: [["A", true, 0, 8]] },
  { word: "${A//a/A}", value: "AlphA", bash: "same" },
  { word: "${A/a*/X}", value: "X", bash: "same" },
  { word: "${A/?/X}", value: "Xlpha", bash: "same" },
  { word: "${A//?/X}", value: "XXXXX", bash: "same" },
  { word: "${A//*/X}", value: "X", bash: "same" },
  { word: "${A/z/X}", value: "alpha", bash: "same" },
  { word: "${A/l/}", value: "apha", bash: "same" },
  { word: "${UNSET/a/b}", value: "", bash: "same" },
  { word: "${PATHV//\\//:}", value: ":usr:local:bin:tool.tar.gz", bash: "same" },
  { word: "${A/#a/X}", value: "alpha", bash: { differs: "no /# anchor: # is a literal character" } },
  { word: "${A/%a/X}", value: "alpha", bash: { differs: "no /% anchor: % is a literal character" } },
  { word: "${A/l}", error: "DOCKERFILE_SYNTAX", bash: { differs: "the second / is required" } },
  { word: "${A///X}", value: "XaXlXpXhXaX", bash: { differs: "an empty pattern matches everywhere (Go's ReplaceAll)" } },
  { word: "${NL//?/x}", value: "xxxxx\nxxxxx", bash: { differs: "? never matches a newline" } },
  // Go's ReplaceAllString expands $0 (the match) and $$ in the replacement of // only.
  { word: "${A//l/'<$0$0>'}", value: "a<ll>pha", bash: { differs: "Go's replacement template: $0 is the match" } },
  { word: "${A/l/'<$0>'}", value: "a<$0>pha" },
  { word: "${A//l/'$$'}", value: "a$pha" },
  { word: "${A//l/'$x${0}${y'}", value: "al${ypha" },
  // Quotes and escapes.
  { word: "'$A'", value: "$A", bash: "same", refs: [] },
  { word: '"$A"', value: "alpha", bash: "same", refs: [["A", true, 1, 3]] },
  { word: `"'$A'"`, value: "'alpha'", bash: "same" },
  { word: `'"$A"'`, value: '"$A"', bash: "same" },
  { word: `a"b"'c'd`, value: "abcd", bash: "same" },
  { word: '""', value: "", bash: "same" },
  { word: '"a\\"b"', value: 'a"b', bash: "same" },
  { word: '"a\\$A"', value: "a$A", bash: "same", refs: [] },
  { word: '"a\\\\b"', value: "a\\b", bash: "same" },
  { word: '"a\\b"', value: "a\\b", bash: "same" },
  { word: "'a\\b'", value: "a\\b", bash: "same" },
  { word: "a\\b", value: "ab", bash: "same" },
  { word: "a\\$A", value: "a$A", bash: "same", refs: [] },
  { word: "a\\\\", value: "a\\", bash: "same" },
  { word: "a\\", value: "a" },
  { word: "he'll'o", value: "hello", bash: "same" },
  { word: '"${UNSET:-a b}"', value: "a b", bash: "same" },
  { word: `"\${UNSET:-'q'}"`, value: "q", bash: { differs: "quotes inside ${} are removed even within double quotes" } },
  { word: '"\\`"', value: "\\`", bash: { differs: "only \", $ and the escape character can be escaped in double quotes" } },
  { word: '"a\\\nb"', value: "a\\\nb", bash: { differs: "an escaped newline is kept in double quotes" } },
  { word: "'abc", error: "DOCKERFILE_SYNTAX" },
  { word: '"abc', error: "DOCKERFILE_SYNTAX" },
  { word: '"abc\\', error: "DOCKERFILE_SYNTAX" },
  { word: "<<EOF", value: "<<EOF" },
  { word: "\uFEFFabc", value: "abc" },
  // Backtick as the escape character (Windows Dockerfiles).
  { word: "C:\\dir\\$A", options: BACKTICK, value: "C:\\dir\\alpha" },
  { word: "a`$A", options: BACKTICK, value: "a$A" },
  { word: "a``b", options: BACKTICK, value: "a`b" },
  { word: '"a`"b"', options: BACKTICK, value: 'a"b' },
  { word: "${UNSET:-x`}y}", options: BACKTICK, value: "x}y" },
  { word: "'a``b'", options: BACKTICK, value: "a``b" },
  { word: "a`", options: BACKTICK, value: "a" },
  { word: "${A#`a}", options: BACKTICK, value: "alpha" },
  { word: "${A#\\a}", options: BACKTICK, error: "DOCKERFILE_SYNTAX" },
  // skipUnset keeps the text of unset variables (BuildKit's SkipUnsetEnv).
  { word: "$UNSET", options: { escapeToken: "\\", skipUnset: true }, value: "$UNSET" },
  { word: "$1", options: { escapeToken: "\\", skipUnset: true }, value: "$1" },
  { word: "${UNSET}$A", options: { escapeToken: "\\", skipUnset: true }, value: "${UNSET}alpha" },
  { word: "${UNSET:-'x'}", options: { escapeToken: "\\", skipUnset: true }, value: "${UNSET:-x}" },
  { word: "${UNSET//a/b}", options: { escapeToken: "\\", skipUnset: true }, value: "${UNSET/a/b}" },
  { word: "${UNSET:?}", options: { escapeToken: "\\", skipUnset: true }, value: "${UNSET:?}" },
  { word: "${UNSET:=x}", options: { escapeToken: "\\", skipUnset: true }, value: "${UNSET:=x}" },
  { word: "${EMPTY:?}", options: { escapeToken: "\\", skipUnset: true }, error: "EXPANSION_FAILED" },
  // The raw modes used for heredoc delimiters and RUN --mount/COPY --chmod words.
  { word: `"$A"'$B'`, options: { escapeToken: "\\", skipProcessQuotes: true }, value: `"alpha"'beta'` },
  { word: `\\"x`, options: { escapeToken: "\\", skipProcessQuotes: true }, value: `"x` },
  { word: `"$A"'$B'`, options: { escapeToken: "\\", rawQuotes: true }, value: `"alpha"'$B'` },
  { word: "a\\$A", options: { escapeToken: "\\", rawEscapes: true }, value: "a\\$A" },
  { word: "a\\", options: { escapeToken: "\\", rawEscapes: true }, value: "a\\" },
  { word: '"a\\b"', options: { escapeToken: "\\", rawEscapes: true }, value: "a\\\\b" },
  { word: "${UNSET:-\\$}", options: { escapeToken: "\\", rawEscapes: true }, value: "$" },
];

function run(c: Case): string | { error: ErrorCode } {
  try {
    return expandWord(c.word, env, c.options ?? BACKSLASH).value;
  } catch (e) {
    assert.ok(e instanceof DrydockError, `${c.word}: threw ${String(e)}`);
    return { error: e.code };
  }
}

describe("expandWord table", () => {
  test("the table is large and has no duplicates", () => {
    assert.ok(CASES.length >= 80, `${CASES.length} cases`);
    const keys = CASES.map((c) => `${c.word}\u0000${JSON.stringify(c.options ?? BACKSLASH)}`);
    assert.equal(new Set(keys).size, keys.length);
  });
  for (const c of CASES) {
    test(`${JSON.stringify(c.word)}${c.options === undefined ? "" : ` ${JSON.stringify(c.options)}`}`, () => {
      assert.deepEqual(run(c), c.error === undefined ? c.value : { error: c.error });
      if (c.refs !== undefined) {
        const refs = expandWord(c.word, env, c.options ?? BACKSLASH).references;
        assert.deepEqual(refs.map((r) => [r.name, r.set, r.start, r.end]), c.refs);
      }
    });
  }
});

// One bash for every case; each runs in a subshell so an expansion error fails only its own case. The word is
// the right side of an assignment: no field splitting, no globbing, as ProcessWord.
function bashValues(words: readonly string[]): (string | "error")[] {
  const script = words.map((w) => `( x=${w}; printf '%s' "$x" ) 2>/dev/null; printf '\\0%s\\0' "$?"`).join("\n");
  const result = spawnSync("/bin/bash", ["--norc", "--noprofile", "-c", script], {
    env: { ...ENV, LC_ALL: "C.UTF-8" },
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  const parts = result.stdout.split("\u0000");
  return words.map((_, i) => (parts[2 * i + 1] === "0" ? (parts[2 * i] ?? "") : "error"));
}

describe("bash as the oracle for the POSIX-compatible cases", () => {
  const compared = CASES.filter((c) => c.bash !== undefined);
  const fromBash = bashValues(compared.map((c) => c.word));
  compared.forEach((c, i) => {
    const ours = run(c);
    const theirs = fromBash[i];
    const oursComparable = typeof ours === "string" ? ours : "error";
    if (c.bash === "same") {
      test(`bash agrees: ${JSON.stringify(c.word)}`, () => assert.equal(oursComparable, theirs));
    } else if (c.bash !== undefined) {
      const why = c.bash.differs;
      test(`bash differs (${why}): ${JSON.stringify(c.word)}`, () => assert.notEqual(oursComparable, theirs));
    }
  });
});

describe("expandWords", () => {
  const words = (text: string, options: ExpandOptions = BACKSLASH): string[] => expandWords(text, env, options).words;

  test("splits on unquoted whitespace, after expansion", () => {
    assert.deepEqual(words("a b\tc\n d"), ["a", "b", "c", "d"]);
    assert.deepEqual(words("a\\ b"), ["a b"]);
    assert.deepEqual(words(`"a b" 'c  d'`), ["a b", "c  d"]);
    assert.deepEqual(words("x$SPACED"), ["x", "one", "two"]);
    assert.deepEqual(words(`x"$SPACED"y`), ["x  one  two y"]);
    assert.deepEqual(words("x$A y"), ["xalpha", "y"]);
  });
  test("the value is ProcessWord's value", () => {
    const text = `a  "$SPACED" \${UNSET:-q} $B`;
    assert.equal(expandWords(text, env, BACKSLASH).value, expandWord(text, env, BACKSLASH).value);
  });
  test("empty quotes make no word", () => {
    assert.deepEqual(words(`a "" b`), ["a", "b"]);
    assert.deepEqual(words(`'' x`), ["x"]);
  });
  test("splits on Go's Unicode white space, not JavaScript's", () => {
    assert.deepEqual(words("a\u00a0b\u0085c\u2028d"), ["a", "b", "c", "d"]);
    assert.deepEqual(words("a\u200bb\ufeffc"), ["a\u200bb\ufeffc"]);
  });
  test("<< and the blanks after it stay with the heredoc delimiter", () => {
    assert.deepEqual(words("cat <<  EOF > out"), ["cat", "<<  EOF", ">", "out"]);
    assert.deepEqual(words("a<b c < d"), ["a<b", "c", "<", "d"]);
  });
  test("text before a ${name<op>word} in the same word is dropped, as BuildKit's shared buffer does", () => {
    assert.deepEqual(words("80/${P:-tcp}"), ["tcp"]);
    assert.deepEqual(words("80 ${P:-tcp}/x"), ["80", "tcp/x"]);
    assert.deepEqual(words(`a"b\${UNSET:-c}"`), ["bc"]);
    assert.deepEqual(words("80/${A}"), ["80/alpha"]);
    assert.equal(expandWords("80/${P:-tcp}", env, BACKSLASH).value, "80/tcp");
  });

  // BuildKit's heredocFromMatch: the delimiter is quoted when lexing with and without raw quotes disagrees.
  function heredocDelimiter(rest: string): { name: string; expand: boolean } | undefined {
    const plain = expandWords(rest, envFromRecord({}), { escapeToken: "\\", skipUnset: true }).words;
    const raw = expandWords(rest, envFromRecord({}), { escapeToken: "\\", skipUnset: true, rawQuotes: true }).words;
    if (plain.length !== 1 || raw.length !== 1) return undefined;
    const quotes = (s: string): number => s.replaceAll(/[^'"]/g, "").length;
    return { name: plain[0] ?? "", expand: quotes(plain[0] ?? "") === quotes(raw[0] ?? "") };
  }
  test("raw quotes tell a quoted heredoc delimiter from a plain one", () => {
    assert.deepEqual(heredocDelimiter("EOF"), { name: "EOF", expand: true });
    assert.deepEqual(heredocDelimiter(`"EOF"`), { name: "EOF", expand: false });
    assert.deepEqual(heredocDelimiter(`E'O'F`), { name: "EOF", expand: false });
    assert.deepEqual(heredocDelimiter("$EOF"), { name: "$EOF", expand: true });
    assert.equal(heredocDelimiter("A B"), undefined);
  });
  test("raw quotes and escapes keep a RUN line's words as written (heredocsFromLine)", () => {
    const options: ExpandOptions = { escapeToken: "\\", rawQuotes: true, rawEscapes: true, skipUnset: true };
    assert.deepEqual(words(`cat <<"EOF" > \\$out $x`, options), ["cat", `<<"EOF"`, ">", "\\$out", "$x"]);
  });
});

describe("errors", () => {
  function errorOf(word: string, options: ExpandOptions = BACKSLASH): ExpansionError {
    try {
      expandWord(word, env, options);
    } catch (e) {
      assert.ok(e instanceof ExpansionError);
      return e;
    }
    assert.fail(`${word} expanded`);
  }

  test("an unterminated ${ is reported at its $", () => {
    const e = errorOf("ab ${A:-x");
    assert.equal(e.code, "DOCKERFILE_SYNTAX");
    assert.equal(e.start, 3);
    assert.equal(errorOf("${A").start, 0);
    // The outermost open ${ claims any error that reaches the end of the word, as in BuildKit.
    assert.deepEqual([errorOf("x${A:-${B:-y").start, errorOf("x${A:-${B:-y").code], [1, "DOCKERFILE_SYNTAX"]);
    assert.equal(errorOf("${A:-${UNSET:?}").code, "DOCKERFILE_SYNTAX");
    assert.deepEqual([errorOf("${A:-${UNSET:?}}").code, errorOf("${A:-${UNSET:?}}").start], ["EXPANSION_FAILED", 5]);
  });
  test("unterminated quotes are reported at the opening quote", () => {
    assert.deepEqual([errorOf("ab'cd").start, errorOf("ab'cd").end], [2, 5]);
    assert.equal(errorOf(`x"y`).start, 1);
  });
  test("the ? message is the word, or says unset/empty", () => {
    assert.equal(errorOf("${UNSET:?set UNSET first}").message, "UNSET: set UNSET first");
    assert.match(errorOf("${UNSET?}").message, /UNSET: is not allowed to be unset/);
    assert.match(errorOf("${EMPTY:?}").message, /EMPTY: is not allowed to be empty/);
  });
  test("locate maps the error range to a file location", () => {
    const locate = (start: number, end: number) => ({
      kind: "text" as const, file: "Dockerfile",
      start: { line: 3, column: 5 + start, offset: 40 + start }, end: { line: 3, column: 5 + end, offset: 40 + end },
    });
    const e = errorOf("x ${", { escapeToken: "\\", locate });
    assert.deepEqual(e.location, locate(2, 4));
  });
  test("nesting beyond drydock's limit is refused with an error, not a stack overflow", () => {
    const e = errorOf("${A:-".repeat(100_000));
    assert.equal(e.code, "INPUT_TOO_LARGE");
    assert.equal(expandWord(`\${A:-${"${A:-".repeat(500)}x${"}".repeat(500)}}`, env, BACKSLASH).value, "alpha");
  });
});

describe("envFromRecord", () => {
  test("matches names exactly, or ignoring case as BuildKit on Windows", () => {
    const record = { Path: "C:\\bin" };
    assert.equal(expandWord("$PATH|$Path", envFromRecord(record), BACKTICK).value, "|C:\\bin");
    assert.equal(expandWord("$PATH|$Path", envFromRecord(record, { caseInsensitive: true }), BACKTICK).value, "C:\\bin|C:\\bin");
    assert.equal(envFromRecord({}).get("toString"), undefined);
  });
});

// ---- Properties ------------------------------------------------------------------------------------------

const OPTIONS = fc.record({
  escapeToken: fc.constantFrom<"\\" | "`">("\\", "`"),
  skipUnset: fc.boolean(),
  skipProcessQuotes: fc.boolean(),
  rawQuotes: fc.boolean(),
  rawEscapes: fc.boolean(),
});

describe("properties", () => {
  test("a word without $, quotes or the escape character is its own expansion", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom<"\\" | "`">("\\", "`"), (word, escapeToken) => {
        fc.pre(!/[$'"]/.test(word) && !word.includes(escapeToken) && !word.startsWith("\uFEFF"));
        const result = expandWord(word, env, { escapeToken });
        assert.equal(result.value, word);
        assert.deepEqual(result.references, []);
      }),
      { numRuns: 500 },
    );
  });

  const SPECIALS = ["$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "\\", "`", "'", '"', "<", "*", "a", "A", "_", "1", "@", " ", "\n", "😀", "\uFEFF", "안"];
  const hostile = fc.string({ unit: fc.constantFrom(...SPECIALS), maxLength: 30 });
  const hostileEnv = envFromRecord({ A: "a*b", _: "$0$$x", a: "", "1": "1" });

  test("random input expands or throws a DrydockError; references slice back to $NAME or ${...}", () => {
    fc.assert(
      fc.property(hostile, OPTIONS, (word, options) => {
        let refs: VariableReference[];
        try {
          const one = expandWord(word, hostileEnv, options);
          const many = expandWords(word, hostileEnv, options);
          assert.equal(many.value, one.value);
          assert.deepEqual(many.references, one.references);
          refs = one.references;
        } catch (e) {
          assert.ok(e instanceof DrydockError, `threw ${String(e)}`);
          assert.ok(e instanceof ExpansionError && e.start >= 0 && e.start <= e.end && e.end <= word.length);
          return;
        }
        for (const r of refs) {
          const text = word.slice(r.start, r.end);
          assert.ok(text === `$${r.name}` || (text.startsWith(`\${${r.name}`) && text.endsWith("}")), `${word}: ${text}`);
          assert.equal(r.set, hostileEnv.get(r.name) !== undefined);
        }
        for (let i = 1; i < refs.length; i++) assert.ok((refs[i - 1]?.start ?? 0) < (refs[i]?.start ?? 0));
      }),
      { numRuns: 3000 },
    );
  });

  // A small model of the shell-compatible subset: each generated piece knows its text, value and references.
  interface Piece { text: string; value: string; refs: [string, boolean, number, number][] }
  const modelEnv: Record<string, string> = { A: "alpha", B: "b c", EMPTY: "" };
  const NAMES = ["A", "B", "EMPTY", "UNSET", "U_2"];
  const concat = (pieces: Piece[]): Piece => {
    let text = "";
    let value = "";
    const refs: Piece["refs"] = [];
    for (const p of pieces) {
      for (const [n, s, a, b] of p.refs) refs.push([n, s, a + text.length, b + text.length]);
      text += p.text;
      value += p.value;
    }
    return { text, value, refs };
  };
  const shift = (p: Piece, by: number): Piece["refs"] => p.refs.map(([n, s, a, b]) => [n, s, a + by, b + by]);
  const { piece } = fc.letrec<{ piece: Piece; quotable: Piece; seq: Piece; quotedSeq: Piece }>((tie) => ({
    piece: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("quotable"),
      tie("quotedSeq").map((w) => ({ text: `"${w.text}"`, value: w.value, refs: shift(w, 1) })),
      fc.stringMatching(/^[a-z$ {}"\\]{0,4}$/).map((t) => ({ text: `'${t}'`, value: t, refs: [] })),
    ),
    // What may stand inside double quotes, where a single quote is an ordinary character.
    quotable: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.stringMatching(/^[a-z0-9 .,:\/=@-]{1,4}$/).map((t) => ({ text: t, value: t, refs: [] })),
      fc.constantFrom(...NAMES).map((n) => ({
        text: `$${n}!`, value: `${modelEnv[n] ?? ""}!`, refs: [[n, n in modelEnv, 0, n.length + 1]] as Piece["refs"],
      })),
      fc.constantFrom(...NAMES).map((n) => ({
        text: `\${${n}}`, value: modelEnv[n] ?? "", refs: [[n, n in modelEnv, 0, n.length + 3]] as Piece["refs"],
      })),
      fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(":-", "-", ":+", "+"), tie("seq")).map(([n, op, w]) => {
        const text = `\${${n}${op}${w.text}}`;
        const v = modelEnv[n];
        const unset = v === undefined || (op.startsWith(":") && v === "");
        const value = op.endsWith("-") ? (unset ? w.value : (v ?? "")) : unset ? "" : w.value;
        return { text, value, refs: [[n, v !== undefined, 0, text.length], ...shift(w, n.length + 2 + op.length)] } as Piece;
      }),
    ),
    seq: fc.array(tie("piece"), { maxLength: 3 }).map(concat),
    quotedSeq: fc.array(tie("quotable"), { maxLength: 3 }).map(concat),
  }));

  test("expansion and references agree with a model of the operators", () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }).map(concat), (p) => {
        const result = expandWord(p.text, envFromRecord(modelEnv), BACKSLASH);
        assert.equal(result.value, p.value);
        const sorted = [...p.refs].sort((x, y) => x[2] - y[2]);
        assert.deepEqual(result.references.map((r) => [r.name, r.set, r.start, r.end]), sorted);
      }),
      { numRuns: 1000 },
    );
  });

  // Patterns against JavaScript's regular expressions: * and ? as [^\n]* and [^\n] (Go's . skips newlines).
  const patternText = fc.string({ unit: fc.constantFrom("a", "b", "*", "?", "\\*", "😀"), maxLength: 6 });
  const subject = fc.string({ unit: fc.constantFrom("a", "b", "\n", "😀", "*"), maxLength: 8 });
  const regexSource = (pattern: string, lazy: boolean): string =>
    (pattern.match(/\\\*|./gu) ?? [])
      .map((t) => (t === "*" ? (lazy ? "[^\\n]*?" : "[^\\n]*") : t === "?" ? "[^\\n]" : t === "\\*" ? "\\*" : t))
      .join("");
  const wholeMatch = (pattern: string, text: string): boolean => new RegExp(`^(?:${regexSource(pattern, false)})$`, "u").test(text);

  test("# ## % %% remove the shortest or longest prefix or suffix that the pattern matches", () => {
    fc.assert(
      fc.property(patternText, subject, (pattern, v) => {
        const chars = Array.from(v);
        const cuts = chars.map((_, i) => chars.slice(0, i).join("")).concat(v);
        const prefixes = cuts.filter((pre) => wholeMatch(pattern, pre));
        const suffixes = cuts.map((pre) => v.slice(pre.length)).filter((suf) => wholeMatch(pattern, suf));
        const e = envFromRecord({ V: v });
        const shortestPrefix = prefixes[0];
        const longestPrefix = prefixes[prefixes.length - 1];
        const longestSuffix = suffixes[0];
        const shortestSuffix = suffixes[suffixes.length - 1];
        assert.equal(expandWord(`\${V#${pattern}}`, e, BACKSLASH).value, shortestPrefix === undefined ? v : v.slice(shortestPrefix.length));
        assert.equal(expandWord(`\${V##${pattern}}`, e, BACKSLASH).value, longestPrefix === undefined ? v : v.slice(longestPrefix.length));
        assert.equal(expandWord(`\${V%${pattern}}`, e, BACKSLASH).value, shortestSuffix === undefined ? v : v.slice(0, v.length - shortestSuffix.length));
        assert.equal(expandWord(`\${V%%${pattern}}`, e, BACKSLASH).value, longestSuffix === undefined ? v : v.slice(0, v.length - longestSuffix.length));
      }),
      { numRuns: 1000 },
    );
  });

  test("/ and // replace like a leftmost-first regular expression engine", () => {
    fc.assert(
      fc.property(patternText, subject, (pattern, v) => {
        const e = envFromRecord({ V: v });
        const re = new RegExp(regexSource(pattern, false), "u");
        // An empty pattern would read as `//`; BuildKit has no way to write it with one slash.
        if (pattern !== "") assert.equal(expandWord(`\${V/${pattern}/R}`, e, BACKSLASH).value, v.replace(re, () => "R"));
        // With no empty match possible, Go's and JavaScript's replace-all agree.
        if (!/^\**$/.test(pattern)) {
          assert.equal(expandWord(`\${V//${pattern}/R}`, e, BACKSLASH).value, v.replace(new RegExp(re.source, "gu"), () => "R"));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("performance", () => {
  test("a 1 MB word with every feature expands in well under 2 s", () => {
    const chunk = `x\${A:-y} $B 'q $A' "$A \\" z" \\$ \${PATHV##*/} \${UNSET:-\${B}} <<EOF \${A//a/b} \${NL%\\**}\n`;
    const text = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
    const started = performance.now();
    const one = expandWord(text, env, BACKSLASH);
    const many = expandWords(text, env, BACKSLASH);
    assert.ok(performance.now() - started < 2000);
    assert.equal(many.value, one.value);
    assert.ok(one.value.startsWith("xalpha beta q $A alpha \" z $ tool.tar.gz beta <<EOF blphb "));
  });
  test("patterns that make backtracking engines explode stay linear", () => {
    const big = envFromRecord({ BIG: "a".repeat(1_000_000) });
    const started = performance.now();
    assert.equal(expandWord("${BIG#*a*a*a*a*b}", big, BACKSLASH).value.length, 1_000_000);
    assert.equal(expandWord("${BIG%%a*a*a*b}", big, BACKSLASH).value.length, 1_000_000);
    assert.equal(expandWord("${BIG//?a/b}", big, BACKSLASH).value.length, 500_000);
    assert.ok(performance.now() - started < 2000);
  });
});
