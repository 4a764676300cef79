import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI016.ts";
import { checkCases } from "./helpers.ts";

describe("DI016", () => {
  checkCases(check, {
    fires: [{ name: "the layout's tag is latest", tag: "latest", expect: [": the image is tagged latest (latest)"] }],
    silent: [{ name: "a version tag", tag: "1.4.2" }, { name: "a tag that contains latest", tag: "latest-rc" }],
  });
});
