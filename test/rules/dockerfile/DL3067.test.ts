import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3067.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const BUILD = "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n";
describe("DL3067", () => {
  ruleCases(rule, {
    fires: [
      { name: "root to root", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build / /\n`, at: [[4, 19, 4, 20]], messages: ["from build"] },
      { name: "quoted, from an image", dockerfile: `FROM debian:12\nCOPY --from=busybox:1.36 "/" "/"\n`, at: [[2, 26, 2, 29]] },
      { name: "a stage on a distribution, built FROM another stage", dockerfile: `${BUILD}FROM build AS more\nFROM debian:12\nCOPY --from=more / /\n`, at: [[5, 18, 5, 19]] },
      { name: "a later stage named like the source is not the source", dockerfile: "FROM debian:12\nCOPY --from=out / /\nFROM scratch AS out\n", at: [[2, 17, 2, 18]] },
      { name: "an image from another registry that happens to be named xx", dockerfile: "FROM example.com/tonistiigi/xx AS xx\nFROM debian:12\nCOPY --from=xx / /\n", at: [[3, 16, 3, 17]] },
      { name: "JSON form", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build ["/", "/"]\n`, at: [[4, 20, 4, 23]] },
    ],
    silent: [
      { name: "a directory", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build /out/ /\n` },
      { name: "root into a directory", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build / /rootfs/\n` },
      // moby/buildkit Dockerfile: outputs gathered in a FROM scratch stage, then copied whole.
      { name: "a stage FROM scratch", dockerfile: "FROM alpine:3.22 AS cni-plugins\nRUN mkdir -p /opt/cni/bin\nFROM scratch AS cni-plugins-export-squashed\nCOPY --from=cni-plugins /opt/cni/bin /\nFROM scratch AS binaries-linux\nCOPY --link --from=cni-plugins-export-squashed / /\n" },
      { name: "a stage built FROM a scratch stage, by index", dockerfile: "FROM scratch AS out\nCOPY app /app\nFROM out AS more\nCOPY lib /lib\nFROM debian:12\nCOPY --from=1 / /\n" },
      { name: "from the build context", dockerfile: "FROM debian:12\nCOPY / /\n" },
      // docker/buildx, moby/moby, containerd: BuildKit's cross-compilation helpers, a FROM scratch image, copied whole.
      { name: "tonistiigi/xx, through an ARG-tagged stage", dockerfile: "ARG XX_VERSION=1.6.1\nFROM --platform=$BUILDPLATFORM tonistiigi/xx:${XX_VERSION} AS xx\nFROM golang:1.22-alpine AS base\nCOPY --from=xx / /\n" },
      { name: "docker/buildx-bin named directly", dockerfile: "FROM debian:12\nCOPY --from=docker/buildx-bin:0.19 / /usr/libexec/docker/cli-plugins/\nCOPY --from=docker.io/docker/buildx-bin / /\n" },
    ],
  });
});
