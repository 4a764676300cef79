import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3016.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DL3016", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "global install", dockerfile: `${FROM}RUN npm install -g typescript\n`, at: [[2, 20, 2, 30]], messages: ['"typescript" gets the release tagged latest on build day; use typescript@<version>'] },
      { name: "scoped name without a version", dockerfile: `${FROM}RUN npm install @types/node @scope/pkg@1.2.3\n`, at: [[2, 17, 2, 28]], messages: ['"@types/node"'] },
      { name: "npm i and npm add", dockerfile: `${FROM}RUN npm i lodash && npm add express\n`, at: [[2, 11, 2, 17], [2, 29, 2, 36]] },
      { name: "--prefix value is not the subcommand", dockerfile: `${FROM}RUN npm --prefix /app install left-pad\n`, at: [[2, 31, 2, 39]] },
      { name: "git URL without a ref", dockerfile: `${FROM}RUN npm install git+https://github.com/npm/cli.git\n`, at: [[2, 17, 2, 51]], messages: ["add #<commit>"] },
      { name: "GitHub shorthand without a ref", dockerfile: `${FROM}RUN npm install expressjs/express\n`, at: [[2, 17, 2, 34]] },
      { name: "variable holding a bare name", dockerfile: `${FROM}ARG TOOL=nodemon\nRUN npm install -g \${TOOL}\n`, at: [[3, 20, 3, 27]] },
      { name: "in a heredoc", dockerfile: `${FROM}RUN <<EOF\nnpm install -g pnpm\nEOF\n`, at: [[3, 16, 3, 20]] },
    ],
    silent: [
      { name: "versions, tags and ranges", dockerfile: `${FROM}RUN npm install -g typescript@5.4.5 npm@latest "react@^18"\n` },
      { name: "scoped with a version", dockerfile: `${FROM}RUN npm install @angular/cli@17.3.0\n` },
      { name: "no package arguments", dockerfile: `${FROM}RUN npm install && npm install --omit=dev\n` },
      { name: "npm ci", dockerfile: `${FROM}RUN npm ci\n` },
      { name: "git with a commit or semver range", dockerfile: `${FROM}RUN npm install git+https://github.com/npm/cli.git#v10.5.0 expressjs/express#semver:^4 github:user/repo#4f2a1c\n` },
      { name: "tarballs, folders, file:", dockerfile: `${FROM}RUN npm install ./pkg /opt/x ../y ~/z pkg.tgz https://example.com/a.tar.gz file:../lib\n` },
      { name: "ARG version", dockerfile: `${FROM}ARG V=5.4.5\nRUN npm install -g typescript@$V\n` },
      { name: "unknown variable", dockerfile: `${FROM}RUN npm install -g $TOOLS\n` },
      { name: "--registry value", dockerfile: `${FROM}RUN npm install --registry https://registry.example left-pad@1.3.0\n` },
      { name: "npm run", dockerfile: `${FROM}RUN npm run build\n` },
      { name: "yarn add is not npm", dockerfile: `${FROM}RUN yarn add lodash\n` },
    ],
  });
});
