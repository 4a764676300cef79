import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, test } from "node:test";
import { check } from "../../../src/rules/image/DI006.ts";
import { awsAccessKeyId, awsSecretAccessKey, checksummedToken, FakeSource, withBrokenChecksum } from "../../secrets/fakes.ts";
import { checkCases, findings, QUIET_CONFIG } from "./helpers.ts";

const fakes = new FakeSource("DI006");
const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const ed25519 = generateKeyPairSync("ed25519");
const pkcs8 = ed25519.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const publicKey = ed25519.publicKey.export({ type: "spki", format: "pem" }).toString();
const ghp = checksummedToken("ghp", fakes);
const npm = checksummedToken("npm", fakes);
const keyId = awsAccessKeyId(fakes);
const secretKey = awsSecretAccessKey(fakes);

const KEY = { name: "root/.ssh/id_rsa", content: rsa, mode: 0o600 };

describe("DI006", () => {
  checkCases(check, {
    fires: [
      {
        name: "a key in layer 0 deleted in layer 2", layers: [[KEY], [{ name: "app/x", content: "x" }], [{ name: "root/.ssh/.wh.id_rsa", content: "" }]],
        expect: ["/root/.ssh/id_rsa: RSA private key at line 1 in /root/.ssh/id_rsa: deleted in layer 2, still extractable from layer 0"],
      },
      {
        name: "a directory whiteout hides it", layers: [[KEY], [{ name: "root/.wh..ssh", content: "" }]],
        expect: ["/root/.ssh/id_rsa: RSA private key at line 1 in /root/.ssh/id_rsa: deleted in layer 1, still extractable from layer 0"],
      },
      {
        name: "replaced by an empty file", layers: [[KEY], [{ ...KEY, content: "" }]],
        expect: ["/root/.ssh/id_rsa: RSA private key at line 1 in /root/.ssh/id_rsa: replaced in layer 1, the version of layer 0 is still extractable"],
      },
      {
        name: "credentials files of several kinds",
        layers: [[
          { name: "root/.aws/credentials", content: `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n` },
          { name: "app/.npmrc", content: `//registry.npmjs.org/:_authToken=${npm}\n` },
          { name: "etc/app/key.pem", content: pkcs8 },
        ]],
        expect: [
          "/app/.npmrc: npm access token (npm_****) at line 1 in /app/.npmrc",
          "/etc/app/key.pem: private key at line 1 in /etc/app/key.pem",
          `/root/.aws/credentials: 2 secrets (AWS access key ID (${keyId.slice(0, 4)}****) at line 2, AWS secret access key at line 3) in /root/.aws/credentials`,
        ],
      },
      {
        name: "ENV, labels and a build argument in the history",
        config: { ...QUIET_CONFIG, Env: ["PATH=/bin", `GITHUB_TOKEN=${ghp}`], Labels: { "ci.deploy-password": "Xk9pQ2vL7qRtW4zz" } },
        history: [`|1 NPM_TOKEN=${npm} /bin/sh -c npm ci`, `ENV GITHUB_TOKEN=${ghp}`], layers: [[], []],
        expect: [
          ": GitHub personal access token (ghp_****) in ENV GITHUB_TOKEN",
          ": npm access token (npm_****) in build argument NPM_TOKEN of history step 0 (RUN npm ci)",
          ': password in label "ci.deploy-password"',
        ],
      },
    ],
    silent: [
      { name: "public keys and a token whose checksum fails", layers: [[{ name: "etc/app/pub.pem", content: publicKey }, { name: "app/README", content: `token: ${withBrokenChecksum(ghp)}\n` }]] },
      { name: "an allow-listed fixture", layers: [[KEY]], settings: { secretPathAllow: ["/root/.ssh"] } },
      { name: "a third-party package's test fixtures", layers: [[{ name: "usr/lib/python3/dist-packages/paramiko/tests/test_rsa.key", content: rsa }]] },
      { name: "names without values in library code", layers: [[{ name: "app/node_modules/x/index.js", content: "const password = 'Xk9pQ2vL7qRtW4zz';\n" }]] },
      { name: "ENV names that are not secrets", config: { ...QUIET_CONFIG, Env: ["GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "PASSWORD_FILE=/run/secrets/db"] } },
    ],
  });

  test("messages never hold a secret's value", async () => {
    const found = await findings([check], {
      layers: [[KEY, { name: "app/.env", content: `DB_PASSWORD=Xk9pQ2vL7qRtW4zz\nGITHUB_TOKEN=${ghp}\n` }]],
      config: { ...QUIET_CONFIG, Env: [`AWS_SECRET_ACCESS_KEY=${secretKey}`] },
      history: [`/bin/sh -c curl -H "Authorization: Bearer ${fakes.string(40)}" https://x`],
    });
    assert.equal(found.length, 4);
    const text = JSON.stringify(found);
    for (const secret of ["Xk9pQ2vL7qRtW4zz", ghp.slice(4), secretKey, rsa.split("\n")[1] ?? "x"]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}...`);
  });

  test("a secret past the first MiB of a huge file is out of reach, one inside it is found", async () => {
    const big = Buffer.concat([Buffer.alloc(900_000, 0x61), Buffer.from(`\ntoken=${ghp}\n`), Buffer.alloc(300_000, 0x61), Buffer.from(`\n${npm}\n`)]);
    const found = await findings([check], { layers: [[{ name: "app/bundle.js", content: big }]] });
    assert.deepEqual(found.map((f) => f.message), ["GitHub personal access token (ghp_****) at line 2 in /app/bundle.js"]);
  });
});
