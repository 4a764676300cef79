import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3066.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
describe("DL3066", () => {
  ruleCases(rule, {
    fires: [
      { name: "user name", dockerfile: `${FROM}USER app\n`, at: [[2, 6, 2, 9]], messages: ['"app" is a name'] },
      { name: "name with a numeric group", dockerfile: `${FROM}USER app:1000\n`, at: [[2, 6, 2, 14]] },
      { name: "a name in the Linux stage of a file with a Windows stage", dockerfile: "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\nUSER ContainerUser\nFROM debian:12\nUSER app\n", at: [[4, 6, 4, 9]] },
      { name: "ARG holding a name", dockerfile: `${FROM}ARG RUNAS=app\nUSER \${RUNAS}\n`, at: [[3, 6, 3, 14]], messages: ['"app"'] },
    ],
    silent: [
      { name: "numeric UID", dockerfile: `${FROM}USER 10001\n` },
      { name: "numeric UID and GID", dockerfile: `${FROM}USER 10001:10001\n` },
      { name: "numeric UID with a group name", dockerfile: `${FROM}USER 10001:app\n` },
      { name: "ARG holding a number", dockerfile: `${FROM}ARG UID=10001\nUSER $UID\n` },
      { name: "ENV holding a number", dockerfile: `${FROM}ENV UID=10001\nUSER $UID\n` },
      { name: "root is UID 0 everywhere", dockerfile: `${FROM}USER root\n` },
      { name: "root with a group", dockerfile: `${FROM}USER root:root\n` },
      // dotnet/dotnet-docker src/runtime/11.0/nanoserver-ltsc2025: Windows accounts have SIDs, not numeric UIDs.
      { name: "Windows nanoserver stage", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025-amd64\nUSER ContainerAdministrator\nRUN setx /M PATH \"%PATH%;C:\\dotnet\"\nUSER ContainerUser\n" },
      { name: "Windows servercore stage, default escape", dockerfile: "FROM mcr.microsoft.com/dotnet/aspnet:10.0-windowsservercore-ltsc2022\nUSER ContainerUser\n" },
      { name: "stage built FROM a Windows stage", dockerfile: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nUSER ContainerAdministrator\n" },
      { name: "ARG without a value", dockerfile: `${FROM}ARG UID\nUSER $UID:$UID\n` },
    ],
  });
});
