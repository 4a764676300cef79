// The labeled set: real-format FAKE secrets (made at run time, checksums computed here from the formats'
// descriptions) in the files they are found in, and hard decoys that look like secrets and are not. Each sample is
// a file of an image: a path and its content, with the secret strings planted in it (none for a decoy).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { ALNUM, awsAccessKeyId, awsSecretAccessKey, base62, checksummedToken, FakeSource, jwt, withBrokenChecksum } from "../fakes.ts";
import { certificate, ed25519Raw, nodeKeys, openSshEd25519, openSshPublic, pgpPrivateKey, puttyKey, toolKeys } from "./keys.ts";

export interface Sample {
  /** What it is: the kind of secret, or the kind of decoy. */
  kind: string;
  path: string;
  content: string;
  /** The planted secrets; empty for a decoy. */
  secrets: string[];
}

const f = new FakeSource("labeled-set");
const HEX = "0123456789abcdef";
const B64URL = `${ALNUM}-_`;
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/** BIP 173 bech32 encoding (for age keys), written from the specification. */
function bech32(hrp: string, data: Buffer): string {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of data) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      words.push((acc >> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  const polymod = (values: number[]): number => {
    const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let chk = 1;
    for (const v of values) {
      const top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i] ?? 0;
    }
    return chk;
  };
  const expand = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
  const mod = polymod([...expand, ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >> (5 * (5 - i))) & 31);
  return `${hrp}1${[...words, ...checksum].map((w) => BECH32[w]).join("")}`;
}

const secret = (kind: string, path: string, content: string, ...secrets: string[]): Sample => ({ kind, path, content, secrets });
const decoy = (kind: string, path: string, content: string): Sample => ({ kind, path, content, secrets: [] });

/** A password as people and generators make them: letters, digits, a symbol. */
const password = (): string => `${f.string(6)}${f.string(2, "!#%+-")}${f.string(6)}`;

export function labeledSet(): Sample[] {
  const out: Sample[] = [];
  // --- private keys of every common format -----------------------------------------------------------------
  for (const k of [...nodeKeys(), ...toolKeys()]) out.push(secret(`private key: ${k.name}`, `root/keys/${k.name.replace(/\W+/g, "_")}.key`, k.pem, k.pem.trim()));
  const ed = ed25519Raw();
  const openssh = openSshEd25519(ed);
  out.push(secret("private key: OpenSSH ed25519", "root/.ssh/id_ed25519", openssh, openssh.trim()));
  out.push(secret("private key: PuTTY v3", "home/dev/keys/deploy.ppk", puttyKey(ed, 3), puttyKey(ed, 3).trim().split("\n")[0] ?? ""));
  const ppk2 = puttyKey(ed25519Raw(), 2, "aes256-cbc");
  out.push(secret("private key: PuTTY v2 encrypted", "home/dev/keys/old.ppk", ppk2, ppk2.split("\n")[0] ?? ""));
  const pgp = pgpPrivateKey(ed25519Raw());
  out.push(secret("private key: OpenPGP secret key block", "root/.gnupg/private.asc", pgp, pgp.trim()));
  const gcpKey = nodeKeys()[1]?.pem ?? "";
  const escaped = JSON.stringify(gcpKey).slice(1, -1);
  out.push(secret("private key: GCP service account JSON (escaped newlines)", "app/gcp-sa.json",
    `{\n  "type": "service_account",\n  "project_id": "shop-prod",\n  "private_key_id": "${f.string(40, HEX)}",\n  "private_key": "${escaped}",\n  "client_email": "ci@shop-prod.iam.gserviceaccount.com"\n}\n`, escaped));
  const keyData = Buffer.from(nodeKeys()[2]?.pem ?? "").toString("base64");
  out.push(secret("private key: kubeconfig client-key-data (base64 PEM)", "root/.kube/config",
    `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: ${Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64")}\n    client-key-data: ${keyData}\n`, keyData));

  // --- tokens with their vendors' formats --------------------------------------------------------------------
  const ghp = checksummedToken("ghp", f);
  out.push(secret("token: GitHub classic PAT (checksum)", "app/deploy.sh", `#!/bin/sh\ngit clone https://x-access-token:${ghp}@github.com/org/app.git\n`, ghp));
  const gho = checksummedToken("gho", f);
  out.push(secret("token: GitHub OAuth (checksum)", "root/.config/gh/hosts.yml", `github.com:\n    oauth_token: ${gho}\n    user: ci\n`, gho));
  const pat = `github_pat_${f.string(22)}_${f.string(59)}`;
  out.push(secret("token: GitHub fine-grained PAT", "app/.github-token", `${pat}\n`, pat));
  const npm = checksummedToken("npm", f);
  out.push(secret("token: npm (checksum) in .npmrc", "root/.npmrc", `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${npm}\n`, npm));
  const glpat = `glpat-${f.string(20, B64URL)}`;
  out.push(secret("token: GitLab PAT", "builds/.gitlab-ci.env", `GITLAB_API=https://gitlab.com/api/v4\nGL_TOKEN=${glpat}\n`, glpat));
  const xoxb = `xoxb-${f.string(12, "0123456789")}-${f.string(13, "0123456789")}-${f.string(24)}`;
  out.push(secret("token: Slack bot", "app/config/slack.yml", `slack:\n  bot_token: ${xoxb}\n  channel: "#deploys"\n`, xoxb));
  const hook = `https://hooks.slack.com/services/T${f.string(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}/B${f.string(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}/${f.string(24)}`;
  out.push(secret("token: Slack webhook URL", "app/notify.py", `import requests\nWEBHOOK = "${hook}"\nrequests.post(WEBHOOK, json={"text": "deployed"})\n`, hook));
  const stripe = `sk_live_${f.string(24)}`;
  out.push(secret("token: Stripe live secret key", "app/config/payments.json", `{"stripe": {"secretKey": "${stripe}", "currency": "eur"}}\n`, stripe));
  const google = `AIza${f.string(35, B64URL)}`;
  out.push(secret("token: Google API key", "app/static/maps.js", `const MAPS = { key: "${google}", zoom: 12 };\n`, google));
  const keyId = awsAccessKeyId(f);
  const aws = awsSecretAccessKey(f);
  out.push(secret("credentials: AWS credentials file", "root/.aws/credentials", `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${aws}\nregion = eu-west-1\n`, keyId, aws));
  const awsEnv = awsSecretAccessKey(f);
  out.push(secret("credentials: AWS secret in an env file", "app/.env.production", `AWS_REGION=us-east-1\nAWS_SECRET_ACCESS_KEY=${awsEnv}\n`, awsEnv));
  const token = jwt(f, { alg: "RS256", typ: "JWT", kid: f.string(8) });
  out.push(secret("token: JWT", "app/config/service.yaml", `upstream:\n  url: https://api.internal\n  bearer: ${token}\n`, token));
  const pypi = `pypi-AgEIcHlwaS5vcmc${f.string(70, B64URL)}`;
  out.push(secret("token: PyPI (in .pypirc)", "root/.pypirc", `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = ${pypi}\n`, pypi));
  const openai = `sk-proj-${f.string(74, B64URL)}T3BlbkFJ${f.string(74, B64URL)}`;
  out.push(secret("token: OpenAI", "app/.env", `OPENAI_API_KEY=${openai}\nMODEL=gpt-4o\n`, openai));
  const anthropic = `sk-ant-api03-${f.string(93, B64URL)}AA`;
  out.push(secret("token: Anthropic", "app/settings.toml", `[llm]\nprovider = "anthropic"\nkey = "${anthropic}"\n`, anthropic));
  const hf = `hf_${f.string(34, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")}`;
  out.push(secret("token: Hugging Face", "root/.cache/huggingface/token", `${hf}`, hf));
  const dop = `dop_v1_${f.string(64, HEX)}`;
  out.push(secret("token: DigitalOcean", "app/deploy/doctl.yaml", `access-token: ${dop}\ncontext: default\n`, dop));
  const hvs = `hvs.${f.string(91, B64URL)}`;
  out.push(secret("token: Vault (hvs.)", "app/vault.hcl", `vault {\n  address = "https://vault.internal:8200"\n  token   = "${hvs}"\n}\n`, hvs));
  const tfc = `${f.string(14)}.atlasv1.${f.string(67, B64URL)}`;
  out.push(secret("token: Terraform Cloud", "root/.terraform.d/credentials.tfrc.json", `{"credentials": {"app.terraform.io": {"token": "${tfc}"}}}\n`, tfc));
  const dckr = `dckr_pat_${f.string(27, B64URL)}`;
  out.push(secret("token: Docker Hub PAT", "ci/login.sh", `echo ${dckr} | docker login -u ci --password-stdin\n`, dckr));
  const age = bech32("age-secret-key-", randomBytes(32)).toUpperCase();
  out.push(secret("key: age secret key (bech32 checksum)", "root/.config/sops/age/keys.txt", `# created: 2024-01-01T00:00:00Z\n# public key: age1${f.string(58, BECH32)}\n${age}\n`, age));
  const shop = `shpat_${f.string(32, HEX)}`;
  out.push(secret("token: Shopify", "app/shopify.env", `SHOPIFY_SHOP=demo.myshopify.com\nSHOPIFY_ACCESS=${shop}\n`, shop));
  const sg = `SG.${f.string(22, B64URL)}.${f.string(43, B64URL)}`;
  out.push(secret("token: SendGrid", "app/mail.js", `module.exports = { transport: "sendgrid", apiKey: process.env.SG || "${sg}" };\n`, sg));

  // --- credentials inside configuration files and URLs --------------------------------------------------------
  const uuid = randomUUID();
  out.push(secret("config: .npmrc legacy _authToken (UUID)", "home/node/.npmrc", `//registry.npmjs.org/:_authToken=${uuid}\nalways-auth=true\n`, uuid));
  const npmAuth = Buffer.from(`deploy:${password()}`).toString("base64");
  out.push(secret("config: .npmrc _auth", "app/.npmrc", `registry=https://npm.internal/\n_auth=${npmAuth}\n`, npmAuth));
  const pypiPw = password();
  out.push(secret("config: .pypirc password", "home/dev/.pypirc", `[internal]\nrepository = https://pypi.internal/simple\nusername = deploy\npassword = ${pypiPw}\n`, pypiPw));
  const netrc = password();
  out.push(secret("config: .netrc", "root/.netrc", `machine git.internal.example\n  login ci-bot\n  password ${netrc}\n`, netrc));
  const gitCred = password().replace(/[#%+]/g, "x");
  out.push(secret("config: .git-credentials", "root/.git-credentials", `https://ci-bot:${gitCred}@git.internal.example\n`, gitCred));
  const dockerAuth = Buffer.from(`robot$ci:${f.string(32)}`).toString("base64");
  out.push(secret("config: Docker config.json auths", "root/.docker/config.json", `{\n  "auths": {\n    "registry.internal:5000": {\n      "auth": "${dockerAuth}"\n    }\n  }\n}\n`, dockerAuth));
  const kubeToken = `${f.string(6, "abcdefghijklmnopqrstuvwxyz0123456789")}.${f.string(16, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
  out.push(secret("config: kubeconfig token", "home/app/.kube/config", `apiVersion: v1\nusers:\n- name: deployer\n  user:\n    token: ${kubeToken}\n`, kubeToken));
  const pg = password().replace(/:/g, "x");
  out.push(secret("config: .pgpass", "root/.pgpass", `db.internal:5432:app:app_user:${pg}\n`, pg));
  const dbPw = password();
  out.push(secret("config: .env DB_PASSWORD", "srv/app/.env", `NODE_ENV=production\nDB_HOST=db\nDB_PASSWORD=${dbPw}\n`, dbPw));
  const railsKey = f.string(128, HEX);
  out.push(secret("config: SECRET_KEY_BASE", "app/config/env.sh", `export RAILS_ENV=production\nexport SECRET_KEY_BASE=${railsKey}\n`, railsKey));
  const urlPw = f.string(14);
  out.push(secret("url: postgres://user:password@", "app/config/database.yml", `production:\n  url: postgres://app:${urlPw}@db.internal:5432/app\n`, urlPw));
  const redisPw = f.string(20);
  out.push(secret("url: redis://:password@", "app/worker.env", `REDIS_URL=redis://:${redisPw}@cache:6379/0\n`, redisPw));
  const mongoPw = f.string(16);
  out.push(secret("url: mongodb+srv://", "app/src/db.js", `const uri = "mongodb+srv://svc:${mongoPw}@cluster0.abcde.mongodb.net/shop";\n`, mongoPw));
  const accountKey = Buffer.from(randomBytes(64)).toString("base64");
  out.push(secret("config: Azure storage connection string", "app/appsettings.json", `{"Storage": "DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=${accountKey};EndpointSuffix=core.windows.net"}\n`, accountKey));
  const mvn = password().replace(/[<>&]/g, "x");
  out.push(secret("config: Maven settings.xml <password>", "root/.m2/settings.xml", `<settings>\n  <servers>\n    <server>\n      <id>internal</id>\n      <username>deploy</username>\n      <password>${mvn}</password>\n    </server>\n  </servers>\n</settings>\n`, mvn));
  const bearer = f.string(40, B64URL);
  out.push(secret("header: Authorization Bearer in a script", "usr/local/bin/sync.sh", `#!/bin/sh\ncurl -fsS -H "Authorization: Bearer ${bearer}" https://api.internal/sync\n`, bearer));
  const vaultLegacy = `s.${f.string(24)}`;
  out.push(secret("config: .vault-token (legacy format)", "root/.vault-token", vaultLegacy, vaultLegacy));
  const springPw = password();
  out.push(secret("config: Spring properties", "app/BOOT-INF/classes/application.properties", `spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=${springPw}\n`, springPw));
  const tfSecret = f.string(34, `${ALNUM}~._-`);
  out.push(secret("config: terraform.tfvars client_secret", "infra/prod.auto.tfvars", `tenant_id     = "${randomUUID()}"\nclient_secret = "${tfSecret}"\n`, tfSecret));
  return [...out, ...decoys()];
}

function decoys(): Sample[] {
  const out: Sample[] = [];
  const ed = ed25519Raw();
  // --- public material -----------------------------------------------------------------------------------------
  const cert = certificate() ?? `-----BEGIN CERTIFICATE-----\n${Buffer.from(randomBytes(300)).toString("base64")}\n-----END CERTIFICATE-----\n`;
  out.push(decoy("public: certificate", "etc/ssl/certs/app.pem", cert));
  out.push(decoy("public: CA bundle", "etc/ssl/certs/ca-certificates.crt", `${cert}${cert}`));
  out.push(decoy("public: SSH public key", "root/.ssh/id_ed25519.pub", `${openSshPublic(ed)}\n`));
  out.push(decoy("public: authorized_keys", "home/git/.ssh/authorized_keys", `${openSshPublic(ed25519Raw(), "alice@laptop")}\n${openSshPublic(ed25519Raw(), "bob@laptop")}\n`));
  out.push(decoy("public: known_hosts", "root/.ssh/known_hosts", `github.com ${openSshPublic(ed25519Raw(), "").trim()}\n`));
  const pubPem = (nodeKeys()[4]?.pem ?? "").replace(/PRIVATE/g, "PUBLIC");
  out.push(decoy("public: PUBLIC KEY PEM", "app/keys/jwt-public.pem", pubPem));
  out.push(decoy("public: PGP public key block", "usr/share/keyrings/repo.asc", pgpPrivateKey(ed).replace(/PRIVATE KEY/g, "PUBLIC KEY")));
  out.push(decoy("public: age public key", "app/.sops.yaml", `creation_rules:\n  - age: age1${f.string(58, BECH32)}\n`));
  // --- documented example keys ---------------------------------------------------------------------------------
  out.push(decoy("example: AWS documented keys", "app/docs/aws.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"));
  out.push(decoy("example: GitHub token with a failing checksum", "app/README.md", `Set GITHUB_TOKEN=${withBrokenChecksum(checksummedToken("ghp", f))} in your environment.\n`));
  out.push(decoy("example: npm token with a failing checksum", "app/docs/publish.md", `//registry.npmjs.org/:_authToken=${withBrokenChecksum(checksummedToken("npm", f))}\n`));
  out.push(decoy("example: Stripe test key from the docs", "app/docs/payments.md", "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"\n"));
  out.push(decoy("example: jwt.io sample token", "app/docs/auth.md", "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n"));
  out.push(decoy("example: Slack docs token", "app/docs/slack.md", "SLACK_BOT_TOKEN=xoxb-not-a-real-token-this-will-not-work\n"));
  out.push(decoy("example: Go TESTING KEY", "app/internal/tlstest/key.go", `const testKey = \`-----BEGIN RSA TESTING KEY-----\n${Buffer.from(randomBytes(400)).toString("base64")}\n-----END RSA TESTING KEY-----\``));
  // --- placeholders ----------------------------------------------------------------------------------------------
  out.push(decoy("placeholder: .env template", "app/.env", "DB_PASSWORD=changeme\nAPI_KEY=<your-api-key>\nSECRET_KEY=${SECRET_KEY}\nGITHUB_TOKEN=\nSTRIPE_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\n"));
  out.push(decoy("placeholder: .npmrc with a variable", "app/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"));
  out.push(decoy("placeholder: elided PEM", "app/docs/tls.md", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n"));
  out.push(decoy("placeholder: URL with a sample password", "app/docs/setup.md", "DATABASE_URL=postgres://user:password@localhost:5432/db\nproxy: http://user:pass@proxy:3128\n"));
  out.push(decoy("placeholder: x-ed tokens", "app/config.sample.yml", "gitlab_token: glpat-xxxxxxxxxxxxxxxxxxxx\naws_key: AKIAXXXXXXXXXXXXXXXX\nslack: xoxb-0000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx\n"));
  out.push(decoy("placeholder: docker config with a helper", "root/.docker/config.json", '{\n  "auths": {"ghcr.io": {}, "registry.internal": {"auth": ""}},\n  "credsStore": "desktop"\n}\n'));
  out.push(decoy("placeholder: kubeconfig with exec", "root/.kube/config", "users:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n"));
  // --- hashes -------------------------------------------------------------------------------------------------
  const sha = (s: string): string => createHash("sha256").update(s).digest("hex");
  out.push(decoy("hash: shadow password hashes", "etc/shadow", `root:$6$${f.string(16)}$${f.string(86, `${ALNUM}./`)}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n`));
  out.push(decoy("hash: htpasswd", "etc/nginx/.htpasswd", `admin:$apr1$${f.string(8)}$${f.string(22, `${ALNUM}./`)}\n`));
  out.push(decoy("hash: bcrypt in a seed", "app/db/seed.sql", `INSERT INTO users (email, password_hash) VALUES ('a@example.com', '$2b$12$${f.string(53, `${ALNUM}./`)}');\n`));
  out.push(decoy("hash: SHA256SUMS", "opt/tool/SHA256SUMS", `${sha("a")}  tool-linux-amd64.tar.gz\n${sha("b")}  tool-linux-arm64.tar.gz\n`));
  out.push(decoy("hash: dpkg md5sums", "var/lib/dpkg/info/curl.md5sums", `${createHash("md5").update("x").digest("hex")}  usr/bin/curl\n`));
  out.push(decoy("hash: package-lock integrity", "app/package-lock.json", `{"packages": {"node_modules/ms": {"version": "2.1.3", "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz", "integrity": "sha512-${createHash("sha512").update("ms").digest("base64")}"}}}\n`));
  out.push(decoy("hash: yarn.lock", "app/yarn.lock", `ms@^2.1.3:\n  version "2.1.3"\n  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#${createHash("sha1").update("ms").digest("hex")}"\n  integrity sha512-${createHash("sha512").update("ms2").digest("base64")}\n`));
  out.push(decoy("hash: go.sum", "app/go.sum", `golang.org/x/crypto v0.21.0 h1:${createHash("sha256").update("c").digest("base64")}\n`));
  out.push(decoy("hash: pip --hash", "app/requirements.txt", `requests==2.31.0 --hash=sha256:${sha("requests")}\n`));
  out.push(decoy("hash: image digests in compose", "app/compose.yaml", `services:\n  db:\n    image: postgres:16@sha256:${sha("pg")}\n`));
  out.push(decoy("hash: SRI in HTML", "app/public/index.html", `<script src="/app.js" integrity="sha384-${createHash("sha384").update("js").digest("base64")}" crossorigin="anonymous"></script>\n`));
  out.push(decoy("hash: password digest setting", "app/config/auth.yml", `password_sha256: ${sha("pw")}\ntoken_digest: ${sha("t")}\n`));
  // --- test fixtures shipped by third-party packages ---------------------------------------------------------------
  const fixtureKey = nodeKeys()[0]?.pem ?? "";
  out.push(decoy("fixture: python package tests", "usr/lib/python3/dist-packages/paramiko/tests/test_rsa.key", fixtureKey));
  out.push(decoy("fixture: node module test fixtures", "app/node_modules/ssh2/test/fixtures/id_ed25519", openSshEd25519(ed25519Raw())));
  out.push(decoy("fixture: Go module testdata", "root/go/pkg/mod/golang.org/x/crypto@v0.21.0/ssh/testdata/keys.go", `var key = \`${nodeKeys()[3]?.pem ?? ""}\``));
  out.push(decoy("fixture: package docs example", "usr/share/doc/openssl/examples/server.key", nodeKeys()[2]?.pem ?? ""));
  out.push(decoy("fixture: library source with assignments", "usr/local/lib/python3.12/site-packages/requests/auth.py", `class HTTPBasicAuth:\n    def __init__(self, username, password):\n        self.password = password\n        token = "${f.string(20)}"\n`));
  // --- code that names secrets without holding one -------------------------------------------------------------
  out.push(decoy("code: JavaScript reading secrets", "app/src/auth.js", "const token = getToken();\nconst password = process.env.DB_PASSWORD;\nconst opts = { apiKey: config.apiKey, secret: this.clientSecret };\nexport const TOKEN_HEADER = \"X-Auth-Token\";\n"));
  out.push(decoy("code: Python reading secrets", "app/settings.py", "SECRET_KEY = os.environ[\"SECRET_KEY\"]\npassword = kwargs.get(\"password\")\nAUTH_PASSWORD_VALIDATORS = []\n"));
  out.push(decoy("code: Go struct tags", "app/internal/config/config.go", "type DB struct {\n\tPassword string `json:\"password\" env:\"DB_PASSWORD\"`\n\tToken    string `yaml:\"token\"`\n}\n"));
  out.push(decoy("code: minified bundle", "app/public/main.min.js", `!function(e){var t={token:e.token,password:e.password,apiKey:e.apiKey};e.auth=t}(window);var n="${f.string(32, HEX)}";\n`));
  out.push(decoy("config: lengths and names", "app/config/security.yml", "password_min_length: 12\npassword_reset_token_ttl: 3600\nsession_token_name: sid\nsecret_name: prod/db/password\napi_key_header: X-Api-Key\n"));
  out.push(decoy("config: IDs and UUIDs", "app/config/ids.env", `REQUEST_ID=${randomUUID()}\nCLIENT_ID=${randomUUID()}\nBUILD_SHA=${sha("build").slice(0, 40)}\n`));
  out.push(decoy("data: base64 image", "app/public/logo.css", `.logo{background:url(data:image/png;base64,${Buffer.from(randomBytes(600)).toString("base64")})}\n`));
  out.push(decoy("data: random binary", "usr/lib/x86_64-linux-gnu/libfoo.so.1", `\u007fELF\u0002\u0001\u0001\u0000${Buffer.from(randomBytes(4000)).toString("latin1")}`));
  out.push(decoy("config: Debian login.defs", "etc/login.defs", "PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nENCRYPT_METHOD SHA512\n"));
  out.push(decoy("config: sshd_config", "etc/ssh/sshd_config", "PasswordAuthentication no\nPermitRootLogin prohibit-password\nHostKey /etc/ssh/ssh_host_ed25519_key\n"));
  // Shapes met scanning a real Debian system and node_modules as if they were application code.
  out.push(decoy("code: TypeScript declarations", "app/types/url.d.ts", "interface URLPatternResult {\n  password: URLPatternComponentResult;\n  credential: Credential;\n}\n"));
  out.push(decoy("code: compiler internals", "app/dist/scanner.js", "token = SyntaxKind.EndOfFile;\nconst t = { token: n.dotDotDotToken, key: _SSH_PRIVATE_KEY_TYPES };\nself.token = self._in_arguments\n"));
  out.push(decoy("code: vim script", "app/vim/netrw.vim", "let password = s:netrw_passwd\nlet pwd = a:dict.istemp ? a:dict.tmpdir : ''\nlet s:open_pat = 'for\\|if\\|parfor\\|while'\nlet token = '\\c^\\s*\\%(#\\s*lang\\s\\+\\)'\n"));
  out.push(decoy("code: lexer tables", "app/lexers/pascal.py", "    token = Punctuation\n    token = Whitespace\n    _token_re = r'[0-9A-Fa-f]{1,4}'\n    ipv6_token = '(?:{hex}:{hex}|{ipv4})'\n"));
  out.push(decoy("config: openssl.cnf sample", "etc/ssl/openssl.cnf", "[cmp]\nsecret = pass:insta # can be used for both client and server side\n"));
  out.push(decoy("code: shell completion", "usr/share/bash-completion/completions/mvn", '__mvncomp "username= message= passphrase= password= scmVersion=" "-D" "${cur}"\n'));
  out.push(decoy("data: package list", "usr/share/package-lists/maven.tsv", "com.google.auth:google-auth-library-oauth2-http\t1.57.0\n"));
  out.push(decoy("example: RFC 6749 tokens in docs", "app/docs/oauth.md", "Authorization: Bearer mF_9.B5f-4.1JqM\naccess_token=2YotnFZFEjr1zCsicMWpAA&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA\n"));
  out.push(decoy("fixture: Go standard library example test", "usr/share/go-1.19/src/crypto/tls/example_test.go", `const keyPEM = \`${nodeKeys()[2]?.pem ?? ""}\``));
  out.push(decoy("fixture: library docstring examples", "usr/lib/python3/dist-packages/oauthlib/oauth2/rfc6749/tokens.py", "    >>> token = 'kjfch2345sdf'\n    Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\n"));
  out.push(decoy("text: base62 counter table", "app/data/short-ids.txt", Array.from({ length: 20 }, (_, i) => base62(i * 7919, 8)).join("\n")));
  return out;
}
