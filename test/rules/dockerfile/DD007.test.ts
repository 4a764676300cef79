import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD007.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const URL = "https://x.example/i.sh";
describe("DD007", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "curl | sh", dockerfile: `${FROM}RUN curl -fsSL https://get.example.com/install.sh | sh\n`, at: [[2, 53, 2, 55]],
        messages: ["curl https://get.example.com/install.sh is piped into sh: the downloaded code runs unverified; download it to a file, check its checksum or signature, then run it"] },
      { name: "wget -O- | bash", dockerfile: `${FROM}RUN wget -O- https://get.example.com | bash\n`, at: [[2, 40, 2, 44]], messages: ["wget https://get.example.com is piped into bash"] },
      { name: "| sudo -E bash -s -- args", dockerfile: `${FROM}RUN curl -fsSL ${URL} | sudo -E bash -s -- --yes\n`, at: [[2, 49, 2, 53]] },
      { name: "bash <(curl ...)", dockerfile: `${FROM}RUN bash <(curl -fsSL ${URL})\n`, at: [[2, 5, 2, 9]], messages: ["bash runs the output of curl https://x.example/i.sh"] },
      { name: 'sh -c "$(curl ...)"', dockerfile: `${FROM}RUN sh -c "$(curl -fsSL ${URL})"\n`, at: [[2, 5, 2, 7]] },
      { name: "wget -qO- | python3 -", dockerfile: `${FROM}RUN wget -qO- https://x.example/get.py | python3 -\n`, at: [[2, 42, 2, 49]] },
      { name: "through tee", dockerfile: `${FROM}RUN curl https://x.example/a | tee /tmp/a | sh\n`, at: [[2, 45, 2, 47]] },
      { name: 'eval "$(curl ...)"', dockerfile: `${FROM}RUN eval "$(curl -fsSL https://x.example/env)"\n`, at: [[2, 5, 2, 9]] },
      { name: "inside sh -c", dockerfile: `${FROM}RUN sh -c 'curl -fsSL ${URL} | sh'\n`, at: [[2, 48, 2, 50]] },
      { name: "in a heredoc script", dockerfile: `${FROM}RUN <<EOF\nset -e\ncurl -fsSL ${URL} | bash\nEOF\n`, at: [[4, 37, 4, 41]] },
      { name: 'python3 -c "$(curl ...)"', dockerfile: `${FROM}RUN python3 -c "$(curl -fsSL https://x.example/p.py)"\n`, at: [[2, 5, 2, 12]] },
      { name: "bash < <(curl ...)", dockerfile: `${FROM}RUN bash < <(curl -fsSL ${URL})\n`, at: [[2, 5, 2, 9]] },
      { name: "| source /dev/stdin", dockerfile: `${FROM}RUN curl -fsSL ${URL} | source /dev/stdin\n`, at: [[2, 41, 2, 47]] },
      { name: "curl -o - | perl", dockerfile: `${FROM}RUN curl -fsSL -o - ${URL} | perl\n`, at: [[2, 46, 2, 50]] },
      { name: "in a build stage too", dockerfile: `FROM debian:12 AS tools\nRUN curl -fsSL ${URL} | sh\nFROM scratch\n`, at: [[2, 41, 2, 43]] },
    ],
    silent: [
      { name: "download, verify, run", dockerfile: `${FROM}RUN curl -fsSLo /tmp/i.sh ${URL} && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh\n` },
      { name: "pipes into programs that do not run code", dockerfile: `${FROM}RUN curl -fsSL https://x.example/a.tgz | tar xz && curl -fsSL https://x.example/key | gpg --dearmor -o /k.gpg\n` },
      { name: "| sudo tee", dockerfile: `${FROM}RUN curl -fsSL https://x.example/list | sudo tee /etc/apt/sources.list.d/x.list\n` },
      { name: "python reading data, not code", dockerfile: `${FROM}RUN curl -s https://api.example/v | python3 -c "import json, sys; print(json.load(sys.stdin)['v'])"\n` },
      { name: "a shell running a script file", dockerfile: `${FROM}RUN curl -fsSL https://x.example/cfg | sh ./configure.sh\n` },
      { name: "python -m reads no program", dockerfile: `${FROM}RUN curl -fsSL https://x.example/r.txt | python3 -m pip install -r /dev/stdin\n` },
      { name: "curl writing to a file", dockerfile: `${FROM}RUN curl -fsSL -o /tmp/i.sh ${URL} | sh\nRUN curl -fsSLO ${URL} | sh\n` },
      { name: "wget writing to a file", dockerfile: `${FROM}RUN wget ${URL} | sh\n` },
      { name: "quoted text and comments", dockerfile: `${FROM}# RUN curl ${URL} | sh\nRUN echo "curl ${URL} | sh"\n` },
      { name: "the shell before the download", dockerfile: `${FROM}RUN sh -c 'echo hi' | curl -T - https://x.example/upload\n` },
      { name: "exec form runs no pipeline", dockerfile: `${FROM}RUN ["curl", "${URL}", "|", "sh"]\n` },
      { name: "a substitution that is an argument, not the program", dockerfile: `${FROM}RUN sh ./install.sh "$(curl -fsSL https://x.example/version)"\n` },
    ],
  });
});
