import { stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { type AgentTemplate, compareSemver, resolveTemplate } from "@nextgen/core";
import type { Command } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";
import { dictionaryFiles, withDictionaryOption } from "./shared-flags.js";
import { collectTemplateFiles, formatTable, templateFileIo } from "./signing-io.js";
import { formatIssue, issuesOf, pathIssue, type TemplateIssue } from "./template-issues.js";

interface ValidateFlags {
  resolve?: boolean;
  json?: boolean;
  dictionary?: string[];
  dict?: string[];
}

/** The `--json` record of one file. */
interface ValidateResult {
  file: string;
  id?: string;
  version?: string;
  valid: boolean;
  issues: TemplateIssue[];
}

const HELP_AFTER = `
Checks each file with the strict parser (duplicate keys, __proto__ / constructor /
prototype keys, size and depth limits) and the template schema, and reports every
problem with its JSON pointer. Below a directory argument, the id (and the version of
an <id>@<version>.json file) must match the file's path, as directorySource requires.
With --resolve, each template's extends chain is also resolved against the templates
found in the given paths (cycles, missing parents, required fields after the merge).

Signatures are NOT checked here: use nextgen verify --trust trust.json.

Examples:
  nextgen validate templates/
  nextgen validate templates/ --resolve --json
  nextgen validate templates/security/auditor.json.zst --dictionary templates.zdict`;

/**
 * `nextgen validate <paths…>`: strict parse + schema validation of template files, every
 * problem reported (one stderr line each, naming its code), the id/path rule of
 * `directorySource` below directory arguments, and with `--resolve` the `extends` chains.
 * Exit code 0 only when every file passes.
 */
export function registerValidate(program: Command): void {
  const validate = program.command("validate");
  withDictionaryOption(validate, "zstd dictionary for .json.zst templates (the built-in one is always included)");
  validate
    .description("Check templates against the schema (every problem, with its JSON pointer); no signature checks.")
    .argument("<paths...>", "template files or directories (*.json, *.json.zst)")
    .option("--resolve", "also resolve each template's extends chain against the templates in <paths>")
    .option("--json", "print the results as JSON")
    .addHelpText("after", HELP_AFTER)
    .action(async (paths: string[], flags: ValidateFlags) => {
      const templates = templateFileIo({ dictionaries: dictionaryFiles(flags) });
      const results: ValidateResult[] = [];
      const parsed = new Map<ValidateResult, AgentTemplate>();
      for (const path of paths) {
        const root = (await stat(path)).isDirectory() ? path : undefined;
        for (const file of await collectTemplateFiles([path])) {
          const result: ValidateResult = { file, valid: true, issues: [] };
          results.push(result);
          try {
            const template = await templates.read(file);
            parsed.set(result, template);
            result.id = template.id;
            result.version = template.version;
            if (root !== undefined) {
              const issue = pathIssue(relative(root, file).split(sep).join("/"), template.id, template.version);
              if (issue) result.issues.push(issue);
            }
            // As the factory does: a root template has nothing to inherit from, so name, role
            // and description must be in the file (with --resolve, every chain is checked below).
            if (!flags.resolve && template.extends === undefined) {
              await resolveTemplate(template, () => undefined).catch((error: unknown) => {
                result.issues.push(...issuesOf(error));
              });
            }
          } catch (error) {
            result.issues.push(...issuesOf(error));
          }
        }
      }
      if (flags.resolve) await resolveAll(parsed);
      for (const result of results) result.valid = result.issues.length === 0;
      report(results, flags.json === true);
      if (results.length === 0 || results.some((result) => !result.valid)) process.exitCode = 1;
    });
}

/** Resolves every parsed template against the others (highest version of each id is the parent). */
async function resolveAll(parsed: Map<ValidateResult, AgentTemplate>): Promise<void> {
  const byId = new Map<string, AgentTemplate>();
  for (const template of parsed.values()) {
    const known = byId.get(template.id);
    if (known === undefined || compareSemver(template.version, known.version) > 0) byId.set(template.id, template);
  }
  for (const [result, template] of parsed) {
    try {
      await resolveTemplate(template, (id) => byId.get(id));
    } catch (error) {
      result.issues.push(...issuesOf(error));
    }
  }
}

function report(results: readonly ValidateResult[], json: boolean): void {
  if (json) {
    const ok = results.length > 0 && results.every((result) => result.valid);
    writeOut(`${JSON.stringify({ ok, results }, null, 2)}\n`);
  } else {
    const rows = results.map((result) => [
      result.valid ? "ok" : "INVALID",
      result.file,
      result.id === undefined ? "" : `${result.id}@${result.version}`,
      result.valid ? "" : `${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}`,
    ]);
    writeOut(formatTable(["result", "file", "template", "problems"], rows));
  }
  // Every problem on its own stderr line, naming its code, in --json mode too (scripts grep stderr).
  for (const result of results) for (const issue of result.issues) writeErr(`${formatIssue(result.file, issue)}\n`);
  if (results.length === 0) writeErr("nextgen: no template files (*.json, *.json.zst) in the given paths\n");
}
