import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4005.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL4005", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "ln -sf /bin/bash /bin/sh", dockerfile: `${FROM}RUN ln -sf /bin/bash /bin/sh\n`, at: [[2, 22, 2, 29]], messages: ["linking /bin/sh to /bin/bash"] },
      { name: "separate flags, after rm", dockerfile: `${FROM}RUN rm /bin/sh && ln -s -f bash /bin/sh\n`, at: [[2, 33, 2, 40]] },
      { name: "merged /usr", dockerfile: `${FROM}RUN ln -sf /usr/bin/bash /usr/bin/sh\n`, at: [[2, 26, 2, 37]] },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nln -sf /bin/dash /bin/sh\nEOF\n`, at: [[3, 18, 3, 25]] },
    ],
    silent: [
      { name: "SHELL", dockerfile: `${FROM}SHELL ["/bin/bash", "-c"]\n` },
      { name: "a link to /bin/sh elsewhere", dockerfile: `${FROM}RUN ln -s /bin/sh /usr/local/bin/sh\n` },
      { name: "other links", dockerfile: `${FROM}RUN ln -sf /usr/bin/python3 /usr/bin/python\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "ln -sf /bin/bash /bin/sh"\n` },
    ],
  });
});
