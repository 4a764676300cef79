import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3020.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3020", () => {
  ruleCases(rule, {
    fires: [
      { name: "plain file", dockerfile: `${FROM}ADD app.conf /etc/app/\n`, at: [[2, 5, 2, 13]] },
      { name: "each plain source", dockerfile: `${FROM}ADD a.txt rootfs.tar b/ /dst/\n`, at: [[2, 5, 2, 10], [2, 22, 2, 24]] },
      { name: "exec form", dockerfile: `${FROM}ADD ["my file", "/dst/"]\n`, at: [[2, 6, 2, 15]] },
      { name: "with flags", dockerfile: `${FROM}ADD --chown=app:app . /srv\n`, at: [[2, 21, 2, 22]] },
      { name: "heredoc", dockerfile: `${FROM}ADD <<EOF /etc/motd\nhello\nEOF\n`, at: [[2, 5, 2, 10]], messages: ["heredoc"] },
    ],
    silent: [
      { name: "URL", dockerfile: `${FROM}ADD https://example.com/x.bin /x.bin\n` },
      { name: "archive", dockerfile: `${FROM}ADD rootfs.tar.xz /\n` },
      { name: "git", dockerfile: `${FROM}ADD git@github.com:moby/buildkit.git /src\n` },
      { name: "COPY", dockerfile: `${FROM}COPY app.conf /etc/app/\n` },
      { name: "unresolved variable", dockerfile: `${FROM}ADD $SRC /dst\n` },
      { name: "archive name from ARG", dockerfile: `${FROM}ARG TARBALL=app.tgz\nADD $TARBALL /opt/\n` },
    ],
  });
});
