import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3066.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3066", () => {
  ruleCases(rule, {
    fires: [
      { name: "user name", dockerfile: `${FROM}USER app\n`, at: [[2, 6, 2, 9]], messages: ['"app" is a name'] },
      { name: "name with a numeric group", dockerfile: `${FROM}USER app:1000\n`, at: [[2, 6, 2, 14]] },
      { name: "root by name", dockerfile: `${FROM}USER root\n`, at: [[2, 6, 2, 10]] },
      { name: "ARG holding a name", dockerfile: `${FROM}ARG RUNAS=app\nUSER \${RUNAS}\n`, at: [[3, 6, 3, 14]], messages: ['"app"'] },
    ],
    silent: [
      { name: "numeric UID", dockerfile: `${FROM}USER 10001\n` },
      { name: "numeric UID and GID", dockerfile: `${FROM}USER 10001:10001\n` },
      { name: "numeric UID with a group name", dockerfile: `${FROM}USER 10001:app\n` },
      { name: "ARG holding a number", dockerfile: `${FROM}ARG UID=10001\nUSER $UID\n` },
      { name: "ENV holding a number", dockerfile: `${FROM}ENV UID=10001\nUSER $UID\n` },
      { name: "ARG without a value", dockerfile: `${FROM}ARG UID\nUSER $UID:$UID\n` },
    ],
  });
});
