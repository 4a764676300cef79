// File modes as chmod, install -m, mkdir -m and COPY --chmod take them (octal or symbolic), reduced to the bits
// hardening rules care about: setuid, setgid, sticky and write permission for others.

export interface ModeBits {
  setuid: boolean;
  setgid: boolean;
  sticky: boolean;
  /** Others may write (o+w, a+w, mode & 0o002). */
  worldWritable: boolean;
}

const NONE: ModeBits = { setuid: false, setgid: false, sticky: false, worldWritable: false };

/**
 * The bits a mode sets; undefined when the text is not a mode. Only bits that are turned on count (`u-s` sets
 * nothing). A clause without who (`+w`, `+s`) is masked by the umask: the usual 022 keeps `+w` from reaching others,
 * so it is not world-writable here, while `+s` sets both setuid and setgid. `o=u` copies bits we cannot see: ignored.
 */
export function parseModeBits(mode: string): ModeBits | undefined {
  if (/^[0-7]{1,5}$/.test(mode)) {
    const n = Number.parseInt(mode, 8);
    if (n > 0o7777) return undefined;
    return { setuid: (n & 0o4000) !== 0, setgid: (n & 0o2000) !== 0, sticky: (n & 0o1000) !== 0, worldWritable: (n & 0o002) !== 0 };
  }
  const bits = { ...NONE };
  for (const clause of mode.split(",")) {
    const m = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (m === null) return undefined;
    const who = m[1] ?? "";
    const all = who === "" || who.includes("a");
    for (const action of (m[2] ?? "").matchAll(/([-+=])([rwxXst]*|[ugo])/g)) {
      const op = action[1];
      const perms = action[2] ?? "";
      if (op === "-" || /^[ugo]$/.test(perms)) continue;
      if (perms.includes("s")) {
        if (all || who.includes("u")) bits.setuid = true;
        if (all || who.includes("g")) bits.setgid = true;
      }
      if (perms.includes("t")) bits.sticky = true;
      if (perms.includes("w") && (who.includes("o") || who.includes("a"))) bits.worldWritable = true;
    }
  }
  return bits;
}
