import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI021.ts";
import { checkCases } from "./helpers.ts";

describe("DI021", () => {
  checkCases(check, {
    fires: [
      { name: "dist-upgrade", history: ["/bin/sh -c apt-get update && apt-get dist-upgrade -y"], expect: [": history step 0 runs dist-upgrade (RUN apt-get update && apt-get dist-upgrade -y)"] },
      { name: "apt full-upgrade", history: ["RUN /bin/sh -c apt full-upgrade -y # buildkit"], expect: [": history step 0 runs full-upgrade (RUN apt full-upgrade -y)"] },
    ],
    silent: [{ name: "upgrade of named packages", history: ["/bin/sh -c apt-get update && apt-get install --only-upgrade -y openssl"] }],
  });
});
