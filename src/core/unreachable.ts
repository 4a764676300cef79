/** For exhaustive switches: a new union member fails to compile where this is called. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
