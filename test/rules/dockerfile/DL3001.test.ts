import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3001.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3001", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "service", dockerfile: `${FROM}RUN service nginx start\n`, at: [[2, 5, 2, 12]], messages: ['"service"'] },
      { name: "behind sudo, and in a pipeline", dockerfile: `${FROM}RUN sudo service x restart && ps aux | grep x\n`, at: [[2, 10, 2, 17], [2, 31, 2, 33]] },
      { name: "by path", dockerfile: `${FROM}RUN /usr/bin/vim /etc/hosts\n`, at: [[2, 5, 2, 17]], messages: ['"vim"'] },
      { name: "ifconfig (named in hadolint's docs)", dockerfile: `${FROM}RUN ifconfig eth0\n`, at: [[2, 5, 2, 13]] },
      { name: "in a RUN heredoc", dockerfile: `${FROM}RUN <<EOF\nmount -t tmpfs none /mnt\nEOF\n`, at: [[3, 1, 3, 6]] },
      { name: "in sh -c", dockerfile: `${FROM}RUN sh -c 'kill -9 1'\n`, at: [[2, 12, 2, 16]] },
    ],
    silent: [
      { name: "installing the package", dockerfile: `${FROM}RUN apt-get install -y vim procps\n` },
      { name: "quoted and in comments", dockerfile: `${FROM}RUN echo "top ps free" # no ssh here\n` },
      { name: "command -v only looks it up", dockerfile: `${FROM}RUN command -v ps\n` },
      { name: "exec form runs no shell", dockerfile: `${FROM}RUN ["top", "-b", "-n1"]\n` },
      { name: "not an instruction that runs", dockerfile: `${FROM}CMD ["top"]\n` },
      { name: "similar names", dockerfile: `${FROM}RUN sshd-keygen && topgrade && psql -c 'select 1'\n` },
    ],
  });
});
