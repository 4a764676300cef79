import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3060.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DL3060", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "yarn install", dockerfile: `${FROM}RUN yarn install --frozen-lockfile\n`, at: [[2, 10, 2, 17]], messages: ["yarn install leaves its package cache in the image"] },
      { name: "a bare yarn installs", dockerfile: `${FROM}RUN yarn --frozen-lockfile\n`, at: [[2, 5, 2, 9]], messages: ["yarn leaves"] },
      { name: "clean before the install", dockerfile: `${FROM}RUN yarn cache clean && yarn install\n`, at: [[2, 30, 2, 37]] },
      { name: "yarn add after the clean", dockerfile: `${FROM}RUN yarn install && yarn cache clean && yarn add left-pad@1.3.0\n`, at: [[2, 46, 2, 49]] },
      { name: "clean in a later RUN", dockerfile: `${FROM}RUN yarn install\nRUN yarn cache clean\n`, at: [[2, 10, 2, 17]] },
      { name: "in the stage the target is built FROM", dockerfile: `FROM node:22 AS deps\nRUN yarn install\nFROM deps\nCMD ["node", "x"]\n`, at: [[2, 10, 2, 17]] },
    ],
    silent: [
      { name: "cache clean after", dockerfile: `${FROM}RUN yarn install --frozen-lockfile && yarn cache clean\n` },
      { name: "cache clean --all (yarn 2+)", dockerfile: `${FROM}RUN yarn install --immutable && yarn cache clean --all\n` },
      { name: "cache mount on the yarn cache", dockerfile: `${FROM}RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n` },
      { name: "cache mount on a berry cache", dockerfile: `${FROM}RUN --mount=type=cache,target=/app/.yarn/cache yarn install --immutable\n` },
      { name: "cache mount on YARN_CACHE_FOLDER", dockerfile: `${FROM}ENV YARN_CACHE_FOLDER=/yc\nRUN --mount=type=cache,target=/yc yarn install\n` },
      { name: "rm of --cache-folder", dockerfile: `${FROM}RUN yarn install --cache-folder /tmp/yc && rm -rf /tmp/yc\n` },
      { name: "rm of the default cache", dockerfile: `${FROM}RUN yarn install && rm -rf /usr/local/share/.cache/yarn/*\n` },
      { name: "a build stage only copied from", dockerfile: `FROM node:22 AS build\nRUN yarn install && yarn build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n` },
      { name: "yarn --version is no install", dockerfile: `${FROM}RUN yarn --version && yarn -v\n` },
      { name: "yarn run", dockerfile: `${FROM}RUN yarn build\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "yarn install"\n` },
    ],
  });
});
