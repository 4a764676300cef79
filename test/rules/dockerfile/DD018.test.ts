import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD018.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const ALL = 'LABEL org.opencontainers.image.source="https://github.com/example/app" org.opencontainers.image.revision="0123abc" org.opencontainers.image.created="2024-05-01T00:00:00Z"\n';

describe("DD018", () => {
  ruleCases(rule, {
    fires: [
      {
        name: "no labels at all",
        dockerfile: "FROM debian:12\nCMD [\"app\"]\n",
        at: [[1, 6, 1, 15]],
        messages: ["no org.opencontainers.image.source, org.opencontainers.image.revision, org.opencontainers.image.created labels"],
      },
      {
        name: "only the source",
        dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/example/app\n",
        at: [[1, 6, 1, 15]], messages: ["no org.opencontainers.image.revision, org.opencontainers.image.created labels"],
      },
      {
        name: "an empty value counts as missing",
        dockerfile: 'FROM debian:12\nLABEL org.opencontainers.image.source="https://github.com/example/app" org.opencontainers.image.revision="" org.opencontainers.image.created=2024-05-01\n',
        at: [[1, 6, 1, 15]], messages: ["no org.opencontainers.image.revision label:"],
      },
      {
        name: "a variable not declared in the stage is always empty",
        dockerfile: 'ARG REVISION=abc\nFROM debian:12\nLABEL org.opencontainers.image.source="https://github.com/example/app" org.opencontainers.image.revision=$REVISION org.opencontainers.image.created=2024-05-01\n',
        at: [[2, 6, 2, 15]], messages: ["no org.opencontainers.image.revision label"],
      },
      {
        name: "a later empty label overrides an earlier one",
        dockerfile: "FROM debian:12 AS base\n" + ALL + 'FROM base\nLABEL org.opencontainers.image.created=""\n',
        at: [[3, 6, 3, 10]], messages: ["no org.opencontainers.image.created label"],
      },
      {
        name: "labels of a build stage are not the image's",
        dockerfile: "FROM debian:12 AS build\n" + ALL + "FROM debian:12\nCOPY --from=build /a /a\n",
        at: [[3, 6, 3, 15]],
      },
      {
        name: "ONBUILD LABEL labels the child image",
        dockerfile: "FROM debian:12\nONBUILD " + ALL,
        at: [[1, 6, 1, 15]],
      },
    ],
    silent: [
      { name: "all three", dockerfile: "FROM debian:12\n" + ALL },
      { name: "inherited from the stage the target is built FROM", dockerfile: "FROM debian:12 AS base\n" + ALL + "FROM base\nRUN true\n" },
      {
        name: "values from build args declared without default",
        dockerfile: "FROM debian:12\nARG SOURCE=https://github.com/example/app\nARG REVISION\nARG CREATED\nLABEL org.opencontainers.image.source=$SOURCE \\\n  org.opencontainers.image.revision=${REVISION} \\\n  org.opencontainers.image.created=\"${CREATED}\"\n",
      },
      {
        name: "quoted keys, legacy form and separate LABELs",
        dockerfile: 'FROM debian:12\nLABEL "org.opencontainers.image.source"="https://github.com/example/app"\nLABEL org.opencontainers.image.revision 0123abc\nLABEL org.opencontainers.image.created=2024-05-01\n',
      },
      {
        name: "build args given on the command line",
        dockerfile: "FROM debian:12\nARG REV=\nLABEL org.opencontainers.image.source=s org.opencontainers.image.revision=$REV org.opencontainers.image.created=c\n",
        options: { buildArgs: { REV: "0123abc" } },
      },
    ],
  });
});
