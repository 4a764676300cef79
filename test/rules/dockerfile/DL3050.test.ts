import { describe } from "node:test";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3050.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const STRICT: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { "org.opencontainers.image.version": "semver" }, strictLabels: true } };
const LOOSE: RunOptions = { ruleOptions: { trustedRegistries: [], labelSchema: { "org.opencontainers.image.version": "semver" }, strictLabels: false } };

describe("DL3050", () => {
  ruleCases(rule, {
    fires: [
      { name: "label outside the schema", dockerfile: "FROM debian:12\nLABEL team=payments\n", at: [[2, 7, 2, 11]], messages: ["`team` is not in the label schema"], options: STRICT },
      { name: "only the extra one of several", dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.version=1.0.0 team=payments\n", at: [[2, 46, 2, 50]], options: STRICT },
      { name: "in any stage", dockerfile: "FROM debian:12 AS build\nLABEL x=1\nFROM debian:12\n", at: [[2, 7, 2, 8]], options: STRICT },
      { name: "empty schema, strict", dockerfile: "FROM debian:12\nLABEL a=1\n", at: [[2, 7, 2, 8]], options: { ruleOptions: { trustedRegistries: [], labelSchema: {}, strictLabels: true } } },
    ],
    silent: [
      { name: "strict-labels off", dockerfile: "FROM debian:12\nLABEL team=payments\n", options: LOOSE },
      { name: "default options", dockerfile: "FROM debian:12\nLABEL team=payments\n" },
      { name: "all in the schema", dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.version=1.0.0\n", options: STRICT },
      { name: "quoted key in the schema", dockerfile: 'FROM debian:12\nLABEL "org.opencontainers.image.version"="1.0.0"\n', options: STRICT },
      { name: "key from an unknown variable", dockerfile: "FROM debian:12\nARG K\nLABEL $K=1\n", options: STRICT },
    ],
  });
});
