import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3011.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3011", () => {
  ruleCases(rule, {
    fires: [
      { name: "port above 65535", dockerfile: `${FROM}EXPOSE 80 80800\n`, at: [[2, 11, 2, 16]], messages: ["80800 is above 65535"] },
      { name: "with a protocol", dockerfile: `${FROM}EXPOSE 65536/udp\n`, at: [[2, 8, 2, 17]] },
      { name: "end of a range", dockerfile: `${FROM}EXPOSE 8000-70000\n`, at: [[2, 8, 2, 18]], messages: ["70000"] },
      { name: "range that runs backwards", dockerfile: `${FROM}EXPOSE 9000-8000\n`, at: [[2, 8, 2, 17]], messages: ["runs backwards"] },
      { name: "not a number", dockerfile: `${FROM}EXPOSE http\n`, at: [[2, 8, 2, 12]], messages: ["not a port number"] },
      { name: "unknown protocol", dockerfile: `${FROM}EXPOSE 80/tpc\n`, at: [[2, 8, 2, 14]], messages: ['"tpc"'] },
      { name: "value of an ARG", dockerfile: `${FROM}ARG PORT=99999\nEXPOSE \${PORT}\n`, at: [[3, 8, 3, 15]], messages: ['"99999"'] },
      { name: "one of several ports in an ENV", dockerfile: `${FROM}ENV PORTS="80 443 100000"\nEXPOSE $PORTS\n`, at: [[3, 8, 3, 14]], messages: ['"100000"'] },
      { name: "ONBUILD EXPOSE", dockerfile: `${FROM}ONBUILD EXPOSE 70000\n`, at: [[2, 16, 2, 21]] },
    ],
    silent: [
      { name: "valid ports, ranges and protocols", dockerfile: `${FROM}EXPOSE 0 80 443/tcp 53/udp 9000-9010 5000-5001/sctp 65535 8080/TCP\n` },
      { name: "variable without a value", dockerfile: `${FROM}ARG PORT\nEXPOSE $PORT\n` },
      { name: "ARG with a valid default", dockerfile: `${FROM}ARG PORT=8080\nEXPOSE $PORT/tcp\n` },
      { name: "host mapping (another check's business)", dockerfile: `${FROM}EXPOSE 8080:80\n` },
      { name: "quoted", dockerfile: `${FROM}EXPOSE "8080"\n` },
    ],
  });
});
