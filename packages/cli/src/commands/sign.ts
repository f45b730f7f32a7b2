import { stat } from "node:fs/promises";
import {
  type AgentTemplate,
  localKeySigner,
  OptionsError,
  type SignatureAlgorithm,
  signTemplate,
  UNCODED_ERROR_CODE,
} from "@nextgen/core";
import { SIGNATURE_ALGORITHMS } from "@nextgen/core/internal";
import { SingleBar } from "cli-progress";
import { type Command, Option } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";
import { failureCode, oneLine } from "./failure-line.js";
import { dictionaryFiles, withDictionaryOption } from "./shared-flags.js";
import { signChecks } from "./sign-checks.js";
import { openToolPinner, withToolPins } from "./sign-pin-tools.js";
import { collectTemplateFiles, templateFileIo } from "./signing-io.js";
import { readSigningKey } from "./signing-key.js";

interface SignFlags {
  key: string;
  kid: string;
  alg?: SignatureAlgorithm;
  expires?: string;
  json?: boolean;
  progress?: boolean;
  dictionary?: string[];
  dict?: string[];
  trust?: string;
  allowSameVersion?: boolean;
  pinTools?: boolean;
  mcpConfig?: string;
}

/** Files at or above this count get a progress bar (on a terminal). */
const PROGRESS_THRESHOLD = 20;

/**
 * `nextgen sign <file|dir>…`: adds (or replaces) the signature of one key on each
 * template. Each file is rewritten atomically; a file that fails to parse is reported
 * and left untouched, and the exit code is 1.
 */
export function registerSign(program: Command): void {
  const sign = program.command("sign");
  withDictionaryOption(sign, "zstd dictionary for .json.zst templates (the built-in one is always included)");
  sign
    .description("Sign templates: add or replace the signature of --kid on each .json file (directories are walked).")
    .argument("<paths...>", "template files or directories")
    .requiredOption("--key <file>", "private key (PKCS#8 PEM, from nextgen keygen)")
    .requiredOption("--kid <kid>", "key id, as listed in trust.json")
    .addOption(
      new Option("--alg <algorithm>", "signature algorithm (default: EdDSA)").choices([...SIGNATURE_ALGORITHMS]),
    )
    .option("--expires <date>", "signature expiry (ISO 8601), written as exp")
    .option(
      "--trust <file>",
      "trust policy (trust.json): refuse unless --kid is this key there and its signature would count",
    )
    .option(
      "--allow-same-version",
      "re-sign changed content under a version that was already signed (only if it was never deployed)",
    )
    .option("--json", "print the results as JSON")
    .option("--no-progress", "never show a progress bar")
    .option("--pin-tools", "record the current digests of the granted MCP tools in toolPins before signing")
    .option("--mcp-config <file>", "MCP servers for --pin-tools ({ mcpServers: { name: { command | url } } })")
    .addHelpText("after", "\nExample:\n  nextgen sign templates/ --key release-2026.pem --kid release-2026")
    .action(async (paths: string[], flags: SignFlags) => {
      // Read first: a public key is refused before any remark about its file mode.
      const key = await readSigningKey(flags.key);
      await warnIfKeyReadableByOthers(flags.key);
      const signer = localKeySigner({
        key,
        keyId: flags.kid,
        ...(flags.alg ? { algorithm: flags.alg } : {}),
      });
      const checks = await signChecks({
        privateKey: key,
        keyId: flags.kid,
        algorithm: flags.alg ?? signer.algorithm,
        trustFile: flags.trust,
        allowSameVersion: flags.allowSameVersion === true,
      });
      let expiresAt: Date | undefined;
      if (flags.expires !== undefined) {
        expiresAt = new Date(flags.expires);
        if (Number.isNaN(expiresAt.getTime())) throw new OptionsError("--expires", "must be an ISO 8601 date");
      }
      const files = await collectTemplateFiles(paths);
      const pinner = flags.pinTools ? await openToolPinner(flags.mcpConfig) : undefined;
      const templateFiles = templateFileIo({ dictionaries: dictionaryFiles(flags) });
      const bar =
        flags.progress !== false && !flags.json && files.length >= PROGRESS_THRESHOLD && process.stderr.isTTY
          ? new SingleBar({ stream: process.stderr, format: "signing {bar} {value}/{total} {file}", hideCursor: true })
          : undefined;
      bar?.start(files.length, 0, { file: "" });
      const results: { file: string; id?: string; version?: string; code?: string; error?: string }[] = [];
      for (const file of files) {
        try {
          let template: AgentTemplate = await templateFiles.read(file);
          if (pinner !== undefined) template = await withToolPins(template, pinner);
          await checks.assertVersionNotReused(template);
          const signed = await signTemplate(template, signer, expiresAt === undefined ? {} : { expiresAt });
          await checks.assertCounts(signed);
          await templateFiles.write(file, signed);
          results.push({ file, id: signed.id, version: signed.version });
        } catch (error) {
          results.push({
            file,
            code: failureCode(error) ?? UNCODED_ERROR_CODE,
            error: oneLine(error instanceof Error ? error.message : String(error)),
          });
        }
        bar?.increment(1, { file });
      }
      bar?.stop();
      await pinner?.close();
      const failed = results.filter((result) => result.error !== undefined);
      if (flags.json) writeOut(`${JSON.stringify({ kid: flags.kid, results }, null, 2)}\n`);
      else {
        for (const result of failed) writeErr(`nextgen: ${result.file}: ${result.code}: not signed: ${result.error}\n`);
        writeOut(`signed ${results.length - failed.length} of ${results.length} template(s) with ${flags.kid}\n`);
      }
      if (failed.length > 0 || files.length === 0) process.exitCode = 1;
    });
}

/** Like ssh, points out a private key file that group or others can read (POSIX only). */
async function warnIfKeyReadableByOthers(keyFile: string): Promise<void> {
  if (process.platform === "win32") return;
  const mode = (await stat(keyFile).catch(() => undefined))?.mode;
  if (mode === undefined || (mode & 0o077) === 0) return;
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  writeErr(
    `nextgen: warning: private key ${keyFile} is accessible by group or others (mode ${octal}); run chmod 600 ${keyFile}\n`,
  );
}
