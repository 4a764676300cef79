import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD009.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const NODE = "FROM node:22\n";
const PY = "FROM python:3.12\n";
const DEB = "FROM debian:12\n";
describe("DD009", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "npm install with a lockfile copied", dockerfile: `${NODE}COPY package.json package-lock.json ./\nRUN npm install\n`, at: [[3, 9, 3, 16]],
        messages: ["npm install may rewrite package-lock.json (copied at line 2) instead of failing when it is out of date: use npm ci"] },
      { name: "npm i with a glob copying the lockfile", dockerfile: `${NODE}COPY package*.json ./\nRUN npm i --omit=dev\n`, at: [[3, 9, 3, 10]], messages: ["copied at line 2"] },
      { name: "npm install without a lockfile", dockerfile: `${NODE}COPY package.json ./\nRUN npm install\n`, at: [[3, 9, 3, 16]], messages: ["commit a package-lock.json and use npm ci"] },
      { name: "yarn install", dockerfile: `${NODE}RUN yarn install\n`, at: [[2, 10, 2, 17]], messages: ["yarn install updates yarn.lock instead of failing"] },
      { name: "a bare yarn", dockerfile: `${NODE}RUN yarn --production\n`, at: [[2, 5, 2, 9]] },
      { name: "pip install of names", dockerfile: `${PY}RUN pip install --no-cache-dir flask==3.0.3 gunicorn\n`, at: [[2, 9, 2, 16]],
        messages: ['pip install of "flask", "gunicorn" resolves them and their dependencies anew'] },
      { name: "pinned names still pull dependencies", dockerfile: `${PY}RUN python -m pip install requests==2.32.3\n`, at: [[2, 19, 2, 26]], messages: ["it and its dependencies"] },
      { name: "go install @latest", dockerfile: `FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n`, at: [[2, 16, 2, 47]], messages: ["go install golang.org/x/tools/gopls@latest builds whatever version is newest"] },
      { name: "go run @upgrade", dockerfile: `FROM golang:1.22\nRUN go run example.com/gen@upgrade -o x\n`, at: [[2, 12, 2, 35]] },
      { name: "cargo install without --locked", dockerfile: `FROM rust:1.79\nRUN cargo install ripgrep --version 14.1.0\n`, at: [[2, 11, 2, 18]], messages: ["add --locked"] },
      { name: "gem install without -v", dockerfile: `FROM ruby:3.3\nRUN gem install bundler rake:13.2.1\n`, at: [[2, 9, 2, 16]], messages: ['gem install of "bundler"'] },
      { name: "git clone without a ref", dockerfile: `${DEB}RUN git clone https://github.com/madler/zlib /src/zlib\n`, at: [[2, 15, 2, 45]],
        messages: ["git clone of https://github.com/madler/zlib gets whatever its default branch holds"] },
      { name: "git clone of a moving branch", dockerfile: `${DEB}RUN git clone --depth 1 -b main https://github.com/madler/zlib\n`, at: [[2, 28, 2, 32]], messages: ["--branch main"] },
      { name: "a checkout of master does not pin", dockerfile: `${DEB}RUN git clone https://x.example/a.git /a && cd /a && git checkout origin/master\n`, at: [[2, 15, 2, 38]] },
      { name: "a checkout pins only the clone before it", dockerfile: `${DEB}RUN git clone https://x.example/a.git && git clone https://x.example/b.git && git -C b checkout 4f2a1c9\n`, at: [[2, 15, 2, 38]] },
      { name: "a checkout in a stage not built on the clone's", dockerfile: `FROM debian:12 AS a\nRUN git clone https://x.example/a.git /a\nFROM debian:12\nRUN git -C /a checkout v1.0\n`, at: [[2, 15, 2, 38]] },
      { name: "in a heredoc", dockerfile: `${NODE}RUN <<EOF\nnpm install\nEOF\n`, at: [[3, 5, 3, 12]] },
    ],
    silent: [
      { name: "npm ci", dockerfile: `${NODE}COPY package*.json ./\nRUN npm ci\n` },
      { name: "npm install of named packages is DL3016's", dockerfile: `${NODE}RUN npm install -g typescript@5.4.5\n` },
      { name: "npm install -g of the current package", dockerfile: `${NODE}RUN npm install -g\n` },
      { name: "yarn with a frozen lockfile", dockerfile: `${NODE}RUN yarn install --frozen-lockfile && yarn --immutable\n` },
      { name: "yarn immutable by environment", dockerfile: `${NODE}ENV YARN_ENABLE_IMMUTABLE_INSTALLS=true\nRUN yarn install\n` },
      { name: "yarn --version", dockerfile: `${NODE}RUN yarn --version\n` },
      // nodejs/docker-node 22/bullseye: the smoke test after installing yarn, past a comment line in the continuation.
      { name: "yarn --version smoke test", dockerfile: "FROM buildpack-deps:bullseye\nRUN ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn \\\n  # smoke test\n  && yarn --version \\\n  && rm -rf /tmp/*\n" },
      { name: "yarn -v", dockerfile: `${NODE}RUN yarn -v && yarn help\n` },
      { name: "yarn add and yarn build", dockerfile: `${NODE}RUN yarn add left-pad@1.3.0 && yarn build\n` },
      { name: "pip from requirements or constraints", dockerfile: `${PY}RUN pip install -r requirements.txt && pip install -c constraints.txt flask\n` },
      { name: "pip --require-hashes", dockerfile: `${PY}RUN pip install --require-hashes flask==3.0.3\n` },
      { name: "pip exact pins without dependencies", dockerfile: `${PY}RUN pip install --no-deps flask==3.0.3 werkzeug==3.0.3\n` },
      { name: "pip of local paths and wheels", dockerfile: `${PY}RUN pip install . /wheels/app-1.0-py3-none-any.whl\n` },
      { name: "pip of an unknown variable", dockerfile: `${PY}RUN pip install $PACKAGES\n` },
      { name: "go install of a version", dockerfile: `FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.16.1\n` },
      { name: "cargo install --locked", dockerfile: `FROM rust:1.79\nRUN cargo install --locked ripgrep@14.1.0\n` },
      { name: "gem install with -v", dockerfile: `FROM ruby:3.3\nRUN gem install bundler -v 2.5.11 && gem install rake:13.2.1\n` },
      { name: "git clone of a tag", dockerfile: `${DEB}RUN git clone --depth 1 --branch v1.3.1 https://github.com/madler/zlib\n` },
      { name: "git clone of a tag from an ARG", dockerfile: `${DEB}ARG ZLIB=v1.3.1\nRUN git clone --branch "\${ZLIB}" https://github.com/madler/zlib\n` },
      { name: "git clone of an unknown ref", dockerfile: `${DEB}RUN git clone -b "$REF" https://github.com/madler/zlib\n` },
      { name: "git clone then checkout of a commit", dockerfile: `${DEB}RUN git clone https://github.com/madler/zlib /z && cd /z && git checkout 51b7f2abdade71cd9bb0e7a373ef2610ec6f9daf\n` },
      { name: "git clone then reset --hard", dockerfile: `${DEB}RUN git clone https://github.com/madler/zlib /z && git -C /z reset --hard v1.3.1\n` },
      { name: "git checkout in a later RUN of the stage", dockerfile: `${DEB}ENV COMMIT=a6b387c\nRUN git clone https://github.com/sharat87/httpbun.git\nWORKDIR /httpbun\nRUN git checkout $COMMIT\n` },
      { name: "git checkout in a stage built FROM the clone's", dockerfile: `FROM debian:12 AS src\nRUN git clone https://x.example/a.git /a\nFROM src\nRUN git -C /a checkout v1.0\n` },
      { name: "git clone --revision", dockerfile: `${DEB}RUN git clone --revision=51b7f2a https://github.com/madler/zlib\n` },
      { name: "quoted", dockerfile: `${DEB}RUN echo "git clone https://x.example/a && npm install"\n` },
    ],
  });
});
