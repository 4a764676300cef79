import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3025.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3025", () => {
  ruleCases(rule, {
    fires: [
      { name: "CMD shell form", dockerfile: `${FROM}CMD /usr/bin/app --serve\n`, at: [[2, 5, 2, 25]], messages: ["CMD"] },
      { name: "ENTRYPOINT shell form over two lines", dockerfile: `${FROM}ENTRYPOINT app \\\n  --serve\n`, at: [[2, 12, 3, 10]], messages: ["ENTRYPOINT"] },
      { name: "invalid JSON falls back to shell form", dockerfile: `${FROM}CMD ['app', '--serve']\n`, at: [[2, 5, 2, 23]] },
      { name: "even with SHELL set", dockerfile: `${FROM}SHELL ["/bin/bash", "-c"]\nCMD app\n`, at: [[3, 5, 3, 8]] },
    ],
    silent: [
      { name: "exec form", dockerfile: `${FROM}CMD ["/usr/bin/app", "--serve"]\n` },
      { name: "RUN shell form is fine", dockerfile: `${FROM}RUN make install\n` },
      { name: "empty exec form", dockerfile: `${FROM}ENTRYPOINT []\n` },
    ],
  });
});
