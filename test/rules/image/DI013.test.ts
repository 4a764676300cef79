import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI013.ts";
import { checkCases } from "./helpers.ts";

describe("DI013", () => {
  checkCases(check, {
    fires: [
      {
        name: "Finder, vim, backup, editor settings, build files",
        layers: [[
          { name: "app/.DS_Store", content: "x" }, { name: "app/.main.py.swp", content: "x" }, { name: "app/settings.py~", content: "x" },
          { name: "app/.vscode/", type: "directory" }, { name: "app/Dockerfile", content: "FROM x" }, { name: "app/docker-compose.yml", content: "x" },
        ]],
        expect: [
          "/app/.DS_Store: /app/.DS_Store is macOS Finder metadata",
          "/app/.main.py.swp: /app/.main.py.swp is a vim swap file",
          "/app/.vscode: /app/.vscode is editor project settings",
          "/app/Dockerfile: /app/Dockerfile is a build file",
          "/app/docker-compose.yml: /app/docker-compose.yml is a build file",
          "/app/settings.py~: /app/settings.py~ is an editor backup file",
        ],
      },
    ],
    silent: [
      { name: "inside node_modules", layers: [[{ name: "app/node_modules/pkg/Dockerfile", content: "x" }, { name: "app/node_modules/pkg/.DS_Store", content: "x" }]] },
      { name: "ordinary files", layers: [[{ name: "app/main.py", content: "x" }, { name: "etc/vim/vimrc", content: "x" }]] },
    ],
  });
});
