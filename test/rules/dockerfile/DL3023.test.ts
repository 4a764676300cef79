import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3023.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL3023", () => {
  ruleCases(rule, {
    fires: [
      { name: "own name", dockerfile: "FROM debian:12 AS app\nCOPY --from=app /etc/os-release /tmp/\n", at: [[2, 13, 2, 16]], messages: ['"app"'] },
      { name: "own name in another case", dockerfile: "FROM debian:12 AS App\nCOPY --from=app /a /b\n", at: [[2, 13, 2, 16]] },
      { name: "own index", dockerfile: "FROM debian:12 AS base\nFROM debian:12\nCOPY --from=1 /a /b\n", at: [[3, 13, 3, 14]], messages: ['"1"'] },
      { name: "in a later stage of the same name", dockerfile: "FROM debian:12 AS a\nFROM debian:12 AS b\nCOPY --from=a /x /y\nCOPY --from=b /x /y\n", at: [[4, 13, 4, 14]] },
    ],
    silent: [
      { name: "earlier stage", dockerfile: "FROM debian:12 AS base\nFROM debian:12 AS app\nCOPY --from=base /a /b\n" },
      { name: "earlier index", dockerfile: "FROM debian:12 AS base\nFROM debian:12 AS app\nCOPY --from=0 /a /b\n" },
      { name: "an image", dockerfile: "FROM debian:12 AS app\nCOPY --from=app:1.0 /a /b\n" },
      { name: "unnamed stage", dockerfile: "FROM debian:12\nCOPY --from=other /a /b\n" },
    ],
  });
});
