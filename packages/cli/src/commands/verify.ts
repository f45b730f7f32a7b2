import {
  type AgentTemplate,
  compareSemver,
  fileStateStore,
  loadTrustPolicy,
  memoryStateStore,
  SignatureError,
  UNCODED_ERROR_CODE,
} from "@nextgen/core";
import type { Command } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";
import { failureCode, oneLine } from "./failure-line.js";
import { dictionaryFiles, withDictionaryOption } from "./shared-flags.js";
import { collectTemplateFilesWithPaths, formatTable, idPathMismatch, templateFileIo } from "./signing-io.js";

interface VerifyFlags {
  trust: string;
  state?: string;
  json?: boolean;
  dictionary?: string[];
  dict?: string[];
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
 * Without `--state` only signatures are checked (a directory may hold many versions of an
 * id); with it, templates are checked lowest version first against that rollback state,
 * which is updated.
 */
export function registerVerify(program: Command): void {
  const verify = program.command("verify");
  withDictionaryOption(verify, "zstd dictionary for .json.zst templates (the built-in one is always included)");
  verify
    .description("Verify template signatures against a trust policy; exit code 0 only if all pass.")
    .argument("<paths...>", "template files or directories")
    .requiredOption("--trust <file>", "trust policy (trust.json)")
    .option("--state <file>", "rollback state file to check against and update (default: none)")
    .option("--json", "print the results as JSON")
    .addHelpText("after", "\nExample:\n  nextgen verify templates/ --trust trust.json --json")
    .action(async (paths: string[], flags: VerifyFlags) => {
      const policy = await loadTrustPolicy(flags.trust, {
        stateStore: flags.state === undefined ? memoryStateStore() : fileStateStore(flags.state),
      });
      const templates = templateFileIo({ dictionaries: dictionaryFiles(flags) });
      const found = await collectTemplateFilesWithPaths(paths);
      const files = found.map((entry) => entry.file);
      const results: VerifyResult[] = new Array(files.length);
      const loaded: { index: number; template: AgentTemplate }[] = [];
      for (const [index, file] of files.entries()) {
        try {
          const template = await templates.read(file);
          // The service's id↔path rule: a CI gate must not pass a tree the service refuses.
          const mismatch = idPathMismatch(found[index]!, template);
          if (mismatch !== undefined) {
            results[index] = {
              file,
              id: String(template.id),
              version: String(template.version),
              verdict: "refused",
              code: "NG_ERR_SOURCE_ID_MISMATCH",
              reason: "id-path-mismatch",
              message: mismatch,
            };
            continue;
          }
          loaded.push({ index, template });
        } catch (error) {
          results[index] = refusedFile(file, error);
        }
      }
      // Lowest version of each id first: a directory legitimately holds many versions, and
      // file-name order (1.10.0 before 1.9.0) must not make an older one look like a replay.
      loaded.sort((a, b) =>
        a.template.id === b.template.id
          ? compareSemver(String(a.template.version), String(b.template.version))
          : String(a.template.id) < String(b.template.id)
            ? -1
            : 1,
      );
      for (const { index, template } of loaded) {
        const file = files[index]!;
        // Without --state there is no accepted history to roll back from: signatures only.
        const verifier = flags.state === undefined ? policy.withOptions({ stateStore: memoryStateStore() }) : policy;
        try {
          const verified = await verifier.verify(template);
          results[index] = {
            file,
            id: template.id,
            version: template.version,
            digest: verified.digest,
            verdict: "accepted",
            keyIds: verified.keyIds,
          };
        } catch (error) {
          results[index] =
            error instanceof SignatureError
              ? {
                  file,
                  id: template.id,
                  version: template.version,
                  verdict: "refused",
                  code: error.code,
                  reason: error.reason,
                  message: error.message,
                }
              : refusedFile(file, error);
        }
      }
      if (flags.json)
        writeOut(
          `${JSON.stringify({ ok: results.every((result) => result.verdict === "accepted"), results }, null, 2)}\n`,
        );
      else {
        const rows = results.map((result) => [
          result.verdict === "accepted" ? "ok" : "REFUSED",
          result.file,
          result.id === undefined ? "" : `${result.id}@${result.version}`,
          result.verdict === "accepted" ? (result.keyIds ?? []).join(",") : `${result.reason ?? result.code}`,
        ]);
        writeOut(formatTable(["verdict", "file", "template", "keys / reason"], rows));
      }
      // Every refusal is also one stderr line naming its code (scripts grep stderr), as validate does.
      for (const result of results) {
        if (result.verdict === "accepted") continue;
        const why = oneLine(result.message ?? result.reason ?? "refused");
        writeErr(`nextgen: ${result.file}: ${result.code}: ${why}\n`);
      }
      if (results.length === 0) writeErr("nextgen: no template files (*.json, *.json.zst) in the given paths\n");
      if (results.length === 0 || results.some((result) => result.verdict !== "accepted")) process.exitCode = 1;
    });
}

/** A file that could not be read or parsed as a template. */
function refusedFile(file: string, error: unknown): VerifyResult {
  return {
    file,
    verdict: "refused",
    code: failureCode(error) ?? UNCODED_ERROR_CODE,
    message: error instanceof Error ? error.message : String(error),
  };
}
