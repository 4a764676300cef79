// Rust: cargo-auditable's .dep-v0 section (zlib JSON written by Python) in an ELF made with gcc + objcopy, in a
// minimal PE checked by objdump, and in a minimal Mach-O; Cargo.lock in the shape cargo writes it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cargoLockCataloger, rustBinaryCataloger } from "../../src/sbom/catalogers/rust.ts";
import type { CatalogedPackage, Cataloger } from "../../src/sbom/model.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-rust-"));
after(() => rmSync(work, { recursive: true, force: true }));

function run(cataloger: Cataloger, path: string, bytes: Uint8Array): { packages: CatalogedPackage[]; notes: string[] } {
  const notes: string[] = [];
  const packages = cataloger.parse({ path, bytes, mode: 0o755, location: { path, layerIndex: 3, layer: "sha256:l3" } }, { note: (m) => notes.push(m) });
  return { packages, notes };
}

const rows = (packages: CatalogedPackage[]): unknown[] => packages.map((p) => [p.name, p.version, p.purl, p.metadata]);

// What `cargo auditable build` records for a small program: the root crate, runtime deps, a build-only dep.
const AUDIT = {
  packages: [
    { name: "rustls-demo", version: "0.1.0", source: "local", dependencies: [1, 2, 3, 4], root: true },
    { name: "rustls", version: "0.20.7", source: "crates.io", dependencies: [2] },
    { name: "ring", version: "0.16.20", source: "crates.io", dependencies: [3] },
    { name: "cc", version: "1.0.79", source: "crates.io", kind: "build" },
    { name: "forked", version: "0.3.0", source: "git" },
  ],
};
const EXPECTED = [
  ["rustls-demo", "0.1.0", "pkg:cargo/rustls-demo@0.1.0", { source: "local", root: "true" }],
  ["rustls", "0.20.7", "pkg:cargo/rustls@0.20.7", {}],
  ["ring", "0.16.20", "pkg:cargo/ring@0.16.20", {}],
  ["forked", "0.3.0", "pkg:cargo/forked@0.3.0", { source: "git" }],
];

function zlibWithPython(data: string | Buffer): Buffer {
  return execFileSync("/usr/bin/python3", ["-c", "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))"], { input: data });
}

function elfWithSection(name: string, content: Buffer): Buffer {
  const c = join(work, "t.c");
  const base = join(work, "t.out");
  writeFileSync(c, "int main(void) { return 0; }\n");
  execFileSync("gcc", ["-o", base, c]);
  const blob = join(work, `${name}.bin`);
  writeFileSync(blob, content);
  const out = join(work, name);
  execFileSync("objcopy", ["--add-section", `.dep-v0=${blob}`, base, out], { stdio: ["ignore", "ignore", "ignore"] });
  return readFileSync(out);
}

/** The smallest PE32+ image with one section: DOS header, PE signature, COFF header, optional header, table. */
function minimalPe(sectionName: string, content: Buffer): Buffer {
  const optionalSize = 240;
  const headersEnd = 0x40 + 24 + optionalSize + 40;
  const rawPointer = 0x200;
  const rawSize = Math.ceil(content.length / 0x200) * 0x200;
  const file = Buffer.alloc(rawPointer + rawSize);
  file.write("MZ", 0, "latin1");
  file.writeUInt32LE(0x40, 0x3c);
  file.write("PE\0\0", 0x40, "latin1");
  const coff = 0x44;
  file.writeUInt16LE(0x8664, coff);
  file.writeUInt16LE(1, coff + 2);
  file.writeUInt16LE(optionalSize, coff + 16);
  file.writeUInt16LE(0x22, coff + 18);
  const opt = coff + 20;
  file.writeUInt16LE(0x20b, opt);
  file.writeBigUInt64LE(0x140000000n, opt + 24);
  file.writeUInt32LE(0x1000, opt + 32);
  file.writeUInt32LE(0x200, opt + 36);
  file.writeUInt16LE(6, opt + 48);
  file.writeUInt32LE(0x2000, opt + 56);
  file.writeUInt32LE(0x200, opt + 60);
  file.writeUInt16LE(3, opt + 68);
  file.writeUInt32LE(16, opt + 108);
  const section = opt + optionalSize;
  assert.ok(section + 40 <= headersEnd && headersEnd <= rawPointer);
  file.write(sectionName, section, "latin1");
  file.writeUInt32LE(content.length, section + 8);
  file.writeUInt32LE(0x1000, section + 12);
  file.writeUInt32LE(rawSize, section + 16);
  file.writeUInt32LE(rawPointer, section + 20);
  file.writeUInt32LE(0x40000040, section + 36);
  content.copy(file, rawPointer);
  return file;
}

const CPU_TYPE_ARM64 = 0x0100000c;
const CPU_TYPE_X86_64 = 0x01000007;

/** The smallest 64-bit Mach-O executable with a __DATA segment holding one section. */
function minimalMachO(sectionName: string, content: Buffer, cputype = CPU_TYPE_ARM64): Buffer {
  const commandSize = 72 + 80;
  const dataOffset = 32 + commandSize;
  const file = Buffer.alloc(dataOffset + content.length);
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(cputype, 4);
  file.writeUInt32LE(cputype === CPU_TYPE_X86_64 ? 3 : 0, 8);
  file.writeUInt32LE(2, 12);
  file.writeUInt32LE(1, 16);
  file.writeUInt32LE(commandSize, 20);
  const seg = 32;
  file.writeUInt32LE(0x19, seg);
  file.writeUInt32LE(commandSize, seg + 4);
  file.write("__DATA", seg + 8, "latin1");
  file.writeBigUInt64LE(0x100004000n, seg + 24);
  file.writeBigUInt64LE(0x4000n, seg + 32);
  file.writeBigUInt64LE(BigInt(dataOffset), seg + 40);
  file.writeBigUInt64LE(BigInt(content.length), seg + 48);
  file.writeUInt32LE(3, seg + 56);
  file.writeUInt32LE(3, seg + 60);
  file.writeUInt32LE(1, seg + 64);
  const sect = seg + 72;
  file.write(sectionName, sect, "latin1");
  file.write("__DATA", sect + 16, "latin1");
  file.writeBigUInt64LE(0x100004000n, sect + 32);
  file.writeBigUInt64LE(BigInt(content.length), sect + 40);
  file.writeUInt32LE(dataOffset, sect + 48);
  content.copy(file, dataOffset);
  return file;
}

describe("rust-binary cataloger (cargo-auditable)", () => {
  const compressed = zlibWithPython(JSON.stringify(AUDIT));

  test("ELF: runtime crates with their sources; build-only crates left out", () => {
    const elf = elfWithSection("audited.elf", compressed);
    assert.equal(rustBinaryCataloger.wants("usr/local/bin/demo", elf.length, 0o755), true);
    assert.equal((rustBinaryCataloger.wantsContent ?? assert.fail())("usr/local/bin/demo", elf.subarray(0, 64)), true);
    const { packages, notes } = run(rustBinaryCataloger, "usr/local/bin/demo", elf);
    assert.deepEqual(notes, []);
    assert.deepEqual(rows(packages), EXPECTED);
    assert.ok(packages.every((p) => p.ecosystem === "crates.io" && p.type === "cargo" && p.cataloger === "rust-binary"));
    assert.deepEqual(packages[0]?.locations, [{ path: "usr/local/bin/demo", layerIndex: 3, layer: "sha256:l3" }]);
  });

  test("PE (checked by objdump) and Mach-O", () => {
    const pe = minimalPe(".dep-v0", compressed);
    const pePath = join(work, "demo.exe");
    writeFileSync(pePath, pe);
    const objdump = execFileSync("objdump", ["-h", pePath], { encoding: "utf8" });
    assert.match(objdump, /pei-x86-64/);
    assert.match(objdump, new RegExp(`\\.dep-v0\\s+0*${compressed.length.toString(16)}\\s+0*140001000\\s+0*140001000\\s+0*200`));
    assert.deepEqual(rows(run(rustBinaryCataloger, "app/demo.exe", pe).packages), EXPECTED);
    assert.deepEqual(rows(run(rustBinaryCataloger, "app/demo", minimalMachO(".dep-v0", compressed)).packages), EXPECTED);
    // The same bytes in a section of another name are not cargo-auditable data.
    assert.deepEqual(run(rustBinaryCataloger, "app/demo", minimalMachO(".dep-v1", compressed)), { packages: [], notes: [] });
  });

  test("universal Mach-O made by llvm-lipo: every slice, crates once, with the slices they are in", () => {
    // x86_64 links one crate more (an x86-only SIMD backend); "forked" appears twice in each slice (two sources).
    const both = [...AUDIT.packages, { name: "forked", version: "0.3.0", source: "registry+https://crates.acme.example/index" }];
    const x86 = { packages: [...both, { name: "cpufeatures", version: "0.2.5", source: "crates.io" }] };
    const arm = join(work, "demo.arm64");
    const amd = join(work, "demo.x86_64");
    writeFileSync(arm, minimalMachO(".dep-v0", zlibWithPython(JSON.stringify({ packages: both }))));
    writeFileSync(amd, minimalMachO(".dep-v0", zlibWithPython(JSON.stringify(x86)), CPU_TYPE_X86_64));
    const fatPath = join(work, "demo.fat");
    execFileSync("llvm-lipo-14", ["-create", arm, amd, "-output", fatPath]);
    const order = execFileSync("llvm-lipo-14", ["-archs", fatPath], { encoding: "utf8" }).trim().split(" ");
    assert.deepEqual(order.toSorted(), ["arm64", "x86_64"]);
    const fat = readFileSync(fatPath);
    assert.equal((rustBinaryCataloger.wantsContent ?? assert.fail())("app/demo", fat.subarray(0, 64)), true);
    const { packages, notes } = run(rustBinaryCataloger, "app/demo", fat);
    assert.deepEqual(notes, []);
    const all = order.join(",");
    const expected = [
      ...EXPECTED.map(([n, v, p, m]) => [n, v, p, { ...(m as object), architectures: all }]),
      ["forked", "0.3.0", "pkg:cargo/forked@0.3.0", { source: "registry+https://crates.acme.example/index", architectures: all }],
      ["cpufeatures", "0.2.5", "pkg:cargo/cpufeatures@0.2.5", { architectures: "x86_64" }],
    ];
    // Slice order decides the order of first appearance: cpufeatures comes last either way.
    assert.deepEqual(rows(packages), expected);
    assert.ok(packages.every((p) => p.locations.length === 1 && p.locations[0]?.path === "app/demo"));
  });

  test("damaged data is noted, never thrown", () => {
    assert.deepEqual(run(rustBinaryCataloger, "bin/a", elfWithSection("raw.elf", Buffer.from("{\"packages\":[]}"))).notes,
      ["bin/a: .dep-v0 is not zlib data; cargo-auditable data not read"]);
    assert.deepEqual(run(rustBinaryCataloger, "bin/b", elfWithSection("json.elf", zlibWithPython("{\"packages\": 7}"))).notes, ["bin/b: .dep-v0 has no \"packages\" list"]);
    const odd = run(rustBinaryCataloger, "bin/c", elfWithSection("odd.elf", zlibWithPython(JSON.stringify({ packages: [{ name: "x" }, { name: "ok", version: "1.0.0" }] }))));
    assert.deepEqual(rows(odd.packages), [["ok", "1.0.0", "pkg:cargo/ok@1.0.0", {}]]);
    assert.deepEqual(odd.notes, ["bin/c: 1 .dep-v0 entries without a name and version"]);
    // 17 MiB of spaces (17 KiB compressed): refused at the inflate cap.
    const bomb = run(rustBinaryCataloger, "bin/d", elfWithSection("bomb.elf", zlibWithPython(Buffer.alloc(17 * 1024 * 1024, 0x20))));
    assert.deepEqual(bomb.notes, ["bin/d: .dep-v0 inflates past 16777216 bytes; cargo-auditable data not read"]);
    const pe = minimalPe(".dep-v0", compressed);
    assert.match(run(rustBinaryCataloger, "bin/e.exe", pe.subarray(0, 0x150)).notes[0] ?? "", /^bin\/e\.exe: .* runs past the end of the file/);
  });
});

describe("cargo-lock cataloger", () => {
  test("crates.io (git and sparse index), git and path packages", () => {
    const lock = `# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 3

[[package]]
name = "demo"
version = "0.1.0"
dependencies = [
 "forked",
 "libc",
 "serde",
]

[[package]]
name = "forked"
version = "0.3.0"
source = "git+https://github.com/acme/forked?branch=main#0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "libc"
version = "0.2.139"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "201de327520df007757c1f0adce6e827fe8562fbc28bfd9c15571c66ca1f5f79"

[[package]]
name = "serde"
version = "1.0.152"
source = "sparse+https://index.crates.io/"
checksum = "bb7d1f0d3021d347a83e556fc4683dea2ea09d87bccdf88ff5c12545d89d5efb"

[[package]]
name = "internal"
version = "2.0.0"
source = "registry+https://crates.acme.example/index"
`;
    assert.equal(cargoLockCataloger.wants("src/app/Cargo.lock", 1, 0o644), true);
    assert.equal(cargoLockCataloger.wants("Cargo.lock", 1, 0o644), true);
    assert.equal(cargoLockCataloger.wants("src/app/Cargo.toml", 1, 0o644), false);
    const { packages, notes } = run(cargoLockCataloger, "src/app/Cargo.lock", Buffer.from(lock));
    assert.deepEqual(notes, []);
    assert.deepEqual(rows(packages), [
      ["demo", "0.1.0", "pkg:cargo/demo@0.1.0", { source: "local" }],
      ["forked", "0.3.0", "pkg:cargo/forked@0.3.0", { source: "git+https://github.com/acme/forked?branch=main#0123456789abcdef0123456789abcdef01234567" }],
      ["libc", "0.2.139", "pkg:cargo/libc@0.2.139", { checksum: "201de327520df007757c1f0adce6e827fe8562fbc28bfd9c15571c66ca1f5f79" }],
      ["serde", "1.0.152", "pkg:cargo/serde@1.0.152", { checksum: "bb7d1f0d3021d347a83e556fc4683dea2ea09d87bccdf88ff5c12545d89d5efb" }],
      ["internal", "2.0.0", "pkg:cargo/internal@2.0.0", { source: "registry+https://crates.acme.example/index" }],
    ]);
    assert.ok(packages.every((p) => p.ecosystem === "crates.io" && p.cataloger === "cargo-lock" && p.locations[0]?.path === "src/app/Cargo.lock"));
  });

  test("a Cargo.lock written by cargo itself", () => {
    const dir = join(work, "ws");
    for (const [name, text] of Object.entries({
      "Cargo.toml": "[package]\nname = \"app\"\nversion = \"0.2.0\"\nedition = \"2021\"\n\n[dependencies]\nhelper = { path = \"helper\" }\n",
      "src/main.rs": "fn main() {}\n",
      "helper/Cargo.toml": "[package]\nname = \"helper\"\nversion = \"1.1.0\"\nedition = \"2021\"\n",
      "helper/src/lib.rs": "",
    })) {
      execFileSync("mkdir", ["-p", join(dir, name, "..")]);
      writeFileSync(join(dir, name), text);
    }
    execFileSync("cargo", ["generate-lockfile", "--offline"], { cwd: dir, stdio: "ignore" });
    const { packages, notes } = run(cargoLockCataloger, "Cargo.lock", readFileSync(join(dir, "Cargo.lock")));
    assert.deepEqual(notes, []);
    assert.deepEqual(rows(packages), [["app", "0.2.0", "pkg:cargo/app@0.2.0", { source: "local" }], ["helper", "1.1.0", "pkg:cargo/helper@1.1.0", { source: "local" }]]);
  });

  test("broken TOML is noted with its line", () => {
    const { packages, notes } = run(cargoLockCataloger, "Cargo.lock", Buffer.from("[[package]]\nname = \"x\"\nversion = \n"));
    assert.deepEqual(packages, []);
    assert.deepEqual(notes, ["Cargo.lock: invalid TOML at line 3, column 11: expected a value"]);
  });
});
