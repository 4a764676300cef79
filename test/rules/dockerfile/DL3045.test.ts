import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3045.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DL3045", () => {
  ruleCases(rule, {
    fires: [
      { name: "dot destination", dockerfile: `${FROM}COPY package.json .\n`, at: [[2, 19, 2, 20]], messages: ['"."'] },
      { name: "relative path", dockerfile: `${FROM}COPY src app/src\n`, at: [[2, 10, 2, 17]] },
      { name: "WORKDIR only after the COPY", dockerfile: `${FROM}COPY a b\nWORKDIR /app\n`, at: [[2, 8, 2, 9]] },
      { name: "relative ARG value (hadolint skips variables)", dockerfile: `${FROM}ARG DEST=app\nCOPY a $DEST\n`, at: [[3, 8, 3, 13]], messages: ['"app"'] },
      { name: "WORKDIR of an unrelated stage", dockerfile: `FROM node:22 AS a\nWORKDIR /app\nFROM node:22\nCOPY a b\n`, at: [[4, 8, 4, 9]] },
      { name: "WORKDIR in ONBUILD runs later", dockerfile: `${FROM}ONBUILD WORKDIR /app\nCOPY a b\n`, at: [[3, 8, 3, 9]] },
    ],
    silent: [
      { name: "WORKDIR first", dockerfile: `${FROM}WORKDIR /usr/src/app\nCOPY package.json .\n` },
      { name: "absolute destination", dockerfile: `${FROM}COPY package.json /usr/src/app/\n` },
      { name: "Windows absolute destination", dockerfile: `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe C:/app/\n` },
      { name: "WORKDIR in the base stage", dockerfile: `FROM node:22 AS base\nWORKDIR /app\nFROM base\nCOPY a .\n` },
      { name: "WORKDIR two stages down", dockerfile: `FROM node:22 AS a\nWORKDIR /app\nFROM a AS b\nRUN x\nFROM b\nCOPY a .\n` },
      { name: "absolute from an ENV", dockerfile: `${FROM}ENV DEST=/app\nCOPY a $DEST\n` },
      { name: "variable without a value", dockerfile: `${FROM}ARG DEST\nCOPY a $DEST\n` },
      { name: "ONBUILD COPY runs in a later build", dockerfile: `${FROM}ONBUILD COPY a .\n` },
      { name: "ADD (not this rule's)", dockerfile: `${FROM}ADD a.tar.gz .\n` },
    ],
  });
});
