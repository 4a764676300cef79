// Compose projects into workloads: interpolation, extends, include, and multi-file merging as `docker compose config`
// does them, each value keeping the file and place it was written.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { TextLocation } from "../../src/core/finding.ts";
import { composeWorkloads, type ComposeFile } from "../../src/runtime/compose.ts";
import { parseDotEnv, interpolate } from "../../src/runtime/interpolate.ts";
import type { Workload } from "../../src/runtime/model.ts";

function where(at: TextLocation | undefined): string {
  return at === undefined ? "" : `${at.file}:${at.start.line}:${at.start.column}`;
}

function services(files: ComposeFile[], options: Parameters<typeof composeWorkloads>[1] = {}): Map<string, Workload> {
  const project = composeWorkloads(files, options);
  return new Map(project.workloads.map((w) => [w.name.replace(/^service "(.*)"$/, "$1"), w]));
}

describe("interpolation", () => {
  const env = new Map([["SET", "value"], ["EMPTY", ""]]);
  const cases: [string, string, string[]][] = [
    ["$SET and ${SET}", "value and value", []],
    ["${EMPTY:-default} ${EMPTY-default}", "default ", []],
    ["${UNSET:-a${SET}b}", "avalueb", []],
    ["${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}", "alt||alt", []],
    ["$$SET costs $$5", "$SET costs $5", []],
    ["${UNSET}x", "x", ["UNSET"]],
    ["${UNSET:?set it}", "", ["UNSET"]],
    ["price: $5", "price: $5", []],
  ];
  for (const [text, value, unresolved] of cases) {
    test(JSON.stringify(text), () => {
      const r = interpolate(text, env);
      assert.equal(r.value, value);
      assert.deepEqual(r.unresolved, unresolved);
    });
  }

  test(".env files: export, quotes, comments, earlier variables", () => {
    const env2 = parseDotEnv("# comment\nexport A=1\nB='$A literal'\nC=\"x\\ny\"\nD=${A}2 # trailing\n\nbad line\n");
    assert.deepEqual([...env2], [["A", "1"], ["B", "$A literal"], ["C", "x\ny"], ["D", "12"]]);
  });
});

describe("composeWorkloads", () => {
  test("variables from .env, defaults, and what stays unknown", () => {
    const s = services([{ file: "compose.yaml", text: "services:\n  web:\n    image: ${REGISTRY}/web:${TAG:-1.0}\n    privileged: ${PRIV}\n    user: ${UID}\n" }], {
      env: new Map([["REGISTRY", "r.example"]]),
    });
    const web = s.get("web");
    assert.equal(web?.image?.value, "r.example/web:1.0");
    assert.equal(web?.privileged, undefined, "an unset variable is no boolean");
    assert.equal(web?.user?.value, "", "a user from an unset variable is still set");
  });

  test("extends in the same file and from another file, base first, own settings over it", () => {
    const files = new Map([["base/common.yaml", "services:\n  hardened:\n    read_only: true\n    cap_drop: [ALL]\n    environment:\n      LOG: info\n"]]);
    const s = services([{
      file: "compose.yaml",
      text: "services:\n  base:\n    extends:\n      file: base/common.yaml\n      service: hardened\n    image: example/app:1.0\n    environment:\n      LOG: debug\n  web:\n    extends: base\n    cap_add: [NET_BIND_SERVICE]\n",
    }], { readFile: (f) => files.get(f) });
    const web = s.get("web");
    assert.equal(web?.image?.value, "example/app:1.0");
    assert.equal(web?.readOnlyRootFilesystem?.value, true);
    assert.equal(where(web?.readOnlyRootFilesystem?.at), "base/common.yaml:3:16", "the value keeps the file it was written in");
    assert.deepEqual(web?.capDrop.map((c) => c.value), ["ALL"]);
    assert.deepEqual(web?.capAdd.map((c) => c.value), ["NET_BIND_SERVICE"]);
    assert.deepEqual(web?.env.map((e) => [e.name, e.value?.value]), [["LOG", "debug"]]);
    assert.equal(where(web?.at), "compose.yaml:9:3");
  });

  test("extends errors: a loop, a missing service, an unreadable file", () => {
    assert.throws(() => services([{ file: "c.yaml", text: "services:\n  a:\n    extends: b\n  b:\n    extends: a\n" }]), { code: "RUNTIME_INVALID", message: /extends itself/ });
    assert.throws(() => services([{ file: "c.yaml", text: "services:\n  a:\n    extends: nope\n" }]), { code: "RUNTIME_INVALID", message: /no service "nope"/ });
    assert.throws(() => services([{ file: "c.yaml", text: "services:\n  a:\n    extends: {file: x.yaml, service: b}\n" }]), (e: unknown) => {
      const err = e as { code: string; location?: TextLocation; message: string };
      return err.code === "RUNTIME_INVALID" && /cannot read x\.yaml/.test(err.message) && where(err.location) === "c.yaml:3:21";
    });
  });

  test("include adds the services of other files", () => {
    const files = new Map([["db/compose.yaml", "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n"]]);
    const s = services([{ file: "compose.yaml", text: "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n" }], { readFile: (f) => files.get(f) });
    assert.deepEqual([...s.keys()].sort(), ["db", "web"]);
    assert.equal(where(s.get("db")?.ports[0]?.at), "db/compose.yaml:4:13");
  });

  test("files merge like docker compose -f a -f b", () => {
    const base = "services:\n  app:\n    image: example/app:1.0\n    command: [serve, --verbose]\n    environment:\n      - A=1\n      - B=2\n    volumes:\n      - ./data:/data\n      - logs:/logs\n    ports: [\"8080:80\"]\n    cap_add: [CHOWN]\n    privileged: true\n  worker:\n    image: example/worker:1.0\n";
    const over = "services:\n  app:\n    environment:\n      B: three\n      C: \"4\"\n    volumes:\n      - /srv/data:/data:ro\n    ports: [\"127.0.0.1:5432:5432\"]\n    cap_add: [CHOWN, NET_ADMIN]\n    privileged: !reset null\n  worker: !reset\n";
    const s = services([{ file: "compose.yaml", text: base }, { file: "compose.override.yaml", text: over }]);
    const app = s.get("app");
    assert.deepEqual(app?.env.map((e) => [e.name, e.value?.value]), [["A", "1"], ["B", "three"], ["C", "4"]]);
    assert.deepEqual(app?.mounts.map((m) => [m.hostPath ?? null, m.target, m.readOnly]), [["/srv/data", "/data", true], [null, "/logs", false]]);
    assert.equal(where(app?.mounts[0]?.at), "compose.override.yaml:7:9");
    assert.deepEqual(app?.ports.map((p) => [p.hostIp ?? null, p.hostPort]), [[null, 8080], ["127.0.0.1", 5432]]);
    assert.deepEqual(app?.capAdd.map((c) => c.value), ["CHOWN", "NET_ADMIN"]);
    assert.equal(app?.privileged, undefined, "!reset removes it");
    assert.equal(s.has("worker"), false);
    assert.equal(where(app?.env[0]?.value?.at), "compose.yaml:6:11", "a list item's value is located inside the item");
  });

  test("!override replaces a list instead of extending it", () => {
    const s = services([
      { file: "a.yaml", text: "services:\n  app:\n    image: x:1\n    cap_add: [SYS_ADMIN]\n" },
      { file: "b.yaml", text: "services:\n  app:\n    cap_add: !override [CHOWN]\n" },
    ]);
    assert.deepEqual(s.get("app")?.capAdd.map((c) => c.value), ["CHOWN"]);
  });

  test("a service with neither image nor build is a fragment", () => {
    const s = services([{ file: "compose.override.yaml", text: "services:\n  app:\n    environment:\n      A: 1\n" }]);
    assert.equal(s.get("app")?.fragment, true);
  });

  const invalid: [string, string, RegExp, string][] = [
    ["services not a mapping", "services:\n  - web\n", /services must be a mapping/, "c.yaml:2:3"],
    ["a service that is a string", "services:\n  web: nginx\n", /service "web" must be a mapping/, "c.yaml:2:8"],
    ["a duplicate key", "services:\n  web:\n    image: a:1\n    image: b:1\n", /written twice/, "c.yaml:4:5"],
    ["a list at the top", "- services\n", /a compose file is a mapping/, "c.yaml:1:1"],
  ];
  for (const [name, text, message, at] of invalid) {
    test(`${name}: RUNTIME_INVALID at ${at}`, () => {
      assert.throws(() => services([{ file: "c.yaml", text }]), (e: unknown) => {
        const err = e as { code: string; location?: TextLocation; message: string };
        assert.equal(err.code, "RUNTIME_INVALID");
        assert.match(err.message, message);
        assert.equal(where(err.location), at);
        return true;
      });
    });
  }
});
