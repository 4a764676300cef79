// `drydock key generate | import`, `sign-blob`, `verify-blob` (and cosign's names generate-key-pair, import-key-pair).
// Exit codes: 0 done or verified, 1 the signature does not verify (reason on stderr), 2 usage or input errors.
import { lstat, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import { DrydockError } from "../core/errors.ts";
import { blobBundle, legacyBlobBundle, readBlobSignature, signBlob, verifyBlob, verifyBlobWithBundle, type BlobVerification } from "../sign/blob.ts";
import { encryptPrivateKey, generateKeyPair, loadPrivateKey, loadPublicKey, passwordFrom, publicKeyPem, type SigningKey } from "../sign/keys.ts";
import type { Io } from "./main.ts";

export interface KeyCommandDeps {
  /** Reads a password when COSIGN_PASSWORD / DRYDOCK_PASSWORD are unset (default: a no-echo TTY prompt, else all of stdin). */
  readPassword?: (prompt: string) => Promise<string>;
}

interface KeyFileFlags {
  outputKeyPrefix: string;
  force?: boolean;
}

interface SignBlobFlags {
  key: string;
  outputSignature?: string;
  bundle?: string;
  newBundleFormat: string | boolean;
}

interface VerifyBlobFlags {
  key: string;
  signature?: string;
  bundle?: string;
}

/** Largest blob read (they are read whole: SBOMs, reports, release files). */
const MAX_BLOB_BYTES = 1024 * 1024 * 1024;
const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;

/** Adds the commands; exitCode is set once one has run (1 when verify-blob finds the signature invalid). */
export function registerKeyCommands(program: Command, io: Io, deps: KeyCommandDeps = {}): { readonly exitCode: number | undefined } {
  const state: { exitCode: number | undefined } = { exitCode: undefined };
  const readPassword = deps.readPassword ?? promptPassword;

  const generate = async (opts: KeyFileFlags): Promise<void> => {
    const password = await newPassword(io, readPassword);
    const keys = generateKeyPair(password);
    await writeKeyFiles(opts, keys.privatePem, keys.publicPem, io);
    state.exitCode = 0;
  };
  const importKey = async (opts: KeyFileFlags & { key: string }): Promise<void> => {
    const pem = await readSmallFile(opts.key, io, "key");
    // The source key's own password (PKCS#8 or cosign encrypted) is asked only when it is encrypted.
    const source = loadPrivateKey(pem, isEncryptedPem(pem) ? await passwordFrom(io.env, () => readPassword(`Enter password for ${opts.key}: `)) : "", opts.key);
    const password = await newPassword(io, readPassword);
    await writeKeyFiles(opts, encryptPrivateKey(source.privateKey, password), publicKeyPem(source.publicKey), io);
    state.exitCode = 0;
  };

  const key = program.command("key").description("create and import cosign-compatible key pairs (cosign.key / cosign.pub)");
  withKeyFileFlags(key.command("generate").description("generate an ECDSA P-256 key pair in cosign's format"), "cosign")
    .action(generate);
  withKeyFileFlags(key.command("import").description("encrypt an existing PEM private key (PKCS#8, SEC1, RSA) into cosign's format"), "import-cosign")
    .requiredOption("--key <file>", "the PEM private key to import")
    .action(importKey);
  withKeyFileFlags(program.command("generate-key-pair").description("same as `drydock key generate` (cosign's name)"), "cosign")
    .action(generate);
  withKeyFileFlags(program.command("import-key-pair").description("same as `drydock key import` (cosign's name)"), "import-cosign")
    .requiredOption("-k, --key <file>", "the PEM private key to import")
    .action(importKey);

  program
    .command("sign-blob")
    .description("sign a file with a cosign key: prints the base64 signature, or writes a Sigstore bundle (--bundle)")
    .argument("<file>", "the file to sign, or - for stdin")
    .requiredOption("--key <file>", "private key (cosign.key, PKCS#8 or SEC1 PEM); password from COSIGN_PASSWORD or DRYDOCK_PASSWORD")
    .option("--output-signature <file>", "write the base64 signature to this file instead of stdout")
    .option("--bundle <file>", "write a bundle to this file (Sigstore v0.3; cosign's legacy form with --new-bundle-format=false)")
    .option("--new-bundle-format [bool]", "true: Sigstore bundle v0.3 (cosign v3's default); false: cosign's legacy bundle", "true")
    .addOption(new Option("--tlog-upload [bool]", "accepted for cosign compatibility; drydock never uploads to a transparency log").hideHelp())
    .addOption(new Option("-y, --yes", "accepted for cosign compatibility").hideHelp())
    .action(async (file: string, opts: SignBlobFlags) => {
      const newFormat = booleanFlag(opts.newBundleFormat, "--new-bundle-format");
      const signingKey = await privateKeyFrom(opts.key, io, readPassword);
      const blob = await readBlob(file, io);
      const signature = signBlob(signingKey, blob);
      const b64 = signature.toString("base64");
      if (opts.bundle !== undefined) {
        await writeOutputFile(opts.bundle, newFormat ? blobBundle(signingKey, blob) : legacyBlobBundle(signature), io);
        io.stderr(`Wrote bundle to file ${opts.bundle}\n`);
      }
      if (opts.outputSignature !== undefined) {
        await writeOutputFile(opts.outputSignature, b64, io);
        io.stderr(`Wrote signature to file ${opts.outputSignature}\n`);
      } else if (opts.bundle === undefined) {
        io.stdout(`${b64}\n`);
      }
      state.exitCode = 0;
    });

  program
    .command("verify-blob")
    .description("verify a file's signature (--signature) or bundle (--bundle) with a public key")
    .argument("<file>", "the signed file, or - for stdin")
    .requiredOption("--key <file>", "public key (cosign.pub) or a certificate PEM")
    .option("--signature <file>", "the signature file (base64, as sign-blob writes it, or raw DER)")
    .option("--bundle <file>", "a bundle file (Sigstore bundle, or cosign's legacy bundle)")
    .addOption(new Option("--insecure-ignore-tlog [bool]", "accepted for cosign compatibility; drydock never consults a transparency log").hideHelp())
    .action(async (file: string, opts: VerifyBlobFlags) => {
      if ((opts.signature === undefined) === (opts.bundle === undefined)) {
        throw new DrydockError("USAGE", "verify-blob needs exactly one of --signature FILE or --bundle FILE");
      }
      const publicKey = loadPublicKey(await readSmallFile(opts.key, io, "key"), opts.key);
      const blob = await readBlob(file, io);
      let result: BlobVerification;
      if (opts.bundle !== undefined) {
        result = verifyBlobWithBundle(publicKey, blob, await readSmallBytes(opts.bundle, io, "bundle"), opts.bundle);
      } else {
        result = verifyBlob(publicKey, blob, readBlobSignature(await readSmallBytes(opts.signature ?? "", io, "signature")));
      }
      if (result.verified) {
        io.stderr("Verified OK\n");
        state.exitCode = 0;
      } else {
        io.stderr(`drydock: ${file}: verification failed: ${result.reason}\n`);
        state.exitCode = 1;
      }
    });

  return state;
}

function withKeyFileFlags(cmd: Command, defaultPrefix: string): Command {
  return cmd
    .option("--output-key-prefix <prefix>", "write PREFIX.key and PREFIX.pub", defaultPrefix)
    .option("-f, --force", "overwrite existing key files");
}

/** A new key's password: from the environment, else asked twice on a terminal (cosign's behaviour). */
async function newPassword(io: Io, readPassword: (prompt: string) => Promise<string>): Promise<string> {
  return passwordFrom(io.env, async () => {
    const first = await readPassword("Enter password for private key: ");
    if (process.stdin.isTTY !== true) return first;
    const again = await readPassword("Enter password for private key again: ");
    if (again !== first) throw new DrydockError("USAGE", "the passwords do not match; no key was written");
    return first;
  });
}

/** Writes PREFIX.key (mode 0600) and PREFIX.pub; refuses to replace either unless --force. */
async function writeKeyFiles(opts: KeyFileFlags, privatePem: string, publicPem: string, io: Io): Promise<void> {
  const keyFile = `${opts.outputKeyPrefix}.key`;
  const pubFile = `${opts.outputKeyPrefix}.pub`;
  if (opts.force !== true) {
    for (const file of [keyFile, pubFile]) {
      if (await exists(path.resolve(io.cwd, file))) throw new DrydockError("USAGE", `${file} already exists; pass --force to overwrite it`);
    }
  }
  const flag = opts.force === true ? "w" : "wx";                          // wx: still refuse a file created meanwhile
  for (const [file, text, mode] of [[keyFile, privatePem, 0o600], [pubFile, publicPem, 0o644]] as const) {
    try {
      await writeFile(path.resolve(io.cwd, file), text, { flag, mode });
    } catch (e) {
      if (errnoOf(e) === "EEXIST") {
        throw new DrydockError("USAGE", `${file} already exists; pass --force to overwrite it`);
      }
      throw new DrydockError("OUTPUT_UNWRITABLE", `cannot write ${file}: ${errnoOf(e) ?? String(e)}`, { cause: e });
    }
    io.stderr(`${file === keyFile ? "Private" : "Public"} key written to ${file}\n`);
  }
}

/** A private key file, decrypted with the password from the environment or a prompt when it is encrypted. */
export async function privateKeyFrom(file: string, io: Io, readPassword: (prompt: string) => Promise<string>): Promise<SigningKey> {
  const pem = await readSmallFile(file, io, "key");
  const password = isEncryptedPem(pem) ? await passwordFrom(io.env, () => readPassword(`Enter password for private key ${file}: `)) : "";
  return loadPrivateKey(pem, password, file);
}

function isEncryptedPem(pem: string): boolean {
  return /-----BEGIN ENCRYPTED /.test(pem);
}

function booleanFlag(value: string | boolean, name: string): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new DrydockError("USAGE", `${name} expects true or false; got ${JSON.stringify(value)}`);
}

async function readBlob(file: string, io: Io): Promise<Buffer> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BLOB_BYTES) throw new DrydockError("INPUT_TOO_LARGE", `stdin: more than ${MAX_BLOB_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
  return readBytes(file, io, "file", MAX_BLOB_BYTES);
}

async function readSmallFile(file: string, io: Io, what: string): Promise<string> {
  return (await readSmallBytes(file, io, what)).toString("utf8");
}

async function readSmallBytes(file: string, io: Io, what: string): Promise<Buffer> {
  return readBytes(file, io, what, MAX_SMALL_FILE_BYTES);
}

async function readBytes(file: string, io: Io, what: string, limit: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.resolve(io.cwd, file));
  } catch (e) {
    const code = errnoOf(e);
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String(code ?? e);
    throw new DrydockError("INPUT_UNREADABLE", `cannot read ${what} ${file}: ${why}`, { cause: e });
  }
  if (bytes.length > limit) throw new DrydockError("INPUT_TOO_LARGE", `${what} ${file} is larger than ${limit} bytes`);
  return bytes;
}

async function writeOutputFile(file: string, data: string | Buffer, io: Io): Promise<void> {
  try {
    await writeFile(path.resolve(io.cwd, file), data);
  } catch (e) {
    throw new DrydockError("OUTPUT_UNWRITABLE", `cannot write ${file}: ${errnoOf(e) ?? String(e)}`, { cause: e });
  }
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}

function errnoOf(e: unknown): string | undefined {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

/**
 * A password from the terminal without echo (raw mode, prompt on stderr); without a terminal, all of stdin
 * verbatim, as cosign reads it.
 */
export async function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY !== true) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            resolve(typed);
            return;
          }
          if (ch === "\u0003" || ch === "\u0004") {                    // Ctrl-C / Ctrl-D: give up, write nothing
            stdin.off("data", onData);
            process.stderr.write("\n");
            reject(new DrydockError("USAGE", "no password entered"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
          else typed += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}
