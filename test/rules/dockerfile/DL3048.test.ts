import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3048.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3048", () => {
  ruleCases(rule, {
    fires: [
      { name: "upper-case letter", dockerfile: FROM + "LABEL Maintainer=jane\n", at: [[2, 7, 2, 17]], messages: ['"Maintainer": must start with a lower-case letter'] },
      { name: "reserved namespace", dockerfile: FROM + "LABEL com.docker.thing=1\n", at: [[2, 7, 2, 23]], messages: ['reserved namespace "com.docker."'] },
      { name: "consecutive separators, quoted key", dockerfile: FROM + 'LABEL "org..example"=1\n', at: [[2, 7, 2, 21]], messages: ['contains ".."'] },
      { name: "double hyphen", dockerfile: FROM + "LABEL org.ex--ample=1\n", at: [[2, 7, 2, 20]] },
      { name: "ends with a separator", dockerfile: FROM + "LABEL org.example.=1\n", at: [[2, 7, 2, 19]], messages: ["must end with a lower-case letter or a digit"] },
      { name: "illegal character", dockerfile: FROM + "LABEL org.exa:mple=1\n", at: [[2, 7, 2, 19]], messages: ['contains ":"'] },
      { name: "second pair of several", dockerfile: FROM + "LABEL a=1 B=2 c=3\n", at: [[2, 11, 2, 12]] },
      { name: "legacy key value form", dockerfile: FROM + "LABEL Version 1.0\n", at: [[2, 7, 2, 14]] },
      { name: "key from an ARG with a default", dockerfile: FROM + "ARG KEY=Bad\nLABEL ${KEY}=1\n", at: [[3, 7, 3, 13]], messages: ['"Bad"'] },
      { name: "ONBUILD LABEL", dockerfile: FROM + "ONBUILD LABEL io.docker.x=1\n", at: [[2, 15, 2, 26]] },
      { name: "every stage", dockerfile: "FROM debian:12 AS build\nLABEL X=1\nFROM debian:12\nLABEL y=1\n", at: [[2, 7, 2, 8]] },
    ],
    silent: [
      { name: "reverse-DNS keys", dockerfile: FROM + "LABEL org.opencontainers.image.source=x org.opencontainers.image.version=1\n" },
      { name: "underscore and slash allowed", dockerfile: FROM + "LABEL my.label/with_underscore=x\n" },
      { name: "single letter and digits", dockerfile: FROM + "LABEL a=1 a1=2 v2.0=3\n" },
      { name: "key from an ARG without a value", dockerfile: FROM + "ARG KEY\nLABEL ${KEY}=1\n" },
      { name: "upper-case value is fine", dockerfile: FROM + "LABEL org.example=VALUE\n" },
      { name: "not a label", dockerfile: FROM + "ENV Foo=1\n" },
    ],
  });
});
