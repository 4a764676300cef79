import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD001.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("DD001", () => {
  ruleCases(rule, {
    fires: [
      { name: "no USER at all", dockerfile: "FROM debian:12\nRUN apt-get update\nCMD [\"bash\"]\n", at: [[1, 6, 1, 15]], messages: ['"debian:12"'] },
      { name: "scratch has no user", dockerfile: "FROM scratch\nCOPY app /app\n", at: [[1, 6, 1, 13]], messages: ["scratch"] },
      {
        name: "USER only in a build stage that is copied from",
        dockerfile: "FROM golang:1.22 AS build\nUSER nobody\nRUN go build -o /out/app\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n",
        at: [[4, 6, 4, 17]],
      },
      {
        name: "the target is built FROM a stage without USER: points at the target's FROM",
        dockerfile: "FROM python:3.12-slim AS base\nRUN pip install app\nFROM base\nCMD [\"app\"]\n",
        at: [[3, 6, 3, 10]], messages: ['"python:3.12-slim"'],
      },
      { name: "base from an ARG default", dockerfile: "ARG BASE=ubuntu:24.04\nFROM ${BASE}\n", at: [[2, 6, 2, 13]], messages: ['"ubuntu:24.04"'] },
      { name: "ONBUILD USER does not set this image's user", dockerfile: "FROM debian:12\nONBUILD USER app\n", at: [[1, 6, 1, 15]] },
      { name: "USER in the text of a RUN is no USER", dockerfile: "FROM debian:12\nRUN echo 'USER app' > /notes # USER app\n", at: [[1, 6, 1, 15]] },
      { name: "distroless without the nonroot tag runs as root", dockerfile: "FROM gcr.io/distroless/static-debian12:latest\n", at: [[1, 6, 1, 46]] },
      { name: "chainguard's OS base runs as root", dockerfile: "FROM cgr.dev/chainguard/wolfi-base:latest\n", at: [[1, 6, 1, 42]] },
      { name: "a tag merely containing nonroot as part of a word", dockerfile: "FROM example/app:nonrootless\n", at: [[1, 6, 1, 29]] },
      // docker-library/python 3.13/windows/windowsservercore-ltsc2022: Server Core runs as ContainerAdministrator.
      {
        name: "Windows Server Core without USER", dockerfile: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nCMD [\"python\"]\n",
        at: [[1, 6, 1, 51]], messages: ['"mcr.microsoft.com/windows/servercore:ltsc2022" runs as ContainerAdministrator'],
      },
      {
        name: "a last USER ContainerAdministrator on Nano Server", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\nUSER containeradministrator\n",
        at: [[4, 6, 4, 28]], messages: ["runs as containeradministrator"],
      },
      {
        name: "target option picks a stage without USER",
        dockerfile: "FROM debian:12 AS dev\nRUN apt-get update\nFROM debian:12\nUSER app\n",
        at: [[1, 6, 1, 15]], options: { target: "dev" },
      },
    ],
    silent: [
      { name: "USER app", dockerfile: "FROM debian:12\nRUN useradd app\nUSER app\n" },
      { name: "explicit last USER root is DL3002's finding", dockerfile: "FROM debian:12\nUSER root\n" },
      { name: "USER inherited from the stage the target is built FROM", dockerfile: "FROM debian:12 AS base\nUSER 10001\nFROM base\nRUN true\n" },
      { name: "USER from a variable", dockerfile: "FROM debian:12\nARG UID=10001\nUSER ${UID}\n" },
      { name: "distroless nonroot", dockerfile: "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n" },
      { name: "distroless debug-nonroot with a digest", dockerfile: "FROM gcr.io/distroless/base:debug-nonroot@sha256:0000000000000000000000000000000000000000000000000000000000000000\n" },
      { name: "an image named *-nonroot", dockerfile: "FROM example.com/distroless-base-nonroot:1.0\n" },
      { name: "chainguard image", dockerfile: "FROM cgr.dev/chainguard/python:latest\n" },
      { name: "nginx-unprivileged", dockerfile: "FROM nginxinc/nginx-unprivileged:1.27-alpine\n" },
      { name: ".NET chiseled", dockerfile: "FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\n" },
      { name: "docker rootless", dockerfile: "FROM docker:27-dind-rootless\n" },
      { name: "nonroot base through an ARG", dockerfile: "ARG BASE=gcr.io/distroless/java21-debian12:nonroot\nFROM ${BASE}\n" },
      // dotnet/dotnet-docker src/aspnet/8.0/nanoserver-ltsc2022/amd64: Nano Server runs as ContainerUser.
      {
        name: "Nano Server based image through an ARG",
        dockerfile: "# escape=`\nARG REPO=mcr.microsoft.com/dotnet/runtime\nFROM mcr.microsoft.com/windows/servercore:ltsc2022-amd64 AS installer\nRUN mkdir dotnet\nFROM $REPO:8.0.30-nanoserver-ltsc2022\nENV ASPNET_VERSION=8.0.30\nCOPY --from=installer [\"/dotnet/shared\", \"/Program Files/dotnet/shared\"]\n",
      },
      { name: "Server Core with USER ContainerUser", dockerfile: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n" },
      { name: "ContainerAdministrator earlier, ContainerUser last", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2025-amd64\nUSER ContainerAdministrator\nRUN setx /M PATH \"%PATH%;C:\\dotnet\"\nUSER ContainerUser\n" },
      { name: "base from an ARG without default is not known", dockerfile: "ARG BASE\nFROM ${BASE}\n" },
      { name: "no stages, only a global ARG", dockerfile: "ARG VERSION=1\n" },
    ],
  });
});
