import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3021.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DL3021", () => {
  ruleCases(rule, {
    fires: [
      { name: "two sources", dockerfile: `${FROM}COPY package.json package-lock.json /app\n`, at: [[2, 37, 2, 41]], messages: ['"/app"'] },
      { name: "dot destination", dockerfile: `${FROM}COPY a b c .\n`, at: [[2, 12, 2, 13]], messages: ["3 sources"] },
      { name: "JSON form", dockerfile: `${FROM}COPY ["a", "b", "/app"]\n`, at: [[2, 17, 2, 23]] },
      { name: "with flags", dockerfile: `${FROM}COPY --chown=node:node --chmod=644 a b /app\n`, at: [[2, 40, 2, 44]] },
      { name: "destination from an ARG", dockerfile: `${FROM}ARG DEST=/app\nCOPY a b $DEST\n`, at: [[3, 10, 3, 15]], messages: ['"/app"'] },
      { name: "heredoc sources", dockerfile: `${FROM}COPY <<A <<B /etc/app\none\nA\ntwo\nB\n`, at: [[2, 14, 2, 22]] },
      { name: "ONBUILD COPY", dockerfile: `${FROM}ONBUILD COPY a b /app\n`, at: [[2, 18, 2, 22]] },
    ],
    silent: [
      { name: "trailing slash", dockerfile: `${FROM}COPY package.json package-lock.json /app/\n` },
      { name: "dot slash", dockerfile: `${FROM}COPY a b ./\n` },
      { name: "one source", dockerfile: `${FROM}COPY package.json /app\n` },
      { name: "one wildcard source", dockerfile: `${FROM}COPY *.json /app\n` },
      { name: "ARG that ends with a slash", dockerfile: `${FROM}ARG DEST=/app/\nCOPY a b $DEST\n` },
      { name: "variable without a value", dockerfile: `${FROM}ARG DEST\nCOPY a b $DEST\n` },
      { name: "ADD (not this rule's)", dockerfile: `${FROM}ADD a b /app\n` },
    ],
  });
});
