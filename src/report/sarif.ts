import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { InputError, Location, Report, RuleInfo, Severity } from "../core/finding.ts";
import { unreachable } from "../core/unreachable.ts";
import type { ReportFormat } from "./format.ts";
import { artifactOf, displayPath, fingerprintsOf, imagePath } from "./location.ts";

// SARIF 2.1.0 as GitHub code scanning reads it: one run, rules described once and referenced by index,
// every result with a physical location (GitHub rejects the whole file otherwise).

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI = "https://www.npmjs.com/package/drydock";
const SRCROOT = "%SRCROOT%";
/** partialFingerprints key; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = "drydock/v1";

type Level = "error" | "warning" | "note";
const LEVEL = { error: "error", warning: "warning", info: "note", style: "note" } as const satisfies Record<Severity, Level>;

interface SarifMessage {
  text: string;
  markdown?: string;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
interface SarifLocation {
  physicalLocation: { artifactLocation: ArtifactLocation; region?: Region };
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  properties?: Record<string, unknown>;
}
interface RuleDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: Level };
  properties?: { tags: string[] };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
}
interface Notification {
  level: "error";
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: { driver: { name: string; version: string; informationUri: string; rules: RuleDescriptor[] } };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: Notification[] }[];
      originalUriBaseIds?: Record<string, { uri: string }>;
      results: SarifResult[];
      columnKind: "utf16CodeUnits";
    },
  ];
}

export const sarif: ReportFormat = {
  name: "sarif",
  mediaType: "application/sarif+json",
  render(report, options) {
    return `${JSON.stringify(sarifLog(report, options.cwd), null, 2)}\n`;
  },
};

export function sarifLog(report: Report, cwd: string | undefined): SarifLog {
  const rules = report.rules.map(ruleDescriptor);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // A finding from a rule the report does not describe still needs a descriptor for its ruleIndex.
  for (const f of report.findings) {
    if (!ruleIndex.has(f.ruleId)) {
      ruleIndex.set(f.ruleId, rules.length);
      rules.push({ id: f.ruleId, defaultConfiguration: { level: LEVEL[f.severity] }, properties: { tags: tagsOf(f.source, f.aliases) } });
    }
  }
  const fingerprints = fingerprintsOf(report.findings, cwd);
  const results = report.findings.map((f, i): SarifResult => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [sarifLocation(f.location, cwd)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] ?? "" },
  }));
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "drydock", version: report.tool.version, informationUri: INFORMATION_URI, rules } },
        invocations: [{ executionSuccessful: report.errors.length === 0, toolExecutionNotifications: report.errors.map((e) => notification(e, cwd)) }],
        ...(cwd === undefined ? {} : { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } } }),
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}

function ruleDescriptor(rule: RuleInfo): RuleDescriptor {
  const docs = rule.docs.trim();
  const name = friendlyName(rule);
  return {
    id: rule.id,
    ...(name === undefined ? {} : { name }),
    shortDescription: { text: rule.summary },
    fullDescription: { text: firstParagraph(docs) ?? rule.summary },
    help: { text: docs === "" ? rule.summary : docs, markdown: docs === "" ? rule.summary : docs },
    ...(rule.url === undefined ? {} : { helpUri: rule.url }),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: tagsOf(rule.source, rule.aliases) },
  };
}

function tagsOf(source: string, aliases: readonly string[]): string[] {
  return [...new Set([source, ...aliases])];
}

// SARIF wants a Pascal-case friendly name that differs from the opaque id: DL3008 gets one from its summary;
// BuildKit-style ids already are one, and a name equal to the id must be left out.
function friendlyName(rule: RuleInfo): string | undefined {
  if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(rule.id)) return undefined;
  const words = rule.summary.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  return /^[A-Za-z]/.test(name) && name !== rule.id ? name : undefined;
}

function firstParagraph(markdown: string): string | undefined {
  const para = markdown.split(/\n\s*\n/)[0]?.replace(/\s+/g, " ").trim();
  return para === undefined || para === "" || para.startsWith("```") ? undefined : para;
}

function sarifLocation(loc: Location, cwd: string | undefined): SarifLocation {
  switch (loc.kind) {
    case "text":
      return {
        physicalLocation: {
          artifactLocation: fileLocation(loc.file, cwd),
          region: { startLine: loc.start.line, startColumn: loc.start.column, endLine: loc.end.line, endColumn: loc.end.column },
        },
      };
    case "layer": {
      const path = imagePath(loc.path);
      return {
        physicalLocation: { artifactLocation: fileLocation(loc.image, cwd) },
        logicalLocations: [{ name: path, fullyQualifiedName: `${artifactOf(loc, cwd)}!${path}`, kind: "resource" }],
        properties: { layer: loc.layer, digest: loc.digest, path },
      };
    }
    case "ref":
      // Not a file in the checkout: a relative URI with no base, which GitHub shows as the reference itself.
      return { physicalLocation: { artifactLocation: { uri: relativeUri(loc.ref) } } };
    default:
      return unreachable(loc);
  }
}

function notification(e: InputError, cwd: string | undefined): Notification {
  const region: Region | undefined = e.line === undefined ? undefined : { startLine: e.line, ...(e.column === undefined ? {} : { startColumn: e.column }) };
  return {
    level: "error",
    message: { text: e.message },
    descriptor: { id: e.code },
    locations: [{ physicalLocation: { artifactLocation: fileLocation(e.file, cwd), ...(region === undefined ? {} : { region }) } }],
  };
}

function fileLocation(file: string, cwd: string | undefined): ArtifactLocation {
  const shown = displayPath(file, cwd);
  if (isAbsolute(shown)) return { uri: pathToFileURL(shown).href };
  return { uri: relativeUri(shown), uriBaseId: SRCROOT };
}

// Each segment percent-encoded: a ":" in the first segment would otherwise read as a URI scheme.
function relativeUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}
