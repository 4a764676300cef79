// ShellCheck through the whole lint pipeline, with the real Debian shellcheck binary.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { lintDockerfiles } from "../../src/lint.ts";
import { runCli } from "../helpers/cli.ts";

async function sc(text: string): Promise<string[]> {
  const { report } = await lintDockerfiles({ inputs: [{ file: "Dockerfile", text }], shellcheck: "shellcheck" });
  assert.deepEqual(report.errors, []);
  return report.findings
    .filter((f) => f.source === "shellcheck")
    .map((f) => (f.location.kind === "text" ? `${f.ruleId}@${f.location.start.line}:${f.location.start.column}-${f.location.end.line}:${f.location.end.column}` : f.ruleId));
}

describe("ShellCheck on RUN scripts", () => {
  test("findings land on the right Dockerfile line and column, across continuations", async () => {
    const found = await sc("FROM debian:12\nRUN apt-get update && \\\n    echo $HOME/x > /tmp/out && \\\n  cd /srv\n");
    assert.deepEqual(found, ["SC2086@3:10-3:15", "SC2164@4:3-4:10"]);
  });

  test("heredoc scripts are checked with lines inside the heredoc", async () => {
    const found = await sc("FROM debian:12\nRUN <<EOF\nset -e\nls `pwd`\nEOF\n");
    assert.deepEqual(found, ["SC2006@4:4-4:9", "SC2046@4:4-4:9"]);
  });

  test("ARG and ENV variables are defined for ShellCheck", async () => {
    assert.deepEqual(await sc("FROM debian:12\nARG version=1\nENV home_dir=/srv\nRUN echo \"$version\" \"$home_dir\"\n"), []);
    assert.deepEqual(await sc("FROM debian:12\nRUN echo \"$version\"\n"), ["SC2154@2:11-2:19"]);
  });

  test("the stage's SHELL picks the dialect; PowerShell is not checked", async () => {
    const bashism = "RUN if [[ -f /etc/os-release ]]; then echo yes; fi\n";
    assert.deepEqual(await sc(`FROM debian:12\nSHELL ["/bin/bash", "-c"]\n${bashism}`), []);
    assert.ok((await sc(`FROM debian:12\n${bashism}`)).some((f) => f.startsWith("SC3010@")), "[[ ]] is undefined in POSIX sh");
    assert.deepEqual(await sc(`FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN echo $x\n`), []);
  });

  test("a hadolint pragma suppresses an SC code", async () => {
    assert.deepEqual(await sc("FROM debian:12\n# hadolint ignore=SC2164\nRUN cd /srv\n"), []);
  });

  test("a file with 100 RUNs is checked in one batch, quickly", async () => {
    const runs = Array.from({ length: 100 }, (_, i) => `RUN cd /srv${i}\n`).join("");
    const started = performance.now();
    const found = await sc(`FROM debian:12\n${runs}`);
    assert.equal(found.length, 100);
    assert.ok(performance.now() - started < 15_000, "one shellcheck process, not one per RUN");
  });

  test("without shellcheck on PATH, the CLI says once that SC rules were skipped", async () => {
    const r = await runCli(["lint", "-", "--format", "json"], { stdin: "FROM debian:12\nRUN cd /srv\nRUN cd /x\n", env: { PATH: "/nonexistent" } });
    assert.equal(r.stderr.match(/shellcheck not found/g)?.length, 1, r.stderr);
    const sources = (JSON.parse(r.stdout) as { findings: { source: string }[] }).findings.map((f) => f.source);
    assert.ok(!sources.includes("shellcheck"));
  });

  test("--no-shellcheck turns it off silently", async () => {
    const r = await runCli(["lint", "-", "--no-shellcheck", "--format", "json"], { stdin: "FROM debian:12\nRUN cd /srv\n" });
    assert.equal(r.stderr, "");
    const sources = (JSON.parse(r.stdout) as { findings: { source: string }[] }).findings.map((f) => f.source);
    assert.ok(!sources.includes("shellcheck"));
  });
});

describe("ShellCheck and Windows stages", () => {
  test("a Windows stage without SHELL runs cmd: not checked; a Linux stage in the same file is", async () => {
    const text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nRUN mkdir c:\\\\app && echo $x\nFROM debian:12\nRUN cd /srv\n";
    assert.deepEqual(await sc(text), ["SC2164@4:5-4:12"]);
  });

  test("the backtick escape marks a Windows Dockerfile", async () => {
    assert.deepEqual(await sc("# escape=`\nFROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022\nRUN dir c:\\app\n"), []);
  });

  test("--platform=windows/amd64 on a neutral name", async () => {
    assert.deepEqual(await sc("FROM --platform=windows/amd64 myorg/base:1\nRUN cd c:\\app\n"), []);
  });
});
