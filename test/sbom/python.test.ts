import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  parseRequirementPin,
  pipfileLockCataloger,
  poetryLockCataloger,
  pythonInstalledCataloger,
  pythonRequirementsCataloger,
  uvLockCataloger,
} from "../../src/sbom/catalogers/python.ts";
import { assertTruncationsDoNotThrow, catalog, summary, textFile } from "./helpers.ts";

const METADATA_2_1 = `Metadata-Version: 2.1
Name: Flask_SQLAlchemy
Version: 3.1.1
Summary: Add SQLAlchemy support to your Flask application.
Author-email: Armin Ronacher <armin.ronacher@active-4.com>
Requires-Python: >=3.8
Description-Content-Type: text/markdown
Classifier: Development Status :: 5 - Production/Stable
Classifier: License :: OSI Approved :: BSD License
Classifier: Programming Language :: Python
Requires-Dist: flask>=2.2.5
Requires-Dist: sqlalchemy>=2.0.16
Project-URL: Source, https://github.com/pallets-eco/flask-sqlalchemy/

# Flask-SQLAlchemy

License: this line is in the description, not a header
`;

const METADATA_2_4 = `Metadata-Version: 2.4
Name: attrs
Version: 24.2.0
License-Expression: MIT
License-File: LICENSE
Classifier: License :: OSI Approved :: MIT License

attrs is the Python package that will bring back the joy of writing classes.
`;

const PKG_INFO_FULL_TEXT_LICENSE = `Metadata-Version: 1.1
Name: zope.interface
Version: 5.4.0
License: Copyright (c) 2002 Zope Foundation and Contributors.
        All Rights Reserved.
        This software is subject to the provisions of the Zope Public License.
Classifier: License :: OSI Approved :: Zope Public License
Platform: UNKNOWN
`;

const PKG_INFO_PLAIN = `Metadata-Version: 1.0
Name: python-apt
Version: 2.6.0
Summary: Python bindings for libapt
Author: APT Development Team
License: GNU GPL
Platform: posix
`;

test("python-installed: dist-info METADATA, egg-info directory PKG-INFO and egg-info file", () => {
  const found = [
    catalog(pythonInstalledCataloger, "usr/lib/python3/site-packages/Flask_SQLAlchemy-3.1.1.dist-info/METADATA", METADATA_2_1),
    catalog(pythonInstalledCataloger, "usr/local/lib/python3.12/site-packages/attrs-24.2.0.dist-info/METADATA", METADATA_2_4),
    catalog(pythonInstalledCataloger, "usr/lib/python3/dist-packages/zope.interface-5.4.0.egg-info/PKG-INFO", PKG_INFO_FULL_TEXT_LICENSE),
    catalog(pythonInstalledCataloger, "usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info", PKG_INFO_PLAIN),
  ];
  assert.deepEqual(found.flatMap((r) => r.notes), []);
  assert.deepEqual(
    found.flatMap((r) => r.packages),
    [
      {
        name: "Flask_SQLAlchemy", version: "3.1.1", ecosystem: "PyPI", purl: "pkg:pypi/flask-sqlalchemy@3.1.1", type: "pypi",
        licenses: ["BSD License"], locations: [{ path: "usr/lib/python3/site-packages/Flask_SQLAlchemy-3.1.1.dist-info/METADATA" }], cataloger: "python-installed",
      },
      {
        name: "attrs", version: "24.2.0", ecosystem: "PyPI", purl: "pkg:pypi/attrs@24.2.0", type: "pypi",
        licenses: ["MIT"], locations: [{ path: "usr/local/lib/python3.12/site-packages/attrs-24.2.0.dist-info/METADATA" }], cataloger: "python-installed",
      },
      {
        name: "zope.interface", version: "5.4.0", ecosystem: "PyPI", purl: "pkg:pypi/zope-interface@5.4.0", type: "pypi",
        licenses: ["Zope Public License"], locations: [{ path: "usr/lib/python3/dist-packages/zope.interface-5.4.0.egg-info/PKG-INFO" }], cataloger: "python-installed",
      },
      {
        name: "python-apt", version: "2.6.0", ecosystem: "PyPI", purl: "pkg:pypi/python-apt@2.6.0", type: "pypi",
        licenses: ["GNU GPL"], locations: [{ path: "usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info" }], cataloger: "python-installed",
      },
    ],
  );
});

test("python-installed: which paths it wants; metadata without a version is a note", () => {
  const wants = (p: string, mode = 0o100644): boolean => pythonInstalledCataloger.wants(p, 10, mode);
  assert.equal(wants("site-packages/a-1.0.dist-info/METADATA"), true);
  assert.equal(wants("site-packages/a-1.0.dist-info/RECORD"), false);
  assert.equal(wants("site-packages/a.egg-info/PKG-INFO"), true);
  assert.equal(wants("site-packages/a-1.0-py3.11.egg/EGG-INFO/PKG-INFO"), true);
  assert.equal(wants("site-packages/a.egg-info/requires.txt"), false);
  assert.equal(wants("site-packages/a.egg-info", 0o040755), false);
  assert.equal(wants("src/a/PKG-INFO"), false);
  const { packages, notes } = catalog(pythonInstalledCataloger, "x/a.dist-info/METADATA", "Metadata-Version: 2.1\nName: a\n");
  assert.deepEqual(packages, []);
  assert.equal(notes.length, 1);
  assert.deepEqual(catalog(pythonInstalledCataloger, "x/b.dist-info/METADATA", new Uint8Array([0xff, 0xfe, 0, 1])).packages, []);
});

// Real distributions installed on this machine, read by Python's importlib.metadata: same names and versions.
const installed = (() => {
  const script = `
import importlib.metadata as m, json, sys
from packaging.utils import canonicalize_name
out = []
for d in m.distributions():
    path = str(getattr(d, "_path", ""))
    out.append({"path": path, "name": d.metadata["Name"], "version": d.version, "canonical": canonicalize_name(d.metadata["Name"])})
json.dump(out, sys.stdout)
`;
  const run = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  return run.status === 0 ? (JSON.parse(run.stdout) as { path: string; name: string; version: string; canonical: string }[]) : undefined;
})();

test("python-installed agrees with importlib.metadata on this machine's site-packages", { skip: installed === undefined ? "python3 with packaging is not available" : false }, () => {
  let compared = 0;
  for (const dist of installed ?? []) {
    const file = [join(dist.path, "METADATA"), join(dist.path, "PKG-INFO"), dist.path].find((p) => existsSync(p) && statSync(p).isFile());
    if (file === undefined) continue;
    const relative = file.replace(/^\/+/, "");
    if (!pythonInstalledCataloger.wants(relative, 1, 0o100644)) continue;
    const packages = pythonInstalledCataloger.parse(textFile(relative, readFileSync(file)), { note: () => {} });
    assert.equal(packages.length, 1, file);
    assert.equal(packages[0]?.name, dist.name, file);
    assert.equal(packages[0]?.version, dist.version, file);
    assert.equal(packages[0]?.purl, `pkg:pypi/${dist.canonical}@${encodeURIComponent(dist.version)}`, file);
    compared++;
  }
  assert.ok(compared >= 10, `only ${compared} distributions compared`);
});

const REQUIREMENTS = `# production pins
-r base.txt
--requirement=other.txt
-c constraints.txt
--index-url https://pypi.org/simple
-e git+https://github.com/org/repo.git#egg=repo

Django==4.2.14  # LTS
requests[security,socks] == 2.32.3 ; python_version >= "3.8"
certifi==2024.7.4 \\
    --hash=sha256:5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b \\
    --hash=sha256:c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90
zope.interface===5.4.0
ruamel.yaml.clib==0.2.8; platform_python_implementation=="CPython"
flask>=2.0
numpy==1.*
urllib3==2.2.2,<3
pip @ https://github.com/pypa/pip/archive/22.0.2.zip
./local/package
uvicorn
Django==4.2.14
`;

test("python-requirements: exact pins with extras, markers, hashes and continuations; the rest skipped, includes noted", () => {
  const { packages, notes } = catalog(pythonRequirementsCataloger, "app/requirements-prod.txt", REQUIREMENTS);
  assert.deepEqual(summary(packages), ["Django@4.2.14", "certifi@2024.7.4", "requests@2.32.3", "ruamel.yaml.clib@0.2.8", "zope.interface@5.4.0"]);
  assert.deepEqual(packages.find((p) => p.name === "requests"), {
    name: "requests", version: "2.32.3", ecosystem: "PyPI", purl: "pkg:pypi/requests@2.32.3", type: "pypi", licenses: [],
    locations: [{ path: "app/requirements-prod.txt" }], cataloger: "python-requirements",
    metadata: { extras: "security,socks", marker: 'python_version >= "3.8"' },
  });
  assert.equal(packages.find((p) => p.name === "ruamel.yaml.clib")?.purl, "pkg:pypi/ruamel-yaml-clib@0.2.8");
  assert.equal(notes.length, 3);
  assert.match(notes[0] as string, /"-r base\.txt" names another file; it is not followed/);
  assert.equal(pythonRequirementsCataloger.wants("app/requirements/dev-requirements.txt", 1, 0o100644), true);
  assert.equal(pythonRequirementsCataloger.wants("app/requirements.in", 1, 0o100644), false);
  assert.equal(pythonRequirementsCataloger.wants("app/constraints.txt", 1, 0o100644), false);
});

test("parseRequirementPin", () => {
  assert.deepEqual(parseRequirementPin("a==1"), { name: "a", version: "1" });
  assert.deepEqual(parseRequirementPin("A_b.c [x] ==1.0.post1 --hash=sha256:00"), { name: "A_b.c", version: "1.0.post1", extras: "x" });
  assert.equal(parseRequirementPin("a~=1.0"), undefined);
  assert.equal(parseRequirementPin("a!=1.0"), undefined);
  assert.equal(parseRequirementPin("a==1.0.*"), undefined);
});

const POETRY_1 = `[[package]]
name = "black"
version = "24.4.2"
description = "The uncompromising code formatter."
category = "dev"
optional = false
python-versions = ">=3.8"

[[package]]
name = "Django"
version = "4.2.14"
description = "A high-level Python web framework"
category = "main"
optional = false
python-versions = ">=3.8"

[package.dependencies]
asgiref = ">=3.6.0,<4"

[[package]]
name = "mylib"
version = "0.1.0"
description = ""
category = "main"
optional = false
python-versions = "^3.11"
develop = true

[package.source]
type = "directory"
url = "../mylib"

[metadata]
lock-version = "1.1"
python-versions = "^3.11"
content-hash = "aa"
`;

const POETRY_2 = `# This file is automatically @generated by Poetry 2.0.1 and should not be changed by hand.

[[package]]
name = "colorama"
version = "0.4.6"
description = "Cross-platform colored terminal text."
optional = false
python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*,!=3.5.*,!=3.6.*,>=2.7"
groups = ["main", "dev"]
markers = "sys_platform == \\"win32\\""
files = [
    {file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6"},
]

[[package]]
name = "pytest"
version = "8.3.4"
description = "pytest: simple powerful testing with Python"
optional = false
python-versions = ">=3.8"
groups = ["dev"]
files = []

[[package]]
name = "my-fork"
version = "1.0.0"
description = ""
optional = false
python-versions = "*"
groups = ["main"]
files = []

[package.source]
type = "git"
url = "https://github.com/org/my-fork.git"
reference = "HEAD"
resolved_reference = "0123456789abcdef"

[metadata]
lock-version = "2.1"
python-versions = ">=3.11"
content-hash = "bb"
`;

test("poetry-lock 1.x (category) and 2.x (groups): dev flags, local directories skipped, git kept", () => {
  const v1 = catalog(poetryLockCataloger, "app/poetry.lock", POETRY_1);
  assert.deepEqual(v1.notes, []);
  assert.deepEqual(summary(v1.packages), ["Django@4.2.14", "black@24.4.2 dev"]);
  assert.equal(v1.packages.find((p) => p.name === "Django")?.purl, "pkg:pypi/django@4.2.14");
  const v2 = catalog(poetryLockCataloger, "app/poetry.lock", POETRY_2);
  assert.deepEqual(summary(v2.packages), ["colorama@0.4.6", "my-fork@1.0.0", "pytest@8.3.4 dev"]);
  assert.deepEqual(v2.packages.find((p) => p.name === "my-fork")?.metadata, { groups: "main", source: "git" });
  assert.deepEqual(v2.packages[0]?.locations, [{ path: "app/poetry.lock" }]);
});

test("poetry-lock and uv-lock: malformed TOML is a note with the line, not a throw", () => {
  const { packages, notes } = catalog(poetryLockCataloger, "poetry.lock", '[[package]]\nname = "a"\nversion = 1.0.0\n');
  assert.deepEqual(packages, []);
  assert.match(notes[0] as string, /^poetry\.lock: poetry\.lock is not valid TOML \(invalid TOML at line 3/);
  assert.equal(catalog(uvLockCataloger, "uv.lock", "[[package]\n").notes.length, 1);
});

const UV_LOCK = `version = 1
requires-python = ">=3.12"

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]
sdist = { url = "https://files.pythonhosted.org/packages/e6/e3/anyio-4.4.0.tar.gz", hash = "sha256:5aadc6a1bbb7cdb0bede386cac5e2940f5e2ff3aa20277e991cf028e0585ce94", size = 163930 }

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "anyio" }]

[[package]]
name = "Typing_Extensions"
version = "4.12.2"
source = { git = "https://github.com/python/typing_extensions?rev=4.12.2#e1250ff869e7ee5ad05170d8a4b65469f13801c3" }
`;

test("uv-lock: registry and git packages, the editable project skipped", () => {
  const { packages, notes } = catalog(uvLockCataloger, "uv.lock", UV_LOCK);
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["Typing_Extensions@4.12.2", "anyio@4.4.0"]);
  assert.equal(packages.find((p) => p.name === "Typing_Extensions")?.purl, "pkg:pypi/typing-extensions@4.12.2");
});

const PIPFILE_LOCK = {
  _meta: { hash: { sha256: "abc" }, "pipfile-spec": 6, requires: { python_version: "3.12" }, sources: [{ name: "pypi", url: "https://pypi.org/simple", verify_ssl: true }] },
  default: {
    certifi: { hashes: ["sha256:5a1e"], index: "pypi", markers: "python_version >= '3.6'", version: "==2024.7.4" },
    "my-package": { editable: true, path: "." },
    Flask: { hashes: [], version: "==3.0.3" },
  },
  develop: {
    pytest: { hashes: [], version: "==8.2.2" },
    certifi: { version: "==2024.7.4" },
  },
};

test("pipfile-lock: default and develop, editable entries skipped, a package in both is not dev", () => {
  const { packages, notes } = catalog(pipfileLockCataloger, "Pipfile.lock", JSON.stringify(PIPFILE_LOCK, null, 4));
  assert.deepEqual(notes, []);
  assert.deepEqual(summary(packages), ["Flask@3.0.3", "certifi@2024.7.4", "pytest@8.2.2 dev"]);
  assert.deepEqual(packages.find((p) => p.name === "certifi")?.metadata, { marker: "python_version >= '3.6'" });
  const broken = catalog(pipfileLockCataloger, "Pipfile.lock", "{");
  assert.deepEqual(broken.packages, []);
  assert.match(broken.notes[0] as string, /Pipfile\.lock is not valid JSON/);
});

test("truncated files of every kind never throw", () => {
  assertTruncationsDoNotThrow(pythonInstalledCataloger, "a.dist-info/METADATA", METADATA_2_1, 3);
  assertTruncationsDoNotThrow(pythonRequirementsCataloger, "requirements.txt", REQUIREMENTS, 2);
  assertTruncationsDoNotThrow(poetryLockCataloger, "poetry.lock", POETRY_2, 3);
  assertTruncationsDoNotThrow(uvLockCataloger, "uv.lock", UV_LOCK, 3);
  assertTruncationsDoNotThrow(pipfileLockCataloger, "Pipfile.lock", JSON.stringify(PIPFILE_LOCK, null, 4), 3);
});
