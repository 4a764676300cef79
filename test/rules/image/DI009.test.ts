import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI009.ts";
import { checkCases } from "./helpers.ts";

const LISTS = [
  { name: "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", content: Buffer.alloc(2048, 1) },
  { name: "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", content: Buffer.alloc(1024, 2) },
];
const EMPTY_LISTS = [{ name: "var/lib/apt/lists/lock", content: "" }, { name: "var/lib/apt/lists/partial/", type: "directory" as const }];

describe("DI009", () => {
  checkCases(check, {
    fires: [
      { name: "lists left", layers: [LISTS], expect: ["/var/lib/apt/lists: apt package lists left in /var/lib/apt/lists (2 files, 3.0 KiB, from layer 0)"] },
      {
        name: "downloaded packages in a later layer", layers: [EMPTY_LISTS, [{ name: "var/cache/apt/archives/curl_7.88_amd64.deb", content: Buffer.alloc(100) }]],
        expect: ["/var/cache/apt/archives: downloaded .deb packages left in /var/cache/apt/archives (1 file, 100 B, from layer 1)"],
      },
    ],
    silent: [
      { name: "only the lock and partial/", layers: [EMPTY_LISTS] },
      { name: "lists removed in a later layer (DI009 is about the container's view)", layers: [LISTS, [{ name: "var/lib/apt/.wh.lists", content: "" }]] },
      { name: "opaque directory", layers: [LISTS, [{ name: "var/lib/apt/lists/.wh..wh..opq", content: "" }]] },
    ],
  });
});
