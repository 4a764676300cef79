import { describe } from "node:test";
import { DEFAULT_RULE_OPTIONS } from "../../../src/core/rule.ts";
import type { RunOptions } from "../../../src/core/run.ts";
import { rule } from "../../../src/rules/dockerfile/DL3026.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const trusting = (...registries: string[]): RunOptions => ({ ruleOptions: { ...DEFAULT_RULE_OPTIONS, trustedRegistries: registries } });
const OURS = trusting("registry.example.com");
const HUB = trusting("docker.io");

describe("DL3026", () => {
  ruleCases(rule, {
    fires: [
      { name: "Docker Hub image by default", dockerfile: "FROM debian:12\n", at: [[1, 6, 1, 15]], options: OURS, messages: ['"debian:12" comes from docker.io (Docker Hub, the default)'] },
      { name: "explicit docker.io", dockerfile: "FROM docker.io/library/debian:12\n", at: [[1, 6, 1, 33]], options: OURS },
      { name: "other registry", dockerfile: "FROM quay.io/prometheus/node-exporter:v1.8.0\n", at: [[1, 6, 1, 45]], options: HUB, messages: ["comes from quay.io"] },
      { name: "registry from an ARG", dockerfile: "ARG REGISTRY=ghcr.io\nFROM ${REGISTRY}/acme/app:1\n", at: [[2, 6, 2, 28]], options: HUB, messages: ['"ghcr.io/acme/app:1"'] },
      { name: "wildcard prefix does not match the bare domain", dockerfile: "FROM gcr.io/distroless/static:nonroot\n", at: [[1, 6, 1, 38]], options: trusting("*.gcr.io") },
      { name: "COPY --from image", dockerfile: "FROM registry.example.com/debian:12\nCOPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/\n", at: [[2, 13, 2, 23]], options: OURS, messages: ["COPY --from image"] },
      { name: "RUN --mount from an image", dockerfile: "FROM registry.example.com/debian:12\nRUN --mount=type=bind,from=ghcr.io/acme/tools:1,target=/t /t/run\n", at: [[2, 5, 2, 58]], options: OURS },
      { name: "every untrusted stage", dockerfile: "FROM golang:1.22 AS build\nFROM registry.example.com/debian:12\nFROM alpine:3.20\n", at: [[1, 6, 1, 17], [3, 6, 3, 17]], options: OURS },
    ],
    silent: [
      { name: "no trusted registries configured", dockerfile: "FROM quay.io/prometheus/node-exporter:v1.8.0\n" },
      { name: "trusted registry", dockerfile: "FROM registry.example.com/base/debian:12\n", options: OURS },
      { name: "registry names ignore case", dockerfile: "FROM Registry.Example.com/base/debian:12\n", options: OURS },
      { name: "Docker Hub by default, docker.io trusted", dockerfile: "FROM debian:12\nFROM library/debian:12\nFROM index.docker.io/library/debian:12\n", options: HUB },
      { name: "hub.docker.com also names Docker Hub", dockerfile: "FROM debian:12\n", options: trusting("hub.docker.com") },
      { name: "wildcard prefix", dockerfile: "FROM eu.gcr.io/acme/app:1\nFROM us.gcr.io/acme/app:1\n", options: trusting("*.gcr.io") },
      { name: "wildcard suffix covers the port", dockerfile: "FROM localhost:5000/app:1\n", options: trusting("localhost*") },
      { name: "star trusts everything", dockerfile: "FROM quay.io/a/b:1\n", options: trusting("*") },
      { name: "scratch and stages pull nothing", dockerfile: "FROM scratch AS base\nFROM base\nCOPY --from=base /a /b\nCOPY --from=0 /a /b\nRUN --mount=type=cache,target=/c --mount=from=base,target=/b true\n", options: OURS },
      { name: "variable without a value", dockerfile: "ARG BASE\nFROM ${BASE}\n", options: OURS },
    ],
  });
});
