import { fileStateStore, loadTrustPolicy, memoryStateStore, NextGenError, SignatureError } from "@nextgen/core";
import type { Command } from "commander";
import { collectTemplateFiles, formatTable, templateFileIo } from "./signing-io.js";

interface VerifyFlags {
  trust: string;
  state?: string;
  json?: boolean;
  dictionary?: string[];
}

interface VerifyResult {
  file: string;
  id?: string;
  version?: string;
  digest?: string;
  verdict: "accepted" | "refused";
  keyIds?: string[];
  code?: string;
  reason?: string;
  message?: string;
}

/**
 * `nextgen verify <file|dir>… --trust trust.json`: checks each template against the
 * policy and prints a table (or JSON). Exit code 0 only when every template passes.
 * Rollback marks are not recorded unless `--state` names a state file.
 */
export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("Verify template signatures against a trust policy; exit code 0 only if all pass.")
    .argument("<paths...>", "template files or directories")
    .requiredOption("--trust <file>", "trust policy (trust.json)")
    .option("--state <file>", "rollback state file to check against and update (default: none)")
    .option("--dictionary <file...>", "zstd dictionaries for .json.zst templates (the built-in one is always included)")
    .option("--json", "print the results as JSON")
    .addHelpText("after", "\nExample:\n  nextgen verify templates/ --trust trust.json --json")
    .action(async (paths: string[], flags: VerifyFlags) => {
      const policy = await loadTrustPolicy(flags.trust, {
        stateStore: flags.state === undefined ? memoryStateStore() : fileStateStore(flags.state),
      });
      const results: VerifyResult[] = [];
      const templates = templateFileIo({ dictionaries: flags.dictionary ?? [] });
      for (const file of await collectTemplateFiles(paths)) {
        try {
          const template = await templates.read(file);
          try {
            const verified = await policy.verify(template);
            results.push({
              file,
              id: template.id,
              version: template.version,
              digest: verified.digest,
              verdict: "accepted",
              keyIds: verified.keyIds,
            });
          } catch (error) {
            if (!(error instanceof SignatureError)) throw error;
            results.push({
              file,
              id: template.id,
              version: template.version,
              verdict: "refused",
              code: error.code,
              reason: error.reason,
              message: error.message,
            });
          }
        } catch (error) {
          const code = NextGenError.is(error) ? error.code : "ERROR";
          results.push({
            file,
            verdict: "refused",
            code,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ ok: results.every((result) => result.verdict === "accepted"), results }, null, 2)}\n`,
        );
      else {
        const rows = results.map((result) => [
          result.verdict === "accepted" ? "ok" : "REFUSED",
          result.file,
          result.id === undefined ? "" : `${result.id}@${result.version}`,
          result.verdict === "accepted" ? (result.keyIds ?? []).join(",") : `${result.reason ?? result.code}`,
        ]);
        process.stdout.write(formatTable(["verdict", "file", "template", "keys / reason"], rows));
      }
      if (results.length === 0 || results.some((result) => result.verdict !== "accepted")) process.exitCode = 1;
    });
}
