import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3057.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3057", () => {
  ruleCases(rule, {
    fires: [
      { name: "no HEALTHCHECK", dockerfile: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n", at: [[1, 1, 1, 5]], messages: ["`HEALTHCHECK` instruction missing: the image built by stage 0 has none"] },
      { name: "only in a build stage", dockerfile: "FROM debian:12 AS build\nHEALTHCHECK CMD true\nFROM nginx:1.27 AS web\nCOPY --from=build /a /a\n", at: [[3, 1, 3, 5]], messages: ['stage "web"'] },
      { name: "ONBUILD HEALTHCHECK is for child images", dockerfile: "FROM nginx:1.27\nONBUILD HEALTHCHECK CMD true\n", at: [[1, 1, 1, 5]] },
      { name: "lower-case keyword", dockerfile: "from nginx:1.27\nrun true\n", at: [[1, 1, 1, 5]] },
    ],
    silent: [
      { name: "HEALTHCHECK CMD", dockerfile: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n" },
      { name: "HEALTHCHECK NONE is a decision", dockerfile: "FROM nginx:1.27\nHEALTHCHECK NONE\n" },
      { name: "inherited from the base stage", dockerfile: "FROM nginx:1.27 AS base\nHEALTHCHECK CMD true\nFROM base\nRUN true\n" },
      { name: "stages outside the target", dockerfile: "FROM debian:12 AS test\nRUN true\nFROM nginx:1.27\nHEALTHCHECK CMD true\n" },
    ],
  });
});
