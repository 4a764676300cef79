import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4006.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const PIPEFAIL = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n';
describe("DL4006", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "default shell", dockerfile: `${FROM}RUN curl -fsSL https://example.com/install.sh | sh\n`, at: [[2, 5, 2, 51]], messages: ['"sh" does, even if "curl" fails'] },
      { name: "bash without pipefail", dockerfile: `${FROM}SHELL ["/bin/bash", "-c"]\nRUN a | b\n`, at: [[3, 5, 3, 10]] },
      { name: "set -o pipefail only after the pipe", dockerfile: `${FROM}RUN a | b && set -o pipefail\n`, at: [[2, 5, 2, 10]] },
      { name: "set -o pipefail in a subshell does not last", dockerfile: `${FROM}RUN (set -o pipefail) && a | b\n`, at: [[2, 26, 2, 31]] },
      { name: "set +o pipefail turns it off", dockerfile: `${FROM}${PIPEFAIL}RUN set +o pipefail; a | b\n`, at: [[3, 22, 3, 27]] },
      { name: "each pipeline", dockerfile: `${FROM}RUN a | b && c |& d\n`, at: [[2, 5, 2, 10], [2, 14, 2, 20]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nset -e\ncurl -fsSL https://x | tar -xz\nEOF\n`, at: [[4, 1, 4, 31]] },
      { name: "a later SHELL drops pipefail", dockerfile: `${FROM}${PIPEFAIL}SHELL ["/bin/bash", "-c"]\nRUN a | b\n`, at: [[4, 5, 4, 10]] },
      { name: "pipefail in another stage only", dockerfile: `FROM debian:12 AS a\n${PIPEFAIL}FROM debian:12\nRUN a | b\n`, at: [[4, 5, 4, 10]] },
      { name: "exec form running bash (SHELL does not apply)", dockerfile: `${FROM}${PIPEFAIL}RUN ["bash", "-c", "curl -fsSL https://x | tar -xz"]\n`, at: [[3, 21, 3, 51]] },
      { name: "inside a condition", dockerfile: `${FROM}RUN if dpkg -l | grep -q curl; then echo yes; fi\n`, at: [[2, 8, 2, 30]] },
    ],
    silent: [
      { name: "SHELL with pipefail", dockerfile: `${FROM}${PIPEFAIL}RUN curl -fsSL https://example.com/install.sh | sh\n` },
      { name: "bundled -eo pipefail, env", dockerfile: `${FROM}SHELL ["/usr/bin/env", "bash", "-eo", "pipefail", "-c"]\nRUN a | b\n` },
      { name: "SHELL with pipefail in the base stage", dockerfile: `FROM debian:12 AS base\n${PIPEFAIL}FROM base\nRUN a | b\n` },
      { name: "set -o pipefail first", dockerfile: `${FROM}RUN set -o pipefail && curl -fsSL https://x | sh\n` },
      { name: "set -euxo pipefail in a heredoc", dockerfile: `${FROM}RUN <<EOF\nset -euxo pipefail\ncurl -fsSL https://x | tar -xz\nEOF\n` },
      { name: "|| is not a pipe", dockerfile: `${FROM}RUN a || b\n` },
      { name: "quoted and commented pipes", dockerfile: `${FROM}RUN echo "a | b" 'c|d' # e | f\n` },
      { name: "exec form sh: a plain shell chosen on purpose", dockerfile: `${FROM}RUN ["sh", "-c", "a | b"]\n` },
      { name: "exec form bash -o pipefail", dockerfile: `${FROM}RUN ["/bin/bash", "-o", "pipefail", "-c", "a | b"]\n` },
      { name: "exec form of another program", dockerfile: `${FROM}RUN ["python3", "-c", "print('a | b')"]\n` },
      { name: "pipe inside sh -c is that shell's", dockerfile: `${FROM}RUN bash -o pipefail -c 'a | b'\n` },
      { name: "PowerShell", dockerfile: `${FROM}SHELL ["pwsh", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n` },
      { name: "cmd", dockerfile: `${FROM}SHELL ["cmd", "/S", "/C"]\nRUN dir | findstr x\n` },
      { name: "plain sh chosen with SHELL", dockerfile: `${FROM}SHELL ["/bin/sh", "-c"]\nRUN a | b\n` },
      { name: "busybox ash chosen with SHELL", dockerfile: `FROM alpine:3.20\nSHELL ["/bin/ash", "-c"]\nRUN a | b\n` },
      { name: "Windows base image", dockerfile: `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n` },
    ],
  });
});

describe("DL4006 and the order of SHELL and RUN", () => {
  ruleCases(rule, {
    fires: [
      { name: "RUN before the SHELL that sets pipefail", dockerfile: `${FROM}RUN a | b\n${PIPEFAIL}`, at: [[2, 5, 2, 10]] },
      { name: "ONBUILD RUN runs with the stage's last SHELL", dockerfile: `${FROM}${PIPEFAIL}ONBUILD RUN a | b\nSHELL ["/bin/bash", "-c"]\n`, at: [[3, 13, 3, 18]] },
    ],
    silent: [
      { name: "ONBUILD RUN before a SHELL with pipefail", dockerfile: `${FROM}ONBUILD RUN a | b\n${PIPEFAIL}` },
    ],
  });
});
