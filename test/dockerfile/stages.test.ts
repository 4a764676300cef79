import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerfile } from "../../src/dockerfile/parse.ts";
import { buildStageGraph, type StageOptions } from "../../src/dockerfile/stages.ts";

const graph = (text: string, options?: StageOptions) => {
  const model = parseDockerfile(text);
  return { model, g: buildStageGraph(model, options) };
};

describe("stage graph", () => {
  test("stages, names, bases and the default target", () => {
    const { g } = graph("FROM golang:1.22 AS Build\nRUN go build\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n");
    assert.deepEqual(g.stages.map((s) => [s.name, s.base.kind]), [["Build", "image"], ["test", "stage"], [undefined, "scratch"]]);
    assert.equal(g.target?.index, 2);
    assert.deepEqual([...g.reachable].sort(), [0, 2]);
    assert.deepEqual(g.targetChain.map((s) => s.index), [2]);
    assert.equal(g.stageByName("BUILD")?.index, 0);
  });

  test("dependencies through COPY --from (name or index) and RUN --mount from=", () => {
    const { g } = graph("FROM a:1 AS one\nFROM a:1 AS two\nFROM a:1 AS three\nFROM a:1\nCOPY --from=0 /x /x\nRUN --mount=type=bind,from=two,target=/t make\nCOPY --from=nginx:1 /y /y\n");
    assert.deepEqual([...(g.stages[3]?.dependsOn ?? [])].sort(), [0, 1]);
    assert.deepEqual([...g.reachable].sort(), [0, 1, 3]);
  });

  test("a --target picks the stage and its chain", () => {
    const { g } = graph("FROM a:1 AS base\nFROM base AS dev\nFROM a:1 AS prod\n", { target: "dev" });
    assert.equal(g.target?.name, "dev");
    assert.deepEqual(g.targetChain.map((s) => s.name), ["dev", "base"]);
  });

  test("global ARGs expand FROM; build args override defaults", () => {
    const text = "ARG REG=docker.io\nARG TAG=12\nFROM ${REG}/library/debian:${TAG}\n";
    assert.equal(graph(text).g.stages[0]?.image, "docker.io/library/debian:12");
    assert.equal(graph(text, { buildArgs: { TAG: "13" } }).g.stages[0]?.image, "docker.io/library/debian:13");
  });

  test("scopes: ARG redeclared without a value takes the global default; ENV inherits along FROM <stage>", () => {
    const { model, g } = graph("ARG V=1\nFROM a:1 AS base\nARG V\nENV HOME=/home/app\nRUN echo $V\nFROM base\nRUN echo $HOME $V\n");
    const runs = model.instructions.filter((i) => i.kind === "run");
    assert.equal(g.expand(runs[0]!, "$V").value, "1");
    assert.equal(g.expand(runs[1]!, "$HOME").value, "/home/app");
    const second = g.expand(runs[1]!, "$V");
    assert.deepEqual([second.value, second.references[0]?.set], ["", false], "ARGs do not carry over to the next stage");
  });

  test("one ENV's values are expanded with the scope before it, as BuildKit does", () => {
    const { model, g } = graph("FROM a:1\nENV A=1\nENV A=2 B=$A\nRUN x\n");
    const run = model.instructions[3]!;
    assert.equal(g.expand(run, "$B").value, "1");
    assert.equal(g.expand(run, "$A").value, "2");
  });

  test("an instruction sees the scope before its own effect; ONBUILD inner uses its wrapper's", () => {
    const { model, g } = graph("FROM a:1\nENV X=1\nENV X=2\nONBUILD RUN echo $X\n");
    const [, env1, env2, onbuild] = model.instructions;
    assert.equal(g.expand(env1!, "$X").value, "");
    assert.equal(g.expand(env2!, "$X").value, "1");
    assert.ok(onbuild?.kind === "onbuild" && onbuild.inner !== undefined);
    assert.equal(g.expand(onbuild.inner, "$X").value, "2");
    assert.equal(g.stageOf(onbuild.inner)?.index, 0);
  });

  test("platform ARGs are known in FROM without a declaration", () => {
    const { model, g } = graph("FROM --platform=$BUILDPLATFORM a:1\n");
    const ref = g.expand(model.instructions[0]!, "$BUILDPLATFORM").references[0];
    assert.equal(ref?.name, "BUILDPLATFORM");
  });
});
