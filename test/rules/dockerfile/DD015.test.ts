import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD015.ts";
import { lintWith, ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DD015", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "--network=host", dockerfile: `${FROM}RUN --network=host apt-get update\n`, at: [[2, 5, 2, 19]], messages: ["--network=host"] },
      { name: "--security=insecure", dockerfile: `${FROM}RUN --security=insecure mount -t tmpfs none /mnt\n`, at: [[2, 5, 2, 24]], messages: ["--security=insecure"] },
      { name: "both, with other flags", dockerfile: `${FROM}RUN --mount=type=cache,target=/root/.cache --network=host --security=insecure make\n`,
        at: [[2, 44, 2, 58], [2, 59, 2, 78]] },
      { name: "in a build stage too", dockerfile: `FROM debian:12 AS build\nRUN --network=host make\nFROM scratch\nCOPY --from=build /out /\n`, at: [[2, 5, 2, 19]] },
    ],
    silent: [
      { name: "default, none and sandbox", dockerfile: `${FROM}RUN --network=default --security=sandbox make\nRUN --network=none make test\n` },
      { name: "a value in another case is a BuildKit error, not a host network", dockerfile: `${FROM}RUN --network=HOST make\n` },
      { name: "the words in the command", dockerfile: `${FROM}RUN echo --network=host --security=insecure\n` },
      { name: "docker run --network=host inside RUN is not the build step's network", dockerfile: `${FROM}RUN docker run --network=host alpine true\n` },
      { name: "a comment", dockerfile: `${FROM}# RUN --network=host make\nRUN make\n` },
    ],
  });

  test("severity: warning for the host network, error for the insecure sandbox", () => {
    const found = lintWith(rule, `${FROM}RUN --network=host --security=insecure make\n`);
    assert.deepEqual(found.map((f) => f.severity), ["warning", "error"]);
  });
});
