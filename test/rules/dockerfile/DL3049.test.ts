import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3049.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const schema = (labelSchema: Record<string, string>): RunOptions => ({ ruleOptions: { trustedRegistries: [], labelSchema, strictLabels: false } });
const SOURCE = schema({ "org.opencontainers.image.source": "url" });
const TWO = schema({ "org.opencontainers.image.source": "url", maintainer: "text" });

describe("DL3049", () => {
  ruleCases(rule, {
    fires: [
      { name: "no LABEL at all", dockerfile: "FROM debian:12\nRUN true\n", at: [[1, 1, 1, 5]], messages: ["Label `org.opencontainers.image.source` is missing"], options: SOURCE },
      { name: "each missing label", dockerfile: "FROM debian:12\nLABEL other=1\n", at: [[1, 1, 1, 5], [1, 1, 1, 5]], messages: ["source", "maintainer"], options: TWO },
      { name: "one of two present", dockerfile: "FROM debian:12\nLABEL maintainer=jane\n", at: [[1, 1, 1, 5]], messages: ["source"], options: TWO },
      { name: "at the target stage, label only in a stage copied from", dockerfile: "FROM debian:12 AS build\nLABEL org.opencontainers.image.source=https://x.example\nFROM debian:12\nCOPY --from=build /a /a\n", at: [[3, 1, 3, 5]], options: SOURCE },
      { name: "ONBUILD LABEL labels child images only", dockerfile: "FROM debian:12\nONBUILD LABEL org.opencontainers.image.source=https://x.example\n", at: [[1, 1, 1, 5]], options: SOURCE },
      { name: "the --target stage", dockerfile: "FROM debian:12 AS app\nRUN true\nFROM debian:12\nLABEL org.opencontainers.image.source=https://x.example\n", at: [[1, 1, 1, 5]], options: { ...SOURCE, target: "app" } },
    ],
    silent: [
      { name: "no schema", dockerfile: "FROM debian:12\nRUN true\n" },
      { name: "present", dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.source=https://x.example\n", options: SOURCE },
      { name: "quoted key", dockerfile: 'FROM debian:12\nLABEL "org.opencontainers.image.source"="https://x.example"\n', options: SOURCE },
      { name: "inherited from the base stage", dockerfile: "FROM debian:12 AS base\nLABEL org.opencontainers.image.source=https://x.example\nFROM base\nRUN true\n", options: SOURCE },
      { name: "stages outside the target need none", dockerfile: "FROM debian:12 AS test\nRUN true\nFROM debian:12\nLABEL org.opencontainers.image.source=https://x.example\n", options: SOURCE },
      { name: "empty value still present (DL3051's business)", dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.source=\n", options: SOURCE },
    ],
  });
});
