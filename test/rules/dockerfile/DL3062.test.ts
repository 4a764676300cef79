import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DL3062.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM golang:1.22\n";
describe("DL3062", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "no version", dockerfile: `${FROM}RUN go install golang.org/x/tools/gopls\n`, at: [[2, 16, 2, 40]], messages: ["golang.org/x/tools/gopls has no version; use golang.org/x/tools/gopls@<version>"] },
      { name: "@latest", dockerfile: `${FROM}RUN go install golang.org/x/tools/gopls@latest\n`, at: [[2, 16, 2, 47]], messages: ["gopls@latest builds whatever is newest on build day"] },
      { name: "go get", dockerfile: `${FROM}RUN go get -u github.com/spf13/cobra\n`, at: [[2, 15, 2, 37]] },
      { name: "go run: the package, not its arguments", dockerfile: `${FROM}RUN go run github.com/a/gen -out x\n`, at: [[2, 12, 2, 28]] },
      { name: "flag values are not packages", dockerfile: `${FROM}RUN go install -ldflags "-s -w" -tags netgo github.com/a/b\n`, at: [[2, 45, 2, 59]] },
      { name: "ARG holding @latest", dockerfile: `${FROM}ARG V=latest\nRUN go install github.com/a/b@\${V}\n`, at: [[3, 16, 3, 35]] },
    ],
    silent: [
      { name: "a version", dockerfile: `${FROM}RUN go install golang.org/x/tools/gopls@v0.16.1\n` },
      { name: "a commit", dockerfile: `${FROM}RUN go install github.com/a/b@4f2a1c9d\n` },
      { name: "local packages", dockerfile: `${FROM}RUN go install ./cmd/... && go run . && go get -d ./... && go install /src/app\n` },
      { name: "meta packages", dockerfile: `${FROM}RUN go install std && go install tool\n` },
      { name: "a .go file", dockerfile: `${FROM}RUN go run main.go arg\n` },
      { name: "@none removes", dockerfile: `${FROM}RUN go get github.com/a/b@none\n` },
      { name: "go build", dockerfile: `${FROM}RUN go build -o /app ./cmd/app\n` },
      { name: "unknown variable", dockerfile: `${FROM}RUN go install $TOOL\n` },
      { name: "quoted", dockerfile: `${FROM}RUN echo "go install x"\n` },
    ],
  });
});
