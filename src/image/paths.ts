// Entry names to paths: relative, "/"-separated, no "." or empty segments. "" is the root itself.

export interface NormalizedPath {
  path: string;
  /** The name began with "/". */
  absolute: boolean;
  /** The name held ".." segments that stayed inside the root. */
  dotDot: boolean;
  /** A ".." climbed above the root: the name points outside whatever it would be extracted into. */
  escapes: boolean;
}

export function normalizePath(name: string): NormalizedPath {
  const absolute = name.startsWith("/");
  // Fast path: most names are already clean ("usr/bin/env", "etc/", "./app").
  if (!absolute && !name.includes("//") && !name.includes("/./") && !name.includes("..") && !name.startsWith("./") && name !== ".") {
    return { path: name.endsWith("/") ? name.slice(0, -1) : name, absolute, dotDot: false, escapes: false };
  }
  const out: string[] = [];
  let dotDot = false;
  let escapes = false;
  for (const seg of name.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      dotDot = true;
      if (out.length === 0) escapes = true;
      else out.pop();
      continue;
    }
    out.push(seg);
  }
  return { path: out.join("/"), absolute, dotDot, escapes };
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}
