// Small queries over the Dockerfile model that rules share.
import type { Dockerfile, Instruction, RunInstruction } from "./ast.ts";

/** Every instruction, with the instruction inside each ONBUILD following its wrapper. */
export function* allInstructions(model: Dockerfile): Generator<Instruction> {
  for (const inst of model.instructions) {
    yield inst;
    if (inst.kind === "onbuild" && inst.inner !== undefined) yield inst.inner;
  }
}

/** RUN instructions, ONBUILD RUN included. */
export function* runInstructions(model: Dockerfile): Generator<RunInstruction> {
  for (const inst of allInstructions(model)) if (inst.kind === "run") yield inst;
}

export interface ImageRef {
  /** Registry host when the first path component looks like one (has '.', ':' or is localhost). */
  registry: string | undefined;
  /** Repository path without registry, tag and digest. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits an image reference (after ARG expansion) into its parts, the way docker's reference grammar does. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  let registry: string | undefined;
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase()) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon !== -1 && !rest.slice(colon).includes("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

/** USER values that mean root: root, 0, with or without a group. */
export function isRootUser(user: string): boolean {
  const name = user.split(":")[0]?.trim() ?? "";
  return name === "root" || name === "0";
}
