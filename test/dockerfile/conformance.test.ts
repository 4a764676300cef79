// BuildKit's own parser test files (../shared/conformance/buildkit-parser): every positive dump must match
// byte for byte, every negative case must fail with an error naming the file and line.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { dumpDockerfile } from "../../src/dockerfile/dump.ts";
import { DrydockError } from "../../src/core/errors.ts";

// The shared data sits beside the project (../shared); DRYDOCK_SHARED points elsewhere when it does not.
const shared = process.env.DRYDOCK_SHARED ?? join(import.meta.dirname, "../../../shared");
const root = join(shared, "conformance/buildkit-parser");
const skip = existsSync(root) ? false : `BuildKit conformance data not found at ${root} (set DRYDOCK_SHARED)`;
if (skip !== false) console.error(`SKIPPED: ${skip}`);

describe("BuildKit parser conformance: positive", { skip }, () => {
  const cases = skip === false ? readdirSync(join(root, "positive")) : [];
  test("all 33 cases are present", () => assert.equal(cases.length, 33));
  for (const name of cases) {
    test(name, () => {
      const text = readFileSync(join(root, "positive", name, "Dockerfile"), "utf8");
      const expected = readFileSync(join(root, "positive", name, "result"), "utf8").replace(/\n$/, "");
      assert.equal(dumpDockerfile(parseDockerfile(text, { file: `${name}/Dockerfile` })), expected);
    });
  }
});

describe("BuildKit parser conformance: negative", { skip }, () => {
  const cases = skip === false ? readdirSync(join(root, "negative")) : [];
  test("all 4 cases are present", () => assert.equal(cases.length, 4));
  for (const name of cases) {
    test(name, () => {
      const text = readFileSync(join(root, "negative", name, "Dockerfile"), "utf8");
      const file = `${name}/Dockerfile`;
      assert.throws(() => parseDockerfile(text, { file }), (e: unknown) => {
        assert.ok(e instanceof DrydockError);
        assert.ok(e.location?.kind === "text" && e.location.file === file, "names the file");
        assert.ok(e.location.start.line >= 1, "names a line");
        assert.ok(e.message.length > 10, e.message);
        return true;
      });
    });
  }
});
