import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseModeBits } from "../../src/hardening/file-modes.ts";

const MODES = [
  "777", "0777", "666", "755", "0644", "1777", "4755", "2755", "6711", "00755", "0", "7",
  "u+s", "g+s", "ug+s", "+s", "a+s", "o+s", "u-s", "a=rwx", "o+w", "a+w", "+w", "go+rw", "u+w,o+w", "o=rwx,u-s",
  "=", "u=g", "o=u", "+t", "a+rwxt", "u+rwx,g+rX,o-rwx", "g=s", "u+x+s", "o-w+w", "u+",
];
const INVALID = ["8", "u+q", "17777", "rwx", "u+rw,", "x+w", "u=rw g"];

// GNU chmod is the oracle: apply each mode to a file with no bits set and read back what it set.
describe("parseModeBits agrees with chmod", () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "drydock-mode-"));
    file = join(dir, "f");
    writeFileSync(file, "");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const mode of MODES) {
    test(mode, () => {
      chmodSync(file, 0);
      execFileSync("sh", ["-c", 'umask 022 && chmod -- "$1" "$2"', "sh", mode, file]);
      const bits = statSync(file).mode & 0o7777;
      assert.deepEqual(parseModeBits(mode), {
        setuid: (bits & 0o4000) !== 0,
        setgid: (bits & 0o2000) !== 0,
        sticky: (bits & 0o1000) !== 0,
        worldWritable: (bits & 0o002) !== 0,
      });
    });
  }

  for (const mode of INVALID) {
    test(`not a mode: ${mode}`, () => {
      assert.equal(parseModeBits(mode), undefined);
      assert.throws(() => execFileSync("chmod", ["--", mode, file], { stdio: "ignore" }));
    });
  }
});
