import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Finding, Span } from "../../src/core/finding.ts";
import {
  isSuppressed,
  parseCheckDirective,
  parseIgnoreComment,
  pragmasOf,
  refersToRule,
  type PragmaSource,
  type Pragmas,
} from "../../src/core/pragmas.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";

// Hand-built models shaped like the parser's output (only the fields pragmas read), written as Dockerfile lines:
// a line starting with '#' is a comment, "check=..." on line 1 a directive, "\" at the end continues an instruction.
function model(lines: readonly string[]): PragmaSource {
  const source: { comments: PragmaSource["comments"][number][]; instructions: PragmaSource["instructions"][number][]; directives: PragmaSource["directives"][number][] } = {
    comments: [],
    instructions: [],
    directives: [],
  };
  let open: { kind: "from" | "run" | "copy"; start: number } | undefined;
  lines.forEach((text, i) => {
    const line = i + 1;
    const trimmed = text.trim();
    if (trimmed.startsWith("#")) {
      const body = trimmed.slice(1).trim();
      const directive = /^check\s*=(.*)$/i.exec(body);
      if (line === 1 && directive !== null) source.directives.push({ name: "check", value: (directive[1] ?? "").trim(), span: spanOf(line, text.length) });
      source.comments.push({ text: body, span: spanOf(line, text.length) });
      return;
    }
    if (trimmed === "") return;
    if (open === undefined) {
      const keyword = trimmed.split(/\s/)[0]?.toLowerCase();
      open = { kind: keyword === "from" ? "from" : keyword === "copy" ? "copy" : "run", start: line };
    }
    if (!trimmed.endsWith("\\")) {
      source.instructions.push({ kind: open.kind, span: { start: pos(open.start, 1), end: pos(line, text.length + 1) }, endLine: line });
      open = undefined;
    }
  });
  return source;
}

function pos(line: number, column: number): Span["start"] {
  return { line, column, offset: 0 };
}

function spanOf(line: number, length: number): Span {
  return { start: pos(line, 1), end: pos(line, length + 1) };
}

function finding(ruleId: string, line: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    aliases: ruleId.startsWith("DL") ? [`hadolint:${ruleId}`] : [],
    severity: "warning",
    message: "m",
    source: ruleId.startsWith("DL") ? "hadolint" : "drydock",
    location: { kind: "text", file: "Dockerfile", start: pos(line, 1), end: pos(line, 5) },
    ...extra,
  };
}

const jsonArgs = (line: number): Finding =>
  finding("JSONArgsRecommended", line, { aliases: ["buildkit:JSONArgsRecommended"], source: "buildkit" });

/** Lines (of those given) whose finding for ruleId is suppressed. */
function suppressedLines(pragmas: Pragmas, ruleId: string, lines: readonly number[]): number[] {
  return lines.filter((line) => isSuppressed(pragmas, finding(ruleId, line)));
}

describe("the hand-built models used here", () => {
  test("give the same pragmas as the real parser", () => {
    const lines = [
      "# check=skip=JSONArgsRecommended;error=true",
      "FROM debian:12 AS build",
      "# hadolint ignore=DL3008",
      "RUN apt-get update \\",
      "# drydock ignore=DL3009",
      " && apt-get install curl",
      "# hadolint stage ignore=DL3003",
      "RUN cd /tmp",
      "FROM scratch",
      "# hadolint global ignore=DL3006",
      "COPY --from=build /x /x",
    ];
    const summary = (p: Pragmas): unknown => ({
      ignores: p.ignores.map((i) => [i.tool, i.scope, i.rules, i.fromLine, i.toLine, i.span.start.line]),
      check: p.check && [p.check.skipAll, p.check.skip, p.check.error],
      warnings: p.warnings.length,
    });
    const parsed = pragmasOf(parseDockerfile(lines.join("\n") + "\n", { file: "Dockerfile" }));
    assert.deepEqual(summary(pragmasOf(model(lines))), summary(parsed));
    assert.deepEqual(summary(parsed), {
      ignores: [
        ["hadolint", "next", ["DL3008"], 4, 6, 3],
        ["drydock", "next", ["DL3009"], 8, 8, 5],
        ["hadolint", "stage", ["DL3003"], 8, 8, 7],
        ["hadolint", "global", ["DL3006"], 1, Infinity, 10],
      ],
      check: [false, ["JSONArgsRecommended"], true],
      warnings: 0,
    });
  });
});

describe("next-instruction ignore pragmas", () => {
  test("apply to the next instruction only, not the one after", () => {
    const p = pragmasOf(model(["FROM debian:12", "# hadolint ignore=DL3008", "RUN apt-get install curl", "RUN apt-get install wget"]));
    assert.deepEqual(suppressedLines(p, "DL3008", [1, 2, 3, 4]), [3]);
    assert.deepEqual(suppressedLines(p, "DL3009", [3]), [], "only the listed ids");
    assert.deepEqual(p.warnings, []);
  });

  test("spaces around '=' and ',' and a trailing reason after '#'", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore = DL3008, DL3009 # pinned elsewhere", "RUN a", "RUN b"]));
    assert.deepEqual(p.ignores.map((i) => [i.tool, i.scope, i.rules, i.fromLine, i.toLine]), [["hadolint", "next", ["DL3008", "DL3009"], 3, 3]]);
    assert.deepEqual(suppressedLines(p, "DL3009", [3, 4]), [3]);
  });

  test("cover every line of a multi-line next instruction", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore=DL3008", "RUN apt-get update \\", " && apt-get install \\", "   curl", "RUN y"]));
    assert.deepEqual(suppressedLines(p, "DL3008", [2, 3, 4, 5, 6]), [3, 4, 5]);
  });

  test("skip blank lines and other comments to reach the next instruction", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore=DL3008", "", "# why: see ticket", "RUN a", "RUN b"]));
    assert.deepEqual(suppressedLines(p, "DL3008", [5, 6]), [5]);
  });

  test("inside a multi-line instruction: applies to the instruction after it, not the enclosing one", () => {
    const p = pragmasOf(model(["FROM x", "RUN apt-get update \\", "# hadolint ignore=DL3008", " && apt-get install curl", "RUN apt-get install wget", "RUN z"]));
    assert.deepEqual(suppressedLines(p, "DL3008", [2, 3, 4, 5, 6]), [5]);
  });

  test("drydock's pragma takes our ids and aliases", () => {
    const p = pragmasOf(model(["# drydock ignore=buildkit:JSONArgsRecommended,hadolint:DL3008", "CMD echo hi", "CMD echo again"]));
    assert.ok(isSuppressed(p, jsonArgs(2)));
    assert.ok(!isSuppressed(p, jsonArgs(3)));
    assert.ok(isSuppressed(p, finding("DL3008", 2)), "hadolint:DL3008 names DL3008");
    assert.equal(p.ignores[0]?.tool, "drydock");
  });

  test("a hadolint pragma naming a BuildKit check bare works too", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore=JSONArgsRecommended", "CMD a"]));
    assert.ok(isSuppressed(p, jsonArgs(3)));
  });
});

describe("global and stage pragmas", () => {
  test("global applies to the whole file wherever it is written", () => {
    const p = pragmasOf(model(["FROM x", "RUN cd /tmp", "FROM y", "RUN cd /srv", "# hadolint global ignore=DL3003,DL3006"]));
    assert.deepEqual(suppressedLines(p, "DL3003", [1, 2, 3, 4, 5]), [1, 2, 3, 4, 5]);
    assert.deepEqual(suppressedLines(p, "DL3008", [2]), []);
  });

  test("drydock global", () => {
    const p = pragmasOf(model(["# drydock global ignore = DD0001", "FROM x", "RUN a"]));
    assert.deepEqual(suppressedLines(p, "DD0001", [2, 3]), [2, 3]);
  });

  test("stage applies from the next instruction to the end of its stage", () => {
    const p = pragmasOf(model(["FROM a AS one", "RUN x", "# hadolint stage ignore=DL3003", "RUN y", "RUN z", "FROM b", "RUN w"]));
    assert.deepEqual(suppressedLines(p, "DL3003", [1, 2, 4, 5, 6, 7]), [4, 5]);
    const aboveFrom = pragmasOf(model(["# hadolint stage ignore=DL3006", "FROM a", "RUN x", "FROM b", "RUN y"]));
    assert.deepEqual(suppressedLines(aboveFrom, "DL3006", [2, 3, 4, 5]), [2, 3]);
    const lastStage = pragmasOf(model(["FROM a", "# drydock stage ignore=DL3003", "RUN x", "RUN y"]));
    assert.deepEqual(suppressedLines(lastStage, "DL3003", [1, 3, 4]), [3, 4]);
  });
});

describe("pragma comments that are not pragmas, or are malformed", () => {
  test("ordinary comments are nothing", () => {
    for (const text of ["hadolint is nice", "ignore=DL3008", "hadolint ignored=DL3008", "drydockignore=DL3008", "hadolint shell=bash"]) {
      assert.equal(parseIgnoreComment(text), undefined, text);
    }
  });

  test("malformed pragmas are warnings with the comment's span, and suppress nothing", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore DL3008", "# hadolint ignore=", "# hadolint ignore=DL3008 DL3009", "# drydock global ignore=,X", "RUN a"]));
    assert.deepEqual(p.ignores, []);
    assert.deepEqual(p.warnings.map((w) => w.span.start.line), [2, 3, 4, 5]);
    assert.match(p.warnings[3]?.message ?? "", /drydock global ignore=ID1,ID2/);
  });

  test("a pragma followed by no instruction warns", () => {
    const p = pragmasOf(model(["FROM x", "# hadolint ignore=DL3008"]));
    assert.deepEqual(p.ignores, []);
    assert.deepEqual(p.warnings.map((w) => w.span.start.line), [2]);
  });
});

describe("BuildKit check directive", () => {
  test("skip= suppresses listed BuildKit checks anywhere in the file", () => {
    const p = pragmasOf(model(["# check=skip=JSONArgsRecommended,StageNameCasing", "FROM x", "CMD a", "CMD b"]));
    assert.ok(isSuppressed(p, jsonArgs(3)) && isSuppressed(p, jsonArgs(4)));
    assert.ok(isSuppressed(p, finding("StageNameCasing", 2, { aliases: ["buildkit:StageNameCasing"] })));
    assert.ok(!isSuppressed(p, finding("FromAsCasing", 2, { aliases: ["buildkit:FromAsCasing"] })));
  });

  test("skip= also takes the buildkit: alias, and matches a rule whose id differs from its BuildKit name", () => {
    const p = pragmasOf(model(["# check=skip=buildkit:SecretsUsedInArgOrEnv", "FROM x"]));
    assert.ok(isSuppressed(p, finding("DD0100", 2, { aliases: ["buildkit:SecretsUsedInArgOrEnv"] })));
  });

  test("skip= only concerns BuildKit checks", () => {
    const p = pragmasOf(model(["# check=skip=DL3008", "FROM x", "RUN a"]));
    assert.ok(!isSuppressed(p, finding("DL3008", 3)));
  });

  test("skip=all skips every BuildKit check and nothing else", () => {
    const p = pragmasOf(model(["# check=skip=all", "FROM x", "CMD a"]));
    assert.ok(isSuppressed(p, jsonArgs(3)));
    assert.ok(isSuppressed(p, finding("X", 3, { source: "buildkit" })), "source buildkit counts without an alias");
    assert.ok(!isSuppressed(p, finding("DL3008", 3)));
  });

  test("whitespace, key case and error=", () => {
    const d = parseCheckDirective("  SKIP = A , B ;  Error = true ; experimental=C", spanOf(1, 1));
    assert.deepEqual([d.skipAll, d.skip, d.error, d.experimentalAll, d.experimental], [false, ["A", "B"], true, false, ["C"]]);
    for (const [value, error] of [["error=1", true], ["error=True", true], ["error=f", false], ["error=FALSE", false], ["", false]] as const) {
      assert.equal(parseCheckDirective(value, spanOf(1, 1)).error, error, value);
    }
    assert.equal(parseCheckDirective("experimental=all", spanOf(1, 1)).experimentalAll, true);
  });

  test("invalid parts are warnings; valid parts still apply", () => {
    const warnings: { message: string; span: Span }[] = [];
    const d = parseCheckDirective("skip=A;error=maybe;colour=red;oops", spanOf(1, 40), warnings);
    assert.deepEqual([d.skip, d.error], [["A"], false]);
    assert.equal(warnings.length, 3);
    const p = pragmasOf(model(["# check=error=yes", "FROM x"]));
    assert.equal(p.check?.error, false);
    assert.deepEqual(p.warnings.map((w) => w.span.start.line), [1]);
  });

  test("no directive: no check", () => {
    assert.equal(pragmasOf(model(["FROM x", "# check=skip=all"])).check, undefined, "only a top-of-file directive counts");
  });
});

describe("isSuppressed options and locations", () => {
  const p = pragmasOf(model(["# check=skip=JSONArgsRecommended", "# hadolint global ignore=DL3008", "FROM x", "CMD a"]));

  test("ignorePragmas: false turns off ignore pragmas but not the check directive", () => {
    assert.ok(!isSuppressed(p, finding("DL3008", 4), { ignorePragmas: false }));
    assert.ok(isSuppressed(p, jsonArgs(4), { ignorePragmas: false }));
  });

  test("findings without a text location are only subject to check=skip", () => {
    const at = { kind: "ref", ref: "docker.io/library/x:1" } as const;
    assert.ok(!isSuppressed(p, finding("DL3008", 1, { location: at })));
    assert.ok(isSuppressed(p, { ...jsonArgs(1), location: at }));
  });
});

describe("refersToRule", () => {
  const dl3008 = { id: "DL3008", aliases: ["hadolint:DL3008", "trivy:DS029"] };
  const bareHadolint = { id: "DL3009", aliases: [] };
  const buildkit = { id: "JSONArgsRecommended", aliases: ["buildkit:JSONArgsRecommended"] };
  const ours = { id: "DD0001", aliases: ["buildkit:SecretsUsedInArgOrEnv"] };

  test("our id, any alias, and hadolint/BuildKit names with or without their prefix", () => {
    assert.ok(refersToRule("DL3008", dl3008));
    assert.ok(refersToRule("hadolint:DL3008", dl3008));
    assert.ok(refersToRule("trivy:DS029", dl3008));
    assert.ok(refersToRule("hadolint:DL3009", bareHadolint), "prefix in front of our id");
    assert.ok(refersToRule("JSONArgsRecommended", buildkit));
    assert.ok(refersToRule("buildkit:JSONArgsRecommended", buildkit));
    assert.ok(refersToRule("SecretsUsedInArgOrEnv", ours), "bare BuildKit name of a rule with another id");
  });

  test("case-sensitive, and only hadolint/BuildKit names may be bare", () => {
    assert.ok(!refersToRule("dl3008", dl3008));
    assert.ok(!refersToRule("DS029", dl3008));
    assert.ok(!refersToRule("DL3009", dl3008));
    assert.ok(!refersToRule("jsonargsrecommended", buildkit));
    assert.ok(!refersToRule("buildkit:DL3008", { id: "DL9999", aliases: ["hadolint:DL3008"] }), "prefixes are not interchangeable");
  });
});
