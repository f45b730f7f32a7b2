import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { derToRawEcdsa } from "./der-signature.js";
import { isSignatureAlgorithm } from "./key-compatibility.js";
import type { SignatureAlgorithm, Signer, SignOptions } from "./signer.js";

/** Options of {@link commandSigner}. */
export interface CommandSignerOptions {
  /** Executable to run (looked up on `PATH`); no shell is involved. */
  command: string;
  /**
   * Arguments passed as is, except the placeholder `{input}`: when an argument contains
   * it, the signing input is written to a private temporary file (mode 0600, removed
   * afterwards) whose path replaces the placeholder, for tools that cannot sign from
   * stdin (OpenSSL 3.0's `pkeyutl -rawin` needs `-in {input}`). Otherwise the input
   * goes to stdin.
   * @default [] (the command alone, reading the input from stdin)
   */
  args?: readonly string[];
  /** Key id written in each signature's `kid`. */
  keyId: string;
  /** JWS algorithm the command signs with. */
  algorithm: SignatureAlgorithm;
  /**
   * Time limit of one signing, in milliseconds; the command is killed after it.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Extra environment variables for the command (merged over `process.env`).
   * @default {} (the command inherits `process.env` unchanged)
   */
  env?: Readonly<Record<string, string>>;
}

const MAX_STDERR_CHARS = 2000;
const INPUT_PLACEHOLDER = "{input}";

/**
 * A signer whose private key never enters the Node process: it pipes the JWS signing
 * input to `command`'s stdin and reads the raw signature from its stdout (an HSM tool,
 * a KMS client, `openssl`). ES256 signatures printed in DER are converted to JWS r‖s.
 * A non-zero exit, a timeout or empty output raise `NG_ERR_TRUST_SIGNER_FAILED` with the
 * command's stderr in the message.
 *
 * @example
 * ```ts
 * const signer = commandSigner({
 *   command: "openssl",
 *   args: ["pkeyutl", "-sign", "-inkey", "/secure/release.pem", "-rawin", "-in", "{input}"],
 *   keyId: "release-2026",
 *   algorithm: "EdDSA",
 * });
 * ```
 */
export function commandSigner(options: CommandSignerOptions): Signer {
  if (typeof options.command !== "string" || options.command.length === 0) {
    throw new OptionsError("options.command", "must be a non-empty string");
  }
  if (typeof options.keyId !== "string" || options.keyId.length === 0) {
    throw new OptionsError("options.keyId", "must be a non-empty string");
  }
  if (!isSignatureAlgorithm(options.algorithm)) {
    throw new OptionsError("options.algorithm", "must be one of EdDSA, ES256, PS256, RS256");
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new OptionsError("options.timeoutMs", "must be a positive integer (milliseconds)");
  }
  const args = [...(options.args ?? [])];
  const { command, keyId, algorithm } = options;
  const env = options.env === undefined ? process.env : { ...process.env, ...options.env };

  return {
    keyId,
    algorithm,
    async sign(bytes: Uint8Array, signOptions?: SignOptions): Promise<Uint8Array> {
      signOptions?.signal?.throwIfAborted();
      if (!args.some((arg) => arg.includes(INPUT_PLACEHOLDER))) return run(args, bytes, signOptions?.signal);
      const directory = await mkdtemp(join(tmpdir(), "nextgen-sign-"));
      try {
        const inputPath = join(directory, "signing-input");
        await writeFile(inputPath, bytes, { mode: 0o600 });
        return await run(
          args.map((arg) => arg.replaceAll(INPUT_PLACEHOLDER, inputPath)),
          undefined,
          signOptions?.signal,
        );
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };

  function run(
    commandArgs: string[],
    stdin: Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const fail = (message: string, cause?: unknown): void =>
        reject(new NextGenError("NG_ERR_TRUST_SIGNER_FAILED", `${command} (key "${keyId}"): ${message}`, { cause }));
      const child = spawn(command, commandArgs, {
        env,
        stdio: ["pipe", "pipe", "pipe"],
        timeout: timeoutMs,
        signal,
      });
      const stdout: Buffer[] = [];
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => {
        if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString("utf8");
      });
      // A command that exits without reading stdin makes the write fail with EPIPE; the exit code tells why.
      child.stdin.on("error", () => {});
      child.on("error", (error) => fail(`could not run: ${error.message}`, error));
      child.on("close", (code, signal) => {
        const detail = stderr.trim().slice(0, MAX_STDERR_CHARS);
        if (signal !== null)
          return fail(
            `killed by ${signal}${signal === "SIGTERM" ? ` (timeout ${timeoutMs} ms or aborted)` : ""}${detail ? `: ${detail}` : ""}`,
          );
        if (code !== 0) return fail(`exited with code ${code}${detail ? `: ${detail}` : ""}`);
        const output = new Uint8Array(Buffer.concat(stdout));
        if (output.length === 0) return fail("printed no signature");
        if (algorithm === "ES256" && output.length !== 64) {
          const raw = derToRawEcdsa(output);
          if (raw === undefined)
            return fail(`printed ${output.length} bytes, neither a 64-byte r‖s nor a DER ECDSA signature`);
          return resolve(raw);
        }
        resolve(output);
      });
      child.stdin.end(stdin);
    });
  }
}
