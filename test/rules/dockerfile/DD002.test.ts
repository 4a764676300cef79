import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD002.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const DIGEST = "sha256:4f53e2564790c8e7856ec08e384732aa38dc43c52f02952483e3f003afbf23db";

describe("DD002", () => {
  ruleCases(rule, {
    fires: [
      { name: "tagged base", dockerfile: "FROM debian:12\n", at: [[1, 6, 1, 15]], messages: ['"debian:12" is not pinned by digest: the tag can be moved to other content; use debian:12@sha256:<digest>'] },
      { name: "untagged base", dockerfile: "FROM alpine\n", at: [[1, 6, 1, 12]] },
      { name: "registry with a port", dockerfile: "FROM localhost:5000/team/app:1.2\n", at: [[1, 6, 1, 33]] },
      { name: "with --platform", dockerfile: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n", at: [[1, 32, 1, 43]] },
      {
        name: "every stage pulls, build stages too",
        dockerfile: "FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n",
        at: [[1, 6, 1, 17], [3, 6, 3, 39]],
      },
      { name: "ARG default expanded", dockerfile: "ARG NODE=22\nFROM node:${NODE}-slim\n", at: [[2, 6, 2, 23]], messages: ['"node:22-slim"'] },
      { name: "an ARG holding a tag only", dockerfile: "ARG BASE=debian:12\nFROM $BASE\n", at: [[2, 6, 2, 11]], messages: ['"debian:12"'] },
      { name: "COPY --from an image", dockerfile: `FROM debian:12@${DIGEST}\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n`, at: [[2, 13, 2, 23]], messages: ['"nginx:1.27"'] },
      { name: "RUN --mount from an image", dockerfile: `FROM debian:12@${DIGEST}\nRUN --mount=type=bind,from=busybox:1.36,target=/bb /bb/bin/true\n`, at: [[2, 5, 2, 51]], messages: ['"busybox:1.36"'] },
      { name: "COPY --from a stage name defined later is an image", dockerfile: `FROM debian:12@${DIGEST}\nCOPY --from=later /x /x\nFROM debian:12@${DIGEST} AS later\n`, at: [[2, 13, 2, 18]] },
    ],
    silent: [
      { name: "pinned by digest", dockerfile: `FROM debian@${DIGEST}\n` },
      { name: "tag and digest", dockerfile: `FROM debian:12@${DIGEST}\n` },
      { name: "digest from an ARG", dockerfile: `ARG DEBIAN=debian:12@${DIGEST}\nFROM \${DEBIAN}\n` },
      { name: "scratch", dockerfile: "FROM scratch\nCOPY app /app\n" },
      { name: "an earlier stage", dockerfile: `FROM debian:12@${DIGEST} AS base\nFROM base\nFROM BASE\n` },
      { name: "ARG without default is decided at build time", dockerfile: "ARG BASE\nFROM ${BASE}\n" },
      { name: "COPY --from a stage by name or index", dockerfile: `FROM debian:12@${DIGEST} AS build\nRUN make\nFROM debian:12@${DIGEST}\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n` },
      { name: "RUN --mount from a stage, and a cache mount", dockerfile: `FROM debian:12@${DIGEST} AS deps\nFROM debian:12@${DIGEST}\nRUN --mount=type=bind,from=deps,target=/d --mount=type=cache,target=/root/.cache true\n` },
      { name: "image names in RUN text are not pulls", dockerfile: `FROM debian:12@${DIGEST}\nRUN echo "FROM debian:12" # FROM alpine\n` },
      { name: "ONBUILD COPY --from is the child's business", dockerfile: `FROM debian:12@${DIGEST}\nONBUILD COPY --from=nginx:1.27 /x /x\n` },
    ],
  });
});
