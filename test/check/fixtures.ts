// A vulnerability database for check tests: lodash's and requests' real advisories (test/vuln/fixtures.ts),
// imported from OSV files as `drydock db import` does.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importAdvisories } from "../../src/vuln/db/import.ts";
import { LODASH, REQUESTS_GHSA } from "../vuln/fixtures.ts";

export async function buildCheckDb(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "lodash.json"), JSON.stringify(LODASH));
  writeFileSync(join(dir, "requests.json"), JSON.stringify(REQUESTS_GHSA));
  const dbPath = join(dir, "vuln.db");
  await importAdvisories({ dbPath, files: [join(dir, "lodash.json"), join(dir, "requests.json")], now: new Date("2026-01-01T00:00:00Z") });
  return dbPath;
}
