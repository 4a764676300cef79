import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseDocument } from "yaml";
import { emptyConfig, loadConfig, parseConfig } from "../../src/core/config.ts";
import { DrydockError } from "../../src/core/errors.ts";

/** Asserts parseConfig fails with CONFIG_INVALID at file:line:col and that the message names `mentions`. */
function invalidAt(text: string, line: number, column: number, mentions: string): void {
  assert.throws(
    () => parseConfig(text, "conf/drydock.yaml"),
    (e: unknown) => {
      assert.ok(e instanceof DrydockError, `expected a DrydockError, got ${String(e)}`);
      assert.equal(e.code, "CONFIG_INVALID");
      assert.ok(e.location?.kind === "text", "a text location");
      assert.deepEqual([e.location.file, e.location.start.line, e.location.start.column], ["conf/drydock.yaml", line, column]);
      assert.ok(e.message.includes(mentions), `message "${e.message}" should mention ${mentions}`);
      return true;
    },
  );
}

describe("parseConfig: drydock keys", () => {
  test("empty text, comments only and an explicit null are the empty config", () => {
    for (const text of ["", "# nothing here\n", "~\n", "---\n"]) assert.deepEqual(parseConfig(text, "f"), emptyConfig());
  });

  test("every key", () => {
    const config = parseConfig(
      [
        "ignore: [DL3008, hadolint:DL3009]",
        "enable: [DD018]",
        "severity:",
        "  DL3007: error",
        "  buildkit:JSONArgsRecommended: info",
        "  StageNameCasing: off",
        "failureThreshold: warning",
        "noFail: true",
        "trustedRegistries: [docker.io, 'my-company.com:5000']",
        "labelSchema: {maintainer: email, version: semver}",
        "strictLabels: true",
        "disableIgnorePragma: true",
        "",
      ].join("\n"),
      "drydock.yaml",
    );
    assert.deepEqual(config, {
      ignore: ["DL3008", "hadolint:DL3009"],
      enable: ["DD018"],
      severity: { DL3007: "error", "buildkit:JSONArgsRecommended": "info", StageNameCasing: "off" },
      failureThreshold: "warning",
      noFail: true,
      trustedRegistries: ["docker.io", "my-company.com:5000"],
      labelSchema: { maintainer: "email", version: "semver" },
      strictLabels: true,
      disableIgnorePragma: true,
    });
  });

  test("failureThreshold accepts each level, none, and hadolint's ignore as none", () => {
    for (const level of ["error", "warning", "info", "style", "none"]) {
      assert.equal(parseConfig(`failureThreshold: ${level}\n`, "f").failureThreshold, level);
    }
    assert.equal(parseConfig("failureThreshold: ignore\n", "f").failureThreshold, "none");
    assert.equal(parseConfig("noFail: false\n", "f").failureThreshold, undefined);
  });

  test("a key with no value means not set", () => {
    assert.deepEqual(parseConfig("ignore:\nseverity:\nnoFail:\nfailureThreshold:\n", "f"), emptyConfig());
  });

  test("anchors and aliases are followed", () => {
    const config = parseConfig("ignore: &ids [DL3008, DL3009]\noverride:\n  error: *ids\n", "f");
    assert.deepEqual(config.ignore, ["DL3008", "DL3009"]);
    assert.deepEqual(config.severity, { DL3008: "error", DL3009: "error" });
  });

  test("a label named __proto__ is an ordinary label", () => {
    const config = parseConfig("labelSchema:\n  __proto__: text\n", "f");
    assert.deepEqual(Object.keys(config.labelSchema), ["__proto__"]);
    assert.equal(Object.getPrototypeOf(config.labelSchema), Object.prototype);
  });
});

describe("parseConfig: hadolint keys", () => {
  const hadolint = [
    "failure-threshold: error",
    "format: json",
    "formats: [tty, sarif]",
    "no-color: true",
    "verbose: false",
    "ignored:",
    "  - DL3000",
    "  - SC1010",
    "label-schema:",
    "  author: text",
    "  created: rfc3339",
    "  git-revision: hash",
    "  license: spdx",
    "  documentation: url",
    "  other: ''",
    "no-fail: true",
    "override:",
    "  error: [DL3001, DL3002]",
    "  warning: [DL3042]",
    "  info: [DL3032]",
    "  style: [DL3015]",
    "strict-labels: true",
    "disable-ignore-pragma: true",
    "trustedRegistries:",
    "  - docker.io",
    '  - "*.gcr.io"',
    "",
  ].join("\n");

  test("a full .hadolint.yaml is read as is (output options accepted and ignored)", () => {
    assert.deepEqual(parseConfig(hadolint, ".hadolint.yaml"), {
      ignore: ["DL3000", "SC1010"],
      enable: [],
      severity: { DL3015: "style", DL3032: "info", DL3042: "warning", DL3001: "error", DL3002: "error" },
      failureThreshold: "error",
      noFail: true,
      trustedRegistries: ["docker.io", "*.gcr.io"],
      labelSchema: { author: "text", created: "rfc3339", "git-revision": "hash", license: "spdx", documentation: "url", other: "text" },
      strictLabels: true,
      disableIgnorePragma: true,
    });
  });

  test("trustedRegistries may be a single string", () => {
    assert.deepEqual(parseConfig("trustedRegistries: docker.io\n", "f").trustedRegistries, ["docker.io"]);
  });

  test("a rule in several override lists keeps the most severe level, as hadolint does", () => {
    const config = parseConfig("override:\n  error: [DL3008]\n  style: [DL3008]\n  info: [DL3009]\n  warning: [DL3009]\n", "f");
    assert.deepEqual(config.severity, { DL3009: "warning", DL3008: "error" });
  });

  test("drydock's severity map wins over hadolint's override for the same id", () => {
    const config = parseConfig("severity: {DL3008: info}\noverride: {error: [DL3008, DL3009]}\n", "f");
    assert.equal(config.severity["DL3008"], "info");
    assert.equal(config.severity["DL3009"], "error");
    // The winning entry comes last, so the policy's "last match wins" sees it last.
    assert.deepEqual(Object.keys(config.severity), ["DL3009", "DL3008"]);
  });

  test("both spellings of a list merge", () => {
    const config = parseConfig("ignore: [DL3008]\nignored: [DL3009, DL3008]\nlabel-schema: {a: url}\nlabelSchema: {b: email}\n", "f");
    assert.deepEqual(config.ignore, ["DL3008", "DL3009"]);
    assert.deepEqual(config.labelSchema, { a: "url", b: "email" });
  });
});

describe("parseConfig: invalid files", () => {
  test("YAML syntax errors carry the parser's position", () => {
    invalidAt("ignore: [DL3008\nnoFail: true\n", 2, 1, "invalid YAML");
    invalidAt("noFail: 'yes\n", 2, 1, "invalid YAML");
    invalidAt("ignore: [DL3008]\nignore: [DL3009]\n", 2, 1, "invalid YAML");
  });

  test("YAML error positions are the ones the yaml package itself reports", () => {
    const broken = ["a: [1,\n", "a: 1\n b: 2\n", "x:\n  - a\n - b\n", "{a: 1\n", "a: \"\\q\"\n", "a: b: c\n", "a: 1\n---\nb: 2\n"];
    for (const text of broken) {
      const oracle = parseDocument(text).errors[0]?.linePos?.[0];
      assert.ok(oracle !== undefined, `yaml rejects ${JSON.stringify(text)}`);
      invalidAt(text, oracle.line, oracle.col, "invalid YAML");
    }
  });

  test("the top level must be a mapping", () => {
    invalidAt("- DL3008\n", 1, 1, "mapping");
    invalidAt("just text\n", 1, 1, "mapping");
  });

  test("unknown keys name the key and suggest a near one", () => {
    invalidAt("ignore: []\nfailure_threshold: info\n", 2, 1, "failureThreshold");
    invalidAt("ignore: []\n  # comment\nenabled: [DL3008]\n", 3, 1, '"enabled"');
  });

  test("wrong types", () => {
    invalidAt("ignore: DL3008\n", 1, 9, "list of rule ids");
    invalidAt("ignore:\n  - DL3008\n  - 3008\n", 3, 5, "rule ids");
    invalidAt("ignore: ['DL 3008']\n", 1, 10, "rule ids");
    invalidAt("noFail: yes\n", 1, 9, "true or false");
    invalidAt("strictLabels: 1\n", 1, 15, "true or false");
    invalidAt("disable-ignore-pragma: 'true'\n", 1, 24, "true or false");
    invalidAt("failureThreshold: fatal\n", 1, 19, "error, warning, info, style, none");
    invalidAt("trustedRegistries: {a: b}\n", 1, 20, "string or a list");
    invalidAt("trustedRegistries: [docker.io, 5]\n", 1, 32, "strings");
    invalidAt("severity: [DL3008]\n", 1, 11, "mapping");
  });

  test("bad severity values and override levels", () => {
    invalidAt("severity:\n  DL3008: fatal\n", 2, 11, "off");
    invalidAt("severity:\n  DL3008:\n", 2, 3, "got nothing");
    invalidAt("override:\n  warn: [DL3008]\n", 2, 3, "error, warning, info, style");
    invalidAt("override:\n  error: DL3008\n", 2, 10, "list of rule ids");
  });

  test("bad label types", () => {
    invalidAt("label-schema:\n  version: number\n", 2, 12, "semver");
  });

  test("one setting given under both spellings is reported at the second", () => {
    invalidAt("noFail: true\nno-fail: false\n", 2, 1, "noFail (line 1)");
    invalidAt("failure-threshold: info\nfailureThreshold: info\n", 2, 1, "failure-threshold");
  });

  test("an alias to no anchor", () => {
    invalidAt("ignore: *missing\n", 1, 9, "missing");
  });
});

describe("loadConfig", () => {
  let root = "";
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), "drydock-config-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function tree(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(root, "t-"));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    return dir;
  }

  test("no file anywhere up to a .git directory: the empty config", async () => {
    const dir = await tree({ ".git/HEAD": "ref\n", "a/b/Dockerfile": "FROM x\n" });
    assert.deepEqual(await loadConfig(path.join(dir, "a/b")), { config: emptyConfig(), file: undefined, dialect: undefined });
  });

  test("drydock names are tried in order before hadolint's in the same directory", async () => {
    const dir = await tree({
      ".git/HEAD": "",
      "drydock.yml": "ignore: [C]\n",
      ".drydock.yaml": "ignore: [B]\n",
      ".hadolint.yaml": "ignored: [H]\n",
    });
    const loaded = await loadConfig(dir);
    assert.equal(loaded.file, path.join(dir, ".drydock.yaml"));
    assert.equal(loaded.dialect, "drydock");
    assert.deepEqual(loaded.config.ignore, ["B"]);
  });

  test("the nearest directory wins, and a hadolint file there is read as is", async () => {
    const dir = await tree({ ".git/HEAD": "", "drydock.yaml": "ignore: [TOP]\n", "sub/.hadolint.yml": "ignored: [DL3008]\n" });
    const loaded = await loadConfig(path.join(dir, "sub"));
    assert.equal(loaded.file, path.join(dir, "sub/.hadolint.yml"));
    assert.equal(loaded.dialect, "hadolint");
    assert.deepEqual(loaded.config.ignore, ["DL3008"]);
  });

  test("parents are searched, but not beyond the directory holding .git", async () => {
    const dir = await tree({ "drydock.yaml": "ignore: [OUTSIDE]\n", "repo/.git/HEAD": "", "repo/src/x/.keep": "" });
    assert.equal((await loadConfig(path.join(dir, "repo/src/x"))).file, undefined);
    const inside = await tree({ "repo/.git/HEAD": "", "repo/drydock.yaml": "ignore: [IN]\n", "repo/src/x/.keep": "" });
    assert.deepEqual((await loadConfig(path.join(inside, "repo/src/x"))).config.ignore, ["IN"]);
  });

  test("a directory named like a config file is not a config", async () => {
    const dir = await tree({ ".git/HEAD": "", "drydock.yaml/.keep": "", ".hadolint.yaml": "ignored: [H]\n" });
    assert.equal((await loadConfig(dir)).file, path.join(dir, ".hadolint.yaml"));
  });

  test("an explicit path is read whatever its name; a missing one is an error", async () => {
    const dir = await tree({ "drydock.yaml": "ignore: [NEAR]\n", "ci/lint.yaml": "severity: {DL3008: error}\n" });
    const loaded = await loadConfig(dir, path.join(dir, "ci/lint.yaml"));
    assert.deepEqual(loaded.config.severity, { DL3008: "error" });
    assert.equal(loaded.dialect, "drydock");
    await assert.rejects(loadConfig(dir, path.join(dir, "nope.yaml")), { name: "DrydockError", code: "INPUT_UNREADABLE" });
  });

  test("an invalid file found by search reports its path and position", async () => {
    const dir = await tree({ ".git/HEAD": "", ".hadolint.yaml": "ignored: [DL3008]\nno-fail: maybe\n" });
    await assert.rejects(loadConfig(dir), (e: unknown) => {
      assert.ok(e instanceof DrydockError && e.location?.kind === "text");
      assert.deepEqual([e.code, e.location.file, e.location.start.line, e.location.start.column], [
        "CONFIG_INVALID",
        path.join(dir, ".hadolint.yaml"),
        2,
        10,
      ]);
      return true;
    });
  });
});

describe("parseConfig: the audit section", () => {
  test("allow-lists as lists or single strings, deduplicated; absent section leaves audit unset", () => {
    const config = parseConfig(
      ["audit:", "  setuidAllow: [/usr/bin/passwd, /usr/bin/passwd, 'usr/lib/dbus-1.0/*']", "  secretPathAllow: /app/test/fixtures", "  worldWritableAllow:", ""].join("\n"),
      "drydock.yaml",
    );
    assert.deepEqual(config.audit, { setuidAllow: ["/usr/bin/passwd", "usr/lib/dbus-1.0/*"], secretPathAllow: ["/app/test/fixtures"], worldWritableAllow: [] });
    assert.equal(parseConfig("ignore: [DI002]\n", "drydock.yaml").audit, undefined);
    assert.deepEqual(parseConfig("audit:\n", "drydock.yaml"), emptyConfig());
  });

  test("unknown audit keys and wrong types are errors at their position", () => {
    invalidAt("audit:\n  setuidAllowed: [/x]\n", 2, 3, "unknown audit setting \"setuidAllowed\"");
    invalidAt("audit:\n  setuid-allow: [/x]\n", 2, 3, "did you mean setuidAllow?");
    invalidAt("audit:\n  secretPathAllow: {a: b}\n", 2, 20, "audit.secretPathAllow must be a string or a list of strings");
    invalidAt("audit:\n  setuidAllow: ['']\n", 2, 17, "audit.setuidAllow entries must be image paths or patterns");
    invalidAt("audit: [x]\n", 1, 8, "audit must be a mapping of setuidAllow, secretPathAllow, worldWritableAllow");
  });
});

describe("parseConfig: registries", () => {
  test("mirrors per registry and insecure hosts", () => {
    const config = parseConfig("registries:\n  mirrors:\n    docker.io: [mirror.local:5000, other.local]\n  insecure: [127.0.0.1:5000]\n", "drydock.yaml");
    assert.deepEqual(config.registries, { mirrors: { "docker.io": ["mirror.local:5000", "other.local"] }, insecure: ["127.0.0.1:5000"] });
  });

  test("an unknown registries setting is an error at its line", () => {
    assert.throws(() => parseConfig("registries:\n  mirror: {}\n", "drydock.yaml"), (e: unknown) => {
      assert.ok(e instanceof DrydockError && e.code === "CONFIG_INVALID");
      assert.ok(e.location?.kind === "text" && e.location.start.line === 2, String(e.message));
      return true;
    });
  });
});

describe("parseConfig: the scan section", () => {
  test("ignores with reasons and end dates, severities, ignoreUnfixed, failOn", () => {
    const config = parseConfig([
      "scan:",
      "  ignore:",
      "    - id: CVE-2021-44228",
      "      package: pkg:maven/org.apache.logging.log4j/log4j-core",
      "      reason: JNDI lookups are disabled",
      "      until: 2026-12-31",
      "    - {id: GHSA-35jh-r3h4-6jhm, reason: \"lodash.template is never called\"}",
      "  severity: [critical, HIGH]",
      "  ignoreUnfixed: true",
      "  failOn: high",
      "",
    ].join("\n"), "drydock.yaml");
    assert.deepEqual(config.scan, {
      ignore: [
        { id: "CVE-2021-44228", package: "pkg:maven/org.apache.logging.log4j/log4j-core", reason: "JNDI lookups are disabled", until: "2026-12-31", where: "drydock.yaml:3" },
        { id: "GHSA-35jh-r3h4-6jhm", package: undefined, reason: "lodash.template is never called", until: undefined, where: "drydock.yaml:7" },
      ],
      severity: ["CRITICAL", "HIGH"],
      ignoreUnfixed: true,
      failOn: "HIGH",
    });
    assert.equal(parseConfig("ignore: [DL3008]\n", "drydock.yaml").scan, undefined);
    assert.deepEqual(parseConfig("scan:\n  severity: LOW\n  failOn: any\n", "f").scan, { ignore: [], severity: ["LOW"], ignoreUnfixed: undefined, failOn: "any" });
  });

  test("an ignore without a reason, and other mistakes, are errors at their position", () => {
    invalidAt("scan:\n  ignore:\n    - id: CVE-2021-44228\n", 3, 7, "needs a reason");
    invalidAt("scan:\n  ignore:\n    - id: CVE-2021-44228\n      reason: ''\n", 4, 15, "needs a reason");
    invalidAt("scan:\n  ignore:\n    - reason: accepted\n", 3, 7, "need an id");
    invalidAt("scan:\n  ignore:\n    - {id: log4shell, reason: x}\n", 3, 12, "must be a vulnerability id");
    invalidAt("scan:\n  ignore:\n    - {id: CVE-1-2, reason: x, until: 2026-02-30}\n", 3, 39, "until must be a date written YYYY-MM-DD");
    invalidAt("scan:\n  ignore:\n    - {id: CVE-1-2, reason: x, expires: 2026-01-01}\n", 3, 32, "unknown scan.ignore field \"expires\"");
    invalidAt("scan:\n  ignore: CVE-1-2\n", 2, 11, "scan.ignore must be a list");
    invalidAt("scan:\n  severity: [SEVERE]\n", 2, 14, "scan.severity must be one of CRITICAL, HIGH, MEDIUM, LOW, NEGLIGIBLE, UNKNOWN");
    invalidAt("scan:\n  ignore-unfixed: true\n", 2, 3, "did you mean ignoreUnfixed?");
  });
});
