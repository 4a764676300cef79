// Every fix: the exact text after it, and linting that text again — the finding is gone and nothing new appears.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { applyEdits, fixDockerfile, type FixRequest, type FixResult } from "../../src/fix/apply.ts";
import { lintDockerfiles } from "../../src/lint.ts";

async function ruleCounts(text: string): Promise<Map<string, number>> {
  const { report } = await lintDockerfiles({ inputs: [{ file: "Dockerfile", text }], shellcheck: "off" });
  assert.deepEqual(report.errors, [], "the text must parse");
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

/** Fixes text; checks it became `expected` byte for byte, that `fixed` rules are gone and no rule gained a finding. */
async function fixes(text: string, expected: string, fixed: readonly string[], request: FixRequest = {}): Promise<FixResult> {
  const result = await fixDockerfile({ file: "Dockerfile", text }, request);
  assert.equal(result.after, expected);
  const before = await ruleCounts(text);
  const after = await ruleCounts(result.after);
  for (const id of fixed) {
    assert.ok((before.get(id) ?? 0) > 0, `${id} must fire before the fix`);
    assert.equal(after.get(id), undefined, `${id} must be gone after the fix`);
  }
  for (const [id, n] of after) assert.ok(n <= (before.get(id) ?? 0), `the fix added a ${id} finding`);
  assert.deepEqual([...new Set(result.applied.map((a) => a.ruleId))].sort(), [...fixed].sort());
  return result;
}

/** The rule fires and the text is left as it is (the fix would not be exact). */
async function leaves(text: string, ruleId: string, request: FixRequest = {}): Promise<void> {
  assert.ok(((await ruleCounts(text)).get(ruleId) ?? 0) > 0, `${ruleId} must fire`);
  const result = await fixDockerfile({ file: "Dockerfile", text }, request);
  assert.ok(!result.applied.some((a) => a.ruleId === ruleId), `${ruleId} must not be fixed`);
}

const APT_OK = "apt-get install -y --no-install-recommends curl=7.88.*";

describe("apt-get (DL3009, DL3014, DL3015)", () => {
  test("one line: the cleanup joins the RUN", async () => {
    await fixes(`FROM debian:12\nRUN apt-get update && ${APT_OK}\n`,
      `FROM debian:12\nRUN apt-get update && ${APT_OK} && rm -rf /var/lib/apt/lists/*\n`, ["DL3009"]);
  });

  test("operator-first continuations: flags added, cleanup on a new line indented the same, comment kept", async () => {
    await fixes("FROM debian:12\n# tools\nRUN apt-get update \\\n && apt-get install curl=7.88.*\n",
      "FROM debian:12\n# tools\nRUN apt-get update \\\n && apt-get install --no-install-recommends -y curl=7.88.* \\\n && rm -rf /var/lib/apt/lists/*\n",
      ["DL3009", "DL3014", "DL3015"]);
  });

  test("operator-last continuations keep their style", async () => {
    await fixes(`FROM debian:12\nRUN apt-get update && \\\n    ${APT_OK}\n`,
      `FROM debian:12\nRUN apt-get update && \\\n    ${APT_OK} && \\\n    rm -rf /var/lib/apt/lists/*\n`, ["DL3009"]);
  });

  test("lists a later RUN still needs are kept", async () => {
    await leaves(`FROM debian:12\nRUN apt-get update\nRUN ${APT_OK}\n`, "DL3009");
  });

  test("a trailing shell comment is not extended", async () => {
    await leaves(`FROM debian:12\nRUN apt-get update && ${APT_OK} # deps\n`, "DL3009");
  });
});

describe("ADD → COPY (DL3020)", () => {
  test("plain file, flags COPY shares, lower-case keyword kept lower-case", async () => {
    await fixes("FROM debian:12\nADD --chown=1:1 app.conf /etc/app/\nadd conf/*.ini /etc/app/\n",
      "FROM debian:12\nCOPY --chown=1:1 app.conf /etc/app/\ncopy conf/*.ini /etc/app/\n", ["DL3020"]);
  });

  test("a pattern that could match an archive stays ADD", async () => {
    await leaves("FROM debian:12\nADD files/* /srv/\n", "DL3020");
  });

  test("ADD-only flags stay ADD", async () => {
    await leaves("FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d app.conf /etc/\n", "DL3020");
  });

  test("an ignore pragma is honoured", async () => {
    const text = "FROM debian:12\n# hadolint ignore=DL3020\nADD app.conf /etc/app/\n";
    const result = await fixDockerfile({ file: "Dockerfile", text });
    assert.equal(result.after, text);
  });
});

describe("shell form → exec form (DL3025, JSONArgsRecommended)", () => {
  test("plain words; `exec` dropped; continuation joined", async () => {
    await fixes("FROM node:22\nENTRYPOINT exec node server.js\n", 'FROM node:22\nENTRYPOINT ["node", "server.js"]\n', ["DL3025"]);
    await fixes("FROM node:22\nCMD node \\\n  --enable-source-maps server.js\n", 'FROM node:22\nCMD ["node", "--enable-source-maps", "server.js"]\n', ["DL3025"]);
  });

  test("shell syntax, builtins and an ENTRYPOINT a CMD follows stay in shell form", async () => {
    await leaves("FROM node:22\nCMD node $APP\n", "DL3025");
    await leaves("FROM node:22\nCMD node a.js && node b.js\n", "DL3025");
    await leaves("FROM node:22\nCMD cd /app\n", "DL3025");
    await leaves("FROM node:22\nCMD NODE_ENV=production node server.js\n", "DL3025");
    await leaves("FROM node:22\nENTRYPOINT node server.js\nCMD [\"--port\", \"80\"]\n", "DL3025");
    await leaves("FROM node:22 AS base\nENTRYPOINT [\"node\"]\nFROM base\nCMD server.js\n", "DL3025");
  });
});

describe("npm install → npm ci (DD009)", () => {
  test("when the lockfile was copied before", async () => {
    await fixes("FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install --omit=dev\n",
      "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n", ["DD009"]);
    await fixes('FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN ["npm", "install"]\n',
      'FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN ["npm", "ci"]\n', ["DD009"]);
  });

  test("not without a lockfile", async () => {
    await leaves("FROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\n", "DD009");
  });
});

describe("USER (DD001, --add-user)", () => {
  const text = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM debian:12\nCOPY --from=build /app /app\n# serve\nCMD [\"/app\"]\n";
  test("only when asked: before the final stage's CMD and its comment", async () => {
    await leaves(text, "DD001");
    await fixes(text, text.replace("# serve\n", "USER 65532:65532\n# serve\n"), ["DD001"], { addUser: "65532:65532" });
  });

  test("at the end of a file without a final newline", async () => {
    await fixes("FROM debian:12\nCOPY app /app", "FROM debian:12\nCOPY app /app\nUSER 1000\n", ["DD001"], { addUser: "1000" });
  });
});

describe("the orchestration", () => {
  test("--rule restricts the fixes; lines refer to the original file", async () => {
    const text = `FROM debian:12\nADD app.conf /etc/\nRUN apt-get update && ${APT_OK}\nCMD app\n`;
    const only = await fixes(text, text.replace("CMD app", 'CMD ["app"]'), ["DL3025"], { rules: ["hadolint:DL3025"] });
    assert.deepEqual(only.applied.map((a) => a.line), [4]);
    const all = await fixDockerfile({ file: "Dockerfile", text });
    assert.deepEqual(all.applied.map((a) => [a.ruleId, a.line]), [["DL3009", 3], ["DL3020", 2], ["DL3025", 4]]);
  });

  test("a file that does not parse is left alone with its error", async () => {
    const text = "FROM debian:12\nCMD [\"a\",\n";
    const result = await fixDockerfile({ file: "Dockerfile", text });
    assert.equal(result.after, text);
    assert.ok(result.errors.length > 0);
  });

  test("applyEdits drops duplicates and overlaps, keeps inserts in order", () => {
    assert.equal(applyEdits("abcdef", [{ start: 1, end: 3, text: "X" }, { start: 2, end: 4, text: "Y" }, { start: 1, end: 3, text: "X" }, { start: 6, end: 6, text: "1" }, { start: 6, end: 6, text: "2" }]), "aXdef12");
  });
});
