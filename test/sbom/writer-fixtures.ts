// A catalog with one package of each kind the writers treat differently (scoped names, Maven coordinates, nested
// archives, compound and non-SPDX licences, several locations), shared by the writer and reader tests.
import type { Catalog, CatalogedPackage } from "../../src/sbom/model.ts";
import { purl } from "../../src/sbom/purl.ts";

const LAYER0 = `sha256:${"a".repeat(64)}`;
const LAYER1 = `sha256:${"b".repeat(64)}`;

function pkg(p: Omit<CatalogedPackage, "licenses" | "locations"> & Partial<Pick<CatalogedPackage, "licenses" | "locations">>): CatalogedPackage {
  return { licenses: [], locations: [], ...p };
}

export function sampleCatalog(): Catalog {
  return {
    target: "oci:img:v1",
    kind: "image",
    image: { digest: `sha256:${"c".repeat(64)}`, configDigest: `sha256:${"d".repeat(64)}`, name: "example.com/app:v1", platform: "linux/amd64", layers: [LAYER0, LAYER1] },
    distro: { id: "debian", versionId: "12", versionCodename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" },
    packages: [
      pkg({
        name: "libc6", version: "2.36-9+deb12u4", ecosystem: "Debian", release: "12", sourceName: "glibc", type: "deb", namespace: "debian",
        purl: purl({ type: "deb", namespace: "debian", name: "libc6", version: "2.36-9+deb12u4", qualifiers: { arch: "amd64", distro: "debian-12", upstream: "glibc" } }),
        licenses: ["GPL-2.0-or-later", "LGPL-2.1-or-later"], cataloger: "dpkg", metadata: { architecture: "amd64" },
        locations: [{ path: "var/lib/dpkg/status", layer: LAYER0, layerIndex: 0 }],
      }),
      pkg({
        name: "tzdata", version: "2024a-0+deb12u1", ecosystem: "Debian", release: "12", type: "deb", namespace: "debian",
        purl: purl({ type: "deb", namespace: "debian", name: "tzdata", version: "2024a-0+deb12u1", qualifiers: { arch: "all", distro: "debian-12" } }),
        licenses: ["public-domain"], cataloger: "dpkg", locations: [{ path: "var/lib/dpkg/status", layer: LAYER0, layerIndex: 0 }],
      }),
      pkg({
        name: "@babel/core", version: "7.24.0", ecosystem: "npm", type: "npm", namespace: "babel",
        purl: purl({ type: "npm", namespace: "@babel", name: "core", version: "7.24.0" }), licenses: ["MIT"], cataloger: "npm-package",
        locations: [{ path: "usr/lib/node_modules/@babel/core/package.json", layer: LAYER1, layerIndex: 1 }],
      }),
      pkg({
        name: "lodash", version: "4.17.21", ecosystem: "npm", type: "npm", purl: purl({ type: "npm", name: "lodash", version: "4.17.21" }),
        licenses: ["MIT"], cataloger: "npm-package",
        locations: [
          { path: "app/node_modules/lodash/package.json", layer: LAYER1, layerIndex: 1 },
          { path: "app/node_modules/x/node_modules/lodash/package.json", layer: LAYER1, layerIndex: 1 },
        ],
      }),
      pkg({
        name: "Flask", version: "3.0.0", ecosystem: "PyPI", type: "pypi", purl: purl({ type: "pypi", name: "Flask", version: "3.0.0" }),
        licenses: ["BSD-3-Clause"], cataloger: "python-installed",
        locations: [{ path: "usr/lib/python3/dist-packages/flask-3.0.0.dist-info/METADATA", layer: LAYER1, layerIndex: 1 }],
      }),
      pkg({
        name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", ecosystem: "Maven", type: "maven", namespace: "org.apache.logging.log4j",
        purl: purl({ type: "maven", namespace: "org.apache.logging.log4j", name: "log4j-core", version: "2.14.1" }),
        licenses: ["Apache-2.0"], cataloger: "java-archive",
        locations: [{ path: "app/app.war", inner: "WEB-INF/lib/log4j-core-2.14.1.jar!META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", layer: LAYER1, layerIndex: 1 }],
      }),
      pkg({
        name: "github.com/sirupsen/logrus", version: "v1.9.3", ecosystem: "Go", type: "golang",
        purl: purl({ type: "golang", namespace: "github.com/sirupsen", name: "logrus", version: "v1.9.3" }), cataloger: "go-binary",
        locations: [{ path: "usr/local/bin/app", layer: LAYER1, layerIndex: 1 }],
      }),
      pkg({
        name: "serde", version: "1.0.197", ecosystem: "crates.io", type: "cargo", purl: purl({ type: "cargo", name: "serde", version: "1.0.197" }),
        licenses: ["MIT OR Apache-2.0"], cataloger: "rust-binary", locations: [{ path: "usr/local/bin/app", layer: LAYER1, layerIndex: 1 }],
      }),
      pkg({
        name: "acme/widgets", version: "1.2.3", ecosystem: "Packagist", type: "composer", namespace: "acme",
        purl: purl({ type: "composer", namespace: "acme", name: "widgets", version: "1.2.3" }), licenses: ["Acme Proprietary Licence 2.0"],
        cataloger: "php-composer-installed", locations: [{ path: "var/www/vendor/composer/installed.json", layer: LAYER1, layerIndex: 1 }],
      }),
    ],
    notes: [],
  };
}
