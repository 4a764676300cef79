// The positioned YAML layer: places of keys and values, aliases and merge keys as compose-go and Kubernetes read them,
// YAML 1.1 booleans, block scalars mapped back to the file, and hostile input bounded with clear errors.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDrydockError } from "../../src/core/errors.ts";
import type { TextLocation } from "../../src/core/finding.ts";
import {
  boolOf, intOf, locateInScalar, parseYamlDocuments, pathOf, plainOf, valueOf, type YNode,
} from "../../src/runtime/yaml.ts";

function where(at: TextLocation): string {
  return `${at.start.line}:${at.start.column}-${at.end.line}:${at.end.column}`;
}

function root(text: string): YNode {
  const node = parseYamlDocuments(text, "f.yaml")[0]?.root;
  assert.ok(node !== undefined);
  return node;
}

describe("parseYamlDocuments", () => {
  test("keys and values carry file:line:column, end exclusive", () => {
    const r = root("a:\n  b: hello\n  c: [1, two]\n");
    const b = pathOf(r, "a", "b");
    assert.equal(b?.at.file, "f.yaml");
    assert.equal(where(b!.at), "2:6-2:11");
    const entry = valueOf(r, "a");
    assert.equal(entry?.kind, "map");
    if (entry?.kind === "map") assert.equal(where(entry.entries[1]!.keyAt), "3:3-3:4");
    assert.deepEqual(plainOf(r), { a: { b: "hello", c: [1, "two"] } });
  });

  test("every document of a stream, empty ones kept as empty", () => {
    const docs = parseYamlDocuments("a: 1\n---\n---\nb: 2\n", "f.yaml");
    assert.deepEqual(docs.map((d) => (d.root === undefined ? null : plainOf(d.root))), [{ a: 1 }, null, { b: 2 }]);
    assert.deepEqual(docs.map((d) => d.index), [0, 1, 2]);
  });

  test("merge keys: own keys win, then earlier merged maps; values keep the anchor's place", () => {
    const r = root("x: &x\n  a: 1\n  b: 1\ny: &y\n  b: 2\n  c: 2\nz:\n  <<: [*x, *y]\n  c: 3\n");
    assert.deepEqual(plainOf(valueOf(r, "z")!), { c: 3, a: 1, b: 1 });
    assert.equal(where(pathOf(r, "z", "a")!.at), "2:6-2:7");
  });

  test("a key written twice: the last wins, and the duplicate is recorded", () => {
    const [doc] = parseYamlDocuments("kind: Secret\ntype: a\ndata: {}\ntype: b\n", "f.yaml");
    assert.equal(valueOf(doc?.root, "type")?.kind === "scalar" && (valueOf(doc?.root, "type") as { value: unknown }).value, "b");
    assert.deepEqual(doc?.duplicateKeys.map((d) => [d.key, where(d.at)]), [["type", "4:1-4:5"]]);
  });

  test("YAML 1.1 booleans for plain scalars only; quoted true/false as compose reads them", () => {
    const r = root("a: yes\nb: 'yes'\nc: \"false\"\nd: On\ne: 1\n");
    assert.deepEqual(["a", "b", "c", "d", "e"].map((k) => boolOf(valueOf(r, k))), [true, undefined, false, true, undefined]);
    assert.equal(intOf(root("a: \"42\"\n") && valueOf(root("a: \"42\"\n"), "a")), 42);
  });

  test("a block scalar's characters map back to their lines", () => {
    const r = root("run: |\n  echo one\n  docker run --privileged alpine\n");
    const v = valueOf(r, "run");
    assert.equal(v?.kind, "scalar");
    if (v?.kind !== "scalar") return;
    const start = String(v.value).indexOf("--privileged");
    assert.equal(where(locateInScalar(v, start, start + 12)), "3:14-3:26");
  });
});

describe("bad and hostile YAML", () => {
  const cases: [string, string, string, RegExp][] = [
    ["an unclosed flow sequence", "a: [1, 2\nb: c\n", "YAML_SYNTAX", /^f\.yaml:\d+:\d+$/],
    ["a tab as indentation", "a:\n\t- b\n", "YAML_SYNTAX", /^f\.yaml:2:1$/],
    ["an alias to no anchor", "a: *nope\n", "YAML_SYNTAX", /^f\.yaml:1:4$/],
  ];
  for (const [name, text, code, at] of cases) {
    test(`${name}: ${code} with file:line:column`, () => {
      assert.throws(() => parseYamlDocuments(text, "f.yaml"), (e: unknown) => {
        assert.ok(isDrydockError(e));
        assert.equal(e.code, code);
        const loc = e.location;
        assert.ok(loc?.kind === "text");
        assert.match(`${loc.file}:${loc.start.line}:${loc.start.column}`, at);
        return true;
      });
    });
  }

  test("a billion laughs stops at the node budget, quickly", () => {
    const lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const started = performance.now();
    assert.throws(() => parseYamlDocuments(`${lines.join("\n")}\n`, "bomb.yaml"), { code: "YAML_LIMIT" });
    assert.ok(performance.now() - started < 3000, "bounded time");
  });

  test("flow collections nested 100 000 deep: rejected before parsing", () => {
    const text = `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    const started = performance.now();
    assert.throws(() => parseYamlDocuments(text, "deep.yaml"), (e: unknown) => isDrydockError(e) && e.code === "YAML_LIMIT" && e.location?.kind === "text" && e.location.start.line === 1);
    assert.ok(performance.now() - started < 500, "the pre-scan is linear");
  });

  test("block mappings nested 300 deep: a clear limit error, no stack overflow", () => {
    let text = "";
    for (let i = 0; i < 300; i++) text += `${" ".repeat(i)}k${i}:\n`;
    assert.throws(() => parseYamlDocuments(`${text}${" ".repeat(300)}v\n`, "deep.yaml"), { code: "YAML_LIMIT" });
  });

  test("a large but ordinary manifest (1 MB, 20 000 keys) parses", () => {
    const doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + Array.from({ length: 20_000 }, (_, i) => `  key${i}: "value ${i} ${"x".repeat(20)}"\n`).join("");
    const docs = parseYamlDocuments(doc, "big.yaml");
    assert.equal(docs.length, 1);
    const data = valueOf(docs[0]?.root, "data");
    assert.equal(data?.kind === "map" ? data.entries.length : 0, 20_000);
  });

  test("a file over the size limit (33 MB): refused at once, at line 1", () => {
    const started = performance.now();
    assert.throws(() => parseYamlDocuments(`a: "${"x".repeat(33 * 1024 * 1024)}"\n`, "huge.yaml"), (e: unknown) => isDrydockError(e) && e.code === "YAML_LIMIT" && e.location?.kind === "text" && e.location.start.line === 1);
    assert.ok(performance.now() - started < 1000);
  });
});
