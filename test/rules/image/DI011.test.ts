import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI011.ts";
import { checkCases } from "./helpers.ts";

describe("DI011", () => {
  checkCases(check, {
    fires: [
      {
        name: "pip and npm caches",
        layers: [[
          { name: "root/.cache/pip/http-v2/a/b/c/d/e/abcdef", content: Buffer.alloc(500) },
          { name: "home/app/.npm/_cacache/content-v2/sha512/aa/bb", content: Buffer.alloc(1500) },
          { name: "home/app/.npm/_cacache/index-v5/aa/bb", content: Buffer.alloc(100) },
        ]],
        expect: [
          "/home/app/.npm/_cacache: npm's cache left in /home/app/.npm/_cacache (2 files, 1.6 KiB, from layer 0)",
          "/root/.cache/pip: pip's cache left in /root/.cache/pip (1 file, 500 B, from layer 0)",
        ],
      },
      {
        name: "yarn's shared cache and Go's build cache", layers: [[{ name: "usr/local/share/.cache/yarn/v6/npm-x/package.json", content: "{}" }], [{ name: "root/.cache/go-build/ab/abcd-d", content: "x" }]],
        expect: [
          "/usr/local/share/.cache/yarn: yarn's cache left in /usr/local/share/.cache/yarn (1 file, 2 B, from layer 0)",
          "/root/.cache/go-build: Go's build cache left in /root/.cache/go-build (1 file, 1 B, from layer 1)",
        ],
      },
    ],
    silent: [
      { name: "installed packages are not a cache", layers: [[{ name: "usr/local/lib/python3.12/site-packages/requests/__init__.py", content: "" }, { name: "app/node_modules/x/index.js", content: "" }]] },
      { name: "cache deleted by its parent directory's whiteout", layers: [[{ name: "root/.cache/pip/x", content: "x" }], [{ name: "root/.wh..cache", content: "" }]] },
    ],
  });
});
