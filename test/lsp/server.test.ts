// Drives the real `drydock lsp --stdio` as a child process, as an editor would.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { VERSION } from "../../src/version.ts";
import { applyTextEdits, LspClient, type JsonObject } from "./client.ts";

/** The diagnostic of a rule, failing when there is not exactly one. */
function only(diagnostics: readonly JsonObject[], code: string): JsonObject {
  const found = diagnostics.filter((d) => d["code"] === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(diagnostics.map((d) => d["code"]))}`);
  return found[0] as JsonObject;
}

const codes = (diagnostics: readonly JsonObject[]): string[] => diagnostics.map((d) => String(d["code"])).sort();

/** A range on one 0-based line from a JavaScript (UTF-16) index into that line. */
function rangeOn(line: number, lineText: string, word: string): JsonObject {
  const at = lineText.indexOf(word);
  assert.notEqual(at, -1);
  return { start: { line, character: at }, end: { line, character: at + word.length } };
}

describe("drydock lsp over stdio", () => {
  let dir: string;
  let client: LspClient;
  let dockerfileUri: string;
  let dockerfile: string;
  // Non-ASCII before the findings on their own line and above them: é is 2 UTF-8 bytes, 😀 4 bytes and 2 UTF-16 units.
  const runLine = 'RUN echo "héllo 😀 日本" && apk add curl';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "drydock-lsp-"));
    await writeFile(path.join(dir, ".hadolint.yaml"), "ignored:\n  - DD002\n");
    client = new LspClient();
    dockerfileUri = pathToFileURL(path.join(dir, "Dockerfile")).href;
    dockerfile = `FROM alpine:3.20\n# ünïcödé 😀\n${runLine}\n`;
  });

  after(async () => {
    client.kill();
    await rm(dir, { recursive: true, force: true });
  });

  test("a request before initialize is refused with ServerNotInitialized", async () => {
    const response = await client.request("textDocument/codeAction", {});
    assert.equal((response["error"] as JsonObject)["code"], -32002);
  });

  test("initialize reports full-text sync with incremental changes, quick fixes and the server's version", async () => {
    const response = await client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    assert.deepEqual(response["result"], {
      capabilities: {
        positionEncoding: "utf-16",
        textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ["quickfix"] },
      },
      serverInfo: { name: "drydock", version: VERSION },
    });
    client.notify("initialized", {});
    const registration = await client.waitFor((m) => m["method"] === "client/registerCapability", "the file watcher registration");
    const regs = (registration["params"] as JsonObject)["registrations"] as JsonObject[];
    assert.equal(regs[0]?.["method"], "workspace/didChangeWatchedFiles");
    client.send({ jsonrpc: "2.0", id: registration["id"] as string, result: null });
  });

  test("opening a Dockerfile publishes its findings with exact UTF-16 ranges, severities, codes and rule links", async () => {
    client.notify("textDocument/didOpen", { textDocument: { uri: dockerfileUri, languageId: "dockerfile", version: 1, text: dockerfile } });
    const diagnostics = await client.diagnostics(dockerfileUri, 1);
    // DD002 is ignored by the workspace's .hadolint.yaml.
    assert.deepEqual(codes(diagnostics), ["DD001", "DD010", "DL3018", "DL3019"]);
    assert.deepEqual(only(diagnostics, "DL3019"), {
      range: rangeOn(2, runLine, "add"),
      severity: 3,
      code: "DL3019",
      codeDescription: { href: "https://github.com/hadolint/hadolint/wiki/DL3019" },
      source: "drydock",
      message: "apk add keeps the package indexes in /var/cache/apk: add --no-cache",
    });
    const pin = only(diagnostics, "DL3018");
    assert.deepEqual(pin["range"], rangeOn(2, runLine, "curl"));
    assert.equal(pin["severity"], 2);
    // Not bytes, not code points: the UTF-8 offset and the code point count of "curl" both differ from what we sent.
    const utf16 = runLine.indexOf("curl");
    assert.notEqual(Buffer.byteLength(runLine.slice(0, utf16)), utf16);
    assert.notEqual([...runLine.slice(0, utf16)].length, utf16);
    assert.deepEqual(only(diagnostics, "DD001")["range"], rangeOn(0, "FROM alpine:3.20", "alpine:3.20"));
  });

  test("an incremental change is applied and linted again", async () => {
    const at = runLine.indexOf("curl") + "curl".length;
    client.notify("textDocument/didChange", {
      textDocument: { uri: dockerfileUri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: at }, end: { line: 2, character: at } }, text: "=8.9.1-r0" }],
    });
    dockerfile = dockerfile.replace("add curl", "add curl=8.9.1-r0");
    const diagnostics = await client.diagnostics(dockerfileUri, 2);
    assert.deepEqual(codes(diagnostics), ["DD001", "DD010", "DL3019"]);
    assert.deepEqual(only(diagnostics, "DL3019")["range"], rangeOn(2, runLine, "add"));
  });

  test("the quick fix's edit removes its finding and adds none", async () => {
    const current = await codeActionsFor("DL3019");
    const fix = current.actions.find((a) => a["isPreferred"] === true);
    assert.ok(fix !== undefined, JSON.stringify(current.actions));
    assert.equal(fix["title"], "drydock: fix DL3019 (Use the --no-cache switch with apk add)");
    assert.equal(fix["kind"], "quickfix");
    assert.deepEqual(fix["diagnostics"], [current.diagnostic]);
    const edits = ((fix["edit"] as JsonObject)["changes"] as JsonObject)[dockerfileUri] as JsonObject[];
    dockerfile = applyTextEdits(dockerfile, edits);
    assert.match(dockerfile, /apk add --no-cache curl=8\.9\.1-r0/);
    client.notify("textDocument/didChange", { textDocument: { uri: dockerfileUri, version: 3 }, contentChanges: [{ text: dockerfile }] });
    assert.deepEqual(codes(await client.diagnostics(dockerfileUri, 3)), ["DD001", "DD010"]);
  });

  test("the ignore action writes the pragma above the instruction, and the finding is gone", async () => {
    const current = await codeActionsFor("DD010");
    assert.equal(current.actions.some((a) => a["isPreferred"] === true), false, "DD010 has no automatic fix");
    const ignore = current.actions.find((a) => a["title"] === "drydock: ignore DD010 on this line");
    assert.ok(ignore !== undefined, JSON.stringify(current.actions));
    const edits = ((ignore["edit"] as JsonObject)["changes"] as JsonObject)[dockerfileUri] as JsonObject[];
    dockerfile = applyTextEdits(dockerfile, edits);
    assert.equal(dockerfile.split("\n")[2], "# drydock ignore=DD010");
    client.notify("textDocument/didChange", { textDocument: { uri: dockerfileUri, version: 4 }, contentChanges: [{ text: dockerfile }] });
    assert.deepEqual(codes(await client.diagnostics(dockerfileUri, 4)), ["DD001"]);
  });

  test("a hadolint rule's ignore joins an existing pragma above the instruction", async () => {
    const text = "FROM alpine:3.20\n# hadolint ignore=DL3019\nRUN apk add curl\n";
    const uri = pathToFileURL(path.join(dir, "api.Dockerfile")).href;
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "dockerfile", version: 1, text } });
    const diagnostic = only(await client.diagnostics(uri, 1), "DL3018");
    const response = await client.request("textDocument/codeAction", { textDocument: { uri }, range: diagnostic["range"] ?? null, context: { diagnostics: [diagnostic] } });
    const ignore = (response["result"] as JsonObject[]).find((a) => a["title"] === "drydock: ignore DL3018 on this line");
    assert.ok(ignore !== undefined);
    const fixed = applyTextEdits(text, ((ignore["edit"] as JsonObject)["changes"] as JsonObject)[uri] as JsonObject[]);
    assert.equal(fixed, "FROM alpine:3.20\n# hadolint ignore=DL3019,DL3018\nRUN apk add curl\n");
    client.notify("textDocument/didClose", { textDocument: { uri } });
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test("CRLF line ends: ranges are per line and an inserted pragma ends with CRLF", async () => {
    const text = "FROM alpine:3.20\r\nRUN apk add curl\r\n";
    const uri = pathToFileURL(path.join(dir, "crlf.Dockerfile")).href;
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "dockerfile", version: 1, text } });
    const diagnostic = only(await client.diagnostics(uri, 1), "DL3018");
    assert.deepEqual(diagnostic["range"], rangeOn(1, "RUN apk add curl", "curl"));
    const response = await client.request("textDocument/codeAction", { textDocument: { uri }, range: diagnostic["range"] ?? null, context: { diagnostics: [diagnostic] } });
    const ignore = (response["result"] as JsonObject[]).find((a) => a["title"] === "drydock: ignore DL3018 on this line");
    assert.ok(ignore !== undefined);
    const fixed = applyTextEdits(text, ((ignore["edit"] as JsonObject)["changes"] as JsonObject)[uri] as JsonObject[]);
    assert.equal(fixed, "FROM alpine:3.20\r\n# hadolint ignore=DL3018\r\nRUN apk add curl\r\n");
    client.notify("textDocument/didClose", { textDocument: { uri } });
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test("a compose file gets runtime diagnostics, and its ignore pragma works", async () => {
    const uri = pathToFileURL(path.join(dir, "compose.yaml")).href;
    const line = "    privileged: true";
    let text = `services:\n  # dépôt 😀\n  web:\n    image: nginx:1.27\n${line}\n`;
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const diagnostics = await client.diagnostics(uri, 1);
    const privileged = only(diagnostics, "DR001");
    assert.deepEqual(privileged["range"], rangeOn(4, line, "true"));
    assert.equal(privileged["severity"], 1);
    const response = await client.request("textDocument/codeAction", { textDocument: { uri }, range: privileged["range"] ?? null, context: { diagnostics: [privileged] } });
    const ignore = (response["result"] as JsonObject[]).find((a) => a["title"] === "drydock: ignore DR001 on this line");
    assert.ok(ignore !== undefined, JSON.stringify(response));
    text = applyTextEdits(text, ((ignore["edit"] as JsonObject)["changes"] as JsonObject)[uri] as JsonObject[]);
    assert.equal(text.split("\n")[4], "    # drydock ignore=DR001");
    client.notify("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    assert.deepEqual(codes(await client.diagnostics(uri, 2)), codes(diagnostics).filter((c) => c !== "DR001"));
  });

  test("a Kubernetes manifest is recognised by its kind; other YAML gets nothing", async () => {
    const uri = pathToFileURL(path.join(dir, "pod.yaml")).href;
    const text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n  containers:\n    - name: web\n      image: nginx:1.27\n";
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    assert.deepEqual(only(await client.diagnostics(uri, 1), "DR007")["range"], rangeOn(5, "  hostNetwork: true", "true"));
    const other = pathToFileURL(path.join(dir, "ci.yaml")).href;
    client.notify("textDocument/didOpen", { textDocument: { uri: other, languageId: "yaml", version: 1, text: "steps:\n  - run: make\n" } });
    assert.deepEqual(await client.diagnostics(other, 1), []);
  });

  test("a broken compose file is one error diagnostic at the YAML problem", async () => {
    const uri = pathToFileURL(path.join(dir, "docker-compose.yml")).href;
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text: "services:\n  web: [\n" } });
    const diagnostics = await client.diagnostics(uri, 1);
    assert.deepEqual(codes(diagnostics), ["YAML_SYNTAX"]);
    assert.equal(diagnostics[0]?.["severity"], 1);
  });

  test("malformed frames and messages get error responses, and the server keeps working", async () => {
    client.sendRaw("Content-Length: 9\r\n\r\n{not json");
    const parse = await client.waitFor((m) => m["id"] === null && "error" in m, "the parse error");
    assert.equal((parse["error"] as JsonObject)["code"], -32700);
    client.send({ jsonrpc: "2.0", id: 99 });
    const invalid = await client.waitFor((m) => m["id"] === 99, "the invalid request error");
    assert.equal((invalid["error"] as JsonObject)["code"], -32600);
    client.notify("$/somethingUnknown", { x: 1 });
    const unknown = await client.request("textDocument/hover", { textDocument: { uri: dockerfileUri }, position: { line: 0, character: 0 } });
    assert.equal((unknown["error"] as JsonObject)["code"], -32601);
    const actions = await client.request("textDocument/codeAction", { textDocument: { uri: dockerfileUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    assert.ok(Array.isArray(actions["result"]));
  });

  test("a changed config file is read again: the rule it stopped ignoring is reported", async () => {
    await writeFile(path.join(dir, ".hadolint.yaml"), "ignored: []\n");
    client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(path.join(dir, ".hadolint.yaml")).href, type: 2 }] });
    assert.deepEqual(codes(await client.diagnostics(dockerfileUri, 4)), ["DD001", "DD002"]);
  });

  test("a saved, invalid config is shown on the config file, and linting goes on with defaults", async () => {
    const config = path.join(dir, ".hadolint.yaml");
    await writeFile(config, "ignored: 12\n");
    // Saving the config in the editor is enough, without a file watcher.
    client.notify("textDocument/didSave", { textDocument: { uri: pathToFileURL(config).href } });
    const problems = await client.diagnostics(pathToFileURL(config).href);
    assert.deepEqual(codes(problems), ["CONFIG_INVALID"]);
    assert.deepEqual(problems[0]?.["range"], rangeOn(0, "ignored: 12", "12"));
    assert.deepEqual(codes(await client.diagnostics(dockerfileUri, 4)), ["DD001", "DD002"]);
  });

  test("closing a document clears its diagnostics", async () => {
    client.notify("textDocument/didClose", { textDocument: { uri: dockerfileUri } });
    assert.deepEqual(await client.diagnostics(dockerfileUri), []);
  });

  test("shutdown then exit ends the process with 0; requests after shutdown are refused", async () => {
    const done = await client.request("shutdown", null);
    assert.equal(done["result"], null);
    assert.equal("error" in done, false);
    const late = await client.request("textDocument/codeAction", {});
    assert.equal((late["error"] as JsonObject)["code"], -32600);
    client.notify("exit", null);
    assert.equal(await client.exited, 0);
    assert.equal(client.stderr, "");
  });

  async function codeActionsFor(code: string): Promise<{ diagnostic: JsonObject; actions: JsonObject[] }> {
    // The last published diagnostics are the ones an editor holds; ask for them at the finding's range.
    const response = await client.request("textDocument/codeAction", {
      textDocument: { uri: dockerfileUri },
      range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } },
      context: { diagnostics: [] },
    });
    const all = response["result"] as JsonObject[];
    const actions = all.filter((a) => ((a["diagnostics"] as JsonObject[])[0] as JsonObject)["code"] === code);
    const diagnostic = (actions[0]?.["diagnostics"] as JsonObject[] | undefined)?.[0];
    assert.ok(diagnostic !== undefined, `actions for ${code} in ${JSON.stringify(all.map((a) => a["title"]))}`);
    // Asking with the diagnostic itself (as editors do) gives the same actions.
    const asked = await client.request("textDocument/codeAction", { textDocument: { uri: dockerfileUri }, range: diagnostic["range"] ?? null, context: { diagnostics: [diagnostic] } });
    assert.deepEqual(asked["result"], actions);
    return { diagnostic, actions };
  }
});

test("exit without shutdown ends the process with status 1, as the protocol says", async () => {
  const client = new LspClient();
  try {
    await client.request("initialize", { processId: null, rootUri: null, capabilities: {} });
    client.notify("exit", null);
    assert.equal(await client.exited, 1);
    assert.match(client.stderr, /LSP_PROTOCOL/);
  } finally {
    client.kill();
  }
});
