// Severities of vulnerabilities: CVSS v3.x and v2 base scores computed from their vectors (the FIRST
// specifications' formulas), and the textual ratings databases give instead (GHSA, Debian urgency, Ubuntu priority).

export type VulnSeverity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "NEGLIGIBLE" | "UNKNOWN";

/** Most severe first; the index is the rank. */
export const VULN_SEVERITIES: readonly VulnSeverity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "NEGLIGIBLE", "UNKNOWN"];

export function vulnSeverityRank(s: VulnSeverity): number {
  return VULN_SEVERITIES.indexOf(s);
}

export function isVulnSeverity(s: string): s is VulnSeverity {
  return (VULN_SEVERITIES as readonly string[]).includes(s);
}

export interface Cvss {
  version: "2.0" | "3.0" | "3.1" | "4.0";
  vector: string;
  /** The base score, when drydock can compute it (not for CVSS 4.0). */
  score: number | undefined;
}

function metrics(vector: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of vector.split("/")) {
    const colon = part.indexOf(":");
    if (colon > 0) out.set(part.slice(0, colon), part.slice(colon + 1));
  }
  return out;
}

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function weight<T extends Record<string, number>>(table: T, key: string | undefined): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** CVSS 3.1's Roundup: the smallest one-decimal number ≥ x, computed on integers to avoid float artefacts. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** Base score of a CVSS 3.0/3.1 vector ("CVSS:3.1/AV:N/…"), or undefined when a base metric is missing or unknown. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = metrics(vector);
  const version = m.get("CVSS");
  const scope = m.get("S");
  const av = weight(V3.AV, m.get("AV"));
  const ac = weight(V3.AC, m.get("AC"));
  const ui = weight(V3.UI, m.get("UI"));
  const c = weight(V3.CIA, m.get("C"));
  const i = weight(V3.CIA, m.get("I"));
  const a = weight(V3.CIA, m.get("A"));
  const prKey = m.get("PR");
  if (scope !== "U" && scope !== "C") return undefined;
  const pr = prKey === "N" ? 0.85 : prKey === "L" ? (scope === "C" ? 0.68 : 0.62) : prKey === "H" ? (scope === "C" ? 0.5 : 0.27) : undefined;
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined || pr === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === "U" ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const raw = scope === "U" ? Math.min(impact + exploitability, 10) : Math.min(1.08 * (impact + exploitability), 10);
  return version === "3.0" ? Math.ceil(raw * 10) / 10 : roundUp31(raw);
}

const V2 = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0, P: 0.275, C: 0.66 },
} as const;

/** Base score of a CVSS 2.0 vector ("AV:N/AC:L/Au:N/C:P/I:P/A:P"). */
export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ""));
  const av = weight(V2.AV, m.get("AV"));
  const ac = weight(V2.AC, m.get("AC"));
  const au = weight(V2.Au, m.get("Au"));
  const c = weight(V2.CIA, m.get("C"));
  const i = weight(V2.CIA, m.get("I"));
  const a = weight(V2.CIA, m.get("A"));
  if (av === undefined || ac === undefined || au === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** CVSS v3/v4 qualitative rating; v2 has no Critical (NVD's bands: Low < 4, Medium < 7, High). */
export function severityOfScore(score: number, version: Cvss["version"]): VulnSeverity {
  if (version === "2.0") return score >= 7 ? "HIGH" : score >= 4 ? "MEDIUM" : "LOW";
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  if (score > 0) return "LOW";
  return "NEGLIGIBLE";
}

/** Reads an OSV severity entry ({type: "CVSS_V3", score: vector}). */
export function parseCvss(type: string, vector: string): Cvss | undefined {
  if (type === "CVSS_V3") {
    const version = vector.startsWith("CVSS:3.0/") ? "3.0" : "3.1";
    return { version, vector, score: cvss3BaseScore(vector) };
  }
  if (type === "CVSS_V2") return { version: "2.0", vector, score: cvss2BaseScore(vector) };
  if (type === "CVSS_V4") return { version: "4.0", vector, score: undefined };
  return undefined;
}

/** Textual ratings: GHSA's (MODERATE = MEDIUM), Debian's urgency, Ubuntu's priority, plain words. */
export function severityFromText(text: string | undefined): VulnSeverity | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase().replace(/\*+$/, "");
  switch (t) {
    case "critical": return "CRITICAL";
    case "high": case "important": return "HIGH";
    case "moderate": case "medium": return "MEDIUM";
    case "low": return "LOW";
    case "negligible": case "unimportant": return "NEGLIGIBLE";
    default: return undefined;
  }
}

/** Prefers CVSS v3, then v2 (by score), then v4 vectors (no score), to pick one CVSS for a finding. */
export function betterCvss(a: Cvss | undefined, b: Cvss | undefined): Cvss | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const rank = (c: Cvss): number => (c.version.startsWith("3") ? 3 : c.version === "2.0" ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  return (b.score ?? -1) > (a.score ?? -1) ? b : a;
}
