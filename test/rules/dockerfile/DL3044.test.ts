import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3044.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3044", () => {
  ruleCases(rule, {
    fires: [
      { name: "uses a variable set earlier in the same ENV", dockerfile: `${FROM}ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH\n`, at: [[2, 28, 2, 47]], messages: ['$APP_HOME in PATH expands to nothing (it is not set before this ENV), not to "/opt/app"'] },
      { name: "braced, on a continuation line", dockerfile: `${FROM}ENV A=1 \\\n    B=\${A}-x\n`, at: [[3, 7, 3, 13]] },
      { name: "with a default", dockerfile: `${FROM}ENV A=1 B=\${A:-0}\n`, at: [[2, 11, 2, 18]] },
      { name: "set before, changed here", dockerfile: `${FROM}ENV V=1\nENV V=2 W=$V\n`, at: [[3, 11, 3, 13]], messages: ['$V in W expands to "1" from before this ENV, not to "2"'] },
      { name: "set only later in the same ENV", dockerfile: `${FROM}ENV B=$A A=1\n`, at: [[2, 7, 2, 9]], messages: ["set only later"] },
      { name: "ARG without a default, changed here", dockerfile: `${FROM}ARG V\nENV V=1.0 URL=https://example.com/$V\n`, at: [[3, 15, 3, 37]], messages: ["its value from before this ENV"] },
      { name: "ONBUILD ENV", dockerfile: `${FROM}ONBUILD ENV A=1 B=$A\n`, at: [[2, 19, 2, 21]] },
    ],
    silent: [
      { name: "separate ENV lines", dockerfile: `${FROM}ENV APP_HOME=/opt/app\nENV PATH=$APP_HOME/bin:$PATH\n` },
      { name: "own previous value", dockerfile: `${FROM}ENV PATH=/opt/bin:$PATH\n` },
      { name: "ARG passed on, then used", dockerfile: `${FROM}ARG VERSION=1.2\nENV VERSION=\${VERSION} URL=https://example.com/\${VERSION}.tgz\n` },
      { name: "ARG without default passed on, then used", dockerfile: `${FROM}ARG VERSION\nENV VERSION=$VERSION URL=https://example.com/$VERSION.tgz\n` },
      { name: "set before to the same value", dockerfile: `${FROM}ENV A=1\nENV A=1 B=$A\n` },
      { name: "single quotes do not expand", dockerfile: `${FROM}ENV A=1 B='$A'\n` },
      { name: "escaped dollar", dockerfile: `${FROM}ENV A=1 B=\\$A\n` },
      { name: "longer name that starts the same", dockerfile: `${FROM}ENV A=1 B=$AB\n` },
      { name: "legacy form has one pair", dockerfile: `${FROM}ENV A $A:1\n` },
    ],
  });
});
