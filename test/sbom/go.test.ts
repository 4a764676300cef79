// Go build info: Debian's Go binaries and binaries built here by the Go toolchain (ELF, PE, Mach-O), checked
// against `go version -m`; ELF files made with gcc + objcopy for exact dep lists and the pre-1.18 pointer
// layout; go.mod files.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { goBinaryCataloger, goModCataloger, stdlibVersion } from "../../src/sbom/catalogers/go.ts";
import { readExecutable, findSection } from "../../src/sbom/binary/exe.ts";
import type { CatalogedPackage } from "../../src/sbom/model.ts";

const work = mkdtempSync(join(tmpdir(), "drydock-go-"));
after(() => rmSync(work, { recursive: true, force: true }));

function catalogBytes(path: string, bytes: Uint8Array, mode = 0o755): { packages: CatalogedPackage[]; notes: string[] } {
  const notes: string[] = [];
  const packages = goBinaryCataloger.parse({ path, bytes, mode, location: { path, layerIndex: 0, layer: "sha256:l0" } }, { note: (m) => notes.push(m) });
  return { packages, notes };
}

type Row = [name: string, version: string, purl: string];
const rows = (packages: CatalogedPackage[]): Row[] => packages.map((p) => [p.name, p.version, p.purl]);

/** What `go version -m` says, as the rows we should report: main module, deps (replacements applied), stdlib. */
function expectedFromGoVersion(file: string): { rows: Row[]; goVersion: string; path: string | undefined; settings: Record<string, string> } {
  const out = execFileSync("go", ["version", "-m", file], { encoding: "utf8" });
  const lines = out.split("\n");
  const goVersion = (lines[0] ?? "").split(": ")[1] ?? "";
  const mods: Array<{ path: string; version: string; replace?: [string, string] }> = [];
  const settings: Record<string, string> = {};
  let path: string | undefined;
  for (const line of lines.slice(1)) {
    const [, kind, a = "", b = ""] = line.split("\t");
    if (kind === "path") path = a;
    else if (kind === "mod" || kind === "dep") mods.push({ path: a, version: b });
    else if (kind === "=>") (mods.at(-1) ?? assert.fail()).replace = [a, b];
    else if (kind === "build") settings[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
  }
  const purlOf = (p: string, v: string): string => `pkg:golang/${p}${v === "(devel)" ? "" : `@${v}`}`;
  const result: Row[] = mods.map((m) => {
    const local = m.replace !== undefined && (m.replace[0].startsWith(".") || m.replace[0].startsWith("/"));
    const [p, v] = m.replace !== undefined && !local ? m.replace : [m.path, m.version];
    return [p, v, purlOf(p, v)];
  });
  result.push(["stdlib", goVersion.slice(2), `pkg:golang/stdlib@${goVersion.slice(2)}`]);
  return { rows: result, goVersion, path, settings };
}

describe("go-binary cataloger", () => {
  test("wants executables and .exe files; the magic decides", () => {
    assert.equal(goBinaryCataloger.wants("usr/bin/skopeo", 1 << 20, 0o100755), true);
    assert.equal(goBinaryCataloger.wants("app/tool.exe", 1 << 20, 0o644), true);
    assert.equal(goBinaryCataloger.wants("usr/share/doc/README", 1 << 20, 0o644), false);
    assert.equal(goBinaryCataloger.wants("usr/bin/tiny", 10, 0o755), false);
    const wantsContent = goBinaryCataloger.wantsContent ?? assert.fail();
    assert.equal(wantsContent("usr/bin/skopeo", readFileSync("/usr/bin/skopeo").subarray(0, 64)), true);
    assert.equal(wantsContent("x", Buffer.from("MZ\x90\x00", "latin1")), true);
    assert.equal(wantsContent("x", Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])), true);
    assert.equal(wantsContent("x", Buffer.from("#!/bin/sh\n")), false);
    assert.equal(wantsContent("x", Buffer.from([0xca, 0xfe, 0xba, 0xbe])), false);
  });

  test("Debian's skopeo, umoci and docker-registry (GOPATH builds): stdlib and main package as go version -m says", () => {
    for (const bin of ["/usr/bin/skopeo", "/usr/bin/umoci", "/usr/bin/docker-registry"]) {
      const oracle = expectedFromGoVersion(bin);
      const { packages, notes } = catalogBytes(bin.slice(1), readFileSync(bin));
      assert.deepEqual(notes, []);
      assert.deepEqual(rows(packages), oracle.rows, bin);
      assert.equal(oracle.rows.length, 1, "Debian builds these in GOPATH mode: no module lines");
      assert.deepEqual(packages[0]?.metadata, { goVersion: oracle.goVersion, mainPackage: oracle.path });
      assert.deepEqual(packages[0]?.locations, [{ path: bin.slice(1), layerIndex: 0, layer: "sha256:l0" }]);
    }
  });

  // A module-mode build with a .bss past the end of the file (NOBITS sections have no file bytes): the native
  // TypeScript compiler this project installs as a devDependency.
  test("the typescript-go binary in node_modules: every module as go version -m says", () => {
    const bin = join(import.meta.dirname, "..", "..", "node_modules", "@typescript", "typescript-linux-x64", "lib", "tsc");
    const oracle = expectedFromGoVersion(bin);
    const { packages, notes } = catalogBytes("lib/tsc", readFileSync(bin));
    assert.deepEqual(notes, []);
    // Names and versions (the purl percent-encodes "+dirty" as %2B; the oracle's rows are built unencoded).
    const nameVersion = (r: Row[]): string[] => r.map(([n, v]) => `${n}@${v}`).sort();
    assert.deepEqual(nameVersion(rows(packages)), nameVersion(oracle.rows));
    assert.ok(oracle.rows.length > 5, "a module-mode build lists its dependencies");
  });

  describe("binaries built here by the Go toolchain", () => {
    const built: Record<string, string> = {};
    before(async () => {
      const app = join(work, "app");
      const files: Record<string, string> = {
        "go.mod": "module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.com/lib v1.2.3\n\texample.com/old v1.0.0\n)\n\n"
          + "replace example.com/lib v1.2.3 => ../lib\n\nreplace example.com/old v1.0.0 => example.com/new v1.1.0\n",
        "vendor/modules.txt": "# example.com/lib v1.2.3 => ../lib\n## explicit; go 1.19\nexample.com/lib\n"
          + "# example.com/old v1.0.0 => example.com/new v1.1.0\n## explicit; go 1.19\nexample.com/old\n",
        "vendor/example.com/lib/lib.go": "package lib\n\nfunc Hello() string { return \"hi\" }\n",
        "vendor/example.com/old/old.go": "package old\n\nfunc Name() string { return \"old\" }\n",
        "cmd/tool/main.go": "package main\n\nimport (\n\t\"example.com/lib\"\n\t\"example.com/old\"\n)\n\nfunc main() { println(lib.Hello(), old.Name()) }\n",
        "../lib/go.mod": "module example.com/lib\n\ngo 1.19\n",
        "../lib/lib.go": "package lib\n\nfunc Hello() string { return \"hi\" }\n",
      };
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(join(app, name, ".."), { recursive: true });
        writeFileSync(join(app, name), text);
      }
      // Offline and reproducible: vendored modules, no proxy, no VCS stamping. The Go build cache makes reruns fast.
      const env = { ...process.env, GOFLAGS: "-mod=vendor", GOPROXY: "off", GOTOOLCHAIN: "local", GOWORK: "off", CGO_ENABLED: "0" };
      const targets: Array<[string, string, string]> = [["elf", "linux", "amd64"], ["exe", "windows", "amd64"], ["macho", "darwin", "arm64"], ["macho-amd64", "darwin", "amd64"]];
      await Promise.all(targets.map(async ([ext, goos, goarch]) => {
        const out = join(work, `tool.${ext}`);
        await promisify(execFile)("go", ["build", "-trimpath", "-buildvcs=false", "-o", out, "./cmd/tool"], { cwd: app, env: { ...env, GOOS: goos, GOARCH: goarch } });
        built[ext] = out;
      }));
    });

    for (const [ext, format] of [["elf", "elf"], ["exe", "pe"], ["macho", "macho"]] as const) {
      test(`${format}: main module, a directory replacement, a module replacement, stdlib`, () => {
        const file = built[ext] ?? assert.fail("not built");
        const bytes = readFileSync(file);
        assert.equal(readExecutable(bytes, file).format, format);
        const oracle = expectedFromGoVersion(file);
        const { packages, notes } = catalogBytes(`app/tool.${ext}`, bytes);
        assert.deepEqual(notes, []);
        assert.deepEqual(rows(packages), oracle.rows);
        assert.deepEqual(rows(packages), [
          ["example.com/app", "(devel)", "pkg:golang/example.com/app"],
          ["example.com/lib", "v1.2.3", "pkg:golang/example.com/lib@v1.2.3"],
          ["example.com/new", "v1.1.0", "pkg:golang/example.com/new@v1.1.0"],
          ["stdlib", oracle.goVersion.slice(2), `pkg:golang/stdlib@${oracle.goVersion.slice(2)}`],
        ]);
        const [main, lib, replaced] = packages;
        assert.equal(main?.metadata?.GOOS, { elf: "linux", exe: "windows", macho: "darwin" }[ext]);
        assert.deepEqual(main?.metadata, { ...oracle.settings, goVersion: oracle.goVersion, mainPackage: "example.com/app/cmd/tool", mainModule: "true" });
        assert.deepEqual(lib?.metadata, { goVersion: oracle.goVersion, replacedBy: "../lib" });
        assert.deepEqual(replaced?.metadata, { goVersion: oracle.goVersion, replaces: "example.com/old@v1.0.0" });
        assert.ok(packages.every((p) => p.ecosystem === "Go" && p.type === "golang" && p.cataloger === "go-binary"));
      });
    }

    describe("universal (fat) Mach-O: darwin/amd64 and darwin/arm64 joined", () => {
      type FatOptions = { magic64?: boolean; littleEndian?: boolean };
      /** A fat header written here (<mach-o/fat.h>): cputype/cpusubtype from each thin header, slices 16 KiB aligned. */
      function fatBinary(thins: Buffer[], options: FatOptions = {}): Buffer {
        const record = options.magic64 === true ? 32 : 20;
        const parts: Buffer[] = [];
        const header = Buffer.alloc(8 + thins.length * record);
        const u32 = (v: number, at: number): void => void (options.littleEndian === true ? header.writeUInt32LE(v, at) : header.writeUInt32BE(v, at));
        u32(options.magic64 === true ? 0xcafebabf : 0xcafebabe, 0);
        u32(thins.length, 4);
        let offset = header.length;
        thins.forEach((thin, i) => {
          const at = 8 + i * record;
          const start = Math.ceil(offset / 0x4000) * 0x4000;
          parts.push(Buffer.alloc(start - offset), thin);
          u32(thin.readUInt32LE(4), at);
          u32(thin.readUInt32LE(8), at + 4);
          if (options.magic64 === true) {
            u32(0, at + 8);
            u32(start, at + 12);
            u32(0, at + 16);
            u32(thin.length, at + 20);
            u32(14, at + 24);
          } else {
            u32(start, at + 8);
            u32(thin.length, at + 12);
            u32(14, at + 16);
          }
          offset = start + thin.length;
        });
        return Buffer.concat([header, ...parts]);
      }

      const thin = (): [Buffer, Buffer] => [readFileSync(built["macho-amd64"] ?? assert.fail()), readFileSync(built.macho ?? assert.fail())];

      test("every slice read, each checked by llvm-lipo and go version -m; packages once, with their architectures", () => {
        const [amd64, arm64] = thin();
        const fat = fatBinary([amd64, arm64]);
        const fatPath = join(work, "tool.fat");
        writeFileSync(fatPath, fat);
        assert.equal(execFileSync("llvm-lipo-14", ["-archs", fatPath], { encoding: "utf8" }).trim(), "x86_64 arm64");
        const oracles = (["x86_64", "arm64"] as const).map((arch, i) => {
          const slice = join(work, `tool.${arch}`);
          execFileSync("llvm-lipo-14", [fatPath, "-thin", arch, "-output", slice]);
          chmodSync(slice, 0o755); // go version -m skips files that are not executable
          assert.ok(readFileSync(slice).equals([amd64, arm64][i] ?? assert.fail()), `${arch} slice as lipo extracts it`);
          return expectedFromGoVersion(slice);
        });
        const [x86, arm] = oracles as [ReturnType<typeof expectedFromGoVersion>, ReturnType<typeof expectedFromGoVersion>];
        assert.deepEqual(x86.rows, arm.rows);
        assert.equal(x86.settings.GOARCH, "amd64");
        assert.equal(arm.settings.GOARCH, "arm64");

        assert.equal((goBinaryCataloger.wantsContent ?? assert.fail())("app/tool", fat.subarray(0, 64)), true);
        const { packages, notes } = catalogBytes("app/tool", fat);
        assert.deepEqual(notes, []);
        assert.deepEqual(rows(packages), x86.rows);
        // Settings both slices agree on stay; GOARCH (and amd64's GOAMD64) differ and are left to "architectures".
        const common = Object.fromEntries(Object.entries(x86.settings).filter(([k, v]) => arm.settings[k] === v));
        assert.equal(common.GOOS, "darwin");
        assert.equal(common.GOARCH, undefined);
        assert.deepEqual(packages[0]?.metadata, { ...common, goVersion: x86.goVersion, mainPackage: "example.com/app/cmd/tool", mainModule: "true", architectures: "x86_64,arm64" });
        assert.deepEqual(packages[1]?.metadata, { goVersion: x86.goVersion, replacedBy: "../lib", architectures: "x86_64,arm64" });
        assert.deepEqual(packages.map((p) => p.locations), packages.map(() => [{ path: "app/tool", layerIndex: 0, layer: "sha256:l0" }]));

        // fat64 headers, the byte-swapped header, and the file llvm-lipo -create writes: the same packages.
        const lipoPath = join(work, "tool.lipo");
        execFileSync("llvm-lipo-14", ["-create", built.macho ?? "", built["macho-amd64"] ?? "", "-output", lipoPath]);
        const byLipo = catalogBytes("app/tool", readFileSync(lipoPath));
        assert.deepEqual(byLipo.notes, []);
        assert.deepEqual(rows(byLipo.packages), x86.rows);
        const lipoOrder = execFileSync("llvm-lipo-14", ["-archs", lipoPath], { encoding: "utf8" }).trim().split(" ");
        assert.deepEqual(lipoOrder.toSorted(), ["arm64", "x86_64"]);
        assert.ok(byLipo.packages.every((p) => p.metadata?.architectures === lipoOrder.join(",")), "slices in the file's order");
        for (const options of [{ magic64: true }, { littleEndian: true }]) {
          assert.deepEqual(catalogBytes("app/tool", fatBinary([amd64, arm64], options)), { packages, notes: [] }, JSON.stringify(options));
        }
      });

      test("a slice of its own: its packages say so; a damaged slice is noted and the others still read", () => {
        const [amd64, arm64] = thin();
        // A Go slice and a slice without build info (the arm64 Go binary with its magic's section names blanked).
        const plain = Buffer.from(arm64);
        for (let at = plain.indexOf("__go_buildinfo"); at >= 0; at = plain.indexOf("__go_buildinfo", at + 1)) plain.write("__xx_buildinfo", at, "latin1");
        const info = Buffer.from("\xff Go buildinf:", "latin1");
        for (let at = plain.indexOf(info); at >= 0; at = plain.indexOf(info, at + 1)) plain[at] = 0;
        const mixed = catalogBytes("app/mixed", fatBinary([amd64, plain]));
        assert.deepEqual(mixed.notes, []);
        assert.deepEqual(mixed.packages.map((p) => p.metadata?.architectures), mixed.packages.map(() => "x86_64"));
        assert.equal(mixed.packages[0]?.metadata?.GOARCH, "amd64");

        const damaged = fatBinary([amd64, arm64]);
        const armAt = damaged.readUInt32BE(8 + 20 + 8);
        damaged.writeUInt32LE(0xffffff, armAt + 20); // sizeofcmds far past the slice
        const half = catalogBytes("app/half", damaged);
        assert.equal(half.notes.length, 1);
        assert.match(half.notes[0] ?? "", /^app\/half \(arm64 slice\): load commands \(\d+ bytes at offset 32\) runs past the end of the file/);
        assert.deepEqual(rows(half.packages), rows(mixed.packages));
      });

      test("Java class files are not universal binaries; bad headers are noted", () => {
        const wantsContent = goBinaryCataloger.wantsContent ?? assert.fail();
        const classFile = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x10, 0x0a, 0x00]);
        assert.equal(wantsContent("Main.class", classFile), false);
        assert.deepEqual(catalogBytes("Main.class", classFile).notes, ["Main.class: not an ELF, Mach-O or PE executable"]);
        const [amd64] = thin();
        const fat = fatBinary([amd64]);
        fat.writeUInt32BE(fat.length, 8 + 12); // fat_arch.size: past the end of the file
        assert.deepEqual(catalogBytes("app/bad", fat), { packages: [], notes: [`app/bad: x86_64 slice (${fat.length} bytes at offset 16384) runs past the end of the file (${fat.length} bytes)`] });
        const overlapping = fatBinary([amd64]);
        overlapping.writeUInt32BE(4, 8 + 8); // fat_arch.offset: inside the header
        assert.deepEqual(catalogBytes("app/overlap", overlapping).notes, ["app/overlap: x86_64 slice at offset 4 overlaps the universal header"]);
        const many = fatBinary([amd64]);
        many.writeUInt32BE(31, 4);
        assert.equal(wantsContent("app/many", many.subarray(0, 64)), false);
        assert.deepEqual(catalogBytes("app/many", many).notes, ["app/many: not an ELF, Mach-O or PE executable"]);
      });
    });
  });

  describe("ELF files made with gcc and objcopy", () => {
    const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
    const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");
    const MODINFO = [
      "path\tgithub.com/acme/server/cmd/server",
      "mod\tgithub.com/acme/server\tv1.4.0\th1:mainsum=",
      "dep\tgithub.com/google/uuid\tv1.3.0\th1:t6JiXgmwXMjEs8VusXIJk2BXHsn+wx8BZdTaoZ5fu7I=",
      "dep\tgolang.org/x/net\tv0.0.0-20220722155237-a158d28d115b\th1:netsum=",
      "=>\tgithub.com/acme/net\tv0.1.0\th1:forksum=",
      "dep\tgithub.com/Azure/go-autorest/autorest\tv0.11.28+incompatible\th1:azsum=",
      "build\t-compiler=gc",
      "build\t-ldflags=\"-s -w -X 'main.version=1.4.0'\"",
      "build\t\"key with space\"=\"tab\\there\"",
      "build\tCGO_ENABLED=0",
      "build\tGOARCH=amd64",
      "build\tGOOS=linux",
      "build\tvcs.revision=0123456789abcdef0123456789abcdef01234567",
      "",
    ].join("\n");
    let baseElf = "";

    before(() => {
      writeFileSync(join(work, "t.c"), "int main(void) { return 0; }\n");
      baseElf = join(work, "t.out");
      execFileSync("gcc", ["-o", baseElf, join(work, "t.c")]);
    });

    function uvarint(n: number): Buffer {
      const out: number[] = [];
      while (n >= 0x80) {
        out.push((n & 0x7f) | 0x80);
        n = Math.floor(n / 128);
      }
      out.push(n);
      return Buffer.from(out);
    }

    function header(pointerSize: number, flags: number): Buffer {
      const h = Buffer.alloc(32);
      Buffer.from("\xff Go buildinf:", "latin1").copy(h);
      h[14] = pointerSize;
      h[15] = flags;
      return h;
    }

    /** Adds sections to gcc's ELF: name → [content, address or undefined]. */
    function elfWith(name: string, sections: Record<string, [Buffer, number | undefined]>): Buffer {
      const args: string[] = [];
      for (const [section, [content, address]] of Object.entries(sections)) {
        const file = join(work, `${name}${section}.bin`);
        writeFileSync(file, content);
        args.push("--add-section", `${section}=${file}`, "--set-section-flags", `${section}=alloc,load,contents,data`);
        if (address !== undefined) args.push("--change-section-address", `${section}=0x${address.toString(16)}`);
      }
      const out = join(work, name);
      execFileSync("objcopy", [...args, baseElf, out], { stdio: ["ignore", "ignore", "ignore"] });
      return readFileSync(out);
    }

    const EXPECTED: Row[] = [
      ["github.com/acme/server", "v1.4.0", "pkg:golang/github.com/acme/server@v1.4.0"],
      ["github.com/google/uuid", "v1.3.0", "pkg:golang/github.com/google/uuid@v1.3.0"],
      ["github.com/acme/net", "v0.1.0", "pkg:golang/github.com/acme/net@v0.1.0"],
      ["github.com/Azure/go-autorest/autorest", "v0.11.28+incompatible", "pkg:golang/github.com/Azure/go-autorest/autorest@v0.11.28%2Bincompatible"],
      ["stdlib", "1.21.5", "pkg:golang/stdlib@1.21.5"],
    ];

    test("Go >= 1.18 layout: exact dep list, sums, quoted build settings", () => {
      const modinfo = Buffer.concat([SENTINEL_START, Buffer.from(MODINFO), SENTINEL_END]);
      const version = Buffer.from("go1.21.5 X:boringcrypto");
      const info = Buffer.concat([header(8, 2), uvarint(version.length), version, uvarint(modinfo.length), modinfo]);
      const elf = elfWith("inline.elf", { ".go.buildinfo": [info, undefined] });
      const { packages, notes } = catalogBytes("srv/server", elf);
      assert.deepEqual(notes, []);
      assert.deepEqual(rows(packages), EXPECTED);
      assert.deepEqual(packages[0]?.metadata, {
        "-compiler": "gc", "-ldflags": "-s -w -X 'main.version=1.4.0'", "key with space": "tab\there", CGO_ENABLED: "0", GOARCH: "amd64", GOOS: "linux",
        "vcs.revision": "0123456789abcdef0123456789abcdef01234567", goVersion: "go1.21.5 X:boringcrypto", h1Digest: "h1:mainsum=",
        mainPackage: "github.com/acme/server/cmd/server", mainModule: "true",
      });
      assert.deepEqual(packages[1]?.metadata, { goVersion: "go1.21.5 X:boringcrypto", h1Digest: "h1:t6JiXgmwXMjEs8VusXIJk2BXHsn+wx8BZdTaoZ5fu7I=" });
      assert.deepEqual(packages[2]?.metadata, { goVersion: "go1.21.5 X:boringcrypto", replaces: "golang.org/x/net@v0.0.0-20220722155237-a158d28d115b", h1Digest: "h1:forksum=" });
    });

    test("Go < 1.18 layout: pointers followed through the section address map", () => {
      const base = 0x900000;
      const version = Buffer.from("go1.21.5");
      const modinfo = Buffer.concat([SENTINEL_START, Buffer.from(MODINFO), SENTINEL_END]);
      // .gostr at 0x900000: two Go string headers {data, len}, then the bytes they point at.
      const strings = Buffer.alloc(32);
      strings.writeBigUInt64LE(BigInt(base + 32), 0);
      strings.writeBigUInt64LE(BigInt(version.length), 8);
      strings.writeBigUInt64LE(BigInt(base + 32 + version.length), 16);
      strings.writeBigUInt64LE(BigInt(modinfo.length), 24);
      const pointers = header(8, 0);
      pointers.writeBigUInt64LE(BigInt(base), 16);
      pointers.writeBigUInt64LE(BigInt(base + 16), 24);
      const elf = elfWith("pointers.elf", { ".go.buildinfo": [pointers, undefined], ".gostr": [Buffer.concat([strings, version, modinfo]), base] });
      const exe = readExecutable(elf, "pointers.elf");
      assert.equal(findSection(exe, ".gostr")?.addr, BigInt(base));
      const { packages, notes } = catalogBytes("srv/server", elf);
      assert.deepEqual(notes, []);
      assert.deepEqual(rows(packages), EXPECTED);

      // Pointers into nowhere: noted, not guessed.
      pointers.writeBigUInt64LE(0x123456n, 16);
      const lost = catalogBytes("srv/old", elfWith("lost.elf", { ".go.buildinfo": [pointers, undefined] }));
      assert.deepEqual(lost.packages, []);
      assert.deepEqual(lost.notes, ["srv/old: Go < 1.18 build info not read (its pointers lead outside the file)"]);
    });

    test("damaged files are noted, never thrown", () => {
      const info = Buffer.concat([header(8, 2), uvarint(8), Buffer.from("go1.21.5"), uvarint(100_000), Buffer.from("path\tx\n")]);
      const damaged = catalogBytes("bin/x", elfWith("damaged.elf", { ".go.buildinfo": [info, undefined] }));
      assert.deepEqual(damaged, { packages: [], notes: ["bin/x: Go build info is damaged (string lengths run past its section)"] });

      const elf = readFileSync(baseElf);
      const truncated = catalogBytes("bin/t", elf.subarray(0, 200));
      assert.deepEqual(truncated.packages, []);
      assert.equal(truncated.notes.length, 1);
      assert.match(truncated.notes[0] ?? "", /^bin\/t: section header table .* runs past the end of the file/);
      // A C program: no build info, and nothing to say about it.
      assert.deepEqual(catalogBytes("bin/c", elf), { packages: [], notes: [] });
      assert.deepEqual(catalogBytes("bin/mz", Buffer.from("MZ not really")).notes.length, 1);
    });
  });

  test("stdlib versions", () => {
    assert.equal(stdlibVersion("go1.19.8"), "1.19.8");
    assert.equal(stdlibVersion("go1.22.0 X:boringcrypto"), "1.22.0");
    assert.equal(stdlibVersion("go1.21rc2"), "1.21rc2");
    assert.equal(stdlibVersion("devel go1.23-abc"), "devel go1.23-abc");
  });
});

describe("go-mod cataloger", () => {
  test("require lines (block and single), // indirect, replace by version, by module and by directory", () => {
    const text = `// a comment
module github.com/acme/server

go 1.21

toolchain go1.21.5

require github.com/google/uuid v1.3.0

require (
	golang.org/x/net v0.0.0-20220722155237-a158d28d115b
	github.com/pkg/errors v0.9.1 // indirect
	"github.com/quoted/mod" v1.0.0
	example.com/local v0.0.0-00010101000000-000000000000
)

exclude github.com/pkg/errors v0.8.0

replace golang.org/x/net => github.com/acme/net v0.1.0

replace (
	github.com/pkg/errors v0.9.1 => github.com/pkg/errors v0.9.2
	example.com/local => ../local
)
`;
    const notes: string[] = [];
    const packages = goModCataloger.parse({ path: "src/go.mod", bytes: Buffer.from(text), mode: 0o644, location: { path: "src/go.mod" } }, { note: (m) => notes.push(m) });
    assert.deepEqual(notes, []);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.purl, p.metadata]), [
      ["github.com/google/uuid", "v1.3.0", "pkg:golang/github.com/google/uuid@v1.3.0", {}],
      ["github.com/acme/net", "v0.1.0", "pkg:golang/github.com/acme/net@v0.1.0", { replaces: "golang.org/x/net@v0.0.0-20220722155237-a158d28d115b" }],
      ["github.com/pkg/errors", "v0.9.2", "pkg:golang/github.com/pkg/errors@v0.9.2", { replaces: "github.com/pkg/errors@v0.9.1", indirect: "true" }],
      ["github.com/quoted/mod", "v1.0.0", "pkg:golang/github.com/quoted/mod@v1.0.0", {}],
      ["example.com/local", "v0.0.0-00010101000000-000000000000", "pkg:golang/example.com/local@v0.0.0-00010101000000-000000000000", { replacedBy: "../local" }],
    ]);
    assert.ok(packages.every((p) => p.ecosystem === "Go" && p.cataloger === "go-mod" && p.locations[0]?.path === "src/go.mod"));
    assert.equal(goModCataloger.wants("src/go.mod", 100, 0o644), true);
    assert.equal(goModCataloger.wants("go.mod", 100, 0o644), true);
    assert.equal(goModCataloger.wants("src/go.sum", 100, 0o644), false);
    assert.equal(goModCataloger.wants("src/notgo.mod", 100, 0o644), false);
  });

  test("lines it cannot read are counted in a note", () => {
    const notes: string[] = [];
    const packages = goModCataloger.parse({ path: "go.mod", bytes: Buffer.from("module x\nrequire a/b\nrequire \"open\nrequire c/d v1.0.0\n"), mode: 0o644, location: { path: "go.mod" } }, { note: (m) => notes.push(m) });
    assert.deepEqual(packages.map((p) => p.name), ["c/d"]);
    assert.deepEqual(notes, ["go.mod: 2 go.mod line(s) not understood"]);
  });
});
