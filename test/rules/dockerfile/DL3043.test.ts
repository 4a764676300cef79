import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3043.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3043", () => {
  ruleCases(rule, {
    fires: [
      { name: "ONBUILD FROM", dockerfile: `${FROM}ONBUILD FROM alpine:3.20\n`, at: [[2, 9, 2, 13]], messages: ["FROM is not allowed inside ONBUILD"] },
      { name: "ONBUILD MAINTAINER, any case", dockerfile: `${FROM}onbuild maintainer me@example.com\n`, at: [[2, 9, 2, 19]] },
      { name: "ONBUILD ONBUILD", dockerfile: `${FROM}ONBUILD ONBUILD RUN make\n`, at: [[2, 9, 2, 16]], messages: ["cannot be chained"] },
    ],
    silent: [
      { name: "ordinary triggers", dockerfile: `${FROM}ONBUILD COPY . /app/\nONBUILD RUN make\nONBUILD ENV A=1\n` },
      { name: "FROM and MAINTAINER outside ONBUILD", dockerfile: `${FROM}MAINTAINER me\nFROM debian:12\n` },
    ],
  });
});
