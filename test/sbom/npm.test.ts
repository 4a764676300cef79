import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  npmLockCataloger,
  npmPackageCataloger,
  parsePnpmKey,
  pnpmLockCataloger,
  yarnLockCataloger,
} from "../../src/sbom/catalogers/npm.ts";
import { assertTruncationsDoNotThrow, catalog, summary, textFile } from "./helpers.ts";

const manifest = (fields: Record<string, unknown>): string => JSON.stringify(fields, null, 2);

test("npm-package: wants only manifests directly inside node_modules/<name> or node_modules/@scope/<name>", () => {
  const wants = (p: string): boolean => npmPackageCataloger.wants(p, 100, 0o100644);
  assert.equal(wants("usr/lib/node_modules/npm/package.json"), true);
  assert.equal(wants("app/node_modules/@babel/core/package.json"), true);
  assert.equal(wants("app/node_modules/a/node_modules/b/package.json"), true);
  assert.equal(wants("app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json"), true);
  assert.equal(wants("app/package.json"), false);
  assert.equal(wants("app/node_modules/a/test/fixtures/package.json"), false);
  assert.equal(wants("app/node_modules/a/esm/package.json"), false);
  assert.equal(wants("app/node_modules/@babel/package.json"), false);
  assert.equal(wants("app/node_modules/a/package.json.bak"), false);
  assert.equal(npmPackageCataloger.wants("app/node_modules/a/package.json", 0, 0o040755), false);
});

test("npm-package: scoped, nested and duplicate packages, each with its own location", () => {
  const files = [
    ["app/node_modules/@babel/core/package.json", manifest({ name: "@babel/core", version: "7.24.7", license: "MIT" })],
    ["app/node_modules/debug/package.json", manifest({ name: "debug", version: "4.3.5", license: { type: "MIT", url: "x" } })],
    ["app/node_modules/a/node_modules/debug/package.json", manifest({ name: "debug", version: "2.6.9", licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] })],
    ["app/node_modules/b/node_modules/debug/package.json", manifest({ name: "debug", version: "2.6.9", license: "(MIT OR Apache-2.0)" })],
    ["app/node_modules/JSONStream/package.json", manifest({ name: "JSONStream", version: "1.3.5" })],
  ] as const;
  const found = files.flatMap(([path, text]) => catalog(npmPackageCataloger, path, text).packages);
  assert.deepEqual(found, [
    {
      name: "@babel/core", version: "7.24.7", ecosystem: "npm", purl: "pkg:npm/%40babel/core@7.24.7", type: "npm", namespace: "babel",
      licenses: ["MIT"], locations: [{ path: "app/node_modules/@babel/core/package.json" }], cataloger: "npm-package",
    },
    {
      name: "debug", version: "4.3.5", ecosystem: "npm", purl: "pkg:npm/debug@4.3.5", type: "npm",
      licenses: ["MIT"], locations: [{ path: "app/node_modules/debug/package.json" }], cataloger: "npm-package",
    },
    {
      name: "debug", version: "2.6.9", ecosystem: "npm", purl: "pkg:npm/debug@2.6.9", type: "npm",
      licenses: ["MIT", "Apache-2.0"], locations: [{ path: "app/node_modules/a/node_modules/debug/package.json" }], cataloger: "npm-package",
    },
    {
      name: "debug", version: "2.6.9", ecosystem: "npm", purl: "pkg:npm/debug@2.6.9", type: "npm",
      licenses: ["(MIT OR Apache-2.0)"], locations: [{ path: "app/node_modules/b/node_modules/debug/package.json" }], cataloger: "npm-package",
    },
    {
      name: "JSONStream", version: "1.3.5", ecosystem: "npm", purl: "pkg:npm/JSONStream@1.3.5", type: "npm",
      licenses: [], locations: [{ path: "app/node_modules/JSONStream/package.json" }], cataloger: "npm-package",
    },
  ]);
});

test("npm-package: stubs without a version are no package; broken JSON is a note, not a throw", () => {
  assert.deepEqual(catalog(npmPackageCataloger, "node_modules/x/package.json", manifest({ name: "x" })), { packages: [], notes: [] });
  const broken = catalog(npmPackageCataloger, "node_modules/y/package.json", '{"name": "y", "version": ');
  assert.deepEqual(broken.packages, []);
  assert.equal(broken.notes.length, 1);
  assert.match(broken.notes[0] as string, /^node_modules\/y\/package\.json: package\.json is not valid JSON/);
});

// The shape npm 7+ writes (lockfileVersion 3; v2 adds the v1 "dependencies" tree next to "packages").
const LOCK_V3 = {
  name: "web",
  version: "1.0.0",
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": { name: "web", version: "1.0.0", license: "ISC", workspaces: ["packages/*"], dependencies: { express: "^4.19.2" }, devDependencies: { jest: "^29.7.0" } },
    "node_modules/@types/node": { version: "20.14.9", resolved: "https://registry.npmjs.org/@types/node/-/node-20.14.9.tgz", integrity: "sha512-x", dev: true, license: "MIT" },
    "node_modules/express": { version: "4.19.2", resolved: "https://registry.npmjs.org/express/-/express-4.19.2.tgz", integrity: "sha512-y", license: "MIT", dependencies: { debug: "2.6.9" }, engines: { node: ">= 0.10.0" } },
    "node_modules/debug": { version: "4.3.5", dev: true, license: "MIT" },
    "node_modules/express/node_modules/debug": { version: "2.6.9", license: "MIT" },
    "node_modules/body-parser/node_modules/debug": { version: "2.6.9", license: "MIT" },
    "node_modules/fsevents": { version: "2.3.3", optional: true, dev: true, os: ["darwin"], license: "MIT" },
    "node_modules/string-width-cjs": { name: "string-width", version: "4.2.3", license: "MIT" },
    "node_modules/ui": { resolved: "packages/ui", link: true },
    "packages/ui": { name: "ui", version: "0.1.0" },
    "packages/ui/node_modules/react": { version: "18.3.1", license: "MIT" },
    "node_modules/local-thing": { version: "file:../local-thing" },
  },
};

test("npm-lock v3: packages map, root/links/workspaces skipped, names from paths, aliases, dev flags, duplicates once", () => {
  const { packages, notes } = catalog(npmLockCataloger, "srv/web/package-lock.json", JSON.stringify(LOCK_V3, null, 2));
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), [
    "@types/node@20.14.9 dev",
    "debug@2.6.9",
    "debug@4.3.5 dev",
    "express@4.19.2",
    "fsevents@2.3.3 dev",
    "react@18.3.1",
    "string-width@4.2.3",
  ]);
  const types = packages.find((p) => p.name === "@types/node");
  assert.deepEqual(types, {
    name: "@types/node", version: "20.14.9", ecosystem: "npm", purl: "pkg:npm/%40types/node@20.14.9", type: "npm", namespace: "types",
    licenses: ["MIT"], locations: [{ path: "srv/web/package-lock.json" }], cataloger: "npm-lock", metadata: { dev: "true" },
  });
  assert.deepEqual(packages.find((p) => p.name === "fsevents")?.metadata, { dev: "true", optional: "true" });
});

test("npm-lock v2 reads packages, not the duplicate v1 tree; v1 reads the nested dependencies tree", () => {
  const v2 = { ...LOCK_V3, lockfileVersion: 2, dependencies: { bogus: { version: "9.9.9" } } };
  assert.ok(!summary(catalog(npmLockCataloger, "package-lock.json", JSON.stringify(v2)).packages).includes("bogus@9.9.9"));

  const v1 = {
    name: "legacy",
    version: "1.0.0",
    lockfileVersion: 1,
    requires: true,
    dependencies: {
      "@babel/code-frame": { version: "7.12.13", resolved: "https://registry.npmjs.org/@babel/code-frame/-/code-frame-7.12.13.tgz", integrity: "sha512-a", dev: true, requires: { "@babel/highlight": "^7.10.4" } },
      express: {
        version: "4.17.1",
        requires: { debug: "2.6.9" },
        dependencies: {
          debug: { version: "2.6.9", requires: { ms: "2.0.0" }, dependencies: { ms: { version: "2.0.0" } } },
        },
      },
      ms: { version: "2.1.3" },
      "my-lib": { version: "file:../my-lib" },
      "old-name": { version: "npm:new-name@2.0.0" },
    },
  };
  const { packages, notes } = catalog(npmLockCataloger, "npm-shrinkwrap.json", JSON.stringify(v1, null, 2));
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["@babel/code-frame@7.12.13 dev", "debug@2.6.9", "express@4.17.1", "ms@2.0.0", "ms@2.1.3", "new-name@2.0.0"]);
});

test("npm-lock: lockfiles inside node_modules are not read; malformed ones are noted", () => {
  assert.equal(npmLockCataloger.wants("app/node_modules/x/package-lock.json", 10, 0o100644), false);
  assert.equal(npmLockCataloger.wants("app/node_modules/.package-lock.json", 10, 0o100644), false);
  assert.equal(npmLockCataloger.wants("app/npm-shrinkwrap.json", 10, 0o100644), true);
  const { packages, notes } = catalog(npmLockCataloger, "app/package-lock.json", "{\n  \"packages\": {\n");
  assert.deepEqual(packages, []);
  assert.match(notes[0] as string, /app\/package-lock\.json: npm lockfile is not valid JSON/);
  assert.equal(catalog(npmLockCataloger, "app/package-lock.json", "[]").notes.length, 1);
});

test("npm-lock agrees with the installed package.json files of this repository (real npm output)", () => {
  const root = join(import.meta.dirname, "..", "..");
  const lockText = readFileSync(join(root, "package-lock.json"));
  const lock = JSON.parse(lockText.toString("utf8")) as { packages: Record<string, { version?: string; link?: boolean; dev?: boolean }> };
  const fromLock = catalog(npmLockCataloger, "package-lock.json", lockText).packages;
  let compared = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    const manifestPath = join(root, path, "package.json");
    if (!path.startsWith("node_modules/") || entry.link === true || !existsSync(manifestPath)) continue;
    const installed = npmPackageCataloger.parse(textFile(`${path}/package.json`, readFileSync(manifestPath)), { note: () => {} });
    assert.equal(installed.length, 1, path);
    const pkg = installed[0];
    const match = fromLock.find((p) => p.purl === pkg?.purl);
    assert.ok(match !== undefined, `${pkg?.purl} from ${path} is missing from the lockfile's packages`);
    compared++;
  }
  assert.ok(compared > 50, `only ${compared} installed packages compared`);
  // Every dev entry in the lock is reported dev unless the same name@version is also a production dependency.
  const devInLock = new Set(fromLock.filter((p) => p.metadata?.["dev"] === "true").map((p) => p.purl));
  assert.ok(devInLock.has(fromLock.find((p) => p.name === "typescript")?.purl ?? ""), "typescript is a dev dependency here");
  assert.ok(!devInLock.has(fromLock.find((p) => p.name === "yaml")?.purl ?? "none"), "yaml is a production dependency here");
});

const YARN_CLASSIC = `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"
  integrity sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g==
  dependencies:
    "@babel/highlight" "^7.12.13"

debug@2.6.9:
  version "2.6.9"
  resolved "https://registry.yarnpkg.com/debug/-/debug-2.6.9.tgz#5d128515df134ff327e90a4c93f4e077a536341f"
  dependencies:
    ms "2.0.0"

debug@^4.1.0, debug@^4.3.1:
  version "4.3.4"
  resolved "https://registry.yarnpkg.com/debug/-/debug-4.3.4.tgz#1319f6579357f2338d3337d2cdd4914bb5dcc865"

"string-width-cjs@npm:string-width@^4.2.0":
  version "4.2.3"

"my-lib@file:../my-lib":
  version "1.0.0"

left-pad@github:stevemao/left-pad#master:
  version "1.3.0"
  resolved "https://codeload.github.com/stevemao/left-pad/tar.gz/b2b2e9b"
`;

test("yarn-lock classic: descriptors, scopes, aliases, several ranges to one version, local packages skipped", () => {
  const { packages, notes } = catalog(yarnLockCataloger, "app/yarn.lock", YARN_CLASSIC);
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["@babel/code-frame@7.12.13", "debug@2.6.9", "debug@4.3.4", "left-pad@1.3.0", "string-width@4.2.3"]);
  assert.equal(packages[0]?.purl, "pkg:npm/%40babel/code-frame@7.12.13");
  assert.deepEqual(packages[0]?.locations, [{ path: "app/yarn.lock" }]);
  assert.equal(packages[0]?.cataloger, "yarn-lock");
});

const YARN_BERRY = `# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@babel/code-frame@npm:^7.0.0, @babel/code-frame@npm:^7.10.4":
  version: 7.24.7
  resolution: "@babel/code-frame@npm:7.24.7"
  dependencies:
    "@babel/highlight": "npm:^7.24.7"
    picocolors: "npm:^1.0.0"
  checksum: 10c0/ab0af539473a9f5aeaac7047e377cb4f4edd255a81d84a76058595f8540784cc3fbe8acf73f1e073981104562490aabfb23008cd66dc677a456a4ed5390fdde6
  languageName: node
  linkType: hard

"lodash@npm:4.17.21, lodash@npm:^4.17.20":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  checksum: 10c0/d8cbea072bb08655bb4c989da418994b073a608dffa608b09ac04b43a791b12aeae7cd7ad919aa4c925f33b48490b5cfe6c1f71d827956071dae2e7bb3a6b74c
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.1#optional!builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
  languageName: node
  linkType: hard

"resolve@npm:^1.22.1":
  version: 1.22.8
  resolution: "resolve@npm:1.22.8"
  languageName: node
  linkType: hard

"web@workspace:.":
  version: 0.0.0-use.local
  resolution: "web@workspace:."
  languageName: unknown
  linkType: soft

"ui@link:./packages/ui::locator=web%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "ui@link:./packages/ui::locator=web%40workspace%3A."
  languageName: node
  linkType: soft

"strip-cjs@npm:strip-ansi@^6.0.1":
  version: 6.0.1
  resolution: "strip-ansi@npm:6.0.1"
  languageName: node
  linkType: hard

"version-one@npm:1.10":
  version: 1.10
  resolution: "version-one@npm:1.10"
  languageName: node
  linkType: hard
`;

test("yarn-lock berry: npm resolutions kept, workspace/link/patch skipped, versions stay text", () => {
  const { packages, notes } = catalog(yarnLockCataloger, "yarn.lock", YARN_BERRY);
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["@babel/code-frame@7.24.7", "lodash@4.17.21", "resolve@1.22.8", "strip-ansi@6.0.1", "version-one@1.10"]);
  const malformed = catalog(yarnLockCataloger, "yarn.lock", "__metadata:\n  version: 8\n\"a@npm:1\":\n  version: [1\n");
  assert.deepEqual(malformed.packages, []);
  assert.match(malformed.notes[0] as string, /yarn\.lock: yarn\.lock is not valid YAML/);
});

test("pnpm keys of every lockfile version", () => {
  assert.deepEqual(parsePnpmKey("/@babel/core/7.12.3", true), { name: "@babel/core", version: "7.12.3" });
  assert.deepEqual(parsePnpmKey("/react-dom/17.0.2_react@17.0.2", true), { name: "react-dom", version: "17.0.2" });
  assert.deepEqual(parsePnpmKey("/@babel/core@7.12.3", false), { name: "@babel/core", version: "7.12.3" });
  assert.deepEqual(parsePnpmKey("/react-dom@17.0.2(react@17.0.2)", false), { name: "react-dom", version: "17.0.2" });
  assert.deepEqual(parsePnpmKey("react-dom@17.0.2(react@17.0.2)(@types/react@18.0.0)", false), { name: "react-dom", version: "17.0.2" });
  assert.deepEqual(parsePnpmKey("string-width-cjs@npm:string-width@4.2.3", false), { name: "string-width", version: "4.2.3" });
});

const PNPM_V5 = `lockfileVersion: 5.4

specifiers:
  react: ^17.0.2
  typescript: ^4.9.0

dependencies:
  react: 17.0.2

devDependencies:
  typescript: 4.9.5

packages:

  /js-tokens/4.0.0:
    resolution: {integrity: sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==}
    dev: false

  /react/17.0.2:
    resolution: {integrity: sha512-gnhPt75i/dq/z3/6q/0asP78D0u592D5L1pd7M8P+dck6Fu/jJeL6iVVK23fptSUZj8Vjf++7wXA8UNclGQcbA==}
    engines: {node: '>=0.10.0'}
    dependencies:
      js-tokens: 4.0.0
    dev: false

  /react-dom/17.0.2_react@17.0.2:
    resolution: {integrity: sha512-s4h96KtLDUQlsENhMn1ar8t2bEa+q/YAtj8pPPdIjPDGBDIVNsrD9aXNWqspUe6AzKCIG0C1HZZLqLV7qpOBGA==}
    peerDependencies:
      react: 17.0.2
    dev: false

  /typescript/4.9.5:
    resolution: {integrity: sha512-1FXk9E2Hm+QzZQ7z+McJiHL4NW1F995jxs0W6E2WAXhm0rUePB/T1fB7JjS4d8YwK9I+R9w1rZ6wWYG+w==}
    engines: {node: '>=4.2.0'}
    hasBin: true
    dev: true
`;

const PNPM_V6 = `lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

dependencies:
  react-dom:
    specifier: ^18.3.1
    version: 18.3.1(react@18.3.1)

devDependencies:
  '@types/react':
    specifier: ^18.3.3
    version: 18.3.3

packages:

  /@types/react@18.3.3:
    resolution: {integrity: sha512-hti/R0pS0q1/xx+TsI73XIqk26eBsISZ2R0wUijXIngRK9R/e7Xw/cXVxQK7R5JjW+SV4zGcn5hXjudkN/pLIw==}
    dev: true

  /react-dom@18.3.1(react@18.3.1):
    resolution: {integrity: sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==}
    peerDependencies:
      react: ^18.3.1
    dependencies:
      react: 18.3.1
    dev: false

  /react@18.3.1:
    resolution: {integrity: sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==}
    dev: false

  github.com/user/forked/0123456789abcdef:
    resolution: {tarball: https://codeload.github.com/user/forked/tar.gz/0123456789abcdef}
    name: forked
    version: 2.0.0
    dev: false
`;

const PNPM_V9 = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.3.1
        version: 18.3.1(react@18.3.1)
      ui:
        specifier: workspace:*
        version: link:packages/ui
    devDependencies:
      typescript:
        specifier: ^5.5.3
        version: 5.5.3
      react:
        specifier: ^18.3.1
        version: 18.3.1

  packages/ui:
    devDependencies:
      loose-envify:
        specifier: ^1.4.0
        version: 1.4.0

packages:

  js-tokens@4.0.0:
    resolution: {integrity: sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==}

  loose-envify@1.4.0:
    resolution: {integrity: sha512-lyuxPGr/Wfhrlem2CL/UcnUc1zcqKAImBDzukY7Y5F/yQiNdko6+fRLevlw1HgMySw7f611UIY408EtxRSoK3Q==}
    hasBin: true

  react-dom@18.3.1:
    resolution: {integrity: sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==}
    peerDependencies:
      react: ^18.3.1

  react@18.3.1:
    resolution: {integrity: sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==}
    engines: {node: '>=0.10.0'}

  typescript@5.5.3:
    resolution: {integrity: sha512-/hreyEujaB0w76zKo6717l3L0o/qEUtRgdvUBvlkhoWeOVMjMuHNHk0BRBzikzuGDqNmPQbg5ifMEqsHLiIUcQ==}
    engines: {node: '>=14.17'}
    hasBin: true

snapshots:

  js-tokens@4.0.0: {}

  loose-envify@1.4.0:
    dependencies:
      js-tokens: 4.0.0

  react-dom@18.3.1(react@18.3.1):
    dependencies:
      loose-envify: 1.4.0
      react: 18.3.1

  react@18.3.1:
    dependencies:
      loose-envify: 1.4.0

  typescript@5.5.3: {}
`;

test("pnpm-lock v5, v6 (dev flags as written) and v9 (dev computed from importers and snapshots)", () => {
  const v5 = catalog(pnpmLockCataloger, "pnpm-lock.yaml", PNPM_V5);
  assert.deepEqual(v5.notes, []);
  assert.deepEqual(summary(v5.packages), ["js-tokens@4.0.0", "react-dom@17.0.2", "react@17.0.2", "typescript@4.9.5 dev"]);

  const v6 = catalog(pnpmLockCataloger, "pnpm-lock.yaml", PNPM_V6);
  assert.deepEqual(summary(v6.packages), ["@types/react@18.3.3 dev", "forked@2.0.0", "react-dom@18.3.1", "react@18.3.1"]);
  assert.equal(v6.packages.find((p) => p.name === "@types/react")?.purl, "pkg:npm/%40types/react@18.3.3");

  const v9 = catalog(pnpmLockCataloger, "srv/pnpm-lock.yaml", PNPM_V9);
  assert.deepEqual(v9.notes, []);
  // react is a devDependency of the root but also reached from react-dom in production: not dev.
  assert.deepEqual(summary(v9.packages), ["js-tokens@4.0.0", "loose-envify@1.4.0", "react-dom@18.3.1", "react@18.3.1", "typescript@5.5.3 dev"]);
  assert.deepEqual(v9.packages[0]?.locations, [{ path: "srv/pnpm-lock.yaml" }]);
});

test("pnpm-lock: malformed YAML and a missing lockfileVersion are notes", () => {
  const broken = catalog(pnpmLockCataloger, "pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: [\n");
  assert.deepEqual(broken.packages, []);
  assert.match(broken.notes[0] as string, /not valid YAML/);
  const unversioned = catalog(pnpmLockCataloger, "pnpm-lock.yaml", "packages:\n  a@1.0.0: {}\n");
  assert.deepEqual(unversioned.packages, []);
  assert.match(unversioned.notes[0] as string, /no lockfileVersion/);
});

test("truncated files of every kind never throw", () => {
  assertTruncationsDoNotThrow(npmPackageCataloger, "node_modules/a/package.json", manifest({ name: "a", version: "1.0.0", license: { type: "MIT" } }), 1);
  assertTruncationsDoNotThrow(npmLockCataloger, "package-lock.json", JSON.stringify(LOCK_V3, null, 2), 11);
  assertTruncationsDoNotThrow(yarnLockCataloger, "yarn.lock", YARN_CLASSIC, 3);
  assertTruncationsDoNotThrow(yarnLockCataloger, "yarn.lock", YARN_BERRY, 19);
  assertTruncationsDoNotThrow(pnpmLockCataloger, "pnpm-lock.yaml", PNPM_V6, 19);
  assertTruncationsDoNotThrow(pnpmLockCataloger, "pnpm-lock.yaml", PNPM_V9, 19);
});
