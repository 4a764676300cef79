import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3000.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3000", () => {
  ruleCases(rule, {
    fires: [
      { name: "relative path", dockerfile: `${FROM}WORKDIR app\n`, at: [[2, 9, 2, 12]], messages: ['"app" is relative'] },
      { name: "relative after ARG expansion", dockerfile: `${FROM}ARG DIR=src\nWORKDIR $DIR/app\n`, at: [[3, 9, 3, 17]], messages: ['"src/app"'] },
      { name: "quoted relative path", dockerfile: `${FROM}WORKDIR "my app"\n`, at: [[2, 9, 2, 17]] },
      { name: "inside ONBUILD", dockerfile: `${FROM}ONBUILD WORKDIR app\n`, at: [[2, 17, 2, 20]] },
    ],
    silent: [
      { name: "absolute path", dockerfile: `${FROM}WORKDIR /app\n` },
      { name: "absolute after ENV expansion", dockerfile: `${FROM}ENV HOME=/home/app\nWORKDIR $HOME\n` },
      { name: "unresolvable variable", dockerfile: `${FROM}WORKDIR $APP_HOME\n` },
      { name: "windows drive path", dockerfile: `FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\\\app\n` },
      // docker-library/golang 1.26/windows/nanoserver-ltsc2022 and dockersamples/atsea-sample-shop-app windows/docker/database.
      { name: "a Windows drive path through ENV", dockerfile: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nENV GOPATH C:\\\\go\nWORKDIR $GOPATH\n" },
      { name: "a lower-case drive, backtick escape", dockerfile: "# escape=`\nFROM microsoft/mssql-server-windows-express:2016-sp1-windowsservercore-10.0.14393.693\nWORKDIR c:\\init\n" },
      { name: "a rooted Windows path without a drive", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR \\app\n" },
      { name: "quoted absolute path", dockerfile: `${FROM}WORKDIR "/my app"\n` },
    ],
  });
});
