import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/ExposeProtoCasing.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("ExposeProtoCasing", () => {
  ruleCases(rule, {
    fires: [
      { name: "mixed case", dockerfile: "FROM alpine\nEXPOSE 80/TcP\n", at: [[2, 8, 2, 14]], messages: ["Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"] },
      { name: "only the upper-case ones", dockerfile: "FROM alpine\nEXPOSE 80/tcp 53/UDP 9/SCTP\n", at: [[2, 15, 2, 21], [2, 22, 2, 28]] },
      { name: "with a host port, the whole spec is quoted", dockerfile: "FROM alpine\nEXPOSE 8080:80/UDP\n", at: [[2, 8, 2, 19]], messages: ["'8080:80/UDP'"] },
      { name: "from a variable that expands to two ports", dockerfile: "FROM alpine\nARG P=\"90/Tcp 91/udp\"\nEXPOSE $P\n", at: [[3, 8, 3, 10]], messages: ["'90/Tcp'"] },
      { name: "port range", dockerfile: "FROM alpine\nEXPOSE 7000-7010/UDP\n", at: [[2, 8, 2, 21]] },
    ],
    silent: [
      { name: "lower case", dockerfile: "FROM alpine\nEXPOSE 80/tcp 53/udp\n" },
      { name: "no protocol", dockerfile: "FROM alpine\nEXPOSE 80\n" },
      { name: "an unknown protocol stops the build first", dockerfile: "FROM alpine\nEXPOSE 1/foo 2/TCP\n" },
      { name: "an invalid port stops the instruction", dockerfile: "FROM alpine\nEXPOSE 99999 2/TCP\n" },
    ],
  });
});
