// Renders the HTML report of the bundled examples (lint and runtime findings on examples/, an audited image, a
// scan against advisories of well-known vulnerabilities; see test/report/html-fixture.ts) and takes screenshots
// with headless Chromium, for the README and docs:
//
//   node scripts/html-screenshot.ts                 docs/images/report.png (the top of the page) and
//                                                   docs/images/report-images.png (filtered to the image area:
//                                                   findings, layers, packages, vulnerability chart)
//   node scripts/html-screenshot.ts --html r.html   also keeps the rendered page
//
// Needs Debian's chromium and fonts-dejavu-core. The output depends on the examples only (fixed timestamp).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { renderHtmlReport } from "../src/report/html.ts";
import { buildExampleReport, findChromium, ROOT, runChromium } from "../test/report/html-fixture.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: join(ROOT, "docs", "images") }, html: { type: "string" } } });
const chromium = findChromium();
if (chromium === undefined) {
  process.stderr.write("chromium not found: apt-get install chromium fonts-dejavu-core\n");
  process.exit(2);
}
const outDir = resolve(values.out);
mkdirSync(outDir, { recursive: true });
const { report, extras } = await buildExampleReport();
const html = renderHtmlReport(report, extras);
const work = mkdtempSync(join(tmpdir(), "drydock-html-shot-"));
try {
  const page = join(work, "report.html");
  writeFileSync(page, html);
  if (values.html !== undefined) writeFileSync(resolve(values.html), html);
  const shots = [
    { file: "report.png", url: pathToFileURL(page).href, width: 1400, height: 1100 },
    { file: "report-images.png", url: `${pathToFileURL(page).href}#area=images`, width: 1400, height: 2700 },
  ];
  for (const shot of shots) {
    runChromium(chromium, shot.url, { screenshot: join(outDir, shot.file), width: shot.width, height: shot.height });
    process.stdout.write(`${join(outDir, shot.file)}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
