// Runs an import in its own process so a test can kill it mid-way: prints one line per progress report.
import { importAdvisories } from "../../src/vuln/db/import.ts";

const [dbPath = "", ...files] = process.argv.slice(2);
await importAdvisories({ dbPath, files, onProgress: (p) => process.stdout.write(`progress ${p.records}\n`) });
process.stdout.write("done\n");
