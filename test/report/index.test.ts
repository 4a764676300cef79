import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formats, isFormatName, renderReport } from "../../src/report/index.ts";
import { emptyReport, report } from "./fixture.ts";

describe("report formats", () => {
  test("the registry names every format by its own name", () => {
    assert.deepEqual(Object.keys(formats), ["text", "json", "sarif", "checkstyle", "junit", "gitlab", "html"]);
    for (const [key, format] of Object.entries(formats)) assert.equal(format.name, key);
    assert.deepEqual(Object.values(formats).map((f) => f.mediaType),
      ["text/plain", "application/json", "application/sarif+json", "application/xml", "application/xml", "application/json", "text/html"]);
  });

  test("isFormatName accepts the keys only", () => {
    assert.ok(isFormatName("sarif"));
    assert.ok(isFormatName("html"));
    assert.ok(!isFormatName("pdf"));
    assert.ok(!isFormatName("toString"));
  });

  test("every format renders the fixed and the empty report, ends in a newline, and leaves the report alone", () => {
    const before = structuredClone(report);
    for (const name of Object.keys(formats)) {
      if (!isFormatName(name)) continue;
      for (const r of [report, emptyReport]) {
        const out = renderReport(name, r, { color: false });
        assert.ok(out.endsWith("\n"), name);
        assert.equal(out, formats[name].render(r, { color: false }));
        assert.equal(renderReport(name, r, { color: false }), out, `${name} is deterministic`);
      }
    }
    assert.deepEqual(report, before);
  });
});
