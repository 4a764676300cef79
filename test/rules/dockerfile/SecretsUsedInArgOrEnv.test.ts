import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/SecretsUsedInArgOrEnv.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("SecretsUsedInArgOrEnv", () => {
  ruleCases(rule, {
    fires: [
      { name: "ARG ..._TOKEN", dockerfile: "FROM alpine\nARG GITHUB_TOKEN\n", at: [[2, 5, 2, 17]], messages: ['Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")'] },
      { name: "ENV with a value", dockerfile: "FROM alpine\nENV DB_PASSWORD=hunter2\n", at: [[2, 5, 2, 16]], messages: ['(ENV "DB_PASSWORD")'] },
      { name: "whole name, any case", dockerfile: "FROM alpine\nARG auth\nENV Secret=x\n", at: [[2, 5, 2, 9], [3, 5, 3, 11]] },
      { name: "middle part", dockerfile: "FROM alpine\nARG MY_TOKEN_NAME\n", at: [[2, 5, 2, 18]] },
      { name: "several declarations", dockerfile: "FROM alpine\nARG A=1 AWS_SECRET_ACCESS_KEY API_KEY=2\n", at: [[2, 9, 2, 30], [2, 31, 2, 38]] },
      { name: "legacy ENV form", dockerfile: "FROM alpine\nENV api_key abc\n", at: [[2, 5, 2, 12]] },
      { name: "ENV key from a variable", dockerfile: "FROM alpine\nARG NAME=GH_TOKEN\nENV ${NAME}=x\n", at: [[3, 5, 3, 12]], messages: ['(ENV "GH_TOKEN")'] },
    ],
    silent: [
      { name: "allowed word", dockerfile: "FROM alpine\nARG TOKEN_FILE\nARG PUBLIC_KEY\nENV GPG_KEY_VERSION=1\n" },
      { name: "word inside a part", dockerfile: "FROM alpine\nARG KEYCLOAK_URL\nENV TOKENS=1 MONKEY=2\n" },
      { name: "global ARG is not checked", dockerfile: "ARG GITHUB_TOKEN\nFROM alpine\n" },
      { name: "secret mount", dockerfile: "FROM alpine\nRUN --mount=type=secret,id=aws,env=AWS_SECRET_ACCESS_KEY aws s3 ls\n" },
      { name: "LABEL is not checked", dockerfile: "FROM alpine\nLABEL token=x\n" },
    ],
  });
});
