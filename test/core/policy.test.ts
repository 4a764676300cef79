import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { emptyConfig, parseConfig, type Config } from "../../src/core/config.ts";
import { DrydockError } from "../../src/core/errors.ts";
import type { Finding, Location, RuleInfo, Severity } from "../../src/core/finding.ts";
import { NO_PRAGMAS, pragmasOf, type Pragmas } from "../../src/core/pragmas.ts";
import {
  applyPolicy,
  compareFindings,
  exitCodeFor,
  failurePolicy,
  NO_CLI_POLICY,
  parseSeverityOverride,
  unknownRuleRefs,
  type CliPolicy,
  type PolicyInput,
} from "../../src/core/policy.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";

function at(file: string, line: number, column = 1): Location {
  return { kind: "text", file, start: { line, column, offset: 0 }, end: { line, column: column + 3, offset: 3 } };
}

function hadolint(id: string, line = 2, file = "Dockerfile", severity: Severity = "warning"): Finding {
  return { ruleId: id, aliases: [`hadolint:${id}`], severity, message: `${id} message`, source: "hadolint", location: at(file, line) };
}

function buildkit(id: string, line = 2, file = "Dockerfile", severity: Severity = "warning"): Finding {
  return { ruleId: id, aliases: [`buildkit:${id}`], severity, message: `${id} message`, source: "buildkit", location: at(file, line) };
}

function run(findings: readonly Finding[], parts: Partial<Omit<PolicyInput, "cli">> & { cli?: Partial<CliPolicy> } = {}): Finding[] {
  return applyPolicy(deepFreeze(findings), {
    config: parts.config ?? emptyConfig(),
    cli: { ...NO_CLI_POLICY, ...parts.cli },
    pragmasByFile: parts.pragmasByFile ?? new Map(),
    ...(parts.rules === undefined ? {} : { rules: parts.rules }),
  });
}

function config(yaml: string): Config {
  return parseConfig(yaml, "drydock.yaml");
}

/** Pragmas of a Dockerfile, read by the real parser. */
function pragmasFor(text: string, file = "Dockerfile"): Map<string, Pragmas> {
  return new Map([[file, pragmasOf(parseDockerfile(text, { file }))]]);
}

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}

function severities(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}=${f.severity}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("ignores are a union of config, CLI, pragmas and check=skip", () => {
  const findings = [hadolint("DL3008", 3), hadolint("DL3009", 3), hadolint("DL3015", 3), buildkit("JSONArgsRecommended", 4), hadolint("DL3003", 3)];
  const dockerfile = "# check=skip=JSONArgsRecommended\nFROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install curl\nCMD echo\n";

  test("each source drops its own rules and nothing else", () => {
    assert.deepEqual(ids(run(findings)), ["DL3003", "DL3008", "DL3009", "DL3015", "JSONArgsRecommended"]);
    assert.deepEqual(ids(run(findings, { config: config("ignored: [DL3008]\n") })), ["DL3003", "DL3009", "DL3015", "JSONArgsRecommended"]);
    assert.deepEqual(ids(run(findings, { cli: { ignore: ["hadolint:DL3009"] } })), ["DL3003", "DL3008", "DL3015", "JSONArgsRecommended"]);
  });

  test("all together", () => {
    // The pragma is on line 3 and covers the RUN on line 4; findings on line 3 are not covered.
    const moved = findings.map((f) => (f.ruleId === "DL3015" ? hadolint("DL3015", 4) : f));
    const out = run(moved, {
      config: config("ignore: [DL3008]\n"),
      cli: { ignore: ["DL3009"] },
      pragmasByFile: pragmasFor(dockerfile),
    });
    assert.deepEqual(ids(out), ["DL3003"]);
  });

  test("pragmas apply only to findings in their own file", () => {
    const pragmasByFile = pragmasFor("FROM x\n# hadolint ignore=DL3008\nRUN a\n", "a/Dockerfile");
    const out = run([hadolint("DL3008", 3, "a/Dockerfile"), hadolint("DL3008", 3, "b/Dockerfile")], { pragmasByFile });
    assert.deepEqual(out.map((f) => f.location.kind === "text" && f.location.file), ["b/Dockerfile"]);
  });

  test("disableIgnorePragma (config or CLI) turns off ignore pragmas but not check=skip", () => {
    const pragmasByFile = pragmasFor("# check=skip=JSONArgsRecommended\nFROM x\n# hadolint ignore=DL3008\nCMD a\n");
    const both = [hadolint("DL3008", 4), buildkit("JSONArgsRecommended", 4)];
    assert.deepEqual(ids(run(both, { pragmasByFile })), []);
    assert.deepEqual(ids(run(both, { pragmasByFile, config: config("disable-ignore-pragma: true\n") })), ["DL3008"]);
    assert.deepEqual(ids(run(both, { pragmasByFile, cli: { disableIgnorePragma: true } })), ["DL3008"]);
  });

  test("rule metadata supplies aliases a finding does not repeat", () => {
    const bare: Finding = { ...buildkit("DD0100", 2), aliases: [], source: "drydock" };
    const rules: RuleInfo[] = [{ id: "DD0100", aliases: ["buildkit:SecretsUsedInArgOrEnv"], severity: "warning", source: "drydock", summary: "", docs: "" }];
    assert.deepEqual(ids(run([bare], { cli: { ignore: ["SecretsUsedInArgOrEnv"] } })), ["DD0100"], "unknown without metadata");
    assert.deepEqual(ids(run([bare], { cli: { ignore: ["SecretsUsedInArgOrEnv"] }, rules })), []);
    const skip = pragmasFor("# check=skip=SecretsUsedInArgOrEnv\nFROM x\n");
    assert.deepEqual(ids(run([bare], { pragmasByFile: skip, rules })), [], "and makes it a BuildKit check for check=");
  });
});

describe("severity precedence: default < config < check=error=true < --severity-override", () => {
  const errorTrue = pragmasFor("# check=error=true\nFROM x\nCMD a\n");

  test("1. the rule's default severity", () => {
    assert.deepEqual(severities(run([hadolint("DL3008"), buildkit("JSONArgsRecommended", 3, "Dockerfile", "info")])), [
      "DL3008=warning",
      "JSONArgsRecommended=info",
    ]);
  });

  test("2. the config file beats the default (drydock severity map and hadolint override)", () => {
    assert.deepEqual(severities(run([hadolint("DL3008")], { config: config("severity: {DL3008: error}\n") })), ["DL3008=error"]);
    assert.deepEqual(severities(run([hadolint("DL3008")], { config: config("override: {style: [hadolint:DL3008]}\n") })), ["DL3008=style"]);
    assert.deepEqual(ids(run([hadolint("DL3008")], { config: config("severity: {DL3008: off}\n") })), [], "off drops");
  });

  test("3. check=error=true beats the config, for BuildKit checks only", () => {
    const cfg = config("severity: {JSONArgsRecommended: info, DL3008: info}\n");
    const out = run([buildkit("JSONArgsRecommended", 3), hadolint("DL3008", 3)], { config: cfg, pragmasByFile: errorTrue });
    assert.deepEqual(severities(out), ["DL3008=info", "JSONArgsRecommended=error"]);
  });

  test("3b. check=error=true does not bring back a check the config turned off", () => {
    const out = run([buildkit("JSONArgsRecommended", 3)], { config: config("severity: {JSONArgsRecommended: off}\n"), pragmasByFile: errorTrue });
    assert.deepEqual(out, []);
  });

  test("4. --severity-override beats everything, including check=error=true and off", () => {
    const cfg = config("severity: {DL3008: error, DL3009: off}\n");
    const findings = [buildkit("JSONArgsRecommended", 3), hadolint("DL3008", 3), hadolint("DL3009", 3), hadolint("DL3010", 3)];
    const cli = { severityOverride: { "buildkit:JSONArgsRecommended": "info", DL3008: "style", "hadolint:DL3009": "warning", DL3010: "off" } as const };
    assert.deepEqual(severities(run(findings, { config: cfg, cli, pragmasByFile: errorTrue })), [
      "DL3008=style",
      "DL3009=warning",
      "JSONArgsRecommended=info",
    ]);
  });

  test("within one table the last entry naming a rule wins", () => {
    const cli = { severityOverride: { DL3008: "error", "hadolint:DL3008": "info" } as const };
    assert.deepEqual(severities(run([hadolint("DL3008")], { cli })), ["DL3008=info"]);
  });

  test("input findings are not changed", () => {
    const original = hadolint("DL3008");
    const out = run([original], { cli: { severityOverride: { DL3008: "error" } } });
    assert.equal(original.severity, "warning");
    assert.equal(out[0]?.severity, "error");
  });
});

describe("order and duplicates", () => {
  test("sorted by file, line, column, rule id", () => {
    const f = (id: string, file: string, line: number, column: number): Finding => ({ ...hadolint(id), location: at(file, line, column) });
    const shuffled = [f("DL3009", "b", 1, 1), f("DL3008", "a", 2, 5), f("DL3009", "a", 2, 1), f("DL3008", "a", 2, 1), f("DL3001", "a", 10, 1)];
    const out = run(shuffled);
    assert.deepEqual(
      out.map((x) => x.location.kind === "text" && `${x.location.file}:${x.location.start.line}:${x.location.start.column} ${x.ruleId}`),
      ["a:2:1 DL3008", "a:2:1 DL3009", "a:2:5 DL3008", "a:10:1 DL3001", "b:1:1 DL3009"],
    );
  });

  test("locations that are not text sort by their printed form", () => {
    const layer: Finding = { ...hadolint("DD2001"), location: { kind: "layer", image: "img", layer: 0, digest: "sha256:1", path: "etc/key" } };
    const ref: Finding = { ...hadolint("DD3001"), location: { kind: "ref", ref: "alpine:3" } };
    assert.deepEqual(ids(run([layer, hadolint("DL3008", 1, "z"), ref])), ["DD3001", "DD2001", "DL3008"]);
    assert.equal(compareFindings(ref, ref), 0);
  });

  test("exact duplicates are removed; findings differing in anything are kept", () => {
    const a = hadolint("DL3008", 3);
    const out = run([a, { ...a }, { ...a, message: "other" }, { ...a, severity: "error" }, { ...a, location: at("Dockerfile", 3, 2) }]);
    assert.equal(out.length, 4);
  });
});

describe("exit codes", () => {
  const only = (s: Severity): Finding[] => [hadolint("DL3008", 1, "Dockerfile", s)];

  test("default threshold is hadolint's: info and above fail, style does not", () => {
    assert.equal(exitCodeFor(only("error")), 1);
    assert.equal(exitCodeFor(only("info")), 1);
    assert.equal(exitCodeFor(only("style")), 0);
    assert.equal(exitCodeFor([]), 0);
  });

  test("each threshold is inclusive", () => {
    const table: [string, Severity, 0 | 1][] = [
      ["error", "error", 1], ["error", "warning", 0],
      ["warning", "warning", 1], ["warning", "info", 0],
      ["info", "info", 1], ["info", "style", 0],
      ["style", "style", 1], ["none", "style", 1],
    ];
    for (const [threshold, severity, code] of table) {
      assert.equal(exitCodeFor(only(severity), threshold as Severity | "none"), code, `${threshold} vs ${severity}`);
    }
  });

  test("noFail gives 0; input errors give 2 even with noFail", () => {
    assert.equal(exitCodeFor(only("error"), "info", true), 0);
    assert.equal(exitCodeFor([], "info", true, true), 2);
    assert.equal(exitCodeFor(only("error"), "error", false, true), 2);
  });

  test("the CLI threshold beats the config's, which beats the default", () => {
    assert.deepEqual(failurePolicy(emptyConfig(), NO_CLI_POLICY), { threshold: "info", noFail: false });
    assert.deepEqual(failurePolicy(config("failure-threshold: error\nno-fail: true\n"), NO_CLI_POLICY), { threshold: "error", noFail: true });
    assert.deepEqual(failurePolicy(config("failureThreshold: error\nnoFail: true\n"), { ...NO_CLI_POLICY, failureThreshold: "style", noFail: false }), {
      threshold: "style",
      noFail: false,
    });
  });
});

describe("command-line helpers", () => {
  test("parseSeverityOverride", () => {
    assert.deepEqual(parseSeverityOverride("DL3008=error"), ["DL3008", "error"]);
    assert.deepEqual(parseSeverityOverride("buildkit:JSONArgsRecommended = off"), ["buildkit:JSONArgsRecommended", "off"]);
    for (const bad of ["DL3008", "=error", "DL3008=fatal", "DL3008="]) {
      assert.throws(() => parseSeverityOverride(bad), (e: unknown) => e instanceof DrydockError && e.code === "USAGE", bad);
    }
  });

  test("unknownRuleRefs lists references that name no rule", () => {
    const rules: RuleInfo[] = [
      { id: "DL3008", aliases: ["hadolint:DL3008"], severity: "warning", source: "hadolint", summary: "", docs: "" },
      { id: "JSONArgsRecommended", aliases: ["buildkit:JSONArgsRecommended"], severity: "warning", source: "buildkit", summary: "", docs: "" },
    ];
    assert.deepEqual(unknownRuleRefs(["DL3008", "hadolint:DL3008", "buildkit:JSONArgsRecommended", "DL9999", "jsonargs", "DL9999"], rules), [
      "DL9999",
      "jsonargs",
    ]);
  });

  test("no pragmas, no change", () => {
    assert.deepEqual(ids(run([hadolint("DL3008")], { pragmasByFile: new Map([["Dockerfile", NO_PRAGMAS]]) })), ["DL3008"]);
  });
});

describe("applyPolicy: redundant findings", () => {
  const at = (line: number, column: number) => ({ line, column, offset: line * 100 + column });
  const finding = (ruleId: string, line: number): Finding => ({
    ruleId, aliases: [], severity: "warning", message: ruleId, source: "drydock",
    location: { kind: "text", file: "Dockerfile", start: at(line, 5), end: at(line, 9) },
  });
  const rules: RuleInfo[] = [
    { id: "A", aliases: [], severity: "warning", source: "hadolint", summary: "a", docs: "" },
    { id: "B", aliases: [], severity: "warning", source: "buildkit", summary: "b", docs: "", redundantWith: ["A"] },
  ];
  const run = (findings: Finding[], cli = NO_CLI_POLICY) =>
    applyPolicy(findings, { config: emptyConfig(), cli, pragmasByFile: new Map(), rules }).map((f) => `${f.ruleId}@${f.location.kind === "text" ? f.location.start.line : 0}`);

  test("a finding redundant with another rule's at the same place is dropped", () => {
    assert.deepEqual(run([finding("A", 2), finding("B", 2), finding("B", 3)]), ["A@2", "B@3"]);
  });

  test("ignoring the other rule brings it back", () => {
    assert.deepEqual(run([finding("A", 2), finding("B", 2)], { ...NO_CLI_POLICY, ignore: ["A"] }), ["B@2"]);
  });
});
