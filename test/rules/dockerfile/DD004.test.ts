import { generateKeyPairSync } from "node:crypto";
import { describe } from "node:test";
import { rule } from "../../../src/rules/dockerfile/DD004.ts";
import { ruleCases } from "../../helpers/rule-cases.ts";
import { awsAccessKeyId, awsSecretAccessKey, checksummedToken, FakeSource, jwt, withBrokenChecksum } from "../../secrets/fakes.ts";

// Every credential below is fake: made here from a seed, with valid checksums where the format has one.
const fakes = new FakeSource("DD004");
const GH = checksummedToken("ghp", fakes);
const NPM = checksummedToken("npm", fakes);
const GLPAT = `glpat-${fakes.string(20)}`;
const GOOGLE = `AIza${fakes.string(35)}`;
const STRIPE = `sk_live_${fakes.string(24)}`;
const AWS_ID = awsAccessKeyId(fakes);
const AWS_KEY = awsSecretAccessKey(fakes);
const JWT = jwt(fakes);
const BASIC = Buffer.from("admin:Zr8uQ2vL7qRtW4").toString("base64");
const PEM = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString().trimEnd().replaceAll("\n", "\\n");

const FROM = "FROM debian:12\n";
describe("DD004: command words", () => {
  ruleCases(rule, {
    onbuild: true,
    fires: [
      { name: "a GitHub token in a curl header", dockerfile: `${FROM}RUN curl -H "Authorization: Bearer ${GH}" https://api.github.com/user\n`, at: [[2, 36, 2, 76]],
        messages: ["GitHub personal access token (ghp_****) in a RUN argument: it is recorded in the image history; remove it, rotate it, and pass it with RUN --mount=type=secret"] },
      { name: "a token as a URL password", dockerfile: `${FROM}RUN git clone https://ci:${GH}@github.com/o/r.git /src\n`, at: [[2, 26, 2, 66]] },
      { name: "a password in a prefix assignment", dockerfile: `${FROM}RUN DB_PASSWORD=Xk9pQ2vL7qRtW4 ./migrate\n`, at: [[2, 17, 2, 31]], messages: ["password (****) in the RUN variable DB_PASSWORD"] },
      { name: "inside sh -c, reported once", dockerfile: `${FROM}RUN sh -c "npm config set //registry.npmjs.org/:_authToken ${NPM}"\n`, at: [[2, 60, 2, 100]], messages: ["npm access token (npm_****)"] },
      { name: "curl -u in exec form", dockerfile: `${FROM}RUN ["curl", "-u", "admin:Zr8uQ2vL7qRtW4x", "https://x.example"]\n`, at: [[2, 27, 2, 42]], messages: ["password (****) in a RUN argument (-u)"] },
      { name: "a GitLab token in a heredoc script", dockerfile: `${FROM}RUN <<EOF\ncurl -H "PRIVATE-TOKEN: ${GLPAT}" https://gitlab.example.com/api/v4/user\nEOF\n`, at: [[3, 25, 3, 51]], messages: ["GitLab personal access token (glpat-****)"] },
      { name: "a RUN heredoc written to .netrc", dockerfile: `${FROM}RUN cat <<EOF > /root/.netrc\nmachine github.com login bot password Zr8uQ2vL7qRtW4\nEOF\n`, at: [[3, 39, 3, 53]], messages: ["password (****) in a RUN heredoc: it is written into an image layer"] },
      { name: "docker login -p", dockerfile: `${FROM}RUN docker login -u bot -p Zr8uQ2vL7qRtW4zz registry.example.com\n`, at: [[2, 28, 2, 44]] },
      { name: "--token <value>", dockerfile: `${FROM}RUN ./deploy --token Zr8uQ2vL7qRtW4y\n`, at: [[2, 22, 2, 37]], messages: ["token (****) in a RUN argument (--token)"] },
      { name: "an AWS key pair", dockerfile: `${FROM}RUN AWS_ACCESS_KEY_ID=${AWS_ID} AWS_SECRET_ACCESS_KEY=${AWS_KEY} aws s3 ls\n`, at: [[2, 23, 2, 43], [2, 66, 2, 106]],
        messages: ["AWS access key ID (AKIA****)", "AWS secret access key (****)"] },
      { name: "a JWT echoed into a file is in the history all the same", dockerfile: `${FROM}RUN echo "${JWT}" > /run/token\n`, at: [[2, 11, 2, 11 + JWT.length]], messages: ["JSON Web Token (eyJ****)"] },
    ],
    silent: [
      { name: "a secret mount and variables", dockerfile: `${FROM}RUN --mount=type=secret,id=gh,env=GH_TOKEN curl -H "Authorization: Bearer $GH_TOKEN" https://api.github.com/user\n` },
      { name: "a variable as URL password", dockerfile: `${FROM}RUN git clone "https://oauth2:\${TOKEN}@gitlab.example.com/x.git" && curl -u "$USER:$PASS" https://x.example\n` },
      { name: "placeholders", dockerfile: `${FROM}RUN echo "password=changeme" > /etc/app.conf && ./deploy --token xxxxxxxxxxxx && docker login -p "$(cat /run/secrets/pw)" r\n` },
      { name: "a mention of a key is no key", dockerfile: `${FROM}RUN grep -q "BEGIN PRIVATE KEY" /etc/ssl/private/key.pem\n` },
      { name: "a sample token whose checksum fails", dockerfile: `${FROM}RUN curl -H "Authorization: token ${withBrokenChecksum(GH)}" https://api.github.com\n` },
      { name: "comments, in the Dockerfile and in the shell", dockerfile: `${FROM}# RUN curl -H "Authorization: Bearer ${GH}" x\nRUN true # password=Zr8uQ2vL7qRtW4\n` },
      { name: "-p that is not a password", dockerfile: `${FROM}RUN mkdir -p Zr8uQ2vL7qRtW4 && docker run -p 8080:80 app\n` },
    ],
  });
});

describe("DD004: ENV, ARG, LABEL, CMD and files", () => {
  ruleCases(rule, {
    fires: [
      { name: "a token in ENV", dockerfile: `${FROM}ENV GH_TOKEN=${GH}\n`, at: [[2, 14, 2, 54]],
        messages: ["GitHub personal access token (ghp_****) in ENV GH_TOKEN: it is stored in the image configuration"] },
      { name: "a URL password in ENV, whatever the name", dockerfile: `${FROM}ENV REPO=https://deploy:Q7wErTy9Uio2pZ@git.example.com/x.git\n`, at: [[2, 25, 2, 39]], messages: ["password in a URL (****) in ENV REPO"] },
      { name: "an ARG default", dockerfile: `${FROM}ARG DB_PASSWORD=Xk9pQ2vL7qRtW4\n`, at: [[2, 17, 2, 31]], messages: ["password (****) in the default of ARG DB_PASSWORD: it is recorded in the image history"] },
      { name: "a quoted LABEL value", dockerfile: `${FROM}LABEL com.example.api-key="${GOOGLE}"\n`, at: [[2, 28, 2, 67]], messages: ["Google API key (AIza****) in LABEL com.example.api-key"] },
      { name: "a Stripe key in an ARG", dockerfile: `${FROM}ARG STRIPE_KEY=${STRIPE}\n`, at: [[2, 16, 2, 48]] },
      { name: "a private key with escaped newlines", dockerfile: `${FROM}ENV SSH_KEY="${PEM}"\n`, at: [[2, 14, 2, 14 + PEM.length]], messages: ["private key (****) in ENV SSH_KEY"] },
      { name: "AWS keys in ENV", dockerfile: `${FROM}ENV AWS_ACCESS_KEY_ID=${AWS_ID} AWS_SECRET_ACCESS_KEY=${AWS_KEY}\n`, at: [[2, 23, 2, 43], [2, 66, 2, 106]] },
      { name: "CMD exec form", dockerfile: `${FROM}CMD ["app", "--api-key", "Zr8uQ2vL7qRtW4q"]\n`, at: [[2, 27, 2, 42]], messages: ["API key (****) in a CMD argument (--api-key): it is stored in the image configuration"] },
      { name: "HEALTHCHECK shell form with Basic credentials", dockerfile: `${FROM}HEALTHCHECK CMD curl -fsS -H "Authorization: Basic ${BASIC}" http://localhost/health\n`, at: [[2, 52, 2, 80]], messages: ["HTTP Basic credentials (****) in a HEALTHCHECK argument"] },
      { name: "a COPY heredoc of .npmrc", dockerfile: `${FROM}COPY <<EOF /root/.npmrc\n//registry.npmjs.org/:_authToken=${NPM}\nEOF\n`, at: [[3, 34, 3, 74]], messages: ["npm access token (npm_****) in a COPY heredoc: it is written into an image layer"] },
      { name: "a token in an ADD URL", dockerfile: `${FROM}ADD https://x.example/f?token=Zr8uQ2vL7qRtW4 /f\n`, at: [[2, 31, 2, 45]], messages: ["token (****) in an ADD source"] },
      { name: "ONBUILD ENV", dockerfile: `${FROM}ONBUILD ENV GH_TOKEN=${GH}\n`, at: [[2, 22, 2, 62]] },
    ],
    silent: [
      { name: "placeholders and variables", dockerfile: `${FROM}ENV DB_PASSWORD=changeme API_TOKEN=\${API_TOKEN} GH_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx EMPTY_SECRET=\n` },
      { name: "names without values (BuildKit's SecretsUsedInArgOrEnv reports those)", dockerfile: `${FROM}ARG GITHUB_TOKEN\nARG NPM_TOKEN=\n` },
      { name: "a token-shaped sample whose checksum fails", dockerfile: `${FROM}ENV GH_TOKEN=${withBrokenChecksum(GH)}\n` },
      { name: "a public key fingerprint", dockerfile: `FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n` },
      { name: "AWS's documented sample keys", dockerfile: `${FROM}ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n` },
      { name: "a Dockerfile comment", dockerfile: `${FROM}# ENV GH_TOKEN=${GH}\nENV A=b\n` },
      { name: "paths to secrets", dockerfile: `${FROM}ENV DB_PASSWORD_FILE=/run/secrets/db_password GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json\n` },
      { name: "ordinary values", dockerfile: `${FROM}LABEL org.opencontainers.image.source=https://github.com/o/r version=1.2.3\nCMD ["app", "--port", "8080"]\n` },
    ],
  });
});
