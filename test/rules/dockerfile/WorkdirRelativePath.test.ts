import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/WorkdirRelativePath.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("WorkdirRelativePath", () => {
  ruleCases(rule, {
    fires: [
      { name: "relative first WORKDIR", dockerfile: "FROM nginx AS web\nWORKDIR usr/share/nginx/html\n", at: [[2, 9, 2, 29]], messages: ['Relative workdir "usr/share/nginx/html" can have unexpected results if the base image changes'] },
      { name: "./ prefix", dockerfile: "FROM nginx\nWORKDIR ./app\n", at: [[2, 9, 2, 14]] },
      { name: "expanded from an ARG", dockerfile: "FROM alpine\nARG D=app\nWORKDIR $D\n", at: [[3, 9, 3, 11]], messages: ['"app"'] },
      { name: "an undefined variable on scratch is empty", dockerfile: "FROM scratch\nWORKDIR ${UNSET}app\n", at: [[2, 9, 2, 20]], messages: ['"app"'] },
      { name: "each stage on its own", dockerfile: "FROM alpine AS a\nWORKDIR /a\nFROM alpine\nWORKDIR b\n", at: [[4, 9, 4, 10]] },
      { name: "a drive-relative path in a Windows stage", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:app\n", at: [[3, 9, 3, 14]], messages: ['"C:app"'] },
      { name: "another drive in a Windows stage", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR D:\\data\n", at: [[3, 9, 3, 16]] },
      { name: "a Windows path in a Linux stage", dockerfile: "FROM alpine\nWORKDIR C:/app\n", at: [[2, 9, 2, 15]], messages: ['"C:/app"'] },
      { name: "lower-case keyword, quoted path", dockerfile: "from alpine\nworkdir \"my app\"\n", at: [[2, 9, 2, 17]], messages: ['"my app"'] },
    ],
    silent: [
      { name: "absolute", dockerfile: "FROM nginx\nWORKDIR /usr/share/nginx/html\n" },
      { name: "relative after an absolute one", dockerfile: "FROM nginx\nWORKDIR /usr/share\nWORKDIR nginx/html\n" },
      { name: "only the first counts", dockerfile: "FROM nginx\nWORKDIR /a\nWORKDIR b\nWORKDIR c\n" },
      { name: "set in the base stage", dockerfile: "FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n" },
      { name: "absolute through a variable", dockerfile: "FROM alpine\nENV ROOT=/srv\nWORKDIR $ROOT/app\n" },
      { name: "variable the base image may define", dockerfile: "FROM golang:1.22\nWORKDIR $GOPATH/src/app\n" },
      // docker-library/golang 1.26/windows/nanoserver-ltsc2022: C:\go through an ENV, default escape.
      { name: "a Windows drive path through ENV", dockerfile: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nSHELL [\"cmd\", \"/S\", \"/C\"]\nENV GOPATH C:\\\\go\nWORKDIR $GOPATH\n" },
      // dockersamples/atsea-sample-shop-app windows/docker/database: lower-case drive, backtick escape.
      { name: "a lower-case drive path", dockerfile: "# escape=`\nFROM microsoft/mssql-server-windows-express:2016-sp1-windowsservercore-10.0.14393.693\nWORKDIR c:\\init\n" },
      { name: "a rooted path without a drive, forward slashes", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR \\app\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:/app\n" },
      { name: "ONBUILD WORKDIR runs elsewhere", dockerfile: "FROM alpine\nONBUILD WORKDIR app\n" },
    ],
  });
});
