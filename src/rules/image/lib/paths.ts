// Path helpers shared by the image checks: allow-lists from drydock.yaml, third-party package trees, and
// "collect by header, confirm at the end that the version is the visible one".
import type { ImageCheckContext } from "../../../core/image-check.ts";
import { isIgnored, parseIgnoreFile } from "../../../hardening/ignore-patterns.ts";
import type { PathVersion } from "../../../image/merged.ts";
import type { LayerEntry } from "../../../image/walk.ts";

/**
 * A matcher for allow-list entries: image paths or .dockerignore-style patterns (`*` within a name, `**` across
 * directories), with or without a leading "/"; an entry that names a directory covers what is below it.
 */
export function allowList(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const compiled = parseIgnoreFile(patterns.map((p) => p.replace(/^\/+/, "")).join("\n"));
  return (path) => isIgnored(path.replace(/^\/+/, ""), compiled);
}

/** A header seen during the walk; whether it is still what the container sees is decided at the end. */
export interface Candidate {
  entry: LayerEntry;
}

/** The entry's version is the visible one at its path (not deleted or replaced by a later layer). */
export function isVisible(ctx: ImageCheckContext, entry: Pick<LayerEntry, "path" | "layer">): PathVersion | undefined {
  const v = ctx.fs.get(entry.path);
  return v !== undefined && v.layer === entry.layer ? v : undefined;
}

// Where package managers put other people's code: their sources, tests, docs and examples are not the image
// author's. A segment list: a path is inside when one of its directory names is one of these.
const DEPENDENCY_DIRS: ReadonlySet<string> = new Set([
  "node_modules", "site-packages", "dist-packages", "vendor", "bower_components", "jspm_packages", ".rustup", "gems",
  "__pypackages__", ".venv", "venv",
]);

const SYSTEM_TREES = [/^usr\/share\/(?:doc|man|info|help|locale|gtk-doc|javascript|go-\d[^/]*|perl5?|ruby-[^/]*)\//, /^usr\/lib\/(?:python\d[^/]*|go(?:-\d[^/]*)?|jvm|ruby|node_modules|perl5?)\//, /^usr\/local\/lib\/python\d[^/]*\//, /^usr\/local\/go\//, /^usr\/src\//, /^opt\/conda\/pkgs\//, /(?:^|\/)go\/pkg\/mod\//,
  // Package stores under a home directory; their siblings (.m2/settings.xml, .cargo/credentials.toml) are credentials.
  /(?:^|\/)\.m2\/repository\//, /(?:^|\/)\.gradle\/caches\//, /(?:^|\/)\.cargo\/registry\//, /(?:^|\/)\.nuget\/packages\//, /(?:^|\/)\.bundle\/ruby\//];

/** Inside a tree of third-party packages: node_modules, site-packages, vendor, Go's module cache, /usr/share/doc, ... */
export function inDependencyTree(path: string): boolean {
  if (SYSTEM_TREES.some((re) => re.test(path))) return true;
  const segments = path.split("/");
  for (let i = 0; i < segments.length - 1; i++) if (DEPENDENCY_DIRS.has(segments[i] ?? "")) return true;
  return false;
}

const FIXTURE_DIRS: ReadonlySet<string> = new Set([
  "test", "tests", "testdata", "testing", "fixtures", "fixture", "__tests__", "spec", "specs", "__fixtures__", "examples",
  "example", "samples", "sample", "demo", "demos", "doc", "docs",
]);

// Test and documentation files by name: Go's `_test.go`, pytest's `test_*.py`, jest's `.test.js`, package READMEs.
const FIXTURE_FILES = /(?:_test\.go|^test_.*\.py|_test\.py|\.(?:test|spec)\.[cm]?[jt]sx?|^README.*|^CHANGELOG.*|^PKG-INFO|^METADATA|\.md|\.rst)$/i;

/** A third-party package's tests, fixtures, docs or examples: keys and tokens there are samples shipped upstream. */
export function inThirdPartyFixtures(path: string): boolean {
  if (!inDependencyTree(path)) return false;
  const segments = path.split("/");
  return segments.slice(0, -1).some((s) => FIXTURE_DIRS.has(s.toLowerCase())) || /^usr\/share\/doc\//.test(path)
    || FIXTURE_FILES.test(segments[segments.length - 1] ?? "");
}
