// The `docker run` flag grammar (pflag, interspersed off) and where run lines are found: shell scripts, Makefile
// recipes, Markdown blocks and inline code, CI YAML strings.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { LineIndex } from "../../src/core/text.ts";
import { parseRunArgs, runWorkload, type ParsedRun } from "../../src/runtime/docker-run.ts";
import { makefileShellText, markdownShellText, runCommandsIn, shellScriptText, yamlShellTexts } from "../../src/runtime/scripts.ts";
import { parseYamlDocuments } from "../../src/runtime/yaml.ts";
import { initShell } from "../../src/shell/parse.ts";

before(() => initShell());

function runsIn(text: string) {
  return runCommandsIn(shellScriptText(new LineIndex(text)));
}

function parsed(line: string): ParsedRun {
  const [cmd] = runsIn(line);
  assert.ok(cmd !== undefined, `a run command in ${line}`);
  return parseRunArgs(cmd.args);
}

function flags(p: ParsedRun): string[] {
  return p.flags.map((f) => `${f.name}=${f.value ?? "?"}`);
}

describe("docker run flag grammar", () => {
  const cases: [string, string[], string | undefined, string[]][] = [
    ["docker run --name=web --restart always nginx:1.27", ["name=web", "restart=always"], "nginx:1.27", []],
    ["docker run -it --rm alpine sh -c 'echo hi'", ["interactive=true", "tty=true", "rm=true"], "alpine", ["sh", "-c", "echo hi"]],
    ["docker run -dp 8080:80 -p80:80 -e=A=1 -eB=2 nginx", ["detach=true", "publish=8080:80", "publish=80:80", "env=A=1", "env=B=2"], "nginx", []],
    ["docker run -v a:/a -v b:/b --volume=c:/c img", ["volume=a:/a", "volume=b:/b", "volume=c:/c"], "img", []],
    ["docker run --privileged=false --read-only img", ["privileged=false", "read-only=true"], "img", []],
    ["docker run -- img --privileged", [], "img", ["--privileged"]],
    ["docker run --rm img -p 80:80", ["rm=true"], "img", ["-p", "80:80"]],
    ["docker run --unknown-flag img cmd", ["unknown-flag=true"], "img", ["cmd"]],
    ["docker run -u 1000:1000 -w /src -h box img", ["user=1000:1000", "workdir=/src", "hostname=box"], "img", []],
    ["docker run --env-file .env --label a=b --ulimit nofile=1024 img", ["env-file=.env", "label=a=b", "ulimit=nofile=1024"], "img", []],
    ["podman run --pod web --userns=keep-id --replace img", ["pod=web", "userns=keep-id", "replace=true"], "img", []],
  ];
  for (const [line, expected, image, command] of cases) {
    test(line, () => {
      const p = parsed(line);
      assert.deepEqual(flags(p), expected);
      assert.equal(p.image?.value, image);
      assert.deepEqual(p.command.map((w) => w.value), command);
    });
  }

  test("unknown flags are noted and taken as boolean", () => {
    assert.deepEqual(parsed("docker run --frobnicate img").unknown.map((w) => w.text), ["--frobnicate"]);
  });

  test("options hidden in a variable: noted as opaque, the next static word is the image", () => {
    const p = parsed("docker run $OPTS \"${EXTRA[@]}\" img");
    assert.deepEqual(p.opaque.map((w) => w.text), ["$OPTS", "\"${EXTRA[@]}\""]);
    assert.equal(p.image?.text, "img");
  });

  test("an image in a variable, followed by its command", () => {
    for (const line of ["docker run --rm \"$IMAGE\" sh -c 'echo hi'", "docker run $BASE_IMAGE make test"]) {
      const p = parsed(line);
      assert.deepEqual(p.opaque, [], line);
      assert.match(p.image?.text ?? "", /IMAGE/);
    }
  });

  test("flag spans: from the flag to the end of its value, values located inside their words", () => {
    const [cmd] = runsIn("docker run -p 127.0.0.1:8080:80 --env=\"PASSWORD=a b\" img\n");
    assert.ok(cmd);
    const p = parseRunArgs(cmd.args);
    assert.deepEqual(p.flags.map((f) => [f.span.start.column, f.span.end.column, f.word.span.start.column, f.word.value]), [
      [12, 32, 15, "127.0.0.1:8080:80"],
      [33, 53, 39, "PASSWORD=a b"],
    ]);
  });
});

describe("finding run commands", () => {
  test("behind sudo and env, with global options, `container run`, create, and in $(...) and sh -c", () => {
    const text = [
      "sudo -E env X=1 docker --context prod -H unix:///x.sock container run --rm a:1",
      "id=$(podman create b:1)",
      "sh -c 'nerdctl run c:1'",
      "docker ps && docker build . && docker compose run web",
    ].join("\n");
    assert.deepEqual(runsIn(text).map((c) => `${c.program} ${c.args.map((a) => a.text).join(" ")}`), ["docker --rm a:1", "podman b:1", "nerdctl c:1"]);
  });

  test("a continued line keeps every word's place", () => {
    const [cmd] = runsIn("docker run \\\n  --privileged \\\n  alpine:3.20\n");
    const w = runWorkload(cmd!, "s.sh");
    assert.deepEqual([w.privileged?.at.start.line, w.privileged?.at.start.column, w.image?.at.start.line], [2, 3, 3]);
  });

  test("Makefile recipes: tab, @ and - prefixes dropped, $$ read as $, other lines ignored", () => {
    const text = "IMAGE := app\nrun:\n\t@docker run --rm -e HOME=$$HOME -v $(PWD):/src $(IMAGE)\nDOCKER_RUN = docker run --privileged x\n\t-docker run --pid=host busybox:1.36\n";
    const cmds = runCommandsIn(makefileShellText(new LineIndex(text)));
    assert.equal(cmds.length, 2);
    const second = runWorkload(cmds[1]!, "Makefile");
    assert.deepEqual([second.hostPid?.value, second.hostPid?.at.start.line, second.hostPid?.at.start.column], [true, 5, 14]);
    assert.equal(runWorkload(cmds[0]!, "Makefile").mounts[0]?.hostPath, "$(PWD)");
  });

  test("Markdown: shell blocks, console prompts (output skipped), inline code; other languages ignored", () => {
    const text = [
      "Run `docker run -d --privileged nginx:1` to start.", // 1
      "```console", //                                       2
      "$ docker run --rm \\", //                             3
      "    --pid host busybox:1.36", //                      4
      "docker run this-is-output", //                        5
      "```", //                                              6
      "```yaml", //                                          7
      "command: docker run --privileged x:1", //             8
      "```", //                                              9
      "```sh", //                                            10
      "docker run --net=host alpine:3.20", //                11
      "```", //                                              12
    ].join("\n");
    const cmds = runCommandsIn(markdownShellText(new LineIndex(text)));
    assert.deepEqual(cmds.map((c) => `${c.head.start.line}:${c.head.start.column}`), ["1:6", "3:3", "11:1"]);
    assert.equal(runWorkload(cmds[1]!, "README.md").hostPid?.at.start.line, 4);
  });

  test("CI YAML: a run step's block scalar, located in the file", () => {
    const text = "jobs:\n  test:\n    steps:\n      - run: |\n          echo start\n          docker run --privileged \\\n            -v /:/host alpine:3.20\n      - run: docker run --rm alpine:3.20 true\n";
    const cmds = yamlShellTexts(parseYamlDocuments(text, "ci.yml")).flatMap((t) => runCommandsIn(t));
    assert.equal(cmds.length, 2);
    const w = runWorkload(cmds[0]!, "ci.yml");
    assert.deepEqual([w.privileged?.at.start.line, w.privileged?.at.start.column], [6, 22]);
    assert.deepEqual([w.mounts[0]?.at.start.line, w.mounts[0]?.at.start.column, w.mounts[0]?.hostPath], [7, 16, "/"]);
    assert.deepEqual([cmds[1]!.head.start.line, cmds[1]!.head.start.column], [8, 14]);
  });
});
