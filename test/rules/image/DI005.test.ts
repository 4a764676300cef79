import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI005.ts";
import { checkCases } from "./helpers.ts";

describe("DI005", () => {
  checkCases(check, {
    fires: [
      {
        name: "ADD of a URL and of a local file after the base", layers: [[], [], []],
        history: ["/bin/sh -c #(nop) ADD file:0123abcd in / ", "ADD https://example.com/tool.tgz /opt/ # buildkit", "/bin/sh -c #(nop) ADD file:4567 in /app/config.json "],
        expect: [
          ": history step 1 downloads remote content unverified (ADD https://example.com/tool.tgz /opt/); use COPY",
          ": history step 2 copies with ADD (ADD file:4567 in /app/config.json); use COPY",
        ],
      },
    ],
    silent: [
      { name: "the base file system", history: ["/bin/sh -c #(nop) ADD file:0123abcd in / "] },
      { name: "COPY", layers: [[], []], history: ["/bin/sh -c #(nop) ADD file:0123 in / ", "COPY . /app # buildkit"] },
    ],
  });
});
