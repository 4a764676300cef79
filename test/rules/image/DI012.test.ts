import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI012.ts";
import { checkCases } from "./helpers.ts";

const GIT = [
  { name: "app/.git/", type: "directory" as const },
  { name: "app/.git/HEAD", content: "ref: refs/heads/main\n" },
  { name: "app/.git/config", content: "[core]\n" },
  { name: "app/.git/modules/lib/.git/HEAD", content: "x" },
];

describe("DI012", () => {
  checkCases(check, {
    fires: [
      { name: ".git copied with the app", layers: [GIT], expect: ["/app/.git: git directory /app/.git is in the image (3 files)"] },
      { name: ".svn", layers: [[{ name: "srv/site/.svn/wc.db", content: "x" }]], expect: ["/srv/site/.svn: Subversion directory /srv/site/.svn is in the image (1 file)"] },
    ],
    silent: [
      { name: "removed in a later layer", layers: [GIT, [{ name: "app/.wh..git", content: "" }]] },
      { name: "names that only look alike", layers: [[{ name: "app/.gitignore", content: "x" }, { name: "app/.github/workflows/ci.yml", content: "x" }]] },
    ],
  });
});
