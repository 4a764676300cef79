// The expectations were produced by moby/patternmatcher itself (ignorefile.ReadAll, New, MatchesOrParentMatches,
// Matches; built with a Go filepath.Match that validates whole patterns, as Go 1.20+ does) on these inputs.
// Each path maps to "<MatchesOrParentMatches>/<Matches>", or "err" where patternmatcher returns an error.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDrydockError } from "../../src/core/errors.ts";
import { cleanPath, globSyntaxProblem, parseDockerignore } from "../../src/context/dockerignore.ts";

interface OracleCase {
  ignore: string;
  paths?: [string, string][];
  invalid?: true;
}

const ORACLE: OracleCase[] = [
  { ignore: "*/tmp/*\n", paths: [["tmp/x", "false/false"], ["a/tmp/x", "true/true"], ["a/tmp/x/y", "true/true"], ["a/b/tmp/x", "false/false"], ["a/tmp", "false/false"]] },
  { ignore: "node_modules\n", paths: [["node_modules", "true/true"], ["node_modules/x", "true/true"], ["a/node_modules", "false/false"], ["node_modulesx", "false/false"]] },
  { ignore: "**/*.go\n", paths: [["a.go", "true/true"], ["x/a.go", "true/true"], ["x/y/a.go", "true/true"], ["a.go/b", "true/false"], ["ago", "false/false"]] },
  { ignore: "**\n!keep\n", paths: [["a", "true/true"], ["keep", "false/false"], ["keep/x", "false/false"], ["x/keep", "true/true"]] },
  { ignore: "*.md\n!README.md\n", paths: [["a.md", "true/true"], ["README.md", "false/false"], ["d/a.md", "false/false"], ["d/README.md", "false/false"]] },
  { ignore: "/abs/path\n", paths: [["abs/path", "true/true"], ["abs/path/x", "true/true"], ["/abs/path", "false/false"], ["x/abs/path", "false/false"]] },
  { ignore: "# comment\n  spaced  \n", paths: [["spaced", "true/true"], ["# comment", "false/false"]] },
  { ignore: "foo/**\n", paths: [["foo", "false/false"], ["foo/", "true/true"], ["foo/a", "true/true"], ["foo/a/b", "true/true"], ["foobar", "false/false"]] },
  { ignore: "**/foo\n", paths: [["foo", "true/true"], ["a/foo", "true/true"], ["a/b/foo", "true/true"], ["afoo", "false/false"], ["foo/x", "true/false"]] },
  { ignore: "a/**/b\n", paths: [["a/b", "true/true"], ["a/x/b", "true/true"], ["a/x/y/b", "true/true"], ["a/xb", "false/false"], ["b", "false/false"]] },
  { ignore: "[a-c]*.txt\n", paths: [["a.txt", "true/true"], ["b1.txt", "true/true"], ["d.txt", "false/false"], ["x/a.txt", "false/false"]] },
  { ignore: "[^a]?\n", paths: [["bx", "true/true"], ["ax", "false/false"], ["b", "false/false"], ["b/c", "false/false"]] },
  { ignore: "f\\*o\n", paths: [["f*o", "true/true"], ["fxo", "false/false"]] },
  { ignore: "[\n", invalid: true },
  { ignore: "!\n", invalid: true },
  { ignore: "a\\\n", invalid: true },
  { ignore: "[]a]\n", invalid: true },
  { ignore: "[a-]\n", invalid: true },
  { ignore: "a.b+c(d)|e{f}$\n", paths: [["a.b+c(d)|e{f}$", "true/true"], ["axb+c(d)|e{f}$", "false/false"]] },
  { ignore: "x/../y\n./z\n", paths: [["y", "true/true"], ["z", "true/true"], ["x/../y", "false/false"]] },
  { ignore: "[*]x\n", paths: [["*x", "false/false"], ["ax", "false/false"], ["[x", "false/false"], ["[]x", "true/true"], ["/]x", "true/true"], ["^]x", "true/true"], ["[[]x", "true/true"]] },
  { ignore: "*\n", paths: [[".", "true/true"], ["a", "true/true"], ["a/b", "true/true"]] },
  { ignore: "**/*\n", paths: [[".", "true/true"], ["a", "true/true"], ["a/b", "true/true"]] },
  { ignore: "\\d\n", paths: [["d", "false/false"], ["1", "true/true"], ["\\d", "false/false"]] },
  { ignore: "[[:alpha:]]\n", paths: [["a", "true/true"], ["1", "false/false"], [":", "false/false"]] },
  { ignore: "a?c\n", paths: [["abc", "true/true"], ["a/c", "false/false"], ["a\u00e9c", "true/true"], ["a\ud83d\ude00c", "true/true"]] },
  { ignore: "\ufeffbom\r\nwin\r\n", paths: [["bom", "true/true"], ["win", "true/true"], ["win\r", "false/false"]] },
  { ignore: "! neg\nneg\n!neg/keep\n", paths: [["neg", "true/true"], ["neg/keep", "false/false"], ["neg/keep/x", "false/false"], ["neg/other", "true/true"]] },
  { ignore: "**foo\n", paths: [["foo", "true/true"], ["barfoo", "true/true"], ["x/barfoo", "true/true"], ["foox", "false/false"]] },
  { ignore: "dir/\n", paths: [["dir", "true/true"], ["dir/a", "true/true"]] },
  { ignore: "a/*/c\n", paths: [["a/b/c", "true/true"], ["a/b/c/d", "true/true"], ["a/b/x/c", "false/false"], ["a/c", "false/false"]] },
  { ignore: "\\[x]\n", paths: [["[x]", "true/true"], ["x", "false/false"]] },
  { ignore: "a\\-b\n", paths: [["a-b", "true/true"]] },
  { ignore: "a\\!b\n", paths: [["a!b", "true/true"]] },
];

describe("dockerignore", () => {
  for (const c of ORACLE) {
    test(`as patternmatcher: ${JSON.stringify(c.ignore)}`, () => {
      if (c.invalid === true) {
        assert.throws(() => parseDockerignore(c.ignore), (e: unknown) => isDrydockError(e) && e.code === "DOCKERIGNORE_INVALID");
        return;
      }
      const m = parseDockerignore(c.ignore);
      for (const [path, expected] of c.paths ?? []) {
        const a = m.matchesOrParentMatches(path);
        const b = m.matches(path);
        assert.equal(a === undefined || b === undefined ? "err" : `${a}/${b}`, expected, path);
      }
    });
  }

  test("patterns: cleaned, made relative, exceptions marked, comments and blanks skipped", () => {
    const m = parseDockerignore("# c\n\n/a/./b/\n!  c/../d\n*.log\n");
    assert.deepEqual(m.patterns, [
      { text: "a/b", exclusion: false, line: 3 },
      { text: "d", exclusion: true, line: 4 },
      { text: "*.log", exclusion: false, line: 5 },
    ]);
    assert.equal(m.hasExclusions, true);
    assert.equal(parseDockerignore("a\n").hasExclusions, false);
  });

  test("an invalid pattern names its line", () => {
    assert.throws(() => parseDockerignore("ok\n[abc\n", ".dockerignore"), (e: unknown) => {
      assert.ok(isDrydockError(e) && e.code === "DOCKERIGNORE_INVALID");
      assert.equal(e.location?.kind === "text" ? e.location.start.line : 0, 2);
      return true;
    });
  });

  test("Go's path.Clean", () => {
    const cases: [string, string][] = [
      ["", "."], [".", "."], ["a/", "a"], ["/", "/"], ["//a//b/", "/a/b"], ["a/../..", ".."], ["/../a", "/a"], ["./a/./b", "a/b"],
      ["a/b/../../../c", "../c"],
    ];
    for (const [input, expected] of cases) assert.equal(cleanPath(input), expected, input);
  });

  test("filepath.Match syntax", () => {
    for (const ok of ["a", "*", "a\\*", "[a-c]", "[^a]", "[\\]]", "[!a]"]) assert.equal(globSyntaxProblem(ok), undefined, ok);
    for (const bad of ["[", "[]", "[a", "[a-]", "[-a]", "a\\", "[^]"]) assert.notEqual(globSyntaxProblem(bad), undefined, bad);
  });
});
