import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/UndefinedVar.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

describe("UndefinedVar", () => {
  ruleCases(rule, {
    fires: [
      { name: "typo with a suggestion", dockerfile: "FROM alpine\nENV PATH=$PAHT:/app/bin\n", at: [[2, 10, 2, 15]], messages: ["Usage of undefined variable '$PAHT' (did you mean $PATH?)"] },
      { name: "COPY source", dockerfile: "FROM alpine AS base\nCOPY $foo .\n", at: [[2, 6, 2, 10]], messages: ["Usage of undefined variable '$foo'"] },
      { name: "ARG default", dockerfile: "FROM alpine AS base\nARG VERSION=$foo\n", at: [[2, 13, 2, 17]] },
      { name: "ENV pairs of one instruction do not see each other", dockerfile: "FROM alpine\nENV A=1 B=$A\n", at: [[2, 11, 2, 13]] },
      { name: "global ARG not brought into the stage", dockerfile: "ARG VERSION=1\nFROM alpine\nLABEL version=$VERSION\n", at: [[3, 15, 3, 23]] },
      { name: "braced, with a default: still undefined", dockerfile: "FROM alpine\nWORKDIR ${DIR:-/app}\n", at: [[2, 9, 2, 21]] },
      { name: "predefined ARG not declared in the stage", dockerfile: "FROM alpine\nCOPY bin-$TARGETARCH /bin/app\n", at: [[2, 10, 2, 21]] },
      { name: "--chown and destination", dockerfile: "FROM alpine\nCOPY --chown=$USER_ID a $DEST\n", at: [[2, 14, 2, 22], [2, 25, 2, 30]] },
      { name: "RUN --mount option value", dockerfile: "FROM alpine\nRUN --mount=type=cache,target=$CACHE_DIR make\n", at: [[2, 31, 2, 41]] },
      { name: "COPY heredoc body", dockerfile: "FROM alpine\nCOPY <<EOF /etc/app.conf\nhome=$APP_HOME\nEOF\n", at: [[3, 6, 3, 15]] },
      { name: "USER, VOLUME, STOPSIGNAL, LABEL key", dockerfile: "FROM alpine\nUSER $U\nVOLUME /data $V\nSTOPSIGNAL $S\nLABEL $K=v\n", at: [[2, 6, 2, 8], [3, 14, 3, 16], [4, 12, 4, 14], [5, 7, 5, 9]] },
      { name: "ENV of another stage is not inherited by an unrelated stage", dockerfile: "FROM alpine AS a\nENV X=1\nFROM alpine\nWORKDIR /$X\n", at: [[4, 10, 4, 12]], messages: ["'$X'"] },
      { name: "suggests a stage ARG", dockerfile: "FROM alpine\nARG VERSION=1\nCOPY app-$VERSOIN.tar /\n", at: [[3, 10, 3, 18]], messages: ["(did you mean $VERSION?)"] },
      { name: "each use in separate words", dockerfile: "FROM alpine\nCOPY $X $X/b /d/\n", at: [[2, 6, 2, 8], [2, 9, 2, 11]] },
    ],
    silent: [
      { name: "declared ARG without a value", dockerfile: "FROM alpine AS base\nARG foo\nCOPY $foo .\n" },
      { name: "ENV before", dockerfile: "FROM alpine\nENV APP=/app\nWORKDIR $APP\n" },
      { name: "PATH is always defined", dockerfile: "FROM scratch\nENV PATH=/bin:$PATH\n" },
      { name: "shell-form RUN, CMD and ENTRYPOINT are left to the shell", dockerfile: "FROM alpine\nRUN echo $HOME\nCMD echo $HOME\nENTRYPOINT exec $APP\n" },
      { name: "exec-form commands are not expanded", dockerfile: "FROM alpine\nCMD [\"echo\", \"$HOME\"]\n" },
      { name: "EXPOSE is not checked", dockerfile: "FROM alpine\nEXPOSE $PORT\n" },
      { name: "earlier declarations of one ARG", dockerfile: "FROM alpine\nARG A=1 B=$A\n" },
      { name: "ARG and ENV of the base stage", dockerfile: "FROM alpine AS base\nARG V=1\nENV E=2\nFROM base\nCOPY $V $E /\n" },
      { name: "global ARG brought into the stage", dockerfile: "ARG VERSION=1\nFROM alpine\nARG VERSION\nLABEL version=$VERSION\n" },
      { name: "single quotes", dockerfile: "FROM alpine\nENV A='$NOT_EXPANDED'\n" },
      { name: "escaped dollar", dockerfile: "FROM alpine\nENV A=\\$NOT_EXPANDED\n" },
      { name: "quoted heredoc delimiter", dockerfile: "FROM alpine\nCOPY <<'EOF' /x\n$NOT_EXPANDED\nEOF\n" },
      { name: "RUN heredoc is the shell's", dockerfile: "FROM alpine\nRUN <<EOF\necho $HOME\nEOF\n" },
      { name: "COPY --from is not expanded", dockerfile: "FROM alpine\nCOPY --from=$STAGE /a /a\n" },
      { name: "FROM is UndefinedArgInFrom's", dockerfile: "FROM alpine:$TAG\n" },
      { name: "SBOM scan args", dockerfile: "FROM alpine\nLABEL s=$BUILDKIT_SBOM_SCAN_STAGE\n" },
      { name: "ONBUILD runs in child images", dockerfile: "FROM alpine\nONBUILD COPY $X /\n" },
    ],
  });
});
