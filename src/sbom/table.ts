// The table people read: one row per package (TYPE NAME VERSION LOCATION), columns as wide as their widest cell,
// sorted so two runs over the same image print the same lines.
import type { Catalog, CatalogedPackage, PackageLocation } from "./model.ts";

const HEADER = ["TYPE", "NAME", "VERSION", "LOCATION"] as const;

/** "/usr/lib/x.jar!inner" plus " (+N)" when the package was found in more places. */
function locationCell(pkg: CatalogedPackage): string {
  const first: PackageLocation | undefined = pkg.locations[0];
  if (first === undefined) return "-";
  const more = pkg.locations.length > 1 ? ` (+${pkg.locations.length - 1})` : "";
  return `/${first.path}${first.inner === undefined ? "" : `!${first.inner}`}${more}`;
}

function compareRows(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Renders the catalog as a text table with a one-line summary (distribution, package count) at the end. */
export function renderSbomTable(catalog: Catalog): string {
  const rows = catalog.packages.map((p) => [p.type, p.name, p.version === "" ? "-" : p.version, locationCell(p)]).sort(compareRows);
  const distro = catalog.distro === undefined ? "" : `${catalog.distro.prettyName ?? [catalog.distro.id, catalog.distro.versionId].filter((s) => s !== undefined).join(" ")}, `;
  const count = `${rows.length} package${rows.length === 1 ? "" : "s"}`;
  if (rows.length === 0) return `${catalog.target}: ${distro}no packages found\n`;
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ");
  return `${[HEADER, ...rows].map(line).join("\n")}\n\n${catalog.target}: ${distro}${count}\n`;
}
