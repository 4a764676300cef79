import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3018.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM alpine:3.20\n";
describe("DL3018", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "unpinned package", dockerfile: `${FROM}RUN apk add --no-cache curl\n`, at: [[2, 24, 2, 28]], messages: ['"curl" gets whatever version the repository has on build day; use curl=<version>'] },
      { name: "--virtual and -t values are not packages", dockerfile: `${FROM}RUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev && apk add -t .x bash\n`, at: [[2, 60, 2, 68], [2, 86, 2, 90]] },
      { name: "options before add", dockerfile: `${FROM}RUN apk --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing add jq\n`, at: [[2, 78, 2, 80]] },
      { name: "a repository tag is not a version", dockerfile: `${FROM}RUN apk add --no-cache py3-pip@edge\n`, at: [[2, 24, 2, 36]] },
      // docker-library/postgres 16/alpine3.22 and moby/moby libnetwork/cmd/ssd: package lists in ENV.
      { name: "each package of an unquoted variable, on the variable", dockerfile: `${FROM}ENV DOCKER_PG_LLVM_DEPS \\\n\t\tllvm19-dev \\\n\t\tclang19\nRUN apk add --no-cache --virtual .build-deps \\\n\t\t$DOCKER_PG_LLVM_DEPS \\\n\t\tbison=3.8.2-r1\n`,
        at: [[6, 3, 6, 23], [6, 3, 6, 23]], messages: ['"llvm19-dev" gets', '"clang19" gets'] },
      { name: "a quoted multi-line ENV list", dockerfile: `${FROM}ENV PACKAGES="\\\n    musl \\\n    linux-headers=6.6-r0 \\\n"\nRUN echo \\\n    && apk add --no-cache $PACKAGES \\\n    && echo\n`,
        at: [[7, 27, 7, 36]], messages: ['"musl"'] },
      { name: "in sh -c", dockerfile: `${FROM}RUN sh -c 'apk add --no-cache git'\n`, at: [[2, 31, 2, 34]] },
    ],
    silent: [
      { name: "every package of an unquoted variable pinned", dockerfile: `${FROM}ENV DEPS="curl=8.9.1-r0 gcc~13"\nRUN apk add --no-cache $DEPS\n` },
      { name: "=", dockerfile: `${FROM}RUN apk add --no-cache curl=8.9.1-r0\n` },
      { name: "~, >, <", dockerfile: `${FROM}RUN apk add --no-cache "gcc~13" "musl>1.2" "bash<6"\n` },
      { name: ".apk file", dockerfile: `${FROM}RUN apk add --allow-untrusted /tmp/pkg-1.0-r0.apk\n` },
      { name: "ENV version", dockerfile: `${FROM}ENV CURL=8.9.1-r0\nRUN apk add --no-cache curl=$CURL\n` },
      { name: "unknown variable", dockerfile: `${FROM}RUN apk add --no-cache $DEPS\n` },
      { name: "apk del", dockerfile: `${FROM}RUN apk del .build-deps\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "apk add curl"\n` },
    ],
  });
});
