// Writes docs/rules/ from the rule metadata. The registry test fails when the pages are out of date.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ruleDocPages } from "../src/cli/docs.ts";
import { dockerfileRules } from "../src/rules/dockerfile/index.ts";

const dir = join(import.meta.dirname, "../docs/rules");
mkdirSync(dir, { recursive: true });
const pages = ruleDocPages(dockerfileRules);
for (const f of readdirSync(dir)) if (!pages.has(f)) rmSync(join(dir, f));
for (const [name, text] of pages) writeFileSync(join(dir, name), text);
console.log(`wrote ${pages.size} pages to docs/rules/`);
