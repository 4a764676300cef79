import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/ExposeInvalidFormat.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("ExposeInvalidFormat", () => {
  ruleCases(rule, {
    fires: [
      { name: "IP and host port", dockerfile: "FROM alpine\nEXPOSE 127.0.0.1:80:80\n", at: [[2, 8, 2, 23]], messages: ["EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'"] },
      { name: "host port", dockerfile: "FROM alpine\nEXPOSE 80:80\n", at: [[2, 8, 2, 13]], messages: ["found '80:80'"] },
      { name: "among valid ports", dockerfile: "FROM alpine\nEXPOSE 80 8080:80/udp 443\n", at: [[2, 11, 2, 22]] },
      { name: "IPv6 address", dockerfile: "FROM alpine\nEXPOSE [::1]:80:80/tcp\n", at: [[2, 8, 2, 23]] },
      { name: "reported even when the host port is invalid (the build then stops)", dockerfile: "FROM alpine\nEXPOSE x:80 81:81\n", at: [[2, 8, 2, 12]] },
      { name: "from an ENV", dockerfile: "FROM alpine\nENV PORTS=8080:80\nEXPOSE $PORTS\n", at: [[3, 8, 3, 14]], messages: ["'8080:80'"] },
    ],
    silent: [
      { name: "port only", dockerfile: "FROM alpine\nEXPOSE 80\n" },
      { name: "ports with protocols and ranges", dockerfile: "FROM alpine\nEXPOSE 80/tcp 53/udp 7000-7010\n" },
      { name: "an invalid protocol stops the build before the check", dockerfile: "FROM alpine\nEXPOSE 80:80/http\n" },
      { name: "variable that expands to nothing", dockerfile: "FROM alpine\nARG P\nEXPOSE $P\n" },
    ],
  });
});
