// Glob patterns of the kind configuration uses for paths and image names: `*` stays within one "/"-separated
// component, `**` crosses components, `?` is one character; everything else is literal.

/** The regular-expression source (unanchored) of a glob. */
export function globSource(glob: string): string {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") {
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return re;
}
