// The real tools the report tests use as oracles: xmllint (Debian libxml2-utils) and SARIF Multitool (npm).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs xmllint on a document given on stdin ("-" is added as the last argument). */
export function xmllint(args: readonly string[], xml: string): ToolRun {
  const run = spawnSync("xmllint", [...args, "-"], { input: xml, encoding: "utf8" });
  if (run.error !== undefined) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${run.error.message}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The value of an XPath expression (count(), string(), ...) over the document, as xmllint computes it. */
export function xpath(xml: string, expression: string): string {
  const run = xmllint(["--xpath", expression], xml);
  if (run.status !== 0) throw new Error(`xmllint --xpath ${expression} failed: ${run.stderr}`);
  return run.stdout.endsWith("\n") ? run.stdout.slice(0, -1) : run.stdout;
}

export interface SarifIssue {
  ruleId: string;
  level: string;
  text: string;
}

/**
 * Validates SARIF logs with Microsoft's SARIF Multitool, all in one run (it takes about a second to start):
 * the JSON schema, the SARIF best-practice rules and GitHub's ingestion rules (GH*). Returns what it reported
 * for each log by name; level "error" means the log is invalid.
 */
export function validateSarif(logs: Record<string, string>): Map<string, SarifIssue[]> {
  // The package's bin script runs the tool through a shell, which would split "Sarif;Gh": call the binary.
  const binary: unknown = createRequire(import.meta.url)("@microsoft/sarif-multitool");
  if (typeof binary !== "string") throw new Error("@microsoft/sarif-multitool did not resolve to its binary");
  const dir = mkdtempSync(join(tmpdir(), "drydock-sarif-"));
  try {
    const names = Object.keys(logs);
    const inputs = names.map((name, i) => {
      const file = join(dir, `in${i}.sarif`);
      writeFileSync(file, logs[name] ?? "");
      return file;
    });
    const output = join(dir, "out.sarif");
    const run = spawnSync(binary, ["validate", ...inputs, "-o", output, "--rule-kind", "Sarif;Gh"], { encoding: "utf8" });
    if (run.error !== undefined) throw run.error;
    const parsed = JSON.parse(readFileSync(output, "utf8")) as ValidatorLog;
    const found = new Map<string, SarifIssue[]>(names.map((name) => [name, []]));
    const validatorRun = parsed.runs[0];
    for (const r of validatorRun?.results ?? []) {
      const uri = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
      const name = names[inputs.findIndex((file) => uri === pathToFileURL(file).href)];
      if (name === undefined) throw new Error(`validator result for an unknown file: ${uri}`);
      // A result without a level takes its rule's default level, and SARIF's default is "warning".
      const rule = r.ruleIndex === undefined ? undefined : validatorRun?.tool.driver.rules?.[r.ruleIndex];
      const level = r.level ?? rule?.defaultConfiguration?.level ?? "warning";
      found.get(name)?.push({ ruleId: r.ruleId ?? "", level, text: [r.ruleId, ...(r.message?.arguments ?? [])].join(" ") });
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ValidatorLog {
  runs: {
    tool: { driver: { rules?: { defaultConfiguration?: { level?: string } }[] } };
    results?: {
      ruleId?: string;
      ruleIndex?: number;
      level?: string;
      message?: { arguments?: string[] };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
    }[];
  }[];
}
