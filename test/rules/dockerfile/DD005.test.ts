import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD005.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const DIGEST = "sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d";
describe("DD005", () => {
  ruleCases(rule, {
    fires: [
      { name: "a URL without --checksum", dockerfile: `${FROM}ADD https://example.com/tool.tar.gz /opt/\n`, at: [[2, 5, 2, 36]], messages: ["ADD downloads https://example.com/tool.tar.gz without --checksum"] },
      { name: "plain http, with other flags", dockerfile: `${FROM}ADD --chmod=755 http://example.com/tool /usr/local/bin/tool\n`, at: [[2, 17, 2, 40]] },
      { name: "each URL", dockerfile: `${FROM}ADD https://a.example/x https://b.example/y /opt/\n`, at: [[2, 5, 2, 24], [2, 25, 2, 44]] },
      { name: "a URL from an ARG", dockerfile: `${FROM}ARG URL=https://example.com/tool.tgz\nADD \${URL} /opt/\n`, at: [[3, 5, 3, 11]], messages: ["https://example.com/tool.tgz"] },
      { name: "ONBUILD ADD", dockerfile: `${FROM}ONBUILD ADD https://example.com/x /x\n`, at: [[2, 13, 2, 34]] },
      { name: "credentials in the URL are not printed", dockerfile: `${FROM}ADD https://ci:Q7wErTy9Uio2pZ@example.com/x /x\n`, at: [[2, 5, 2, 44]], messages: ["https://ci:****@example.com/x"] },
      { name: "a short digest", dockerfile: `${FROM}ADD --checksum=sha256:abc123 https://example.com/x /x\n`, at: [[2, 16, 2, 29]], messages: ['"sha256:abc123"'] },
      { name: "another algorithm", dockerfile: `${FROM}ADD --checksum=sha512:${"a".repeat(128)} https://example.com/x /x\n`, at: [[2, 16, 2, 151]] },
      { name: "a bare hex digest", dockerfile: `${FROM}ADD --checksum=${"a".repeat(64)} https://example.com/x /x\n`, at: [[2, 16, 2, 80]] },
      { name: "upper-case hex", dockerfile: `${FROM}ADD --checksum=${DIGEST.toUpperCase()} https://example.com/x /x\n`, at: [[2, 16, 2, 87]] },
      { name: "a checksum from an ARG that is malformed", dockerfile: `${FROM}ARG SUM=md5:d41d8cd98f00b204e9800998ecf8427e\nADD --checksum=\${SUM} https://example.com/x /x\n`, at: [[3, 16, 3, 22]], messages: ["md5:"] },
    ],
    silent: [
      { name: "a valid checksum", dockerfile: `${FROM}ADD --checksum=${DIGEST} https://example.com/tool.tar.gz /opt/\n` },
      { name: "a checksum from an ARG", dockerfile: `${FROM}ARG SUM=${DIGEST}\nADD --checksum=\${SUM} https://example.com/x /x\n` },
      { name: "a checksum passed at build time", dockerfile: `${FROM}ARG SUM\nADD --checksum=\${SUM} https://example.com/x /x\n` },
      { name: "git repositories are DD006's", dockerfile: `${FROM}ADD https://github.com/moby/buildkit.git#v0.26.2 /src\n` },
      { name: "local files and archives", dockerfile: `${FROM}ADD rootfs.tar.gz /\nADD ./https/file /x\n` },
      { name: "COPY cannot download", dockerfile: `${FROM}COPY https.conf /etc/\n` },
      { name: "an unset variable", dockerfile: `${FROM}ADD \${URL} /opt/\n` },
      { name: "upper-case scheme is a local path for BuildKit", dockerfile: `${FROM}ADD HTTPS://example.com/x /x\n` },
      { name: "a comment", dockerfile: `${FROM}# ADD https://example.com/x /x\nADD app.tgz /\n` },
    ],
  });
});
