import { describe } from "node:test";
import { check } from "../../../src/rules/image/DI003.ts";
import { checkCases } from "./helpers.ts";

describe("DI003", () => {
  checkCases(check, {
    fires: [
      {
        name: "classic builder, update alone", history: ["/bin/sh -c apt-get update", "/bin/sh -c apt-get install -y curl"],
        expect: [": history step 0 updates the apt index without installing in the same step (RUN apt-get update)"],
      },
      {
        name: "BuildKit, apk update alone", history: ["RUN /bin/sh -c apk update # buildkit", "RUN /bin/sh -c apk add curl # buildkit"],
        expect: [": history step 0 updates the apk index without installing in the same step (RUN apk update)"],
      },
      {
        name: "behind sudo, with build args", history: ["|1 X=1 /bin/sh -c sudo apt-get -q update"],
        expect: [": history step 0 updates the apt index without installing in the same step (RUN sudo apt-get -q update)"],
      },
    ],
    silent: [
      { name: "update and install together", history: ["/bin/sh -c apt-get update && apt-get install -y curl"] },
      { name: "bash -c with pipefail", history: ["RUN /bin/bash -o pipefail -c apt-get update && apt-get upgrade -y # buildkit"] },
      { name: "update mentioned in an echo", history: ["/bin/sh -c echo apt-get update"] },
      { name: "metadata steps", history: ["/bin/sh -c #(nop)  CMD [\"apt-get\", \"update\"]"] },
    ],
  });
});
