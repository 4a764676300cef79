import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD011.ts";
import { lintWith, ruleCases } from "../../helpers/rule-cases.ts";
import assert from "node:assert/strict";
import { test } from "node:test";

const FROM = "FROM debian:12\n";

describe("DD011 in RUN", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "chmod 777", dockerfile: FROM + "RUN chmod 777 /app\n", at: [[2, 11, 2, 14]], messages: ["chmod 777 makes files world-writable"] },
      { name: "chmod -R 777 after other commands", dockerfile: FROM + "RUN mkdir -p /data && chmod -R 0777 /data\n", at: [[2, 32, 2, 36]] },
      { name: "666 is world-writable too", dockerfile: FROM + "RUN chmod 666 /etc/app.conf\n", at: [[2, 11, 2, 14]] },
      { name: "o+w", dockerfile: FROM + "RUN chmod o+w /srv\n", at: [[2, 11, 2, 14]] },
      { name: "a+rwx in a list of clauses", dockerfile: FROM + "RUN chmod u+x,a+rwx /srv/run.sh\n", at: [[2, 11, 2, 20]] },
      { name: "setuid by mode", dockerfile: FROM + "RUN chmod 4755 /usr/local/bin/helper\n", at: [[2, 11, 2, 15]], messages: ["chmod 4755 makes files setuid"] },
      { name: "u+s", dockerfile: FROM + "RUN chmod u+s /usr/local/bin/helper\n", at: [[2, 11, 2, 14]] },
      { name: "+s sets setuid and setgid", dockerfile: FROM + "RUN chmod +s /usr/local/bin/helper\n", at: [[2, 11, 2, 13]], messages: ["setuid (runs with its owner's rights, root for a root-owned file) and setgid"] },
      { name: "g+s on a file", dockerfile: FROM + "RUN chmod g+s /usr/local/bin/helper\n", at: [[2, 11, 2, 14]], messages: ["setgid"] },
      { name: "2755 on a file", dockerfile: FROM + "RUN chmod 2755 /usr/bin/tool\n", at: [[2, 11, 2, 15]] },
      { name: "install -m with setuid", dockerfile: FROM + "RUN install -m 4755 helper /usr/local/bin/\n", at: [[2, 16, 2, 20]], messages: ["install -m 4755"] },
      { name: "install -Dm bundle", dockerfile: FROM + "RUN install -Dm0777 app.conf /etc/app/app.conf\n", at: [[2, 16, 2, 20]] },
      { name: "install --mode=", dockerfile: FROM + "RUN install --mode=u+s helper /usr/local/bin/helper\n", at: [[2, 20, 2, 23]] },
      { name: "mkdir -m 777", dockerfile: FROM + "RUN mkdir -p -m 777 /shared\n", at: [[2, 17, 2, 20]] },
      { name: "behind sudo, inside sh -c", dockerfile: FROM + "RUN sudo sh -c 'chmod 777 /x'\n", at: [[2, 23, 2, 26]] },
      { name: "in a heredoc", dockerfile: FROM + "RUN <<EOF\nset -e\nchmod a+w /var/log/app\nEOF\n", at: [[4, 7, 4, 10]] },
      { name: "a quoted mode is still a mode", dockerfile: FROM + "RUN chmod '777' /x\n", at: [[2, 11, 2, 16]] },
      { name: "a build stage counts too (modes survive COPY --from)", dockerfile: "FROM debian:12 AS build\nRUN chmod 777 /out\nFROM debian:12\nCOPY --from=build /out /out\n", at: [[2, 11, 2, 14]] },
      { name: "setgid on a path not created here", dockerfile: FROM + "RUN mkdir /a && chmod g+s /a /b\n", at: [[2, 23, 2, 26]] },
    ],
    silent: [
      { name: "755 and 644", dockerfile: FROM + "RUN chmod 755 /app && chmod 0644 /etc/app.conf && chmod -R u+rwX,go+rX /srv\n" },
      { name: "removing bits", dockerfile: FROM + "RUN chmod u-s /usr/bin/newgrp && chmod o-w /srv && chmod a-s /bin/x\n" },
      { name: "+w without who is masked by the umask", dockerfile: FROM + "RUN chmod +w /app/data\n" },
      { name: "sticky world-writable directory", dockerfile: FROM + "RUN mkdir -p /scratch && chmod 1777 /scratch && chmod a+rwxt /tmp2\n" },
      { name: "setgid on a directory made in the same RUN", dockerfile: FROM + "RUN mkdir -p /srv/shared && chmod g+s /srv/shared/ && chmod 2775 /srv/shared\n" },
      { name: "setgid with mkdir -m and install -d", dockerfile: FROM + "RUN mkdir -m 2775 /a && install -d -m 2770 /b\n" },
      { name: "mode in a variable", dockerfile: FROM + "ARG MODE=777\nRUN chmod $MODE /x && chmod \"${MODE}\" /y\n" },
      { name: "chmod --reference", dockerfile: FROM + "RUN chmod --reference=/etc/passwd /x\n" },
      { name: "quoted text and comments", dockerfile: FROM + "RUN echo \"chmod 777 /x\" # chmod 4755 /y\n" },
      { name: "exec form runs no chmod with these words", dockerfile: FROM + "RUN [\"echo\", \"chmod\", \"777\", \"/x\"]\n" },
      { name: "not a mode", dockerfile: FROM + "RUN chmod +x /entrypoint.sh && install -m 0755 a /usr/bin/a\n" },
      { name: "other commands with -m", dockerfile: FROM + "RUN useradd -m app && git commit -m 777\n" },
    ],
  });
});

describe("DD011 in COPY and ADD", () => {
  ruleCases(rule, {
    fires: [
      { name: "COPY --chmod=777", dockerfile: FROM + "COPY --chmod=777 app /app\n", at: [[2, 14, 2, 17]], messages: ["--chmod=777 makes files world-writable"] },
      { name: "ADD --chmod with setuid", dockerfile: FROM + "ADD --chmod=4755 helper /usr/local/bin/\n", at: [[2, 13, 2, 17]] },
      { name: "symbolic --chmod", dockerfile: FROM + "COPY --chmod=a+w data /data\n", at: [[2, 14, 2, 17]] },
      { name: "--chmod from an ARG", dockerfile: FROM + "ARG MODE=0777\nCOPY --chmod=$MODE app /app\n", at: [[3, 14, 3, 19]], messages: ["--chmod=0777"] },
      { name: "ONBUILD COPY", dockerfile: FROM + "ONBUILD COPY --chmod=6755 x /x\n", at: [[2, 22, 2, 26]] },
    ],
    silent: [
      { name: "COPY --chmod=755", dockerfile: FROM + "COPY --chmod=755 app /app\n" },
      { name: "COPY --chmod from an ARG without default", dockerfile: FROM + "ARG MODE\nCOPY --chmod=$MODE app /app\n" },
      { name: "COPY --chown only", dockerfile: FROM + "COPY --chown=app:app app /app\n" },
    ],
  });
});

describe("DD011 severities", () => {
  test("setuid is an error, the rest a warning", () => {
    const found = lintWith(rule, FROM + "RUN chmod 4755 /a && chmod 2755 /b && chmod 777 /c\n");
    assert.deepEqual(found.map((f) => f.severity), ["error", "warning", "warning"]);
  });
});
