import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3067.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const BUILD = "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n";
describe("DL3067", () => {
  ruleCases(rule, {
    fires: [
      { name: "root to root", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build / /\n`, at: [[4, 19, 4, 20]], messages: ["from build"] },
      { name: "quoted, from an image", dockerfile: `FROM debian:12\nCOPY --from=busybox:1.36 "/" "/"\n`, at: [[2, 26, 2, 29]] },
      { name: "JSON form", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build ["/", "/"]\n`, at: [[4, 20, 4, 23]] },
    ],
    silent: [
      { name: "a directory", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build /out/ /\n` },
      { name: "root into a directory", dockerfile: `${BUILD}FROM debian:12\nCOPY --from=build / /rootfs/\n` },
      { name: "from the build context", dockerfile: "FROM debian:12\nCOPY / /\n" },
    ],
  });
});
