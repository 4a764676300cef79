import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI020.ts";
import { checkCases, QUIET_CONFIG } from "./helpers.ts";

const ports = (...p: string[]) => ({ ...QUIET_CONFIG, ExposedPorts: Object.fromEntries(p.map((x) => [x, {}])) });

describe("DI020", () => {
  checkCases(check, {
    fires: [{ name: "22/tcp", config: ports("80/tcp", "22/tcp"), expect: [": port 22/tcp (SSH) is exposed"] }],
    silent: [{ name: "other ports, 22 over UDP, 2222", config: ports("80/tcp", "22/udp", "2222/tcp", "222/tcp") }],
  });
});
