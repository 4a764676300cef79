import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerfile } from "../../../src/dockerfile/parse.ts";
import { rule } from "../../../src/rules/dockerfile/DL3027.ts";
import { lintWith, ruleCases, spanOf } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3027", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "apt install", dockerfile: `${FROM}RUN apt install -y curl\n`, at: [[2, 5, 2, 8]], messages: ["apt install → apt-get install"], fixed: `${FROM}RUN apt-get install -y curl\n` },
      { name: "update and install", dockerfile: `${FROM}RUN apt update && apt -y install curl\n`, at: [[2, 5, 2, 8], [2, 19, 2, 22]],
        fixed: `${FROM}RUN apt-get update && apt-get -y install curl\n` },
      { name: "a full path", dockerfile: `${FROM}RUN /usr/bin/apt remove -y curl\n`, at: [[2, 5, 2, 17]], fixed: `${FROM}RUN /usr/bin/apt-get remove -y curl\n` },
      { name: "behind sudo in a heredoc", dockerfile: `${FROM}RUN <<EOF\nsudo apt install -y curl\nEOF\n`, at: [[3, 6, 3, 9]], fixed: `${FROM}RUN <<EOF\nsudo apt-get install -y curl\nEOF\n` },
    ],
    silent: [
      { name: "apt-get", dockerfile: `${FROM}RUN apt-get install -y curl\n` },
      { name: "apt-cache and apt-key", dockerfile: `${FROM}RUN apt-cache policy curl && apt-key list\n` },
      { name: "apt as an argument", dockerfile: `${FROM}RUN ls /etc/apt && rm -rf /var/lib/apt\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "apt install curl"\n` },
    ],
  });

  // Reported, but apt-get would do something else (upgrade), has no such subcommand (list), or the text is JSON.
  for (const [name, dockerfile, at, message] of [
    ["apt upgrade installs new packages, apt-get upgrade does not", `${FROM}RUN apt upgrade -y\n`, [2, 5, 2, 8], "apt upgrade → apt-get or apt-cache"],
    ["apt list", `${FROM}RUN apt list --installed\n`, [2, 5, 2, 8], "apt list → apt-get or apt-cache"],
    ["exec form", `${FROM}RUN ["apt", "install", "-y", "curl"]\n`, [2, 6, 2, 11], "apt install → apt-get install"],
  ] as const) {
    test(`fires without a fix: ${name}`, () => {
      const found = lintWith(rule, dockerfile);
      assert.deepEqual(found.map(spanOf), [at]);
      assert.ok(found[0]?.message.includes(message), found[0]?.message);
      assert.deepEqual(found.flatMap((f) => rule.fix(f, parseDockerfile(dockerfile))), []);
    });
  }
});
