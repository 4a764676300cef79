import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { packagesOf, type IndexPackage } from "../../src/base/apt.ts";
import { parseRelations, resolvePackages, versionSatisfies, type ResolveRequest, type VersionOperator } from "../../src/base/resolve.ts";

/** An index from short stanzas ("Package: x\nVersion: 1\n..."); Architecture defaults to amd64. */
function index(text: string, sourceIndex = 0): IndexPackage[] {
  const stanzas = text.trim().split(/\n\s*\n/).map((s, i) => {
    const lines = s.trim().split("\n").map((l) => l.trim());
    if (!lines.some((l) => l.startsWith("Architecture:"))) lines.push("Architecture: amd64");
    lines.push(`Filename: pool/main/p${sourceIndex}-${i}.deb`, "Size: 1", `SHA256: ${String(i).padStart(64, "0")}`);
    return lines.join("\n");
  });
  return packagesOf(stanzas.join("\n\n"), "test index", sourceIndex);
}

function names(pkgs: readonly IndexPackage[]): string[] {
  return pkgs.map((p) => `${p.name}=${p.version}`);
}

const req = (packages: string[], variant: ResolveRequest["variant"] = "custom"): ResolveRequest => ({ packages, variant, architecture: "amd64" });

describe("parseRelations", () => {
  it("reads alternatives, versions, architecture qualifiers and drops restriction lists", () => {
    const deps = parseRelations("libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, python3:any, perl [amd64] <!nocheck>, old (< 2)", "test");
    assert.equal(deps.length, 5);
    assert.deepEqual(deps[1]?.map((r) => [r.name, r.operator, r.version]), [["debconf", ">=", "0.5"], ["debconf-2.0", undefined, undefined]]);
    assert.equal(deps[2]?.[0]?.archQualifier, "any");
    assert.equal(deps[3]?.[0]?.text, "perl");
    assert.equal(deps[4]?.[0]?.operator, "<=", "the obsolete < means <=");
    assert.throws(() => parseRelations("foo (>= 1", "Depends of x"), { code: "BASE_INDEX_INVALID" });
  });
});

describe("versionSatisfies", () => {
  it("orders versions as dpkg --compare-versions does", () => {
    const pairs: [string, string][] = [["1.0", "1.0-1"], ["1.0~rc1", "1.0"], ["1:0.9", "2.0"], ["2.36-9+deb12u4", "2.36-9+deb12u10"], ["1.2.3a", "1.2.3"], ["0.0", "0"], ["3.0.11-1~deb12u2", "3.0.11-1"]];
    const ops: [VersionOperator, string][] = [["<<", "lt"], ["<=", "le"], ["=", "eq"], [">=", "ge"], [">>", "gt"]];
    for (const [a, b] of pairs) {
      for (const [op, dpkgOp] of ops) {
        let expected = true;
        try {
          execFileSync("dpkg", ["--compare-versions", a, dpkgOp, b]);
        } catch {
          expected = false;
        }
        assert.equal(versionSatisfies(a, op, b), expected, `${a} ${op} ${b}`);
      }
    }
  });
});

describe("resolvePackages", () => {
  const chain = index(`
    Package: app
    Version: 1.0
    Depends: libfoo (>= 2), mta | mail-transport-agent, python3:any
    Pre-Depends: init-helper

    Package: libfoo
    Version: 1.5

    Package: libfoo
    Version: 2.4

    Package: libfoo
    Version: 3.0

    Package: init-helper
    Version: 1
    Architecture: all

    Package: postfix
    Version: 3.7
    Provides: mail-transport-agent

    Package: exim4
    Version: 4.96
    Provides: mail-transport-agent

    Package: python3
    Version: 3.11
    Architecture: amd64

    Package: python3
    Version: 9.9
    Architecture: arm64
  `);

  it("follows Depends and Pre-Depends, newest satisfying version, providers by name", () => {
    assert.deepEqual(names(resolvePackages(chain, req(["app"]))), ["app=1.0", "exim4=4.96", "init-helper=1", "libfoo=3.0", "python3=3.11"]);
  });

  it("gives the same set whatever the index order", () => {
    const reversed = [...chain].reverse();
    const shuffled = [...chain].sort((a, b) => a.sha256.localeCompare(b.sha256) * -1 || a.name.localeCompare(b.name));
    const expected = names(resolvePackages(chain, req(["app"])));
    assert.deepEqual(names(resolvePackages(reversed, req(["app"]))), expected);
    assert.deepEqual(names(resolvePackages(shuffled, req(["app"]))), expected);
  });

  it("keeps an alternative already chosen, and an exact version asked for", () => {
    assert.deepEqual(names(resolvePackages(chain, req(["postfix", "app"]))).filter((n) => /postfix|exim/.test(n)), ["postfix=3.7"]);
    assert.deepEqual(names(resolvePackages(chain, req(["libfoo=2.4", "app"]))).filter((n) => n.startsWith("libfoo")), ["libfoo=2.4"]);
  });

  it("takes the first satisfiable alternative in order", () => {
    const pkgs = index(`
      Package: top
      Version: 1
      Depends: missing | old (>= 2) | second | third

      Package: old
      Version: 1

      Package: second
      Version: 1

      Package: third
      Version: 1
    `);
    assert.deepEqual(names(resolvePackages(pkgs, req(["top"]))), ["second=1", "top=1"]);
  });

  it("uses versioned Provides for versioned dependencies, never unversioned ones", () => {
    const pkgs = index(`
      Package: top
      Version: 1
      Depends: libvirt (>= 2)

      Package: unversioned
      Version: 9
      Provides: libvirt

      Package: versioned
      Version: 1
      Provides: libvirt (= 2.5)
    `);
    assert.deepEqual(names(resolvePackages(pkgs, req(["top"]))), ["top=1", "versioned=1"]);
  });

  it("skips a candidate that conflicts with a chosen package", () => {
    const pkgs = index(`
      Package: top
      Version: 1
      Depends: first-choice | fallback

      Package: first-choice
      Version: 1
      Conflicts: already

      Package: fallback
      Version: 1

      Package: already
      Version: 1
    `);
    assert.deepEqual(names(resolvePackages(pkgs, req(["already", "top"]))), ["already=1", "fallback=1", "top=1"]);
  });

  it("names the unsatisfiable chain", () => {
    const pkgs = index(`
      Package: ca-certificates
      Version: 20230311
      Architecture: all
      Depends: openssl (>= 1.1.1)

      Package: openssl
      Version: 3.0.11-1
      Depends: libssl3 (>= 3.0.0)

      Package: libssl3
      Version: 1.1.1w-0
    `);
    assert.throws(() => resolvePackages(pkgs, req(["ca-certificates"])), {
      name: "DrydockError",
      code: "BASE_UNSATISFIABLE",
      message: "ca-certificates → openssl (>= 1.1.1) → libssl3 (>= 3.0.0): no version of libssl3 satisfies libssl3 (>= 3.0.0) (available: 1.1.1w-0)",
    });
    const excluded = resolvePackages(pkgs, { ...req(["ca-certificates"]), exclude: ["openssl"] });
    assert.deepEqual(names(excluded), ["ca-certificates=20230311"], "an excluded package counts as present");
    assert.throws(() => resolvePackages(pkgs, req(["nonexistent"])), { code: "BASE_UNSATISFIABLE", message: /nonexistent is not in the index for amd64/ });
    assert.throws(() => resolvePackages(pkgs, req(["openssl=9"])), { code: "BASE_UNSATISFIABLE", message: /available: 3.0.11-1/ });
  });

  it("adds the Essential set (essential) and Priority required plus apt (minbase)", () => {
    const pkgs = index(`
      Package: base-files
      Version: 12
      Essential: yes
      Priority: required

      Package: dash
      Version: 0.5
      Essential: yes
      Priority: required
      Depends: debianutils

      Package: debianutils
      Version: 5
      Priority: required

      Package: mawk
      Version: 1.3
      Priority: required

      Package: apt
      Version: 2.6
      Priority: important

      Package: vim
      Version: 9
      Priority: optional
    `);
    assert.deepEqual(names(resolvePackages(pkgs, req([], "essential"))), ["base-files=12", "dash=0.5", "debianutils=5"]);
    assert.deepEqual(names(resolvePackages(pkgs, req([], "minbase"))), ["apt=2.6", "base-files=12", "dash=0.5", "debianutils=5", "mawk=1.3"]);
    assert.deepEqual(names(resolvePackages(pkgs, req(["vim"], "essential"))), ["base-files=12", "dash=0.5", "debianutils=5", "vim=9"]);
  });
});
