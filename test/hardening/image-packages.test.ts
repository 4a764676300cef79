import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LineIndex, MappedText } from "../../src/core/text.ts";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { buildStageGraph } from "../../src/dockerfile/stages.ts";
import { packageName, packageOperation, packagesInTargetImage } from "../../src/hardening/image-packages.ts";
import { initShell, parseShell } from "../../src/shell/parse.ts";

await initShell();

function operation(script: string): unknown {
  const cmd = parseShell(MappedText.contiguous(new LineIndex(script), 0, script.length)).commands[0];
  assert.ok(cmd);
  const op = packageOperation(cmd);
  if (op?.kind !== "install") return op;
  return { ...op, packages: op.packages.map((p) => p.name) };
}

describe("packageName", () => {
  const cases: [string, "apt" | "apk" | "rpm" | "zypper", string | undefined][] = [
    ["gcc=4:12.2.0-3", "apt", "gcc"],
    ["libssl-dev:arm64", "apt", "libssl-dev"],
    ["git/bookworm-backports", "apt", "git"],
    ["G++", "apt", "g++"],
    ["./local.deb", "apt", undefined],
    ["/tmp/x.deb", "apt", undefined],
    ["sudo~1.9", "apk", "sudo"],
    ["curl>8", "apk", "curl"],
    ["gcc@edge", "apk", "gcc"],
    ["gcc-c++-14.1.1-1.fc40.x86_64", "rpm", "gcc-c++"],
    ["python3-devel", "rpm", "python3-devel"],
    ["sudo-1.9.5p2", "rpm", "sudo"],
    ["java-17-openjdk-devel", "rpm", "java-17-openjdk-devel"],
    ["https://example.com/x.rpm", "rpm", undefined],
    ["--no-cache", "apk", undefined],
  ];
  for (const [word, manager, want] of cases) test(`${manager} ${word}`, () => assert.equal(packageName(word, manager), want));
});

describe("packageOperation", () => {
  test("installs, with apk's virtual group", () => {
    assert.deepEqual(operation("apt-get -y install --no-install-recommends gcc make"), { kind: "install", manager: "apt", packages: ["gcc", "make"], group: undefined });
    assert.deepEqual(operation("apk add --no-cache --virtual .deps gcc"), { kind: "install", manager: "apk", packages: ["gcc"], group: ".deps" });
    assert.deepEqual(operation("dnf group install -y 'Development Tools'"), { kind: "install", manager: "rpm", packages: ["development tools"], group: undefined });
  });
  test("removals and marks", () => {
    assert.deepEqual(operation("apt-get purge -y --auto-remove gcc"), { kind: "remove", manager: "apt", names: ["gcc"], autoremove: true });
    assert.deepEqual(operation("apk del .deps"), { kind: "remove", manager: "apk", names: [".deps"], autoremove: false });
    assert.deepEqual(operation("apt-get autoremove -y"), { kind: "autoremove", manager: "apt" });
    assert.deepEqual(operation("apt-mark auto '.*'"), { kind: "mark", manager: "apt", auto: true, names: "all" });
    assert.deepEqual(operation("apt-mark manual $saved"), { kind: "mark", manager: "apt", auto: false, names: [] });
  });
  test("other commands and subcommands", () => {
    for (const s of ["apt-get update", "apk info gcc", "yum makecache", "echo apt-get install gcc", "pip install gcc"]) assert.equal(operation(s), undefined, s);
  });
});

describe("packagesInTargetImage", () => {
  test("replays the chain in build order and is computed once per graph", () => {
    const model = parseDockerfile("FROM debian:12 AS base\nRUN apt-get install -y gcc git\nFROM base\nRUN apt-get purge -y git\nONBUILD RUN apt-get install -y make\n");
    const stages = buildStageGraph(model);
    const found = packagesInTargetImage(stages);
    assert.deepEqual(found.map((p) => [p.name, p.stage.index, p.word.span.start.line]), [["gcc", 0, 2], ["make", 1, 5]]);
    assert.equal(packagesInTargetImage(stages), found);
  });
});
