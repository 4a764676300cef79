// Reads the committed corpus of real Dockerfiles (see README.md beside this file): one directory per source
// repository, holding its Dockerfiles (paths flattened with "__"), SOURCE.md and its licence files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { DockerfileRule } from "../../src/core/rule.ts";

export const CORPUS_DIR = import.meta.dirname;

export interface CorpusFile {
  /** Path relative to the project root, e.g. "test/corpus/docker-library__python/3.13__slim-bookworm__Dockerfile". */
  file: string;
  /** The source repository's directory name, "owner__repo". */
  repo: string;
  text: string;
}

// Provenance files kept beside the Dockerfiles of each repository; everything else in a repository directory
// is a Dockerfile.
const PROVENANCE = /^(SOURCE\.md|LICEN[CS]E([.-].*)?|COPYING([.-].*)?|NOTICE([.-].*)?|AUTHORS)$/i;

export function isCorpusDockerfile(name: string): boolean {
  return !PROVENANCE.test(name);
}

/** Every Dockerfile of the corpus, sorted by path, read as UTF-8. */
export function readCorpus(dir: string = CORPUS_DIR): CorpusFile[] {
  const root = join(dir, "../..");
  const files: CorpusFile[] = [];
  for (const repo of readdirSync(dir).sort()) {
    const repoDir = join(dir, repo);
    if (!statSync(repoDir).isDirectory()) continue;
    for (const name of readdirSync(repoDir).sort()) {
      if (!isCorpusDockerfile(name)) continue;
      const path = join(repoDir, name);
      files.push({ file: relative(root, path), repo, text: readFileSync(path, "utf8") });
    }
  }
  return files;
}

/** Ids of the rules that are off unless enabled, so a corpus run can switch every rule on. */
export function optInRuleIds(rules: readonly DockerfileRule[]): string[] {
  return rules.filter((r) => r.optIn === true).map((r) => r.id);
}

/**
 * The rules without their `redundantWith`, so the policy keeps every finding each rule makes (it otherwise drops
 * e.g. JSONArgsRecommended where DL3025 reports the same line): a corpus run then checks and counts them all.
 */
export function standaloneRules(rules: readonly DockerfileRule[]): DockerfileRule[] {
  return rules.map(({ redundantWith: _redundantWith, ...rule }) => rule);
}
