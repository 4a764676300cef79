import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD008.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM debian:12\n";
const URL = "https://x.example/a";
describe("DD008: RUN", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "curl -k in a bundle", dockerfile: `${FROM}RUN curl -fsSLk ${URL} -o /tmp/a\n`, at: [[2, 10, 2, 16]],
        messages: ["curl -fsSLk skips certificate verification: anyone on the network path can replace the download"] },
      { name: "curl --insecure", dockerfile: `${FROM}RUN curl --insecure ${URL}\n`, at: [[2, 10, 2, 20]] },
      { name: "wget --no-check-certificate", dockerfile: `${FROM}RUN wget --no-check-certificate ${URL}\n`, at: [[2, 10, 2, 32]] },
      { name: "wget -e check_certificate=off", dockerfile: `${FROM}RUN wget -e check_certificate=off ${URL}\n`, at: [[2, 13, 2, 34]] },
      { name: "pip --trusted-host", dockerfile: `${FROM}RUN pip install --trusted-host pypi.example.com app\n`, at: [[2, 17, 2, 31]], messages: ["pip --trusted-host pypi.example.com"] },
      { name: "python3 -m pip --trusted-host=", dockerfile: `${FROM}RUN python3 -m pip install --trusted-host=pypi.example.com app\n`, at: [[2, 28, 2, 59]] },
      { name: "pip config set global.trusted-host", dockerfile: `${FROM}RUN pip config set global.trusted-host pypi.example.com\n`, at: [[2, 20, 2, 39]] },
      { name: "npm config set strict-ssl false", dockerfile: `${FROM}RUN npm config set strict-ssl false\n`, at: [[2, 20, 2, 30]], messages: ["npm config set strict-ssl false"] },
      { name: "yarn config set strict-ssl false", dockerfile: `${FROM}RUN yarn config set strict-ssl false\n`, at: [[2, 21, 2, 31]] },
      { name: "npm set strict-ssl=false", dockerfile: `${FROM}RUN npm set strict-ssl=false\n`, at: [[2, 13, 2, 29]], messages: ["npm set strict-ssl false"] },
      { name: "yarn berry enableStrictSsl", dockerfile: `${FROM}RUN yarn config set enableStrictSsl false\n`, at: [[2, 21, 2, 36]] },
      { name: "npm flags", dockerfile: `${FROM}RUN npm install --strict-ssl=false && npm install --no-strict-ssl\n`, at: [[2, 17, 2, 35], [2, 51, 2, 66]] },
      { name: "git -c http.sslVerify=false", dockerfile: `${FROM}RUN git -c http.sslVerify=false clone https://git.example.com/a.git\n`, at: [[2, 12, 2, 32]] },
      { name: "git clone --config, per-URL key, 0", dockerfile: `${FROM}RUN git clone --config http.https://git.example.com/.sslverify=0 https://git.example.com/a.git\n`, at: [[2, 24, 2, 65]] },
      { name: "git config --global http.sslVerify false", dockerfile: `${FROM}RUN git config --global http.sslVerify false\n`, at: [[2, 25, 2, 39]] },
      { name: "GIT_SSL_NO_VERIFY prefix assignment", dockerfile: `${FROM}RUN GIT_SSL_NO_VERIFY=1 git clone https://git.example.com/a.git\n`, at: [[2, 5, 2, 24]], messages: ["any value does"] },
      { name: "behind sudo", dockerfile: `${FROM}RUN sudo NODE_TLS_REJECT_UNAUTHORIZED=0 node fetch.js\n`, at: [[2, 10, 2, 40]] },
      { name: "export", dockerfile: `${FROM}RUN export PYTHONHTTPSVERIFY=0 && python3 fetch.py\n`, at: [[2, 12, 2, 31]] },
      { name: "apt -o Verify-Peer=false", dockerfile: `${FROM}RUN apt-get -o Acquire::https::Verify-Peer=false update\n`, at: [[2, 16, 2, 49]] },
      { name: "apt --allow-unauthenticated", dockerfile: `${FROM}RUN apt-get install -y --allow-unauthenticated app\n`, at: [[2, 24, 2, 47]] },
      { name: "apk --allow-untrusted", dockerfile: `${FROM}RUN apk add --allow-untrusted /tmp/app.apk\n`, at: [[2, 13, 2, 30]] },
      { name: "dnf --nogpgcheck", dockerfile: `${FROM}RUN dnf install -y --nogpgcheck app\n`, at: [[2, 20, 2, 32]] },
      { name: "echo of an apt setting", dockerfile: `${FROM}RUN echo 'APT::Get::AllowUnauthenticated "true";' > /etc/apt/apt.conf.d/99unauth\n`, at: [[2, 10, 2, 50]] },
      { name: "echo of a trusted=yes source", dockerfile: `${FROM}RUN echo "deb [trusted=yes] http://repo.example/ ./" > /etc/apt/sources.list.d/x.list\n`, at: [[2, 10, 2, 53]] },
      { name: "a RUN heredoc written to apt.conf.d", dockerfile: `${FROM}RUN cat <<EOF > /etc/apt/apt.conf.d/99insecure\nAcquire::https::Verify-Peer "false";\nEOF\n`, at: [[3, 1, 3, 37]] },
      { name: "helm --insecure-skip-tls-verify", dockerfile: `${FROM}RUN helm repo add x https://x.example --insecure-skip-tls-verify\n`, at: [[2, 39, 2, 65]] },
      { name: "skopeo --src-tls-verify=false", dockerfile: `${FROM}RUN skopeo copy --src-tls-verify=false docker://a docker://b\n`, at: [[2, 17, 2, 39]] },
      { name: "exec form", dockerfile: `${FROM}RUN ["curl", "-k", "${URL}"]\n`, at: [[2, 14, 2, 18]] },
      { name: "inside sh -c", dockerfile: `${FROM}RUN sh -c "curl -k ${URL}"\n`, at: [[2, 17, 2, 19]] },
    ],
    silent: [
      { name: "verification on", dockerfile: `${FROM}RUN curl -fsSL --cacert /etc/ssl/corp.pem ${URL} && git config --global http.sslVerify true && npm config set strict-ssl true\n` },
      { name: "git -c http.sslVerify alone means true", dockerfile: `${FROM}RUN git -c http.sslVerify clone https://git.example.com/a.git\n` },
      { name: "other variables equal to 1", dockerfile: `${FROM}RUN NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 node a.js\n` },
      { name: "quoted text, grep and comments", dockerfile: `${FROM}# RUN curl -k ${URL}\nRUN echo "never use curl -k" && grep -q "strict-ssl=false" /root/.npmrc || true\n` },
      { name: "a -k that belongs to another command", dockerfile: `${FROM}RUN sort -k 2 list.txt && ssh-keygen -k -f krl\n` },
      { name: "curl -K is a config file", dockerfile: `${FROM}RUN curl -K /etc/curlrc ${URL}\n` },
      { name: "a flag value that looks like -k", dockerfile: `${FROM}RUN curl -H -k ${URL}\n` },
      { name: "apt -o with other settings", dockerfile: `${FROM}RUN apt-get -o Acquire::Retries=3 -o APT::Get::AllowUnauthenticated=false update\n` },
      { name: "skopeo with verification", dockerfile: `${FROM}RUN skopeo copy --src-tls-verify=true docker://a docker://b && kubectl --insecure-skip-tls-verify=false get pods\n` },
    ],
  });
});

describe("DD008: ENV, ARG and file contents", () => {
  ruleCases(rule, {
    fires: [
      { name: "ENV GIT_SSL_NO_VERIFY", dockerfile: `${FROM}ENV GIT_SSL_NO_VERIFY=true\n`, at: [[2, 5, 2, 27]], messages: ["ENV GIT_SSL_NO_VERIFY=true"] },
      { name: "legacy ENV form", dockerfile: `${FROM}ENV NODE_TLS_REJECT_UNAUTHORIZED 0\n`, at: [[2, 5, 2, 35]] },
      { name: "ARG default: ARGs are environment variables of RUN", dockerfile: `${FROM}ARG PYTHONHTTPSVERIFY=0\n`, at: [[2, 5, 2, 24]], messages: ["ARG PYTHONHTTPSVERIFY=0"] },
      { name: "PIP_TRUSTED_HOST", dockerfile: `${FROM}ENV PIP_TRUSTED_HOST=pypi.example.com\n`, at: [[2, 5, 2, 38]] },
      { name: "npm_config_strict_ssl in any case", dockerfile: `${FROM}ENV npm_config_strict_ssl=false NPM_CONFIG_STRICT_SSL=false\n`, at: [[2, 5, 2, 32], [2, 33, 2, 60]] },
      { name: "a value from an ARG", dockerfile: `${FROM}ARG OFF=0\nENV NODE_TLS_REJECT_UNAUTHORIZED=$OFF\n`, at: [[3, 5, 3, 38]] },
      { name: "a COPY heredoc of .npmrc", dockerfile: `${FROM}COPY <<EOF /root/.npmrc\nregistry=https://npm.example.com/\nstrict-ssl=false\nEOF\n`, at: [[4, 1, 4, 17]] },
      { name: "ONBUILD ENV", dockerfile: `${FROM}ONBUILD ENV GIT_SSL_NO_VERIFY=1\n`, at: [[2, 13, 2, 32]] },
    ],
    silent: [
      { name: "values that keep verification on", dockerfile: `${FROM}ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 npm_config_strict_ssl=true\n` },
      { name: "an unset variable", dockerfile: `${FROM}ENV NODE_TLS_REJECT_UNAUTHORIZED=$TLS\n` },
      { name: "ARG without a default", dockerfile: `${FROM}ARG GIT_SSL_NO_VERIFY\n` },
      { name: "other names", dockerfile: `${FROM}ENV GIT_SSL_CAINFO=/etc/ssl/corp.pem PIP_INDEX_URL=https://pypi.example.com/simple\n` },
      { name: "file contents that keep checks on", dockerfile: `${FROM}COPY <<EOF /root/.npmrc\nstrict-ssl=true\ncafile=/etc/ssl/corp.pem\nEOF\n` },
    ],
  });
});
