import { test } from "node:test";
import assert from "node:assert/strict";
import { composerInstalledCataloger, composerLockCataloger, packagistVersion } from "../../src/sbom/catalogers/php.ts";
import { compareComposerVersions } from "../../src/vuln/versions/composer.ts";
import { assertTruncationsDoNotThrow, catalog, summary } from "./helpers.ts";

const MONOLOG = {
  name: "monolog/monolog",
  version: "3.7.0",
  version_normalized: "3.7.0.0",
  source: { type: "git", url: "https://github.com/Seldaek/monolog.git", reference: "f4393b648b78a5408747de94fca38beb5f7e9ef8" },
  dist: { type: "zip", url: "https://api.github.com/repos/Seldaek/monolog/zipball/f4393b648b78a5408747de94fca38beb5f7e9ef8", reference: "f4393b648b78a5408747de94fca38beb5f7e9ef8", shasum: "" },
  require: { php: ">=8.1", "psr/log": "^2.0 || ^3.0" },
  time: "2024-06-28T09:40:51+00:00",
  type: "library",
  "installation-source": "dist",
  autoload: { "psr-4": { "Monolog\\": "src/Monolog" } },
  license: ["MIT"],
};
const HTTP_KERNEL = {
  name: "symfony/http-kernel",
  version: "v6.4.8",
  version_normalized: "6.4.8.0",
  type: "library",
  license: ["MIT"],
};
const PHPUNIT = { name: "phpunit/phpunit", version: "10.5.24", version_normalized: "10.5.24.0", type: "library", license: ["BSD-3-Clause"] };
const FORK = { name: "acme/Fork", version: "dev-main", version_normalized: "dev-main", type: "library", license: "GPL-2.0-or-later OR MIT" };

test("composer-installed v2: packages, dev-package-names, v-prefixed tags, branches, licences", () => {
  const installed = { packages: [{ ...MONOLOG, "install-path": "../monolog/monolog" }, HTTP_KERNEL, PHPUNIT, FORK], dev: true, "dev-package-names": ["phpunit/phpunit"] };
  const { packages, notes } = catalog(composerInstalledCataloger, "var/www/html/vendor/composer/installed.json", JSON.stringify(installed, null, 4));
  assert.deepEqual(notes, []);
  assert.deepEqual(packages, [
    {
      name: "monolog/monolog", version: "3.7.0", ecosystem: "Packagist", purl: "pkg:composer/monolog/monolog@3.7.0", type: "composer", namespace: "monolog",
      licenses: ["MIT"], locations: [{ path: "var/www/html/vendor/composer/installed.json" }], cataloger: "composer-installed", metadata: { packageType: "library" },
    },
    {
      name: "symfony/http-kernel", version: "6.4.8", ecosystem: "Packagist", purl: "pkg:composer/symfony/http-kernel@6.4.8", type: "composer", namespace: "symfony",
      licenses: ["MIT"], locations: [{ path: "var/www/html/vendor/composer/installed.json" }], cataloger: "composer-installed",
      metadata: { rawVersion: "v6.4.8", packageType: "library" },
    },
    {
      name: "phpunit/phpunit", version: "10.5.24", ecosystem: "Packagist", purl: "pkg:composer/phpunit/phpunit@10.5.24", type: "composer", namespace: "phpunit",
      licenses: ["BSD-3-Clause"], locations: [{ path: "var/www/html/vendor/composer/installed.json" }], cataloger: "composer-installed",
      metadata: { dev: "true", packageType: "library" },
    },
    {
      name: "acme/Fork", version: "dev-main", ecosystem: "Packagist", purl: "pkg:composer/acme/fork@dev-main", type: "composer", namespace: "acme",
      licenses: ["GPL-2.0-or-later OR MIT"], locations: [{ path: "var/www/html/vendor/composer/installed.json" }], cataloger: "composer-installed",
      metadata: { packageType: "library" },
    },
  ]);
});

test("composer-installed v1: a bare array; nothing is dev", () => {
  const { packages, notes } = catalog(composerInstalledCataloger, "app/vendor/composer/installed.json", JSON.stringify([MONOLOG, HTTP_KERNEL, { name: "broken" }], null, 4));
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["monolog/monolog@3.7.0", "symfony/http-kernel@6.4.8"]);
});

test("composer-lock: packages and packages-dev", () => {
  const lock = {
    _readme: ["This file locks the dependencies of your project to a known state", "This file is @generated automatically"],
    "content-hash": "0123456789abcdef0123456789abcdef",
    packages: [MONOLOG, HTTP_KERNEL],
    "packages-dev": [PHPUNIT],
    aliases: [],
    "minimum-stability": "stable",
    "stability-flags": [],
    "prefer-stable": false,
    "prefer-lowest": false,
    platform: { php: ">=8.2" },
    "platform-dev": [],
    "plugin-api-version": "2.6.0",
  };
  const { packages, notes } = catalog(composerLockCataloger, "srv/app/composer.lock", JSON.stringify(lock, null, 4));
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["monolog/monolog@3.7.0", "phpunit/phpunit@10.5.24 dev", "symfony/http-kernel@6.4.8"]);
  assert.deepEqual(packages[0]?.locations, [{ path: "srv/app/composer.lock" }]);
  assert.equal(packages[0]?.cataloger, "composer-lock");
});

test("composer: which paths are wanted; malformed JSON is a note", () => {
  assert.equal(composerInstalledCataloger.wants("app/vendor/composer/installed.json", 1, 0o100644), true);
  assert.equal(composerInstalledCataloger.wants("app/lib/composer/installed.json", 1, 0o100644), true);
  assert.equal(composerInstalledCataloger.wants("app/vendor/composer/installed.php", 1, 0o100644), false);
  assert.equal(composerLockCataloger.wants("app/composer.lock", 1, 0o100644), true);
  assert.equal(composerLockCataloger.wants("app/vendor/acme/lib/composer.lock", 1, 0o100644), false);
  const broken = catalog(composerLockCataloger, "composer.lock", '{"packages": [');
  assert.deepEqual(broken.packages, []);
  assert.match(broken.notes[0] as string, /^composer\.lock: composer\.lock is not valid JSON/);
  assert.equal(catalog(composerInstalledCataloger, "vendor/composer/installed.json", '"x"').notes.length, 1);
});

test("dropping a tag's v keeps the order Composer gives the version", () => {
  for (const raw of ["v6.4.8", "v1.0.0-beta2", "V2.0", "6.4.8", "dev-main", "1.0.x-dev"]) {
    const v = packagistVersion(raw);
    assert.ok(!/^v\d/i.test(v), raw);
    if (!/^v/i.test(raw)) assert.equal(v, raw);
    if (raw.includes("dev")) continue; // branches are not ordered
    assert.equal(compareComposerVersions(v, raw), 0, raw);
  }
});

test("truncated files never throw", () => {
  const installed = JSON.stringify({ packages: [MONOLOG, HTTP_KERNEL, PHPUNIT], "dev-package-names": ["phpunit/phpunit"] }, null, 4);
  assertTruncationsDoNotThrow(composerInstalledCataloger, "vendor/composer/installed.json", installed, 5);
  assertTruncationsDoNotThrow(composerLockCataloger, "composer.lock", JSON.stringify({ packages: [MONOLOG], "packages-dev": [PHPUNIT] }, null, 4), 5);
});
