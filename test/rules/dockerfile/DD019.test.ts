import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD019.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";
import type { RunOptions } from "../../../src/core/run.ts";

const FROM = "FROM node:22-slim\nWORKDIR /app\n";
const ignoring = (text: string, files?: string[]): RunOptions => ({
  buildContext: { dockerignore: { file: ".dockerignore", text }, ...(files === undefined ? {} : { files }) },
});
const NO_IGNORE: RunOptions = { buildContext: { dockerignore: undefined } };

describe("DD019", () => {
  ruleCases(rule, {
    fires: [
      {
        name: "no .dockerignore", dockerfile: FROM + "COPY . .\n", options: NO_IGNORE,
        at: [[3, 6, 3, 7]], messages: ["COPY . copies the whole build context and there is no .dockerignore: .git and .env would be copied"],
      },
      {
        name: ".dockerignore without .env", dockerfile: FROM + "COPY . .\n", options: ignoring("node_modules\n.git\n"),
        at: [[3, 6, 3, 7]], messages: [".dockerignore does not exclude .env: add it"],
      },
      { name: "an exception re-includes part of .git", dockerfile: FROM + "COPY ./ /app/\n", options: ignoring(".git\n.env\n!.git/config\n"), at: [[3, 6, 3, 8]], messages: ["does not exclude .git:"] },
      { name: "* is the whole context too", dockerfile: FROM + "COPY * .\n", options: ignoring("*.md\n"), at: [[3, 6, 3, 7]] },
      { name: "ADD of the context root", dockerfile: FROM + "ADD . /app\n", options: NO_IGNORE, at: [[3, 5, 3, 6]] },
      { name: "the root as /", dockerfile: FROM + "COPY / /app\n", options: NO_IGNORE, at: [[3, 6, 3, 7]] },
      { name: "the root among other sources, in JSON form", dockerfile: FROM + 'COPY ["package.json", ".", "/app/"]\n', options: NO_IGNORE, at: [[3, 23, 3, 26]] },
      { name: "from an ARG", dockerfile: FROM + "ARG SRC=.\nCOPY ${SRC} .\n", options: NO_IGNORE, at: [[4, 6, 4, 12]] },
      { name: "in a build stage too", dockerfile: "FROM node:22 AS build\nCOPY . .\nRUN npm run build\nFROM nginx:1.27\nCOPY --from=build /dist /usr/share/nginx/html\n", options: NO_IGNORE, at: [[2, 6, 2, 7]] },
      {
        name: "known context files: only those present are named",
        dockerfile: FROM + "COPY . .\n", options: ignoring(".git\n.env\n", [".git/HEAD", ".env", "config/.env", "src/index.js"]),
        at: [[3, 6, 3, 7]], messages: ["does not exclude config/.env:"],
      },
      {
        name: "known files, no ignore file",
        dockerfile: FROM + "COPY . .\n", options: { buildContext: { dockerignore: undefined, files: ["src/index.js", ".env"] } },
        at: [[3, 6, 3, 7]], messages: ["there is no .dockerignore: .env is copied"],
      },
      {
        name: "each COPY of the root is reported", dockerfile: FROM + "COPY . .\nRUN npm ci\nCOPY . /srv\n", options: NO_IGNORE,
        at: [[3, 6, 3, 7], [5, 6, 5, 7]],
      },
      {
        name: "a Dockerfile-specific ignore file is named", dockerfile: FROM + "COPY . .\n",
        options: { buildContext: { dockerignore: { file: "app.Dockerfile.dockerignore", text: ".env\n" } } },
        at: [[3, 6, 3, 7]], messages: ["app.Dockerfile.dockerignore does not exclude .git"],
      },
    ],
    silent: [
      { name: "stdin: no build context", dockerfile: FROM + "COPY . .\n" },
      { name: "excludes both", dockerfile: FROM + "COPY . .\n", options: ignoring("# secrets\n.git\n.env\n*.pem\n") },
      { name: "with ** and globs", dockerfile: FROM + "COPY . . \n", options: ignoring("**/.git\n**/.env*\n") },
      { name: "everything excluded, sources re-included", dockerfile: FROM + "COPY . /app\n", options: ignoring("*\n!src\n!package.json\n") },
      { name: "COPY --exclude covers what the ignore file lacks", dockerfile: FROM + "COPY --exclude=.git --exclude=.env . .\n", options: ignoring("node_modules\n") },
      { name: "copying a subdirectory", dockerfile: FROM + "COPY src/ ./src/\nCOPY ./package.json .\n", options: NO_IGNORE },
      { name: "copying from a stage", dockerfile: "FROM node:22 AS build\nFROM node:22-slim\nCOPY --from=build . .\n", options: NO_IGNORE },
      { name: "ONBUILD COPY copies the child's context", dockerfile: FROM + "ONBUILD COPY . .\n", options: NO_IGNORE },
      { name: "a path that merely contains a dot", dockerfile: FROM + "COPY .npmrc ./.config/ ./\n", options: NO_IGNORE },
      { name: "known files with no .git and no .env", dockerfile: FROM + "COPY . .\n", options: { buildContext: { dockerignore: undefined, files: ["package.json", "src/index.js", ".env.example"] } } },
      { name: "a root in a RUN is no COPY", dockerfile: FROM + "RUN cp -r . /app # COPY . .\n", options: NO_IGNORE },
      { name: "a source from an ARG without default", dockerfile: FROM + "ARG SRC\nCOPY ${SRC} .\n", options: NO_IGNORE },
    ],
  });
});
