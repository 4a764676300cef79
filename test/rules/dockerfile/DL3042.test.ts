import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3042.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM python:3.12\n";
describe("DL3042", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "pip install", dockerfile: `${FROM}RUN pip install flask==3.0.3\n`, at: [[2, 9, 2, 16]], messages: ["add --no-cache-dir"], fixed: `${FROM}RUN pip install --no-cache-dir flask==3.0.3\n` },
      { name: "python -m pip and pip3", dockerfile: `${FROM}RUN python3 -m pip install -r req.txt && pip3 install .\n`, at: [[2, 20, 2, 27], [2, 47, 2, 54]],
        fixed: `${FROM}RUN python3 -m pip install --no-cache-dir -r req.txt && pip3 install --no-cache-dir .\n` },
      { name: "PIP_NO_CACHE_DIR off", dockerfile: `${FROM}ENV PIP_NO_CACHE_DIR=0\nRUN pip install flask==3.0.3\n`, at: [[3, 9, 3, 16]], fixed: `${FROM}ENV PIP_NO_CACHE_DIR=0\nRUN pip install --no-cache-dir flask==3.0.3\n` },
      { name: "ENV in another stage", dockerfile: `FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask==3.0.3\n`, at: [[4, 9, 4, 16]],
        fixed: `FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n` },
      { name: "export after the install", dockerfile: `${FROM}RUN pip install flask==3.0.3 && export PIP_NO_CACHE_DIR=1\n`, at: [[2, 9, 2, 16]],
        fixed: `${FROM}RUN pip install --no-cache-dir flask==3.0.3 && export PIP_NO_CACHE_DIR=1\n` },
      { name: "a cache mount elsewhere", dockerfile: `${FROM}RUN --mount=type=cache,target=/root/.cache/pip-tools pip install flask==3.0.3\n`, at: [[2, 58, 2, 65]],
        fixed: `${FROM}RUN --mount=type=cache,target=/root/.cache/pip-tools pip install --no-cache-dir flask==3.0.3\n` },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\npip install flask==3.0.3\nEOF\n`, at: [[3, 5, 3, 12]], fixed: `${FROM}RUN <<EOF\npip install --no-cache-dir flask==3.0.3\nEOF\n` },
      { name: "exec form", dockerfile: `${FROM}RUN ["pip", "install", "flask==3.0.3"]\n`, at: [[2, 13, 2, 22]], fixed: `${FROM}RUN ["pip", "install", "--no-cache-dir", "flask==3.0.3"]\n` },
      { name: "in the stage the target is built FROM", dockerfile: "FROM python:3.12 AS base\nRUN pip install flask==3.0.3\nFROM base\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]], fixed: "FROM python:3.12 AS base\nRUN pip install --no-cache-dir flask==3.0.3\nFROM base\nCMD [\"sh\"]\n" },
      { name: "in the stage chosen by the target option", dockerfile: "FROM python:3.12 AS dev\nRUN pip install flask==3.0.3\nFROM python:3.12\nCMD [\"sh\"]\n", at: [[2, 9, 2, 16]], options: { target: "dev" }, fixed: "FROM python:3.12 AS dev\nRUN pip install --no-cache-dir flask==3.0.3\nFROM python:3.12\nCMD [\"sh\"]\n" },
    ],
    silent: [
      { name: "--no-cache-dir", dockerfile: `${FROM}RUN pip install --no-cache-dir flask==3.0.3\n` },
      { name: "--no-cache-dir before install", dockerfile: `${FROM}RUN pip --no-cache-dir install flask==3.0.3\n` },
      { name: "ENV PIP_NO_CACHE_DIR", dockerfile: `${FROM}ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n` },
      { name: "ENV in the base stage", dockerfile: `FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install flask==3.0.3\n` },
      { name: "ARG PIP_NO_CACHE_DIR", dockerfile: `${FROM}ARG PIP_NO_CACHE_DIR=yes\nRUN pip install flask==3.0.3\n` },
      { name: "command prefix", dockerfile: `${FROM}RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n` },
      { name: "env wrapper", dockerfile: `${FROM}RUN env PIP_NO_CACHE_DIR=on pip install flask==3.0.3\n` },
      { name: "export before", dockerfile: `${FROM}RUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3\n` },
      { name: "cache mount", dockerfile: `${FROM}RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3\n` },
      { name: "cache mount on ~/.cache of a user", dockerfile: `${FROM}RUN --mount=type=cache,target=/home/app/.cache,uid=1000 pip install flask==3.0.3\n` },
      { name: "cache mount on PIP_CACHE_DIR", dockerfile: `${FROM}ENV PIP_CACHE_DIR=/var/cache/pip\nRUN --mount=type=cache,target=/var/cache/pip pip install flask==3.0.3\n` },
      { name: "tmpfs on --cache-dir", dockerfile: `${FROM}RUN --mount=type=tmpfs,target=/tmp/pc pip install --cache-dir /tmp/pc flask==3.0.3\n` },
      { name: "pipx and pipenv", dockerfile: `${FROM}RUN pipx install black && pipenv install\n` },
      { name: "pip freeze", dockerfile: `${FROM}RUN pip freeze > /req.txt\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "pip install flask"\n` },
      { name: "a build stage only copied from", dockerfile: "FROM python:3.12 AS build\nRUN pip install flask==3.0.3\nFROM python:3.12\nCOPY --from=build /usr/bin/x /usr/bin/\n" },
      { name: "a stage the target does not use", dockerfile: "FROM python:3.12 AS other\nRUN pip install flask==3.0.3\nFROM python:3.12\nCMD [\"sh\"]\n" },
    ],
  });
});
