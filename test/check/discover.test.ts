import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { discoverTargets, isDockerfileName, parseGitignore, runtimeKindOf } from "../../src/check/discover.ts";
import { renderInitConfig } from "../../src/check/init.ts";
import { parseConfig } from "../../src/core/config.ts";
import { tempTree } from "../helpers/cli.ts";

describe("discoverTargets", () => {
  const t = tempTree({
    ".gitignore": "# build output\n/build/\n*.log\ngenerated/\n!keep.log\n",
    "Dockerfile": "FROM alpine:3.20\n",
    ".dockerignore": ".git\n",
    "svc/api.Dockerfile": "FROM alpine:3.20\n",
    "svc/api.Dockerfile.dockerignore": "*\n",
    "svc/.dockerignore": "node_modules\n",
    "svc/Containerfile": "FROM alpine:3.20\n",
    "svc/Dockerfile.prod": "FROM alpine:3.20\n",
    "svc/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
    "deploy/app.yml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
    "deploy/chart/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n",
    ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: docker run --rm alpine:3.20 true\n",
    "scripts/run.sh": "#!/bin/sh\ndocker run --privileged alpine:3.20\n",
    "scripts/plain.sh": "#!/bin/sh\necho hello\n",
    "Makefile": "up:\n\tpodman run -d nginx:1.27\n",
    "README.md": "# x\n",
    "drydock.yaml": "images:\n  - docker://registry.example/app:1\n",
    "web/package-lock.json": '{"lockfileVersion": 3, "packages": {}}\n',
    "web/node_modules/x/package-lock.json": "{}\n",
    "web/node_modules/x/Dockerfile": "FROM alpine\n",
    "api/requirements.txt": "flask==3.0.3\n",
    "vendor/Dockerfile": "FROM alpine\n",
    "build/Dockerfile": "FROM alpine\n",
    "generated/compose.yaml": "services: {}\n",
    "keep.log": "docker run alpine:3.20\n",
    "out.log": "docker run alpine:3.20\n",
  });
  after(t.cleanup);

  test("Dockerfiles by every naming convention, with the ignore file BuildKit would read", async () => {
    const found = await discoverTargets(t.dir);
    assert.deepEqual(found.dockerfiles, [
      { file: "Dockerfile", context: ".", dockerignore: ".dockerignore" },
      { file: "svc/Containerfile", context: "svc", dockerignore: "svc/.dockerignore" },
      { file: "svc/Dockerfile.prod", context: "svc", dockerignore: "svc/.dockerignore" },
      { file: "svc/api.Dockerfile", context: "svc", dockerignore: "svc/api.Dockerfile.dockerignore" },
    ]);
  });

  test("runtime inputs: compose, Kubernetes, CI YAML and scripts with run lines; not Helm templates or drydock.yaml", async () => {
    const found = await discoverTargets(t.dir);
    assert.deepEqual(found.runtime, [
      { file: ".github/workflows/ci.yml", kind: "script" },
      { file: "Makefile", kind: "script" },
      { file: "deploy/app.yml", kind: "kubernetes" },
      { file: "scripts/run.sh", kind: "script" },
      { file: "svc/compose.yaml", kind: "compose" },
    ]);
  });

  test("lockfiles with the catalogers that read them; node_modules, vendor and .gitignored paths skipped", async () => {
    const found = await discoverTargets(t.dir);
    assert.deepEqual(found.lockfiles, [
      { file: "api/requirements.txt", catalogers: ["python-requirements"] },
      { file: "web/package-lock.json", catalogers: ["npm-lock"] },
    ]);
    const all = [...found.dockerfiles, ...found.runtime, ...found.lockfiles].map((x) => x.file);
    for (const skipped of ["vendor/Dockerfile", "build/Dockerfile", "generated/compose.yaml", "web/node_modules/x/Dockerfile"]) {
      assert.ok(!all.includes(skipped), skipped);
    }
    assert.deepEqual(found.notes, []);
  });

  test("a missing directory and a file are input errors, not crashes", async () => {
    await assert.rejects(discoverTargets(`${t.dir}/nope`), { name: "DrydockError", code: "INPUT_UNREADABLE" });
    await assert.rejects(discoverTargets(`${t.dir}/Dockerfile`), { name: "DrydockError", code: "USAGE" });
  });

  test("init lists the targets in a config that parses, with the defaults it promises", async () => {
    const text = renderInitConfig(await discoverTargets(t.dir));
    assert.match(text, /^#     svc\/api\.Dockerfile$/m);
    assert.match(text, /^#     web\/package-lock\.json$/m);
    const config = parseConfig(text, "drydock.yaml");
    assert.equal(config.failureThreshold, "warning");
    assert.deepEqual(config.images, []);
    assert.deepEqual(config.scan?.ignore, []);
  });
});

describe("names and kinds", () => {
  test("Dockerfile names", () => {
    for (const yes of ["Dockerfile", "dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.prod", "x.containerfile"]) assert.ok(isDockerfileName(yes), yes);
    for (const no of ["Dockerfile.dockerignore", "api.Dockerfile.dockerignore", "Dockerfiles", "README.md"]) assert.ok(!isDockerfileName(no), no);
  });

  test("runtime kinds from name and content", () => {
    assert.equal(runtimeKindOf("docker-compose.prod.yml", "version: '3'\n"), "compose");
    assert.equal(runtimeKindOf("x.yaml", "services:\n  a: {}\n"), "compose");
    assert.equal(runtimeKindOf("k.yaml", "---\napiVersion: apps/v1\nkind: Deployment\n"), "kubernetes");
    assert.equal(runtimeKindOf("notes.md", "no containers here\n"), undefined);
    assert.equal(runtimeKindOf("notes.md", "run `docker run alpine`\n"), "script");
    assert.equal(runtimeKindOf(".drydock.yaml", "services:\n"), undefined);
  });

  test(".gitignore: anchoring, directory-only patterns, ** and negation, last match wins", () => {
    const ignored = parseGitignore("/build\ncache/\n**/tmp/*.txt\n*.log\n!important.log\nsrc/**/gen\n");
    assert.ok(ignored("build", true));
    assert.ok(!ignored("app/build", true), "a leading slash anchors at the root");
    assert.ok(ignored("a/b/cache", true));
    assert.ok(!ignored("a/b/cache", false), "a trailing slash matches directories only");
    assert.ok(ignored("tmp/x.txt", false) && ignored("a/tmp/x.txt", false));
    assert.ok(ignored("deep/x.log", false));
    assert.ok(!ignored("deep/important.log", false));
    assert.ok(ignored("src/gen", true) && ignored("src/a/b/gen", true));
    assert.ok(!ignored("other/gen", true));
  });
});
