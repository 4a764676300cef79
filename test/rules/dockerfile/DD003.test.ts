import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD003.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";

const FROM = "FROM node:22\n";
describe("DD003", () => {
  ruleCases(rule, {
    fires: [
      { name: ".npmrc beside other sources", dockerfile: `${FROM}COPY .npmrc package.json ./\n`, at: [[2, 6, 2, 12]], messages: ['COPY copies ".npmrc", npm configuration with registry tokens'] },
      { name: "an SSH key", dockerfile: `${FROM}COPY id_rsa /root/.ssh/id_rsa\n`, at: [[2, 6, 2, 12]], messages: ["an SSH private key, into the image: anyone who can pull the image can read it, even after a later step deletes it; mount it only for the step that needs it: RUN --mount=type=secret,id=<id>"] },
      { name: "ADD with flags, .env.production", dockerfile: `${FROM}ADD --chown=app .env.production /app/\n`, at: [[2, 17, 2, 32]], messages: ["ADD copies"] },
      { name: "JSON form, a credentials directory", dockerfile: `${FROM}COPY ["config/.aws", "/root/.aws"]\n`, at: [[2, 7, 2, 20]], messages: ["AWS credentials"] },
      { name: "a source from an ARG", dockerfile: `${FROM}ARG KEY=deploy.pem\nCOPY \${KEY} /etc/app/\n`, at: [[3, 6, 3, 12]], messages: ['"deploy.pem"'] },
      { name: "COPY --from another stage", dockerfile: `FROM alpine AS keys\nRUN ssh-keygen -f /root/.ssh/id_ed25519 -N ''\n${FROM}COPY --from=keys /root/.ssh /root/.ssh\n`, at: [[4, 18, 4, 28]] },
      { name: "a key downloaded by ADD", dockerfile: `${FROM}ADD https://example.com/keys/server.key /etc/ssl/private/\n`, at: [[2, 5, 2, 40]], messages: ["a private key file"] },
      { name: "a heredoc written to .npmrc", dockerfile: `${FROM}COPY <<EOF /root/.npmrc\nregistry=https://npm.example.com/\nEOF\n`, at: [[2, 12, 2, 24]], messages: ["COPY writes npm configuration"] },
      { name: "a file renamed to .netrc", dockerfile: `${FROM}COPY netrc /root/.netrc\n`, at: [[2, 12, 2, 24]] },
      { name: "a glob of key stores", dockerfile: `${FROM}COPY *.p12 /certs/\n`, at: [[2, 6, 2, 11]] },
      { name: "ONBUILD COPY", dockerfile: `${FROM}ONBUILD COPY .git-credentials /root/\n`, at: [[2, 14, 2, 30]] },
      { name: "a public destination name does not excuse a file named as a secret", dockerfile: `${FROM}COPY id_rsa /home/app/id_rsa.pub\n`, at: [[2, 6, 2, 12]] },
      { name: "kubeconfig and credentials.json", dockerfile: `${FROM}COPY kubeconfig credentials.json /app/\n`, at: [[2, 6, 2, 16], [2, 17, 2, 33]] },
    ],
    silent: [
      { name: "COPY . . is judged by .dockerignore, not here", dockerfile: `${FROM}COPY . .\nCOPY ./ /app/\n` },
      { name: "templates of .env", dockerfile: `${FROM}COPY .env.example .env.template /app/\n` },
      { name: "certificates and public keys", dockerfile: `${FROM}COPY fullchain.pem cert.pem /etc/nginx/\nCOPY id_rsa.pub known_hosts /root/.ssh/\n` },
      { name: "a CA into the trust store", dockerfile: `${FROM}COPY corp-root.pem /usr/local/share/ca-certificates/corp.crt\n` },
      { name: "an apt signing key into a keyring", dockerfile: `${FROM}COPY nodesource.key /etc/apt/keyrings/nodesource.asc\n` },
      { name: "a key copied under a public key's name", dockerfile: `${FROM}COPY jenkins.io-2026.key /war/jenkins-key.pub\nCOPY signer.pem /etc/app/signer-cert.pem\n` },
      // jenkinsci/docker windows/windowsservercore/hotspot: the same public key in a Windows stage.
      { name: "a key copied under a public key's name, Windows", dockerfile: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022 AS jre-and-war\nCOPY jenkins.io-2026.key /war/jenkins-key.pub\n" },
      { name: "keys named as public ones", dockerfile: `${FROM}COPY Release.key repo.gpg.key public.key /tmp/\n` },
      { name: "harmless files into .ssh", dockerfile: `${FROM}COPY ssh_config /root/.ssh/config\nCOPY hosts /root/.ssh/\n` },
      { name: "an unset variable", dockerfile: `${FROM}COPY \${SECRET_FILE} /app/\n` },
      { name: "a secret mount, not a copy", dockerfile: `${FROM}RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\nRUN --mount=type=bind,source=id_rsa,target=/root/.ssh/id_rsa git fetch\n` },
      { name: "a git repository", dockerfile: `${FROM}ADD git@github.com:org/keys.git /src\n` },
      { name: "words in RUN and comments", dockerfile: `${FROM}# COPY .npmrc .\nRUN cp /tmp/.npmrc /root/.npmrc\n` },
      { name: "ordinary files", dockerfile: `${FROM}COPY package.json src/ environment.ts /app/\n` },
    ],
  });
});
