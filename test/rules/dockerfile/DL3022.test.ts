import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3022.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const BUILD = "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n";
describe("DL3022", () => {
  ruleCases(rule, {
    fires: [
      { name: "typo in a stage name", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=biuld /out/app /app\n`, at: [[4, 13, 4, 18]], messages: ['no stage is named "biuld"'] },
      { name: "stage defined later", dockerfile: `FROM debian:12\nCOPY --from=build /out/app /app\n${BUILD}`, at: [[2, 13, 2, 18]], messages: ["defined after this COPY, on line 3"] },
      { name: "index of a later stage", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=2 /out/app /app\nFROM debian:12\n`, at: [[4, 13, 4, 14]], messages: ["no stage 2"] },
      { name: "variable (BuildKit does not expand it)", dockerfile: `ARG STAGE=build\n${BUILD}FROM debian:12\nCOPY --from=\${STAGE} /out/app /app\n`, at: [[5, 13, 5, 21]], messages: ["does not expand"] },
      { name: "bare word in the only stage", dockerfile: "FROM debian:12\nCOPY --from=builder /a /b\n", at: [[2, 13, 2, 20]] },
    ],
    silent: [
      { name: "earlier stage", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build /out/app /app\n` },
      { name: "earlier stage in another case", dockerfile: `FROM golang:1.22 AS Build\nFROM debian:12\nCOPY --from=build /out/app /app\n` },
      { name: "index of an earlier stage", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=0 /out/app /app\n` },
      { name: "image with a tag", dockerfile: "FROM debian:12\nCOPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/\n" },
      { name: "image with a registry and no tag", dockerfile: "FROM debian:12\nCOPY --from=docker.io/library/nginx /etc/nginx/nginx.conf /etc/nginx/\n" },
      { name: "image by digest", dockerfile: `FROM debian:12\nCOPY --from=nginx@sha256:${"0".repeat(64)} /a /b\n` },
      { name: "own stage is DL3023's", dockerfile: "FROM debian:12 AS app\nCOPY --from=app /a /b\n" },
      { name: "ONBUILD COPY refers to a later build", dockerfile: "FROM debian:12\nONBUILD COPY --from=builder /a /b\n" },
      { name: "quoted stage name", dockerfile: `${BUILD}FROM debian:12\nCOPY --from="build" /out/app /app\n` },
    ],
  });
});
