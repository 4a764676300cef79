// Java archives written by Python's zipfile (the real format), nested the way WAR/EAR/Spring Boot builds nest them.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { coordinatesFromFileName, javaArchiveCataloger, parseManifest, parseProperties } from "../../src/sbom/catalogers/java.ts";
import { ZipMemoryReader, ZipReader } from "../../src/vuln/db/zip.ts";
import type { CatalogedPackage, CatalogFile } from "../../src/sbom/model.ts";

/** An archive: entries in order; a nested archive is stored (as build tools store jars in wars), text is deflated. */
type Tree = ReadonlyArray<readonly [string, string | Buffer | Tree]>;

const ZIP_SCRIPT = `import io, sys, json, base64, zipfile
def build(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, value in entries:
            if isinstance(value, list):
                z.writestr(zipfile.ZipInfo(name, (2021, 12, 10, 0, 0, 0)), build(value), zipfile.ZIP_STORED)
            else:
                z.writestr(zipfile.ZipInfo(name, (2021, 12, 10, 0, 0, 0)), base64.b64decode(value), zipfile.ZIP_DEFLATED)
    return out.getvalue()
sys.stdout.buffer.write(build(json.load(sys.stdin)))`;

function encodeTree(tree: Tree): unknown {
  return tree.map(([name, value]) => [name, typeof value === "string" || Buffer.isBuffer(value) ? Buffer.from(value).toString("base64") : encodeTree(value)]);
}

function zipWithPython(tree: Tree): Buffer {
  return execFileSync("/usr/bin/python3", ["-c", ZIP_SCRIPT], { input: JSON.stringify(encodeTree(tree)), maxBuffer: 1 << 28 });
}

// The shape Maven writes (maven-archiver), with log4j-core 2.14.1's coordinates.
const LOG4J_POM_PROPERTIES = "#Created by Apache Maven 3.6.3\nversion=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\n";
const LOG4J_MANIFEST = [
  "Manifest-Version: 1.0",
  "Bundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt",
  "Bundle-SymbolicName: org.apache.logging.log4j.core",
  "Implementation-Title: Apache Log4j Core",
  "Implementation-Vendor-Id: org.apache.logging.log4j",
  "Implementation-Version: 2.14.1",
  "Export-Package: org.apache.logging.log4j.core;version=\"2.14.1\";uses:=\"org.apache.logg",
  " ing.log4j,org.apache.logging.log4j.core.config\"",
  "", "",
].join("\r\n");

const LOG4J_CORE: Tree = [
  ["META-INF/MANIFEST.MF", LOG4J_MANIFEST],
  ["META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", LOG4J_POM_PROPERTIES],
  ["META-INF/maven/org.apache.logging.log4j/log4j-core/pom.xml", "<project/>"],
  ["org/apache/logging/log4j/core/lookup/JndiLookup.class", Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52])],
];

function jarWithPom(groupId: string, artifactId: string, version: string): Tree {
  return [
    ["META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"],
    [`META-INF/maven/${groupId}/${artifactId}/pom.properties`, `version=${version}\ngroupId=${groupId}\nartifactId=${artifactId}\n`],
  ];
}

interface Summary {
  name: string;
  version: string;
  purl: string;
  inner: string | undefined;
  metadata?: Record<string, string>;
}

function catalog(path: string, bytes: Uint8Array): { packages: CatalogedPackage[]; notes: string[] } {
  const notes: string[] = [];
  const file: CatalogFile = { path, bytes, mode: 0o644, location: { path, layerIndex: 2, layer: "sha256:abc" } };
  return { packages: javaArchiveCataloger.parse(file, { note: (m) => notes.push(m) }), notes };
}

function summary(packages: CatalogedPackage[]): Summary[] {
  return packages.map((p) => ({ name: p.name, version: p.version, purl: p.purl, inner: p.locations[0]?.inner }));
}

describe("java-archive cataloger", () => {
  test("wants Java archive names with zip (or launch script) content", () => {
    for (const path of ["app/lib/log4j-core-2.14.1.jar", "x.WAR", "opt/app.ear", "a.par", "b.sar", "plugins/git.jpi", "c.hpi", "d.nar"]) {
      assert.equal(javaArchiveCataloger.wants(path, 1000, 0o644), true, path);
    }
    for (const path of ["jar", "x.jar.sha1", "usr/share/java", "a.zip", "lib.jar/README"]) {
      assert.equal(javaArchiveCataloger.wants(path, 1000, 0o644), false, path);
    }
    const wantsContent = javaArchiveCataloger.wantsContent ?? assert.fail();
    assert.equal(wantsContent("a.jar", zipWithPython(LOG4J_CORE).subarray(0, 64)), true);
    assert.equal(wantsContent("a.jar", zipWithPython([]).subarray(0, 64)), true);
    // A script may be the head of a fully executable jar: only its end tells.
    assert.equal(wantsContent("a.jar", Buffer.from("#!/bin/sh\nexec java -jar\n")), true);
    assert.equal(wantsContent("a.jar", Buffer.from("<?xml version=\"1.0\"?>")), false);
  });

  test("log4j-core 2.14.1: coordinates from pom.properties, licence from the manifest", () => {
    const { packages, notes } = catalog("app/lib/log4j-core-2.14.1.jar", zipWithPython(LOG4J_CORE));
    assert.deepEqual(notes, []);
    assert.deepEqual(packages, [{
      name: "org.apache.logging.log4j:log4j-core",
      version: "2.14.1",
      ecosystem: "Maven",
      purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
      type: "maven",
      namespace: "org.apache.logging.log4j",
      licenses: ["https://www.apache.org/licenses/LICENSE-2.0.txt"],
      locations: [{ path: "app/lib/log4j-core-2.14.1.jar", layerIndex: 2, layer: "sha256:abc" }],
      cataloger: "java-archive",
      metadata: { artifactId: "log4j-core", pomProperties: "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties" },
    }]);
  });

  test("a shaded jar reports one package per pom.properties", () => {
    const shaded: Tree = [
      ["META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nBundle-License: Apache-2.0\r\n\r\n"],
      ...jarWithPom("com.example", "service", "1.4.0").slice(1),
      ...jarWithPom("com.google.guava", "guava", "31.1-jre").slice(1),
      ...jarWithPom("com.fasterxml.jackson.core", "jackson-databind", "2.13.0").slice(1),
    ];
    const { packages, notes } = catalog("service.jar", zipWithPython(shaded));
    assert.deepEqual(notes, []);
    assert.deepEqual(summary(packages), [
      { name: "com.example:service", version: "1.4.0", purl: "pkg:maven/com.example/service@1.4.0", inner: undefined },
      { name: "com.fasterxml.jackson.core:jackson-databind", version: "2.13.0", purl: "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0", inner: undefined },
      { name: "com.google.guava:guava", version: "31.1-jre", purl: "pkg:maven/com.google.guava/guava@31.1-jre", inner: undefined },
    ]);
    // The manifest describes the shaded artifact as a whole: with several artifacts, no licence is assigned.
    assert.deepEqual(packages.map((p) => p.licenses), [[], [], []]);
  });

  test("a fat war: its own coordinates and every jar in WEB-INF/lib, located by inner path", () => {
    const war: Tree = [
      ["META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n"],
      ...jarWithPom("com.example", "shop", "3.0.0").slice(1),
      ["WEB-INF/web.xml", "<web-app/>"],
      ["WEB-INF/classes/com/example/Shop.class", Buffer.from([0xca, 0xfe, 0xba, 0xbe])],
      ["WEB-INF/lib/log4j-core-2.14.1.jar", LOG4J_CORE],
      ["WEB-INF/lib/log4j-api-2.14.1.jar", jarWithPom("org.apache.logging.log4j", "log4j-api", "2.14.1")],
      // Manifest only, the way Gradle builds without the maven plugin look.
      ["WEB-INF/lib/commons-text-1.9.jar", [["META-INF/MANIFEST.MF",
        "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.apache.commons.commons-text\r\nImplementation-Title: Apache Commons Text\r\n"
        + "Implementation-Version: 1.9\r\nBundle-License: \"Apache-2.0\";link=\"https://www.apache.org/licenses/LICENSE-2.0.txt\"\r\n\r\nName: org/x\r\nImplementation-Version: 0\r\n"]]],
      // Nothing but a versioned file name.
      ["WEB-INF/lib/jsr305-3.0.2.jar", [["javax/annotation/Nonnull.class", Buffer.from([0xca, 0xfe])]]],
    ];
    const { packages, notes } = catalog("usr/local/tomcat/webapps/shop.war", zipWithPython(war));
    assert.deepEqual(notes, []);
    assert.deepEqual(packages.map((p) => ({ ...summary([p])[0], metadata: p.metadata, licenses: p.licenses })), [
      { name: "com.example:shop", version: "3.0.0", purl: "pkg:maven/com.example/shop@3.0.0", inner: undefined,
        metadata: { artifactId: "shop", pomProperties: "META-INF/maven/com.example/shop/pom.properties" }, licenses: [] },
      { name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        inner: "WEB-INF/lib/log4j-core-2.14.1.jar", metadata: { artifactId: "log4j-core", pomProperties: "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties" },
        licenses: ["https://www.apache.org/licenses/LICENSE-2.0.txt"] },
      { name: "org.apache.logging.log4j:log4j-api", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
        inner: "WEB-INF/lib/log4j-api-2.14.1.jar", metadata: { artifactId: "log4j-api", pomProperties: "META-INF/maven/org.apache.logging.log4j/log4j-api/pom.properties" }, licenses: [] },
      { name: "org.apache.commons:commons-text", version: "1.9", purl: "pkg:maven/org.apache.commons/commons-text@1.9",
        inner: "WEB-INF/lib/commons-text-1.9.jar", metadata: { artifactId: "commons-text", guessedFrom: "manifest" }, licenses: ["Apache-2.0"] },
      { name: "jsr305", version: "3.0.2", purl: "pkg:maven/jsr305@3.0.2",
        inner: "WEB-INF/lib/jsr305-3.0.2.jar", metadata: { artifactId: "jsr305", guessedFrom: "filename" }, licenses: [] },
    ]);
    for (const p of packages) assert.equal(p.locations[0]?.path, "usr/local/tomcat/webapps/shop.war");
  });

  test("an ear with a war with jars, and a Spring Boot jar: inner paths join levels with '!'", () => {
    const ear: Tree = [
      ["META-INF/application.xml", "<application/>"],
      ["shop.war", [["WEB-INF/lib/log4j-core-2.14.1.jar", LOG4J_CORE]]],
      ["lib/boot.jar", [["BOOT-INF/lib/log4j-api-2.17.1.jar", jarWithPom("org.apache.logging.log4j", "log4j-api", "2.17.1")]]],
    ];
    const { packages, notes } = catalog("opt/app.ear", zipWithPython(ear));
    assert.deepEqual(summary(packages), [
      { name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", inner: "shop.war!WEB-INF/lib/log4j-core-2.14.1.jar" },
      { name: "org.apache.logging.log4j:log4j-api", version: "2.17.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-api@2.17.1", inner: "lib/boot.jar!BOOT-INF/lib/log4j-api-2.17.1.jar" },
    ]);
    // The ear and the two wrappers carry no coordinates of their own: each is noted, not guessed.
    assert.deepEqual(notes, [
      "opt/app.ear: no pom.properties, manifest version or versioned file name: Java archive not identified",
      "opt/app.ear!shop.war: no pom.properties, manifest version or versioned file name: Java archive not identified",
      "opt/app.ear!lib/boot.jar: no pom.properties, manifest version or versioned file name: Java archive not identified",
    ]);
  });

  test("nesting stops after four levels, with a note", () => {
    let tree: Tree = jarWithPom("g", "deepest", "1.0");
    for (let level = 6; level >= 1; level--) tree = [...jarWithPom("g", `level${level}`, "1.0").slice(1), [`lib/l${level}.jar`, tree]];
    const { packages, notes } = catalog("deep.jar", zipWithPython(tree));
    assert.deepEqual(packages.map((p) => [p.name, p.locations[0]?.inner]), [
      ["g:level1", undefined],
      ["g:level2", "lib/l1.jar"],
      ["g:level3", "lib/l1.jar!lib/l2.jar"],
      ["g:level4", "lib/l1.jar!lib/l2.jar!lib/l3.jar"],
      ["g:level5", "lib/l1.jar!lib/l2.jar!lib/l3.jar!lib/l4.jar"],
    ]);
    assert.deepEqual(notes, ["deep.jar!lib/l1.jar!lib/l2.jar!lib/l3.jar!lib/l4.jar: Java archives nested deeper than 4 levels were not read"]);
  });

  test("truncated, corrupt and bomb archives are noted, never thrown; the rest is still read", () => {
    const good = zipWithPython(LOG4J_CORE);
    const truncated = catalog("broken.jar", good.subarray(0, good.length - 40));
    assert.deepEqual(truncated.packages, []);
    assert.equal(truncated.notes.length, 1);
    assert.match(truncated.notes[0] ?? "", /^broken\.jar: not a readable Java archive \(.*truncated/);
    assert.deepEqual(catalog("empty.jar", new Uint8Array(0)).notes.length, 1);

    // A nested jar whose bytes were damaged after zipping: its CRC fails, the outer war is still read.
    const war = zipWithPython([...jarWithPom("com.example", "shop", "3.0.0"), ["WEB-INF/lib/log4j-core-2.14.1.jar", LOG4J_CORE]]);
    const at = war.indexOf(Buffer.from("PK\x03\x04", "latin1"), war.indexOf(Buffer.from("WEB-INF/lib/log4j-core-2.14.1.jar")));
    war[at + 200] = (war[at + 200] ?? 0) ^ 0xff;
    const damaged = catalog("shop.war", war);
    assert.deepEqual(summary(damaged.packages).map((p) => p.name), ["com.example:shop"]);
    assert.equal(damaged.notes.length, 1);
    assert.match(damaged.notes[0] ?? "", /^shop\.war!WEB-INF\/lib\/log4j-core-2\.14\.1\.jar: unreadable \(.*CRC-32 mismatch\)$/);

    // 64 MiB of zeros deflates to ~64 KiB: a nested "jar" like that is refused before it is inflated.
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const bomb = execFileSync("/usr/bin/python3", ["-c", `import io, sys, zipfile
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/maven/g/a/pom.properties", "groupId=g\\nartifactId=a\\nversion=1\\n")
    z.writestr("BOOT-INF/lib/bomb.jar", bytes(${zeros.length}))
sys.stdout.buffer.write(out.getvalue())`], { maxBuffer: 1 << 26 });
    assert.ok(bomb.length < 1024 * 1024);
    const bombed = catalog("boot.jar", bomb);
    assert.deepEqual(summary(bombed.packages).map((p) => p.name), ["g:a"]);
    assert.deepEqual(bombed.notes.map((n) => n.replace(/ratio \d+:1/, "ratio N:1")), ["boot.jar!BOOT-INF/lib/bomb.jar: compression ratio N:1 looks like a zip bomb; not read"]);
  });

  test("pom.properties without a version is noted and skipped", () => {
    const { packages, notes } = catalog("x-1.0.jar", zipWithPython([["META-INF/maven/g/x/pom.properties", "groupId=g\nartifactId=x\n"]]));
    assert.deepEqual(summary(packages), [{ name: "x", version: "1.0", purl: "pkg:maven/x@1.0", inner: undefined }]);
    assert.deepEqual(notes, ["x-1.0.jar!META-INF/maven/g/x/pom.properties: pom.properties without groupId, artifactId and version"]);
  });
});

const work = mkdtempSync(join(tmpdir(), "drydock-java-"));
after(() => rmSync(work, { recursive: true, force: true }));

// The shape of Spring Boot's launch.script: a shell script that ends with exit, so the zip after it never runs.
const LAUNCH_SCRIPT = "#!/bin/sh\n# Spring Boot style launcher\njarfile=\"$0\"\nexport JARFILE=\"$jarfile\"\nexit 0\n";

/** `unzip -l`: the names it lists and the prefix it reports ("N extra bytes at beginning or within zipfile"). */
function unzipList(path: string): { names: string[]; extraBytes: number } {
  const run = spawnSync("unzip", ["-l", path], { encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, `unzip -l failed: ${run.stderr}`);
  const names = run.stdout.split("\n").map((l) => /^\s*\d+\s+\S+\s+\S+\s+(.+)$/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  const extra = /(\d+) extra bytes at beginning or within zipfile/.exec(run.stderr + run.stdout);
  return { names, extraBytes: extra === null ? 0 : Number(extra[1]) };
}

describe("fully executable jars (a launch script before the zip)", () => {
  const BOOT_JAR: Tree = [
    ["META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n\r\n"],
    ...jarWithPom("com.example", "boot-app", "0.0.1").slice(1),
    ["BOOT-INF/lib/log4j-core-2.14.1.jar", LOG4J_CORE],
  ];

  test("offsets shifted by the script's length, as unzip -l reads it; the script itself runs and exits", () => {
    const jar = zipWithPython(BOOT_JAR);
    const bytes = Buffer.concat([Buffer.from(LAUNCH_SCRIPT), jar]);
    const path = join(work, "boot-app.jar");
    writeFileSync(path, bytes);
    assert.equal(spawnSync("sh", [path]).status, 0);

    const oracle = unzipList(path);
    assert.equal(oracle.extraBytes, LAUNCH_SCRIPT.length);
    const zip = ZipMemoryReader.open(path, bytes);
    assert.deepEqual(zip.entries.map((e) => e.name), oracle.names);
    assert.equal(zip.entries[0]?.localHeaderOffset, LAUNCH_SCRIPT.length);
    assert.deepEqual(zip.read(zip.entries[0] ?? assert.fail()).toString(), (BOOT_JAR[0]?.[1] as string));
    const fromFile = ZipReader.open(path);
    try {
      assert.deepEqual(fromFile.entries, zip.entries);
      assert.equal(fromFile.read(fromFile.entries[2] ?? assert.fail()).equals(jarNamed(jar, "BOOT-INF/lib/log4j-core-2.14.1.jar")), true);
    } finally {
      fromFile.close();
    }

    assert.equal((javaArchiveCataloger.wantsContent ?? assert.fail())("boot-app.jar", bytes.subarray(0, 64)), true);
    const { packages, notes } = catalog("app/boot-app.jar", bytes);
    assert.deepEqual(notes, []);
    assert.deepEqual(summary(packages), [
      { name: "com.example:boot-app", version: "0.0.1", purl: "pkg:maven/com.example/boot-app@0.0.1", inner: undefined },
      { name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", inner: "BOOT-INF/lib/log4j-core-2.14.1.jar" },
    ]);
  });

  test("ZIP64 end records (zip -fz) after a script: the record is found before its locator", () => {
    const dir = join(work, "z64");
    execFileSync("mkdir", ["-p", join(dir, "META-INF/maven/g/z64")]);
    writeFileSync(join(dir, "META-INF/maven/g/z64/pom.properties"), "groupId=g\nartifactId=z64\nversion=6.4\n");
    execFileSync("zip", ["-q", "-fz", "-r", "-D", join(work, "z64.zip"), "META-INF"], { cwd: dir });
    const zip = execFileSync("cat", [join(work, "z64.zip")]);
    assert.ok(zip.includes(Buffer.from("PK\x06\x07", "latin1")), "zip -fz wrote a ZIP64 locator");
    const bytes = Buffer.concat([Buffer.from(LAUNCH_SCRIPT), zip]);
    const path = join(work, "z64.jar");
    writeFileSync(path, bytes);
    const oracle = unzipList(path);
    assert.equal(oracle.extraBytes, LAUNCH_SCRIPT.length);
    assert.deepEqual(ZipMemoryReader.open(path, bytes).entries.map((e) => e.name), oracle.names);
    assert.deepEqual(ZipMemoryReader.open("z64.zip", zip).entries.map((e) => e.name), oracle.names);
    const { packages, notes } = catalog("z64.jar", bytes);
    assert.deepEqual(notes, []);
    assert.deepEqual(summary(packages), [{ name: "g:z64", version: "6.4", purl: "pkg:maven/g/z64@6.4", inner: undefined }]);
  });

  test("a script named .jar with no zip after it, and a cut executable jar, are noted", () => {
    const script = catalog("bin/tool.jar", Buffer.from(LAUNCH_SCRIPT));
    assert.deepEqual(script.packages, []);
    assert.deepEqual(script.notes, ["bin/tool.jar: not a readable Java archive (bin/tool.jar: no end-of-central-directory record: not a zip archive, or a truncated one)"]);
    const bytes = Buffer.concat([Buffer.from(LAUNCH_SCRIPT), zipWithPython(BOOT_JAR)]);
    for (const cut of [LAUNCH_SCRIPT.length + 10, bytes.length - 30, bytes.length - 200]) {
      // Near the end, the last end record left is the stored inner jar's: it must not pass for the outer jar's.
      const run = catalog("cut.jar", bytes.subarray(0, cut));
      assert.deepEqual(run.packages, [], `cut at ${cut}`);
      assert.equal(run.notes.length, 1, `cut at ${cut}`);
      assert.match(run.notes[0] ?? "", /^cut\.jar: not a readable Java archive \(/);
    }
  });
});

/** A stored entry's bytes, found by its local header name (python writes nested jars stored). */
function jarNamed(zip: Buffer, name: string): Buffer {
  const reader = ZipMemoryReader.open("x", zip);
  return reader.read(reader.entries.find((e) => e.name === name) ?? assert.fail(name));
}

describe("archives with entries drydock cannot inflate", () => {
  /** Sets an entry's compression method in its local and central headers (the names are unique in these files). */
  function setMethod(zip: Buffer, name: string, method: number): Buffer {
    const out = Buffer.from(zip);
    const needle = Buffer.from(name);
    for (const [signature, methodAt, nameAt] of [[0x04034b50, 8, 30], [0x02014b50, 10, 46]] as const) {
      for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + 1)) {
        const header = at - nameAt;
        if (header >= 0 && out.readUInt32LE(header) === signature) out.writeUInt16LE(method, header + methodAt);
      }
    }
    return out;
  }

  test("an encrypted manifest (zip -P) and a deflate64 nested jar are noted; the pom.properties is still read", () => {
    const dir = join(work, "locked");
    execFileSync("mkdir", ["-p", join(dir, "META-INF/maven/com.example/locked"), join(dir, "lib")]);
    writeFileSync(join(dir, "META-INF/maven/com.example/locked/pom.properties"), "groupId=com.example\nartifactId=locked\nversion=1.2.3\n");
    writeFileSync(join(dir, "META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\r\nBundle-License: Apache-2.0\r\n\r\n");
    writeFileSync(join(dir, "lib/inner.jar"), zipWithPython(jarWithPom("com.example", "inner", "4.5.6")));
    const path = join(work, "locked.jar");
    execFileSync("zip", ["-q", "-0", "-X", "-D", path, "META-INF/maven/com.example/locked/pom.properties", "lib/inner.jar"], { cwd: dir });
    execFileSync("zip", ["-q", "-X", "-D", "-P", "secret", path, "META-INF/MANIFEST.MF"], { cwd: dir });
    // Method 9 is deflate64: unzip still lists the entry (its oracle here), drydock cannot inflate it.
    const bytes = setMethod(execFileSync("cat", [path]), "lib/inner.jar", 9);
    writeFileSync(path, bytes);
    assert.deepEqual(unzipList(path).names.sort(), ["META-INF/MANIFEST.MF", "META-INF/maven/com.example/locked/pom.properties", "lib/inner.jar"]);
    const listed = ZipMemoryReader.open("locked.jar", bytes, { maxEntries: 10, maxEntrySize: 1e9, maxTotalSize: 1e9, maxRatio: 1e9, unsupportedEntries: "list" });
    assert.deepEqual(listed.entries.map((e) => [e.name, e.unsupported]).sort(), [
      ["META-INF/MANIFEST.MF", "encrypted entries are not supported"],
      ["META-INF/maven/com.example/locked/pom.properties", undefined],
      ["lib/inner.jar", "compression method 9 is not supported (only stored and deflate)"],
    ]);
    // The OSV import keeps the strict default: such an archive is refused whole.
    assert.throws(() => ZipMemoryReader.open("locked.jar", bytes), /not supported/);

    const { packages, notes } = catalog("app/locked.jar", bytes);
    assert.deepEqual(summary(packages), [{ name: "com.example:locked", version: "1.2.3", purl: "pkg:maven/com.example/locked@1.2.3", inner: undefined }]);
    assert.deepEqual(notes.sort(), [
      "app/locked.jar!META-INF/MANIFEST.MF: unreadable (app/locked.jar: META-INF/MANIFEST.MF: encrypted entries are not supported)",
      "app/locked.jar!lib/inner.jar: unreadable (app/locked.jar: lib/inner.jar: compression method 9 is not supported (only stored and deflate))",
    ]);
  });
});

describe("Java metadata formats", () => {
  test("java.util.Properties syntax", () => {
    const text = "# comment\n! also a comment\n  groupId : org.example\nartifactId=my\\\n    -lib\nversion 1.0\\u002dRC1\nempty=\nkey\\=with\\:seps=v\\tx\n";
    assert.deepEqual([...parseProperties(text)], [["groupId", "org.example"], ["artifactId", "my-lib"], ["version", "1.0-RC1"], ["empty", ""], ["key=with:seps", "v\tx"]]);
  });

  test("manifest main section, continuation lines, other sections ignored", () => {
    const m = parseManifest("Manifest-Version: 1.0\r\nImplementation-Title: A very long t\r\n itle\r\nBundle-Version: 2.0\r\n\r\nName: x\r\nBundle-Version: 9\r\n");
    assert.deepEqual([...m], [["Manifest-Version", "1.0"], ["Implementation-Title", "A very long title"], ["Bundle-Version", "2.0"]]);
  });

  test("file names", () => {
    assert.deepEqual(coordinatesFromFileName("log4j-core-2.14.1.jar"), { artifactId: "log4j-core", version: "2.14.1" });
    assert.deepEqual(coordinatesFromFileName("jackson-datatype-jsr310-2.13.0.jar"), { artifactId: "jackson-datatype-jsr310", version: "2.13.0" });
    assert.deepEqual(coordinatesFromFileName("spring-core-6.0.0-SNAPSHOT.jar"), { artifactId: "spring-core", version: "6.0.0-SNAPSHOT" });
    assert.deepEqual(coordinatesFromFileName("app.jar"), { artifactId: "app", version: undefined });
  });
});
