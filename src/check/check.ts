// `drydock check` as a library function: a project directory in, one report, one summary per area and one exit
// code out. Each area is the library function of its own command (lintDockerfiles, analyzeRuntime, scanCatalog,
// auditImage), so `check` finds exactly what those commands find; this file only gathers inputs and merges.
//
// Areas:  lint     every Dockerfile/Containerfile, with its .dockerignore
//         runtime  compose files, Kubernetes manifests, scripts/Makefiles/Markdown/CI YAML with run lines
//         scan     lockfiles against the local vulnerability database: DV001 findings at the package's line
//         images   drydock.yaml `images:`: audit (DIxxx), vulnerable packages (DV002), signature policy (DV003)
import { lstat, readFile } from "node:fs/promises";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { imageCheckInfo } from "../audit.ts";
import { auditImage } from "../audit.ts";
import { emptyConfig, type CheckedImage, type Config } from "../core/config.ts";
import { isDrydockError } from "../core/errors.ts";
import type { Finding, InputError, Location, Report, RuleInfo, Severity } from "../core/finding.ts";
import { applyPolicy, compareFindings, exitCodeFor, failurePolicy, NO_CLI_POLICY, type CliPolicy } from "../core/policy.ts";
import { LineIndex } from "../core/text.ts";
import { MAX_DOCKERFILE_CHARS } from "../dockerfile/parse.ts";
import type { ImageSource } from "../image/source.ts";
import type { WalkedLayer } from "../image/walk.ts";
import { lintDockerfiles, type LintInput } from "../lint.ts";
import type { RegistryClientOptions } from "../registry/client.ts";
import type { HtmlImage } from "../report/html.ts";
import { HtmlLayerRecorder } from "../report/html-image.ts";
import { imageChecks } from "../rules/image/index.ts";
import { analyzeRuntime, type RuntimeInput } from "../runtime/analyze.ts";
import { parseDotEnv } from "../runtime/interpolate.ts";
import type { Profile } from "../runtime/model.ts";
import { catalogReader, catalogTarget } from "../sbom/catalog.ts";
import { allCatalogers } from "../sbom/catalogers/index.ts";
import type { Catalog, CatalogedPackage, Cataloger } from "../sbom/model.ts";
import { scanCatalog, type ScanReport, type ScanVulnerability } from "../scan/scan.ts";
import { VulnDb } from "../vuln/db/schema.ts";
import type { VulnSeverity } from "../vuln/severity.ts";
import { VERSION } from "../version.ts";
import { applyBaseline, fingerprintFindings, type Baseline } from "./baseline.ts";
import { discoverTargets, type ProjectTargets } from "./discover.ts";
import { countBySeverity, type AreaSummary, type CheckArea } from "./summary.ts";

export const NO_DB_NOTE = "no vulnerability database: run drydock db update (or drydock db import FILE...); lockfiles were not scanned";

/** The rules `check` adds for what other commands report in their own formats. */
export const CHECK_RULES: readonly RuleInfo[] = [
  {
    id: "DV001", aliases: [], severity: "error", source: "drydock",
    summary: "Vulnerable dependency pinned in a lockfile",
    docs: `A package version pinned in a lockfile (package-lock.json, requirements.txt, poetry.lock, go.mod, Cargo.lock, ...)
has a known vulnerability in the local database. The message names the advisory, its aliases, its severity and
the first fixed version; the finding points at the package's entry in the lockfile.

Severity follows the advisory: CRITICAL and HIGH are errors, MEDIUM a warning, LOW and unrated ones info. Accept
a vulnerability with \`scan.ignore\` in drydock.yaml (with a reason), not by ignoring DV001.

Fix: upgrade the package to the fixed version and regenerate the lockfile.`,
  },
  {
    id: "DV002", aliases: [], severity: "error", source: "drydock",
    summary: "Vulnerable package in a configured image",
    docs: `A package installed in an image listed under \`images:\` in drydock.yaml has a known vulnerability in the local
database. Severity follows the advisory as for DV001. Fix: rebuild on a patched base or upgrade the package.`,
  },
  {
    id: "DV003", aliases: [], severity: "error", source: "drydock",
    summary: "Image does not satisfy the verify policy",
    docs: `An image listed under \`images:\` with \`verify: true\` has no signature satisfying drydock.yaml's \`verify:\`
policy (or no policy entry matches it). Fix: sign the image with a key the policy lists, or correct the policy.`,
  },
];

const RULE_SEVERITY: Readonly<Record<VulnSeverity, Severity>> = {
  CRITICAL: "error", HIGH: "error", MEDIUM: "warning", LOW: "info", NEGLIGIBLE: "info", UNKNOWN: "info",
};

/** What a signature check of an image says; the CLI supplies the checker (it owns registry clients and keys). */
export interface ImageVerdict {
  allowed: boolean;
  /** Why not, when not allowed. */
  reasons: readonly string[];
}

export interface CheckRequest {
  /** The project directory. */
  root: string;
  /** Findings name files relative to this directory (as `drydock lint` does); default process.cwd(). */
  cwd?: string;
  config?: Config;
  /** The config file read, when there was one: relative image paths and keys resolve against its directory. */
  configFile?: string;
  cli?: CliPolicy;
  profile?: Profile;
  /** ShellCheck for RUN scripts, as lintDockerfiles takes it: "auto", "off" or a binary. */
  shellcheck?: string;
  /** The vulnerability database; undefined or false skips the scan (and says so). */
  db?: string | false;
  /** "Today", for database age and ignore end dates. */
  now?: Date;
  baseline?: Baseline;
  /** For `images:` given as docker://REF. */
  registry?: RegistryClientOptions;
  /** For `images:` entries with `verify: true`; without it those entries get a note instead. */
  verifyImage?: (image: CheckedImage, configDir: string) => Promise<ImageVerdict>;
  catalogers?: readonly Cataloger[];
  /**
   * Also describe each configured image for reports that show images (HTML): its layers with the files they
   * added, and its packages — catalogued even without a database. Read in the audit's walk: no extra read.
   */
  imageDetails?: boolean;
}

/** A configured image as reports that show images need it (CheckRequest.imageDetails). */
export interface ImageDetails {
  ref: string;
  /** Its layers and the files each added; undefined when they could not be read (an input error says why). */
  layers: HtmlImage | undefined;
  /** Its packages; undefined when not catalogued (no database and no details asked, or an error). */
  catalog: Catalog | undefined;
  /** Its vulnerabilities; undefined without a database. */
  scan: ScanReport | undefined;
}

export interface CheckOutcome {
  report: Report;
  exitCode: 0 | 1 | 2;
  summary: AreaSummary[];
  /** Fingerprints of report.findings, in order (what `--baseline write` records). */
  fingerprints: string[];
  /** Findings the baseline suppressed. */
  suppressed: number;
  /** Things the user should know that are not findings, each once. */
  notes: string[];
  targets: ProjectTargets;
  /** The text of every file read, by the name findings carry: code excerpts in the HTML report. */
  sources: Record<string, string>;
  /** The lockfile scan and each image's scan, for reports that show vulnerabilities. */
  scans: ScanReport[];
  /** The packages the lockfiles pin, when they were scanned. */
  lockfileCatalog: Catalog | undefined;
  /** Each configured image that could be read, in order: filled in when imageDetails was asked, else refs only. */
  images: ImageDetails[];
  /** File name as findings carry it → path relative to the project root (what baselines record). */
  projectPath: (file: string) => string;
  /** The area that reported a finding of report.findings. */
  areaOf: (finding: Finding) => CheckArea | undefined;
}

interface AreaResult {
  area: CheckArea;
  findings: Finding[];
  errors: InputError[];
  rules: RuleInfo[];
  inputs: string[];
  targets: number;
  notes: string[];
}

export async function checkProject(request: CheckRequest): Promise<CheckOutcome> {
  const cwd = request.cwd ?? process.cwd();
  const root = path.resolve(cwd, request.root);
  const config = request.config ?? emptyConfig();
  const cli = request.cli ?? NO_CLI_POLICY;
  const targets = await discoverTargets(root, request.catalogers ?? allCatalogers);
  const nameOf = (rel: string): string => toPosix(path.relative(cwd, path.join(root, rel))) || rel;
  const projectPath = (file: string): string => toPosix(path.relative(root, path.resolve(cwd, file)));
  const sources = new Map<string, string>();
  const configDir = request.configFile === undefined ? root : path.dirname(path.resolve(cwd, request.configFile));

  const db = request.db === undefined || request.db === false ? undefined : openDb(request.db);
  const scans: ScanReport[] = [];
  const catalogs: { lockfiles?: Catalog } = {};
  const images: ImageDetails[] = [];
  try {
    const areas: AreaResult[] = [
      await lintArea(targets, root, nameOf, sources, config, cli, request.shellcheck),
      await runtimeArea(targets, root, cwd, nameOf, sources, config, cli, request.profile),
      await scanArea(targets, root, nameOf, sources, config, cli, db, request, scans, catalogs),
      await imagesArea(config, cli, configDir, db, request, scans, images),
    ];
    const findings = areas.flatMap((a) => a.findings).sort(compareFindings);
    const fingerprints = fingerprintFindings(findings, { sources, projectPath });
    let kept = findings;
    let keptFingerprints = fingerprints;
    let suppressed = 0;
    const notes = [...targets.notes];
    if (request.baseline !== undefined) {
      const applied = applyBaseline(findings, fingerprints, request.baseline);
      kept = applied.kept;
      keptFingerprints = applied.keptFingerprints;
      suppressed = applied.suppressed;
      notes.push(`baseline: ${suppressed} known finding${suppressed === 1 ? "" : "s"} suppressed${applied.stale > 0 ? `; ${applied.stale} baseline entr${applied.stale === 1 ? "y is" : "ies are"} fixed or gone (write the baseline again to drop them)` : ""}`);
    }
    const areaOf = new Map<Finding, CheckArea>();
    for (const a of areas) for (const f of a.findings) areaOf.set(f, a.area);
    const summary = areas.map((a): AreaSummary => ({
      area: a.area,
      counts: countBySeverity(kept.filter((f) => areaOf.get(f) === a.area)),
      targets: a.targets,
      ...(a.notes.length === 0 ? {} : { notes: [...new Set(a.notes)] }),
    }));
    const errors = areas.flatMap((a) => a.errors);
    const report: Report = {
      tool: { name: "drydock", version: VERSION },
      findings: kept,
      errors,
      rules: uniqueRules(areas.flatMap((a) => a.rules)),
      inputs: [...new Set(areas.flatMap((a) => a.inputs))],
    };
    const { threshold, noFail } = failurePolicy(config, cli);
    return {
      report,
      exitCode: exitCodeFor(kept, threshold, noFail, errors.length > 0),
      summary,
      fingerprints: keptFingerprints,
      suppressed,
      notes: [...new Set(notes)],
      targets,
      sources: Object.fromEntries(sources),
      scans,
      lockfileCatalog: catalogs.lockfiles,
      images,
      projectPath,
      areaOf: (f) => areaOf.get(f),
    };
  } finally {
    if (db !== undefined && !("note" in db)) db.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// lint

async function lintArea(
  targets: ProjectTargets, root: string, nameOf: (rel: string) => string, sources: Map<string, string>,
  config: Config, cli: CliPolicy, shellcheck: string | undefined,
): Promise<AreaResult> {
  const inputs: LintInput[] = [];
  const errors: InputError[] = [];
  for (const t of targets.dockerfiles) {
    const file = nameOf(t.file);
    const text = await readText(path.join(root, t.file), file, MAX_DOCKERFILE_CHARS, errors);
    if (text === undefined) continue;
    sources.set(file, text);
    const ignoreText = t.dockerignore === undefined ? undefined : await readText(path.join(root, t.dockerignore), nameOf(t.dockerignore), 1024 * 1024, errors);
    const dockerignore = t.dockerignore === undefined || ignoreText === undefined ? undefined : { file: nameOf(t.dockerignore), text: ignoreText };
    inputs.push({ file, text, buildContext: { dockerignore } });
  }
  const notes: string[] = [];
  if (inputs.length === 0) {
    return { area: "lint", findings: [], errors, rules: [], inputs: [], targets: targets.dockerfiles.length, notes };
  }
  const outcome = await lintDockerfiles({ inputs, config, cli, shellcheck: shellcheck ?? "auto" });
  notes.push(...outcome.notices);
  return {
    area: "lint", findings: [...outcome.report.findings], errors: [...errors, ...outcome.report.errors],
    rules: [...outcome.report.rules], inputs: [...(outcome.report.inputs ?? [])], targets: targets.dockerfiles.length, notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// runtime

async function runtimeArea(
  targets: ProjectTargets, root: string, cwd: string, nameOf: (rel: string) => string, sources: Map<string, string>,
  config: Config, cli: CliPolicy, profile: Profile | undefined,
): Promise<AreaResult> {
  const inputs: RuntimeInput[] = [];
  const errors: InputError[] = [];
  for (const t of targets.runtime) {
    const file = nameOf(t.file);
    const text = await readText(path.join(root, t.file), file, 4 * 1024 * 1024, errors);
    if (text === undefined) continue;
    sources.set(file, text);
    const env = t.kind === "compose" ? dotEnvBeside(path.join(root, t.file)) : undefined;
    inputs.push({ file, text, ...(t.kind === "script" ? {} : { type: t.kind }), ...(env === undefined ? {} : { env }) });
  }
  if (inputs.length === 0) return { area: "runtime", findings: [], errors, rules: [], inputs: [], targets: 0, notes: [] };
  const outcome = await analyzeRuntime({
    inputs, config, cli, profile: profile ?? "baseline",
    readFile: (file) => readSmallSync(path.resolve(cwd, file)),
  });
  return {
    area: "runtime", findings: [...outcome.report.findings], errors: [...errors, ...outcome.report.errors],
    rules: [...outcome.report.rules], inputs: [...(outcome.report.inputs ?? [])], targets: inputs.length, notes: [],
  };
}

function dotEnvBeside(composeFile: string): Map<string, string> | undefined {
  const text = readSmallSync(path.join(path.dirname(composeFile), ".env"));
  return text === undefined ? undefined : parseDotEnv(text);
}

// ---------------------------------------------------------------------------------------------------------------
// scan (lockfiles)

type OpenedDb = VulnDb | { note: string };

function openDb(file: string): OpenedDb {
  try {
    return VulnDb.open(file);
  } catch (e) {
    if (isDrydockError(e) && e.code === "DB_NOT_FOUND") return { note: `${NO_DB_NOTE} (looked at ${file})` };
    if (isDrydockError(e) && e.code === "DB_INVALID") return { note: `${e.message}; lockfiles and images were not scanned (run drydock db update)` };
    throw e;
  }
}

async function scanArea(
  targets: ProjectTargets, root: string, nameOf: (rel: string) => string, sources: Map<string, string>,
  config: Config, cli: CliPolicy, db: OpenedDb | undefined, request: CheckRequest, scans: ScanReport[],
  catalogs: { lockfiles?: Catalog },
): Promise<AreaResult> {
  const result: AreaResult = { area: "scan", findings: [], errors: [], rules: [], inputs: [], targets: targets.lockfiles.length, notes: [] };
  if (targets.lockfiles.length === 0) return result;
  if (db === undefined) {
    result.notes.push("vulnerability scan skipped (--no-scan)");
    return result;
  }
  if ("note" in db) {
    result.notes.push(db.note);
    return result;
  }
  const catalogers = request.catalogers ?? allCatalogers;
  const packages: CatalogedPackage[] = [];
  const notes: string[] = [];
  for (const t of targets.lockfiles) {
    const file = nameOf(t.file);
    const abs = path.join(root, t.file);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(abs);
    } catch (e) {
      result.errors.push({ file, code: "INPUT_UNREADABLE", message: `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    sources.set(file, new TextDecoder("utf-8").decode(bytes));
    result.inputs.push(file);
    for (const c of catalogers.filter((k) => t.catalogers.includes(k.name))) {
      try {
        packages.push(...c.parse({ path: file, bytes, mode: 0o100644, location: { path: file } }, { note: (m) => notes.push(`${file}: ${m}`) }));
      } catch (e) {
        notes.push(`${c.name}: cannot read ${file} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  }
  const catalog: Catalog = { target: nameOf(".") || ".", kind: "directory", distro: undefined, packages, notes };
  const report = scanCatalog(catalog, db, scanOptions(config, request.now));
  scans.push(report);
  catalogs.lockfiles = catalog;
  result.notes.push(...report.notes, ...staleNotes(report));
  const findings = report.vulnerabilities.map((v) => lockfileFinding(v, sources));
  result.findings = applyPolicy(findings, { config, cli, pragmasByFile: new Map(), rules: CHECK_RULES });
  result.rules = [ruleById("DV001")];
  return result;
}

function scanOptions(config: Config, now: Date | undefined): Parameters<typeof scanCatalog>[2] {
  const s = config.scan;
  return {
    ignores: s?.ignore ?? [],
    ...(s?.severity === undefined ? {} : { severities: s.severity }),
    ...(s?.ignoreUnfixed === true ? { ignoreUnfixed: true } : {}),
    ...(now === undefined ? {} : { now }),
  };
}

function staleNotes(report: ScanReport): string[] {
  return report.db.stale.map((name) => {
    const age = report.db.sources.find((s) => s.name === name)?.ageDays;
    return `vulnerability database source ${name} is ${age === null || age === undefined ? "of unknown age" : `${Math.floor(age)} days old`} (more than ${report.db.maxAgeDays}): run drydock db update`;
  });
}

function vulnMessage(v: ScanVulnerability): string {
  const aliases = v.aliases.filter((a) => a !== v.id);
  const also = aliases.length === 0 ? "" : ` (${aliases.join(", ")})`;
  const summary = v.summary === null ? "" : `: ${v.summary}`;
  const fix = v.fixedVersion === null ? "no fixed version yet" : `fixed in ${v.fixedVersion}`;
  return `${v.package.name} ${v.installedVersion} has ${v.id}${also}, ${v.severity}${summary}; ${fix}`;
}

function lockfileFinding(v: ScanVulnerability, sources: ReadonlyMap<string, string>): Finding {
  const file = v.location.path;
  const text = sources.get(file) ?? "";
  const rule = ruleById("DV001");
  return {
    ruleId: rule.id, aliases: [], severity: RULE_SEVERITY[v.severity], message: vulnMessage(v), source: rule.source,
    location: packageLocation(file, text, v.package.name, v.installedVersion),
  };
}

/**
 * The line that pins a package, found in the lockfile's text (catalogers keep the file, not the line): npm's
 * `"node_modules/NAME"` key, else the first line naming the package and its version, else the first naming it.
 */
export function packageLocation(file: string, text: string, name: string, version: string): Location {
  const lines = text.split("\n");
  // PyPI treats -, _ and . alike in names; the name must stand alone (lodash, not lodash-es).
  const pattern = [...name].map((c) => (/[-_.]/.test(c) ? "[-_.]" : escapeRegex(c))).join("");
  const nameRe = new RegExp(`(?:^|[^A-Za-z0-9_.-])${pattern}(?![A-Za-z0-9_-])`, "i");
  const find = (test: (line: string) => boolean): number => lines.findIndex(test);
  let index = find((l) => l.includes(`node_modules/${name}"`));
  if (index < 0) index = find((l) => nameRe.test(l) && l.includes(version));
  if (index < 0) index = find((l) => nameRe.test(l));
  if (index < 0) index = 0;
  const index2 = new LineIndex(text);
  const start = index2.lineStart(index + 1);
  const line = (lines[index] ?? "").replace(/\r$/, "");
  const indent = line.length - line.trimStart().length;
  const span = index2.span(start + indent, start + Math.max(indent, line.trimEnd().length));
  return { kind: "text", file, start: span.start, end: span.end };
}

// ---------------------------------------------------------------------------------------------------------------
// images

async function imagesArea(
  config: Config, cli: CliPolicy, configDir: string, db: OpenedDb | undefined, request: CheckRequest, scans: ScanReport[],
  details: ImageDetails[],
): Promise<AreaResult> {
  const images = uniqueImages(config.images ?? []);
  const result: AreaResult = { area: "images", findings: [], errors: [], rules: [], inputs: [], targets: images.length, notes: [] };
  if (images.length === 0) return result;
  const rules = new Map<string, RuleInfo>();
  const scanning = db !== undefined && !("note" in db);
  for (const image of images) {
    result.inputs.push(image.ref);
    // The audit's walk also catalogs the image (for the scan or the HTML package table) and records the entries the
    // HTML layer table lists: one read of the image, not three. A dir: root file system is catalogued on its own.
    const wantCatalog = scanning || request.imageDetails === true;
    let catalogOnce: ReturnType<typeof catalogReader> | undefined;
    let catalogued: Catalog | undefined;
    let catalogFailure: unknown;
    const recorder = request.imageDetails === true ? new HtmlLayerRecorder() : undefined;
    let recorded: { source: ImageSource; walked: readonly WalkedLayer[] } | undefined;
    const audit = await auditImage({
      ref: image.ref, config, cli, cwd: configDir, ...(request.registry === undefined ? {} : { registry: request.registry }),
    }, {
      consumers: (source) => {
        if (wantCatalog && source.transport !== "dir") catalogOnce = catalogReader(source, { catalogers: request.catalogers ?? allCatalogers });
        return [...(catalogOnce === undefined ? [] : [catalogOnce.consumer]), ...(recorder === undefined ? [] : [recorder])];
      },
      done: (source, fs, walk) => {
        try {
          catalogued = catalogOnce?.finish(fs, walk);
        } catch (e) {
          catalogFailure = e;
        }
        recorded = { source, walked: walk.layers };
      },
    });
    result.findings.push(...audit.report.findings);
    result.errors.push(...audit.report.errors);
    result.notes.push(...audit.notices);
    for (const r of audit.report.rules) rules.set(r.id, r);
    // An image that could not be opened for the audit cannot be scanned or verified either: one error is enough.
    if (audit.report.errors.some((e) => e.file === image.ref)) continue;
    const extra: Finding[] = [];
    const detail: ImageDetails = { ref: image.ref, layers: undefined, catalog: undefined, scan: undefined };
    details.push(detail);
    const recordError = (e: unknown): undefined => {
      if (!isDrydockError(e)) throw e;
      result.errors.push({ file: image.ref, code: e.code, message: e.message });
      return undefined;
    };
    // Catalogued for the scan, or for the HTML package table even when nothing is scanned.
    if (catalogFailure !== undefined) recordError(catalogFailure);
    else if (catalogued !== undefined) detail.catalog = catalogued;
    else if (wantCatalog) {
      detail.catalog = await catalogTarget(image.ref, {
        catalogers: request.catalogers ?? allCatalogers, cwd: configDir,
        ...(request.registry === undefined ? {} : { registry: request.registry }),
      }).catch(recordError);
    }
    const catalog = detail.catalog;
    if (scanning) {
      if (catalog !== undefined) {
        const report = scanCatalog(catalog, db, scanOptions(config, request.now));
        scans.push(report);
        detail.scan = report;
        result.notes.push(...report.notes.map((n) => `${image.ref}: ${n}`), ...staleNotes(report));
        extra.push(...report.vulnerabilities.map((v) => imageVulnFinding(v, image.ref, catalog)));
        rules.set("DV002", ruleById("DV002"));
      }
    } else if (db !== undefined) {
      result.notes.push(db.note);
    }
    if (recorder !== undefined && recorded !== undefined) {
      detail.layers = recorder.image(recorded.source, recorded.walked, audit.report.findings);
    }
    if (image.verify) {
      rules.set("DV003", ruleById("DV003"));
      if (request.verifyImage === undefined) {
        result.notes.push(`${image.ref}: verify was asked, but signatures cannot be checked here`);
      } else {
        const verdict = await request.verifyImage(image, configDir).catch((e: unknown) => {
          if (!isDrydockError(e)) throw e;
          result.errors.push({ file: image.ref, code: e.code, message: e.message });
          return undefined;
        });
        if (verdict !== undefined && !verdict.allowed) {
          const rule = ruleById("DV003");
          extra.push({
            ruleId: rule.id, aliases: [], severity: rule.severity, source: rule.source, location: { kind: "ref", ref: image.ref },
            message: `${image.ref} (${image.where}) does not satisfy the verify policy: ${verdict.reasons.join("; ") || "no signature verified"}`,
          });
        }
      }
    }
    result.findings.push(...applyPolicy(extra, { config, cli, pragmasByFile: new Map(), rules: CHECK_RULES }));
  }
  result.rules = [...rules.values()];
  if (result.rules.length === 0) result.rules = imageChecks.map(imageCheckInfo);
  return result;
}

/** An image named twice is checked once (verified when any entry asks). */
function uniqueImages(images: readonly CheckedImage[]): CheckedImage[] {
  const byRef = new Map<string, CheckedImage>();
  for (const image of images) {
    const seen = byRef.get(image.ref);
    byRef.set(image.ref, seen === undefined ? image : { ...seen, verify: seen.verify || image.verify, where: image.verify ? image.where : seen.where });
  }
  return [...byRef.values()];
}

function imageVulnFinding(v: ScanVulnerability, ref: string, catalog: Catalog): Finding {
  const rule = ruleById("DV002");
  const layer = v.location.layer;
  const index = layer === null ? -1 : (catalog.image?.layers ?? []).indexOf(layer);
  const location: Location = layer === null || index < 0
    ? { kind: "ref", ref }
    : { kind: "layer", image: ref, layer: index, digest: layer, path: v.location.path };
  return { ruleId: rule.id, aliases: [], severity: RULE_SEVERITY[v.severity], message: vulnMessage(v), source: rule.source, location };
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

function ruleById(id: string): RuleInfo {
  const rule = CHECK_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no check rule ${id}`);
  return rule;
}

function uniqueRules(rules: readonly RuleInfo[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const r of rules) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Reads a UTF-8 file found in the walk; a failure becomes an input error beside the other results. */
async function readText(abs: string, file: string, limit: number, errors: InputError[]): Promise<string | undefined> {
  try {
    const info = await lstat(abs);
    if (!info.isFile()) return undefined;
    if (info.size > limit) {
      errors.push({ file, code: "INPUT_TOO_LARGE", message: `${file}: ${info.size} bytes is more than the ${limit} read` });
      return undefined;
    }
    return await readFile(abs, "utf8");
  } catch (e) {
    errors.push({ file, code: "INPUT_UNREADABLE", message: `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
    return undefined;
  }
}

function readSmallSync(abs: string): string | undefined {
  try {
    const info = statSync(abs);
    if (!info.isFile() || info.size > 4 * 1024 * 1024) return undefined;
    return readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
