// Seeded generators of version strings for the differential tests: realistic shapes plus the edge cases each
// scheme is known for, and pairs that are often near each other (one small change), so equal and
// almost-equal versions are well represented.

/** mulberry32: a small seeded PRNG, so every run tests the same pairs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Pick {
  <T>(items: readonly T[]): T;
  chance(p: number): boolean;
  int(max: number): number;
}

export function picker(seed: number): Pick {
  const rnd = prng(seed);
  const pick = (<T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T) as Pick;
  pick.chance = (p) => rnd() < p;
  pick.int = (max) => Math.floor(rnd() * (max + 1));
  return pick;
}

function number(p: Pick): string {
  if (p.chance(0.1)) return p(["0", "00", "01", "007", "10", "100"]);
  if (p.chance(0.05)) return String(p.int(99999999));
  return String(p.int(p.chance(0.7) ? 3 : 30));
}

/** Pairs: half independent, half a version and a small edit of it. */
export function pairs(count: number, seed: number, make: (p: Pick) => string, edit: (p: Pick, v: string) => string): [string, string][] {
  const p = picker(seed);
  const out: [string, string][] = [];
  while (out.length < count) {
    const a = make(p);
    const b = p.chance(0.5) ? make(p) : edit(p, a);
    out.push(p.chance(0.5) ? [a, b] : [b, a]);
  }
  return out;
}

function genericEdit(p: Pick, v: string, appendix: readonly string[]): string {
  switch (p.int(5)) {
    case 0: return v + p(appendix);
    case 1: return v.replace(/[0-9]+(?!.*[0-9])/, (d) => String(Number(d) + p(([-1, 1, 10] as const))).replace("-", ""));
    case 2: return v.replace(/\.?[^.]*$/, "");
    case 3: return v.toUpperCase();
    case 4: return v.replace(/[0-9]/, (d) => `0${d}`);
    default: return v;
  }
}

// ---- dpkg ----------------------------------------------------------------------------------------------------

function debianUpstream(p: Pick): string {
  let s = number(p);
  const parts = p.int(4);
  for (let i = 0; i < parts; i++) {
    s += p([".", ".", ".", "+", "~", ""]) + (p.chance(0.6) ? number(p) : p(["a", "b", "rc", "alpha", "beta", "dfsg", "git", "p", "Z", "ds", "really"]) + (p.chance(0.5) ? number(p) : ""));
  }
  if (p.chance(0.05)) s = p(["a", "~", "+", "."]) + s; // upstream not starting with a digit: dpkg warns but compares
  if (p.chance(0.03)) s += p(["_1", "=", "%", "A!"]); // characters dpkg only warns about
  return s;
}

export function debianVersion(p: Pick): string {
  let v = debianUpstream(p);
  if (p.chance(0.6)) v += `-${p(["1", "0", "2", "1+deb12u1", "2~bpo11+1", "0ubuntu1", "1.1", "1build1", "3+b1", "1~exp1", "0+really1.0-1", "10", "a"])}`;
  if (p.chance(0.25)) v = `${p(["0", "1", "2", "10", "01", "+1"])}:${v}`;
  if (p.chance(0.02)) v = p([":1.0", "1.0-", "a:1.0", "1:", "-1:2.0", "1 0", ""]); // dpkg rejects these
  return v;
}

export function editDebianVersion(p: Pick, v: string): string {
  return genericEdit(p, v, ["~", "~rc1", "+b1", ".0", "-0", "a", "+", "-1", "~~", "0"]);
}

// ---- rpm ------------------------------------------------------------------------------------------------------

export function rpmVersion(p: Pick): string {
  let v = number(p);
  const parts = p.int(4);
  for (let i = 0; i < parts; i++) {
    v += p([".", ".", "_", "+", "~", "^", "", "-"]) + (p.chance(0.6) ? number(p) : p(["a", "b", "rc", "git", "el8", "fc38", "A", "beta", "post", "svn"]) + (p.chance(0.4) ? number(p) : ""));
  }
  if (p.chance(0.3)) v += `-${p(["1", "1.el8", "2.fc38", "0.1.rc1", "1~beta", "3^git", "10.el9_2", "1.1"])}`;
  if (p.chance(0.2)) v = `${p(["0", "1", "2", "", "01"])}:${v}`;
  if (p.chance(0.03)) v = p(["~1", "^1", ".1", "1..0", "a", "1.0~", "1.0^"]) + (p.chance(0.5) ? v : "");
  return v;
}

export function editRpmVersion(p: Pick, v: string): string {
  return genericEdit(p, v, ["~", "^", ".0", "a", "-1", "~rc1", "^post1", "_1", "."]);
}

// ---- PEP 440 --------------------------------------------------------------------------------------------------

export function pep440Version(p: Pick): string {
  let v = number(p);
  const parts = p.int(3);
  for (let i = 0; i < parts; i++) v += `.${number(p)}`;
  const sep = (): string => (p.chance(0.7) ? "" : p([".", "-", "_"]));
  if (p.chance(0.35)) v += sep() + p(["a", "b", "rc", "alpha", "beta", "c", "pre", "preview", "A", "RC"]) + sep() + (p.chance(0.8) ? number(p) : "");
  if (p.chance(0.25)) v += p.chance(0.2) ? `-${number(p)}` : sep() + p(["post", "rev", "r", "POST"]) + sep() + (p.chance(0.8) ? number(p) : "");
  if (p.chance(0.25)) v += sep() + p(["dev", "DEV"]) + sep() + (p.chance(0.8) ? number(p) : "");
  if (p.chance(0.15)) v += `+${p(["ubuntu", "abc", "1", "local", "cpu"])}${p.chance(0.5) ? p([".", "-", "_"]) + p(["1", "2", "x", "10"]) : ""}`;
  if (p.chance(0.15)) v = `${p(["1", "0", "2"])}!${v}`;
  if (p.chance(0.05)) v = `v${v}`;
  if (p.chance(0.03)) v = ` ${v} `;
  if (p.chance(0.03)) v = p(["1.0.x", "1..0", "1.0-", "a1", "1.0+", "1.0+_a", "1!", "foo"]); // invalid
  return v;
}

export function editPep440Version(p: Pick, v: string): string {
  return genericEdit(p, v, [".0", "a1", ".post1", ".dev0", "+local", "rc0", "-1", ".0.0", "b0.dev1"]);
}

// ---- npm semver -----------------------------------------------------------------------------------------------

function semverNumber(p: Pick): string {
  if (p.chance(0.03)) return p(["01", "00"]); // leading zeros are invalid
  return String(p.chance(0.9) ? p.int(12) : p.int(999999999));
}

export function npmVersion(p: Pick): string {
  let v = `${semverNumber(p)}.${semverNumber(p)}.${semverNumber(p)}`;
  if (p.chance(0.45)) {
    const ids = 1 + p.int(3);
    const list: string[] = [];
    for (let i = 0; i < ids; i++) list.push(p.chance(0.5) ? semverNumber(p) : p(["alpha", "beta", "rc", "x-y", "0a", "A", "pre", "dev", "-", "1a2"]));
    v += `-${list.join(".")}`;
  }
  if (p.chance(0.15)) v += `+${p(["build", "001", "sha.5114f85", "exp.sha.5114f85", "20130313144700"])}`;
  if (p.chance(0.05)) v = `v${v}`;
  if (p.chance(0.03)) v = ` ${v}`;
  if (p.chance(0.03)) v = p(["1.2", "1.2.3-", "1.2.3+", "1.2.3-a..b", "01.2.3", "1.2.3.4", "=1.2.3", "1.2.3-01"]); // invalid
  return v;
}

export function editNpmVersion(p: Pick, v: string): string {
  return genericEdit(p, v, ["-0", "-alpha", ".1", "+build", "-rc.1", "-1", "-alpha.1"]);
}
