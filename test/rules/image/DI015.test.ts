import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI015.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const BASE = "org.opencontainers.image.base.name";

describe("DI015", () => {
  checkCases(check, {
    fires: [
      { name: "annotation with latest", annotations: { [BASE]: "docker.io/library/alpine:latest" }, expect: [`: the base image docker.io/library/alpine:latest is taken by its latest tag (annotation ${BASE})`] },
      { name: "label without a tag", config: { ...QUIET_CONFIG, Labels: { [BASE]: "debian" } }, expect: [`: the base image debian has no tag (so latest) (label ${BASE})`] },
      { name: "FROM in the history", history: ["FROM --platform=linux/amd64 node:latest", "COPY . /app # buildkit"], layers: [[], []], expect: [": the base image node:latest is taken by its latest tag (history step 0)"] },
    ],
    silent: [
      { name: "a version tag", annotations: { [BASE]: "docker.io/library/alpine:3.20" } },
      { name: "latest with a digest", annotations: { [BASE]: "alpine:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" } },
      { name: "a registry port is not a tag", config: { ...QUIET_CONFIG, Labels: { [BASE]: "registry:5000/base:1.2" } } },
    ],
  });
});
