import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI002.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const { Healthcheck: _, ...NO_HEALTHCHECK } = QUIET_CONFIG;

describe("DI002", () => {
  checkCases(check, {
    fires: [
      { name: "no Healthcheck", config: NO_HEALTHCHECK, expect: [": no HEALTHCHECK is defined"] },
      { name: "HEALTHCHECK NONE", config: { ...QUIET_CONFIG, Healthcheck: { Test: ["NONE"] } }, expect: [": HEALTHCHECK NONE switches the health check off"] },
    ],
    silent: [
      { name: "CMD", config: QUIET_CONFIG },
      { name: "CMD-SHELL", config: { ...QUIET_CONFIG, Healthcheck: { Test: ["CMD-SHELL", "curl -f localhost || exit 1"], Interval: 30e9 } } },
    ],
  });
});
