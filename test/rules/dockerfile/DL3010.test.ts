import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3010.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const COPY = `${FROM}COPY app.tar.gz /tmp/\n`;
describe("DL3010", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "tar -xzf", dockerfile: `${COPY}RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n`, at: [[2, 6, 2, 16]], messages: ['"app.tar.gz" is copied here and unpacked by the RUN on line 3'] },
      { name: "old-style tar xzf", dockerfile: `${COPY}RUN tar xzf /tmp/app.tar.gz -C /opt\n`, at: [[2, 6, 2, 16]] },
      { name: "long options", dockerfile: `${COPY}RUN tar --extract --gzip --file=/tmp/app.tar.gz --directory /opt\n`, at: [[2, 6, 2, 16]] },
      { name: "a later RUN, behind sudo", dockerfile: `${COPY}RUN echo hi\nRUN sudo tar -xf /tmp/app.tar.gz\n`, at: [[2, 6, 2, 16]], messages: ["line 4"] },
      { name: "renamed by COPY", dockerfile: `${FROM}COPY dist.tgz /tmp/app.tgz\nRUN tar -xzf /tmp/app.tgz -C /opt\n`, at: [[2, 15, 2, 27]], messages: ['"app.tgz"'] },
      { name: "decompressor piped into tar", dockerfile: `${FROM}COPY app.tar.xz /tmp/\nRUN xz -dc /tmp/app.tar.xz | tar -x -C /opt\n`, at: [[2, 6, 2, 16]] },
      { name: "one of several sources", dockerfile: `${FROM}COPY README.md app.tar.bz2 /tmp/\nRUN tar -xjf /tmp/app.tar.bz2\n`, at: [[2, 16, 2, 27]] },
      { name: "name from an ARG", dockerfile: `${FROM}ARG V=1.2\nCOPY app-\${V}.tar.gz /tmp/\nRUN tar -xf /tmp/app-1.2.tar.gz\n`, at: [[3, 6, 3, 21]], messages: ['"app-1.2.tar.gz"'] },
      { name: "in a RUN heredoc", dockerfile: `${COPY}RUN <<EOF\nset -e\ntar -xf /tmp/app.tar.gz -C /opt\nEOF\n`, at: [[2, 6, 2, 16]] },
      { name: "tar of a .gz file is a tarball", dockerfile: `${FROM}COPY data.gz /tmp/\nRUN tar -xzf /tmp/data.gz\n`, at: [[2, 6, 2, 13]] },
    ],
    silent: [
      { name: "ADD already", dockerfile: `${FROM}ADD app.tar.gz /opt/\n` },
      { name: "zip: ADD does not unpack it", dockerfile: `${FROM}COPY app.zip /tmp/\nRUN unzip /tmp/app.zip -d /opt\n` },
      { name: "plain compressed file", dockerfile: `${FROM}COPY data.gz /tmp/\nRUN gunzip /tmp/data.gz\n` },
      { name: "decompressed only, not extracted", dockerfile: `${COPY}RUN gunzip /tmp/app.tar.gz\n` },
      { name: "strip-components: ADD cannot", dockerfile: `${COPY}RUN tar -xzf /tmp/app.tar.gz --strip-components=1 -C /opt\n` },
      { name: "only some members", dockerfile: `${COPY}RUN tar -xzf /tmp/app.tar.gz app/bin\n` },
      { name: "to stdout", dockerfile: `${COPY}RUN tar -xOzf /tmp/app.tar.gz app/VERSION > /VERSION\n` },
      { name: "creating, not extracting", dockerfile: `${COPY}RUN tar -czf /tmp/app.tar.gz /opt\n` },
      { name: "COPY --from another stage", dockerfile: `FROM debian:12 AS build\nFROM debian:12\nCOPY --from=build /app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n` },
      { name: "extracted in another stage", dockerfile: `${COPY}FROM debian:12\nRUN tar -xzf /tmp/app.tar.gz\n` },
      { name: "another archive", dockerfile: `${COPY}RUN tar -xzf /tmp/other.tar.gz\n` },
      { name: "RUN before the COPY", dockerfile: `${FROM}RUN tar -xzf /tmp/app.tar.gz\nCOPY app.tar.gz /tmp/\n` },
      { name: "ONBUILD COPY is not there for a RUN of this build", dockerfile: `${FROM}ONBUILD COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n` },
      { name: "quoted in echo", dockerfile: `${COPY}RUN echo "tar -xzf /tmp/app.tar.gz"\n` },
    ],
  });
});
