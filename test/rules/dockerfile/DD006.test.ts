import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD006.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const REPO = "https://github.com/moby/buildkit.git";
const SHA = "be1f38efc2d7c6f2e0b0a7b1b1c5f0b23f6ea0b1";
describe("DD006", () => {
  ruleCases(rule, {
    fires: [
      { name: "no ref: the default branch", dockerfile: `${FROM}ADD ${REPO} /src\n`, at: [[2, 5, 2, 41]], messages: ["its default branch"] },
      { name: "a tag, with a subdirectory", dockerfile: `${FROM}ADD ${REPO}#v0.26.2:docs /docs\n`, at: [[2, 5, 2, 54]], messages: ['"v0.26.2", a ref that can be moved'] },
      { name: "scp-style with a branch", dockerfile: `${FROM}ADD git@github.com:moby/buildkit.git#main /src\n`, at: [[2, 5, 2, 42]], messages: ['"main"'] },
      { name: "ssh:// needs no .git suffix", dockerfile: `${FROM}ADD ssh://git@github.com/moby/buildkit#v1 /src\n`, at: [[2, 5, 2, 42]] },
      { name: "git://", dockerfile: `${FROM}ADD git://example.com/repo.git /src\n`, at: [[2, 5, 2, 31]] },
      { name: "a tag in the query", dockerfile: `${FROM}ADD ${REPO}?tag=v0.26.2 /src\n`, at: [[2, 5, 2, 53]], messages: ['"v0.26.2"'] },
      { name: "a ref from an ARG", dockerfile: `${FROM}ARG REF=v1.2\nADD ${REPO}#\${REF} /src\n`, at: [[3, 5, 3, 48]], messages: ['"v1.2"'] },
      { name: "a checksum that is only a prefix", dockerfile: `${FROM}ADD --checksum=be1f38e ${REPO}#v0.26.2 /src\n`, at: [[2, 16, 2, 23]], messages: ["7-digit prefix"] },
      { name: "a commit prefix in the fragment is still a ref", dockerfile: `${FROM}ADD ${REPO}#be1f38e /src\n`, at: [[2, 5, 2, 49]], messages: ['"be1f38e"'] },
      { name: "credentials in the URL are not printed", dockerfile: `${FROM}ADD https://ci:Q7wErTy9Uio2pZ@git.example.com/a/b.git#main /src\n`, at: [[2, 5, 2, 59]], messages: ["https://ci:****@git.example.com/a/b.git"] },
      { name: "ONBUILD ADD", dockerfile: `${FROM}ONBUILD ADD ${REPO} /src\n`, at: [[2, 13, 2, 49]] },
    ],
    silent: [
      { name: "a commit in the fragment", dockerfile: `${FROM}ADD ${REPO}#${SHA} /src\n` },
      { name: "a commit and a subdirectory, scp-style", dockerfile: `${FROM}ADD git@github.com:moby/buildkit.git#${SHA}:docs /docs\n` },
      { name: "a readable ref verified by --checksum", dockerfile: `${FROM}ADD --checksum=${SHA} ${REPO}#v0.26.2 /src\n` },
      { name: "a commit in the query", dockerfile: `${FROM}ADD ${REPO}?ref=v0.26.2&commit=${SHA} /src\n` },
      { name: "a SHA-256 commit", dockerfile: `${FROM}ADD ${REPO}#${"c".repeat(64)} /src\n` },
      { name: "a commit from an ARG", dockerfile: `${FROM}ARG COMMIT=${SHA}\nADD ${REPO}#\${COMMIT} /src\n` },
      { name: "a ref or checksum passed at build time", dockerfile: `${FROM}ARG REF\nARG SUM\nADD ${REPO}#\${REF} /src\nADD --checksum=\${SUM} ${REPO}#main /src\n` },
      { name: "http downloads are DD005's", dockerfile: `${FROM}ADD https://example.com/tool.tgz /opt/\n` },
      { name: "github.com/x/y is a local path for ADD", dockerfile: `${FROM}ADD github.com/moby/buildkit /src\n` },
      { name: "local paths", dockerfile: `${FROM}ADD ./repo.git /src\n` },
      { name: "a comment", dockerfile: `${FROM}# ADD ${REPO} /src\nADD app.tgz /\n` },
    ],
  });
});
