import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI010.ts";
import { checkCases } from "./helpers.ts";

describe("DI010", () => {
  checkCases(check, {
    fires: [
      {
        name: "APKINDEX cached", layers: [[{ name: "var/cache/apk/APKINDEX.5022a8a2.tar.gz", content: Buffer.alloc(4096) }]],
        expect: ["/var/cache/apk: the apk package cache left in /var/cache/apk (1 file, 4.0 KiB, from layer 0)"],
      },
    ],
    silent: [
      { name: "empty cache directory", layers: [[{ name: "var/cache/apk/", type: "directory" }]] },
      { name: "cache cleaned in the same layer", layers: [[{ name: "etc/apk/world", content: "curl\n" }]] },
    ],
  });
});
