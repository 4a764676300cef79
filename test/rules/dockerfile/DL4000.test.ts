import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL4000.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DL4000", () => {
  ruleCases(rule, {
    fires: [
      { name: "MAINTAINER", dockerfile: "FROM debian:12\nMAINTAINER Jane <jane@example.com>\n", at: [[2, 1, 2, 11]] },
      { name: "lower case", dockerfile: "FROM debian:12\nmaintainer Jane\n", at: [[2, 1, 2, 11]] },
    ],
    silent: [
      { name: "authors label", dockerfile: "FROM debian:12\nLABEL org.opencontainers.image.authors=jane\n" },
      { name: "the word in a RUN", dockerfile: "FROM debian:12\nRUN echo MAINTAINER\n" },
    ],
  });
});
